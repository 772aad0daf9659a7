"""The lean hash-submission path checks and answers exactly what the general one does.

Tokens and holders are read with SQL compiled once, yet every change is seen at once; plainly valid input
skips the serializer with the same result; the throttle counts as before; the evidence row goes in with its
ledger entry or not at all; the answer is the receipt of the moment of acknowledgement.
"""

import hashlib
import uuid
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from huhang.accounts.models import ApiToken
from huhang.accounts.roles import Role
from huhang.accounts.services import api_token_create, api_token_revoke
from huhang.evidence import api as evidence_api
from huhang.evidence.models import Evidence
from huhang.evidence.receipts import evidence_receipt
from huhang.ledger.receipt import verify_receipt
from huhang.registry.models import Entity
from huhang.site.lookups import RowLookup
from tests.conftest import make_resident_id

pytestmark = pytest.mark.django_db(transaction=True)
HASHES = "/api/v1/evidence/hashes/"


@pytest.fixture
def api():
    return APIClient()


def _message(text: str) -> str:
    """The message as a response gives it (in the default language, Chinese)."""
    with translation.override("zh-hans"):
        return translation.gettext(text)


def _body(holder, /, **fields) -> dict:
    return {"holder": holder.uscc, "kind": "document", "title": "图纸", "sha256": "ab" * 32, **fields}


def test_a_revoked_or_expired_token_or_a_deactivated_user_is_refused_at_once(api, ledger, clerk, holder, admin_user):
    token, key = api_token_create(actor=admin_user, user=clerk, name="partner")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post(HASHES, _body(holder), format="json").status_code == 201
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    api_token_revoke(actor=admin_user, token=token)
    response = api.post(HASHES, _body(holder), format="json")
    assert response.status_code == 401
    assert response.json()["message"] == _message("The API token is unknown, expired or revoked.")

    token, key = api_token_create(actor=admin_user, user=clerk, name="partner 2")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post(HASHES, _body(holder), format="json").status_code == 201
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api.post(HASHES, _body(holder), format="json").status_code == 401

    token, key = api_token_create(actor=admin_user, user=clerk, name="partner 3")
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post(HASHES, _body(holder), format="json").status_code == 201
    type(clerk).objects.filter(pk=clerk.pk).update(is_active=False)
    response = api.post(HASHES, _body(holder), format="json")
    assert response.status_code == 401 and response.json()["message"] == _message("The token's user is deactivated.")
    api.credentials(HTTP_AUTHORIZATION="Token hh_no-such-key")
    assert api.post(HASHES, _body(holder), format="json").status_code == 401
    assert Evidence.objects.count() == 3


def test_a_role_taken_away_is_seen_at_once(api, ledger, clerk, holder, admin_user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=admin_user, user=clerk, name='x')[1]}")
    assert api.post(HASHES, _body(holder), format="json").status_code == 201
    type(clerk).objects.filter(pk=clerk.pk).update(role=Role.PARTNER)
    assert api.post(HASHES, _body(holder), format="json").status_code == 403


def test_the_compiled_lookups_read_what_the_orm_reads(clerk, admin_user, make_holder):
    token, _ = api_token_create(actor=admin_user, user=clerk, name="x")
    found = RowLookup(ApiToken, by="digest", related="user").get(token.digest)
    orm = ApiToken.objects.select_related("user").get(pk=token.pk)
    for field in ApiToken._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(orm, field.attname), field.name
    for field in type(clerk)._meta.concrete_fields:
        assert getattr(found.user, field.attname) == getattr(orm.user, field.attname), field.name
    assert RowLookup(ApiToken, by="digest").get("0" * 64) is None
    person = make_holder(kind="individual", name="张三", resident_id=make_resident_id())
    for entity in (make_holder(name="武汉测试有限公司"), person):
        field = "uscc" if entity.uscc else "resident_id"
        found = RowLookup(Entity, by=field).get(getattr(entity, field))
        assert found == entity and found._state.adding is False
        for model_field in Entity._meta.concrete_fields:
            assert getattr(found, model_field.attname) == getattr(entity, model_field.attname), model_field.name


