from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huhang.accounts.models import ApiToken, User
from huhang.accounts.roles import Role
from huhang.audit.services import audit_record


@transaction.atomic
def api_token_create(*, actor, user: User, name: str, days: int | None = 365) -> tuple[ApiToken, str]:
    """Issue a token for ``user``; return it with its key, which is shown once and never stored."""
    if not (actor.is_superuser or actor.role == Role.ADMIN):
        raise PermissionDenied(_("Only administrators issue API tokens."))
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[3:11],
        digest=ApiToken.digest_of(key),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    audit_record(actor=actor, action="api_token.create", target=str(user), details={"token": token.prefix})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if not (actor.is_superuser or actor.role == Role.ADMIN):
        raise PermissionDenied(_("Only administrators revoke API tokens."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_token.revoke", target=str(token.user), details={"token": token.prefix})
    return token
