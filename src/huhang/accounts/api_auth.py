"""Token authentication for partner systems: ``Authorization: Token <key>`` (or ``Bearer <key>``)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from huhang.accounts.models import ApiToken

# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be 'Token <key>'."))
        key = header[1].decode(errors="replace")
        token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
        now = timezone.now()
        if token is None or not token.is_usable(now):
            raise exceptions.AuthenticationFailed(_("The API token is unknown, expired or revoked."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token's user is deactivated."))
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

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