def test_a_lookup_of_some_fields_defers_the_others(make_holder, django_assert_num_queries):
    holder = make_holder(name="武汉测试有限公司", address="武汉市东湖高新区")
    lookup = RowLookup(Entity, by="uscc", only=("name",))
    with django_assert_num_queries(1):
        found = lookup.get_many([holder.uscc])[holder.uscc]
        assert (found.pk, found.name, found.uscc) == (holder.pk, holder.name, holder.uscc)
    assert found.get_deferred_fields() >= {"address", "created_at", "kind"}
    with django_assert_num_queries(1):
        assert found.address == "武汉市东湖高新区"  # read when asked for, as a deferred field is


def test_many_rows_at_once_are_the_rows_one_at_a_time(clerk, admin_user, make_holder, monkeypatch):
    tokens = [api_token_create(actor=admin_user, user=clerk, name=f"t{i}")[0] for i in range(5)]
    lookup = RowLookup(ApiToken, by="digest", related="user")
    monkeypatch.setattr(RowLookup, "MANY", 2)  # three queries for five values
    digests = [token.digest for token in tokens] + ["0" * 64, tokens[0].digest]
    found = lookup.get_many(digests)
    assert set(found) == {token.digest for token in tokens}
    for digest, row in found.items():
        one = lookup.get(digest)
        assert row.pk == one.pk and row.user.username == one.user.username == clerk.username
        assert [getattr(row, f.attname) for f in ApiToken._meta.concrete_fields] == [
            getattr(one, f.attname) for f in ApiToken._meta.concrete_fields
        ]
    assert lookup.get_many([]) == {}


