"""Token authentication for partner systems: ``Authorization: Token <key>`` (or ``Bearer <key>``).

The token and its user are read with SQL compiled once (:class:`huhang.site.lookups.RowLookup`), on every
request and without a cache, so that a revoked or expired token or a deactivated user is refused at once.
The one reader that keeps tokens a few seconds, the hash gateway (:mod:`huhang.evidence.hash_gateway`), has
the ledger's writer check :func:`still_authorised` in the transaction that writes each submission instead.
"""

from datetime import timedelta

from django.db import connections, router
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from huhang.accounts.models import ApiToken, User
from huhang.ledger.store import Requirement
from huhang.site.lookups import RowLookup

# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
KEYWORDS = ("token", "bearer")

_TOKEN_LOOKUP = RowLookup(ApiToken, by="digest", related="user")


def token_key(header: bytes) -> str | None:
    """Return the key of an ``Authorization`` header value naming a token scheme; None for another scheme.

    Raises ``AuthenticationFailed`` for a token scheme with no key or more than one word after it.
    """
    parts = header.split()
    if not parts or parts[0].decode(errors="replace").lower() not in KEYWORDS:
        return None
    if len(parts) != 2:
        raise exceptions.AuthenticationFailed(_("The Authorization header must be 'Token <key>'."))
    return parts[1].decode(errors="replace")


def authenticate_key(key: str):
    """Return ``(user, token)`` for an API key that may be used now; raise ``AuthenticationFailed`` otherwise.

    Marks the token used (at most once per ``LAST_USED_RESOLUTION``).
    """
    now = timezone.now()
    token = _usable(_TOKEN_LOOKUP.get(ApiToken.digest_of(key)), now)
    _mark_used([token], now)
    return token.user, token


def authenticate_keys(keys) -> dict[str, tuple | exceptions.AuthenticationFailed]:
    """:func:`authenticate_key` for several keys with one query: ``{key: (user, token)}``, or for a key that
    may not be used, the ``AuthenticationFailed`` that function would raise."""
    now = timezone.now()
    digests = {key: ApiToken.digest_of(key) for key in keys}
    tokens = _TOKEN_LOOKUP.get_many(digests.values())
    answers: dict[str, tuple | exceptions.AuthenticationFailed] = {}
    for key, digest in digests.items():
        try:
            token = _usable(tokens.get(digest), now)
        except exceptions.AuthenticationFailed as exc:
            answers[key] = exc
        else:
            answers[key] = token.user, token
    _mark_used([answer[1] for answer in answers.values() if isinstance(answer, tuple)], now)
    return answers


def still_authorised(token: ApiToken) -> Requirement:
    """A ledger requirement (:class:`~huhang.ledger.store.Requirement`) that ``token`` is still usable and its
    user still as authorisation read it: active, with the same role, superuser flag and entity.

    A side row written under it is written only if this holds in the transaction that appends the entry,
    so a submission checked against a token read a moment before is refused if the token was revoked or
    has expired, or its user changed, in that moment.
    """
    user = token.user
    quote = connections[router.db_for_read(ApiToken)].ops.quote_name
    t, u = ApiToken._meta, User._meta

    def column(meta, name: str) -> str:
        return quote(meta.get_field(name).column)

    entity = f"u.{column(u, 'entity')} IS NULL" if user.entity_id is None else f"u.{column(u, 'entity')} = ?"
    join = f"JOIN {quote(u.db_table)} u ON u.{quote(u.pk.column)} = t.{column(t, 'user')}"
    sql = (
        f"SELECT 1 FROM {quote(t.db_table)} t {join}"  # noqa: S608 - names from the models
        f" WHERE t.{quote(t.pk.column)} = ? AND t.{column(t, 'revoked_at')} IS NULL"
        f" AND (t.{column(t, 'expires_at')} IS NULL OR t.{column(t, 'expires_at')} > CURRENT_TIMESTAMP)"
        f" AND u.{column(u, 'is_active')} = ? AND u.{column(u, 'role')} = ? AND u.{column(u, 'is_superuser')} = ?"
        f" AND {entity}"
    )
    params = (token.pk, True, user.role, user.is_superuser) + (() if user.entity_id is None else (user.entity_id,))
    return Requirement(sql, params, refusal="the API token or its user changed since the request was checked")


def _usable(token: ApiToken | None, now) -> ApiToken:
    if token is None or not token.is_usable(now):
        raise exceptions.AuthenticationFailed(_("The API token is unknown, expired or revoked."))
    if not token.user.is_active:
        raise exceptions.AuthenticationFailed(_("The token's user is deactivated."))
    return token


def _mark_used(tokens: list[ApiToken], now) -> None:
    stale = {
        token.pk for token in tokens if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION
    }
    if stale:
        ApiToken.objects.filter(pk__in=stale).update(last_used_at=now)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = KEYWORDS

    def authenticate(self, request):
        key = token_key(authentication.get_authorization_header(request))
        return None if key is None else authenticate_key(key)

    def authenticate_header(self, request):
        return "Token"


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """Describe the token scheme in the OpenAPI document (drf-spectacular finds this by its target class)."""

    target_class = "huhang.accounts.api_auth.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: a key issued with `huhang api_token`.",
        }
