"""Every case event, document, service and submission goes onto the evidence ledger once committed, and
``huhang cases check`` finds a case event altered behind the platform's back."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from huhang.cases import ledger as ledger_mirror
from huhang.cases import services
from huhang.cases.models import LedgerLink
from huhang.evidence.models import LedgerEvent
from tests.evidence.conftest import ledger  # noqa: F401 - the test log

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date


def test_case_rows_are_appended_after_commit(ledger, filed, clerk):  # noqa: F811
    case = filed()
    services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    subjects = set(LedgerLink.objects.filter(case=case).values_list("subject", flat=True))
    events = list(case.events.order_by("seq"))
    assert {f"case-event/{e.pk}" for e in events} <= subjects
    assert any(s.startswith("case-document/") for s in subjects)
    assert any(s.startswith("case-party/") for s in subjects)
    entry = LedgerEvent.objects.get(subject=f"case-event/{events[1].pk}")
    assert entry.kind == "case.event" and entry.payload["digest"] == events[1].digest
    assert entry.payload["action"] == "accept" and entry.ledger_index < ledger.size
    assert ledger_mirror.pending_count(case) == 0


def test_check_finds_an_event_altered_in_the_database(ledger, filed, capsys):  # noqa: F811
    case = filed()
    call_command("cases", "check")
    assert "every case event matches" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_caseevent SET at = %s WHERE case_id = %s", ["2026-09-01", case.pk])
    with pytest.raises(CommandError):
        call_command("cases", "check")
    assert "differs from its ledger entry" in capsys.readouterr().out


def test_rows_left_pending_when_the_ledger_is_down_are_synced_later(ledger, filed, clerk, requester, monkeypatch):  # noqa: F811
    import huhang.evidence.services as evidence_services

    def down(**kwargs):
        raise ConnectionError("sequencer unavailable")

    real = evidence_services.ledger_record_event
    monkeypatch.setattr(evidence_services, "ledger_record_event", down)
    case = filed()
    assert ledger_mirror.pending_count(case) > 0
    # a row of every kind: event, document, service, submission, track decision, party
    services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    notice = case.documents.get(kind="filing_notice")
    services.service_record(
        actor=clerk, document=notice, party=notice.addressee, method="post", sent_on=D(2026, 10, 9),
        delivered_on=D(2026, 10, 12),
    )  # fmt: skip
    services.submission_create(actor=requester, case=case, kind="statement", text="补充说明。")
    services.track_override(actor=clerk, case=case, track="ordinary", reason="案情复杂，转普通程序")
    pending = ledger_mirror.pending(case)
    assert {kind for _subject, kind, _payload, _actor in pending} >= {
        "case.party", "case.event", "case.document", "case.service", "case.submission", "case.track",
    }  # fmt: skip
    assert ledger_mirror.pending_count(case) == len(pending)
    monkeypatch.setattr(evidence_services, "ledger_record_event", real)
    call_command("cases", "ledger-sync")
    assert ledger_mirror.pending_count(case) == 0 and ledger_mirror.pending(case) == []


def test_evidence_filed_with_a_request_and_cited_later_is_linked(ledger, filed, requester, clerk):  # noqa: F811
    import hashlib

    from django.core.exceptions import ValidationError

    from huhang.evidence.services import evidence_submit_hash

    def preserve(title):
        return evidence_submit_hash(actor=requester, holder=requester.entity, kind="document", title=title,
                                    sha256=hashlib.sha256(title.encode()).hexdigest())  # fmt: skip

    first, second = preserve("侵权产品购买公证书"), preserve("产品拆解照片")
    case = filed(evidence=[first])
    assert list(case.evidence_links.values_list("evidence", flat=True)) == [first.pk]
    services.evidence_cite(actor=clerk, case=case, evidence=second)
    assert case.evidence_links.count() == 2
    with pytest.raises(ValidationError):
        services.evidence_cite(actor=clerk, case=case, evidence=second)