def test_keys_authenticated_together_are_answered_as_each_alone(clerk, admin_user, owner, django_assert_num_queries):
    from rest_framework import exceptions

    from huhang.accounts.api_auth import authenticate_key, authenticate_keys

    good = api_token_create(actor=admin_user, user=clerk, name="good")[1]
    revoked_token, revoked = api_token_create(actor=admin_user, user=clerk, name="revoked")
    api_token_revoke(actor=admin_user, token=revoked_token)
    expired_token, expired = api_token_create(actor=admin_user, user=clerk, name="expired")
    ApiToken.objects.filter(pk=expired_token.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    inactive = api_token_create(actor=admin_user, user=owner, name="inactive")[1]
    type(owner).objects.filter(pk=owner.pk).update(is_active=False)
    keys = [good, revoked, expired, inactive, "no such key"]
    with django_assert_num_queries(2):  # the tokens with their users; marking the good one used
        together = authenticate_keys(keys)
    for key in keys:
        try:
            alone = authenticate_key(key)
        except exceptions.AuthenticationFailed as exc:
            assert isinstance(together[key], exceptions.AuthenticationFailed) and str(together[key]) == str(exc)
        else:
            assert together[key][0] == alone[0] == clerk and together[key][1].pk == alone[1].pk
    with django_assert_num_queries(1):  # used within the minute: not marked again
        authenticate_keys([good])


def test_holders_found_together_are_the_holders_found_one_at_a_time(make_holder, django_assert_num_queries):
    company = make_holder(name="武汉测试有限公司")
    person = make_holder(kind="individual", name="张三", resident_id=make_resident_id())
    texts = [company.uscc, " " + company.uscc.lower(), person.resident_id, "91420100MA4K000000", "nonsense", ""]
    with django_assert_num_queries(2):  # one query per kind of identifier
        found = evidence_api.find_holders(texts)
    assert found == {text: evidence_api._find_holder(text) for text in texts}
    assert found[company.uscc] == company and found[person.resident_id] == person
    with django_assert_num_queries(0):
        assert evidence_api.find_holders(["nonsense"]) == {"nonsense": None}


@pytest.fixture
def holder_codes(make_holder):
    return [make_holder(name="武汉甲有限公司").uscc, make_holder(name="武汉乙有限公司").uscc]


_text = st.one_of(
    st.text(max_size=5),
    st.text(alphabet=st.sampled_from(" \t\n\x00a中\ud800"), max_size=4),
    st.sampled_from(["", "  ", " 标题 ", "a" * 64, "a" * 65, "b" * 200, " " + "b" * 200 + " ", "c" * 201]),
)
_value = st.one_of(st.none(), st.booleans(), st.integers(-2, 3), st.floats(allow_nan=False), _text, st.just([]))


@st.composite
def _payloads(draw, codes):
    """Mostly good values, often one odd one: the input of a partner system, and of someone probing it."""
    good = {
        "holder": st.sampled_from([*codes, None]),
        "kind": st.sampled_from(["document", "image", "other"]),
        "title": st.sampled_from(["图纸", " 标题 ", "b" * 200, " " + "b" * 200 + " "]),
        "description": st.sampled_from(["", "  ", "说明", "d" * 2000]),
        "sha256": st.sampled_from(["ab" * 32, "AB" * 32, "x", " " + "c" * 64]),
        "size": st.one_of(st.none(), st.integers(1, 2**60)),
        "media_type": st.sampled_from([None, "", " ", "application/pdf", "m" * 100]),
    }
    odd = {
        "holder": st.one_of(st.sampled_from([codes[0].lower(), " " + codes[1], "91420100MA4K000000", ""]), _value),
        "kind": st.one_of(st.sampled_from(["nothing", "Document", ""]), _value),
        "size": st.one_of(st.integers(-1, 0), _value),
    }
    payload = {}
    for name, strategy in good.items():
        if draw(st.integers(0, 9)) == 0:
            continue  # absent
        payload[name] = draw(st.one_of(strategy, odd.get(name, _value)) if draw(st.integers(0, 4)) == 0 else strategy)
    if draw(st.booleans()):
        payload["unknown"] = draw(_value)
    return payload


def test_plainly_valid_input_is_validated_as_the_serializer_validates_it(holder_codes, clerk):
    class Request:
        user = clerk

    seen = {"plain": 0, "serializer": 0}

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_payloads(holder_codes))
    def check(payload):
        plain = evidence_api.plain_hash_input(payload)
        serializer = evidence_api.EvidenceHashApi.InputSerializer(data=payload, context={"request": Request()})
        if plain is None:
            seen["serializer"] += 1
            return
        seen["plain"] += 1
        assert serializer.is_valid(), (payload, serializer.errors)
        assert plain == dict(serializer.validated_data), payload

    check()
    assert seen["plain"] > 20 and seen["serializer"] > 20, seen
    assert evidence_api.plain_hash_input({"kind": "other", "title": "t", "sha256": "ab"}) is not None
    assert evidence_api.plain_hash_input([("kind", "other")]) is None


