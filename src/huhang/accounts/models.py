import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huhang.accounts.roles import REGISTRY_EDITORS, STAFF_ROLES, OrganisationKind, Role


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    district = models.ForeignKey(
        "registry.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.APPLICANT)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    entity = models.ForeignKey(
        "registry.Entity",
        verbose_name=_("entity represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For applicants: the enterprise or person whose records this user may see."),
    )
    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.APPLICANT and self.organisation_id:
            raise ValidationError({"organisation": _("Applicants belong to an entity, not an organisation.")})
        if self.role in STAFF_ROLES | {Role.PARTNER} and not self.organisation_id and not self.is_superuser:
            raise ValidationError({"organisation": _("Staff and partner users must belong to an organisation.")})

    def save(self, *args, **kwargs):
        # The administrator role is what opens the Django admin; a superuser made on the command line
        # (`huhang createsuperuser`) is an administrator.
        if self.is_superuser and self.role == Role.APPLICANT:
            self.role = Role.ADMIN
        if self.role == Role.ADMIN:
            self.is_staff = self.is_superuser = True
        super().save(*args, **kwargs)

    @property
    def is_staff_member(self) -> bool:
        return self.role in STAFF_ROLES or self.is_superuser

    @property
    def can_edit_registry(self) -> bool:
        return self.role in REGISTRY_EDITORS or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for a partner system. Only a SHA-256 digest of the key is stored."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, help_text=_("Which system uses this token."))
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return "hh_" + secrets.token_urlsafe(32)

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > now