def test_refused_input_is_answered_by_the_serializer(api, ledger, clerk, holder, admin_user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=admin_user, user=clerk, name='x')[1]}")
    cases = [
        ({"title": "b" * 201}, "title"),
        ({"holder": "91420100MA4K000000"}, "holder"),
        ({"kind": "nothing"}, "kind"),
        ({"size": 0}, "size"),
        ({"sha256": "xyz"}, "sha256"),
        ({"title": "  "}, "title"),
    ]
    for fields, field in cases:
        response = api.post(HASHES, _body(holder, **fields), format="json")
        assert response.status_code == 400 and field in response.json()["errors"], (fields, response.json())
    without_holder = {k: v for k, v in _body(holder).items() if k != "holder"}
    response = api.post(HASHES, without_holder, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["holder"] == [_message("Name the holder by its identifier.")]
    assert Evidence.objects.count() == 0


def test_the_rate_counts_as_before_and_is_shared_with_the_other_views(api, ledger, clerk, holder, monkeypatch):
    from huhang.registry.api import RegistryViewSet
    from huhang.site.throttling import ApiUserRateThrottle

    caches["throttle"].clear()
    monkeypatch.setattr(ApiUserRateThrottle, "THROTTLE_RATES", {"user": "4/minute"})
    monkeypatch.setattr(RegistryViewSet, "throttle_classes", [ApiUserRateThrottle])
    monkeypatch.setattr(evidence_api.EvidenceHashApi, "throttle_classes", [ApiUserRateThrottle])
    api.force_authenticate(clerk)
    assert api.get("/api/v1/entities/").status_code == 200
    codes = [api.post(HASHES, _body(holder, sha256=f"{i:064x}"), format="json").status_code for i in range(1, 4)]
    assert codes == [201, 201, 201]
    assert api.post(HASHES, _body(holder), format="json").status_code == 429
    assert api.get("/api/v1/entities/").status_code == 429
    assert Evidence.objects.count() == 3


def test_the_answer_is_the_receipt_of_that_moment(api, ledger, clerk, holder, admin_user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(actor=admin_user, user=clerk, name='x')[1]}")
    response = api.post(HASHES, _body(holder, sha256=hashlib.sha256(b"secret").hexdigest()), format="json")
    assert response.status_code == 201
    evidence = Evidence.objects.get()
    assert response.json() == evidence_receipt(evidence).receipt, "the same receipt as one made from the log"
    assert evidence.checkpoint_size == response.json()["checkpoint"]["size"]
    verify_receipt(response.json(), verifier_key=ledger.record.verifier_key, file_bytes=b"secret")
    assert api.get(response["Location"]).json() == response.json()


def test_a_row_the_database_refuses_leaves_no_entry(ledger, clerk, holder, monkeypatch):
    from huhang.evidence import services

    first = services.evidence_submit_hash(actor=clerk, holder=holder, kind="other", title="一", sha256="ab" * 32)
    size = ledger.refresh()
    monkeypatch.setattr(services.uuid, "uuid4", lambda: first.pk)  # the same primary key again
    with pytest.raises(Exception) as refused:
        services.evidence_submit_hash(actor=clerk, holder=holder, kind="other", title="二", sha256="cd" * 32)
    assert ledger.store.is_integrity_error(refused.value)
    assert ledger.refresh() == size and Evidence.objects.count() == 1
    assert Evidence.objects.get().ledger_index == size - 1


def test_rows_and_entries_are_written_together(ledger, ledger_start, clerk, holder):
    from huhang.evidence import services

    made = [
        services.evidence_submit_hash(actor=clerk, holder=holder, kind="other", title=f"证据{i}", sha256=f"{i:064x}")
        for i in range(1, 6)
    ]
    ledger.refresh()
    for evidence in made:
        stored = Evidence.objects.get(pk=evidence.pk)
        assert bytes(stored.leaf) == ledger.entry(stored.ledger_index) == evidence.leaf
        assert stored.ledger_index == evidence.ledger_index and stored.checkpoint_size == evidence.checkpoint_size
        assert ledger.checkpoint(stored.checkpoint_size) is not None
    assert isinstance(made[0].pk, uuid.UUID) and made[0]._state.adding is False


def test_the_writers_recheck_of_a_token_holds_only_while_nothing_changed(clerk, owner, admin_user):
    from django.db import connection

    from huhang.accounts.api_auth import authenticate_key, still_authorised

    def holds(requirement) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(requirement.sql.replace("?", "%s"), requirement.params)
            return cursor.fetchone() is not None

    users = type(clerk).objects
    for user in (clerk, owner):  # without an entity, and with one
        token, key = api_token_create(actor=admin_user, user=user, name=f"recheck {user.username}")
        requirement = still_authorised(authenticate_key(key)[1])
        assert holds(requirement)
        for change, undo in (
            ({"role": Role.PARTNER}, {"role": user.role}),
            ({"is_active": False}, {"is_active": True}),
            ({"is_superuser": True}, {"is_superuser": False}),
            ({"entity": None if user.entity_id else owner.entity}, {"entity": user.entity}),
        ):
            users.filter(pk=user.pk).update(**change)
            assert not holds(requirement), change
            users.filter(pk=user.pk).update(**undo)
            assert holds(requirement), undo
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert not holds(requirement)
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(minutes=5))
        assert holds(requirement)
        api_token_revoke(actor=admin_user, token=token)
        assert not holds(requirement)
