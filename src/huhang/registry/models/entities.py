from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huhang import identifiers
from huhang.registry.messages import identifier_message


class EntityKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    INDIVIDUAL = "individual", _("Individual")


class EntitySize(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Entity(models.Model):
    """A rights holder: an organisation identified by its USCC, or a person by resident ID number."""

    kind = models.CharField(_("kind"), max_length=24, choices=EntityKind.choices)
    name = models.CharField(_("name"), max_length=200, db_index=True)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, null=True, blank=True
    )
    resident_id = models.CharField(_("resident ID number"), max_length=18, unique=True, null=True, blank=True)
    district = models.ForeignKey(
        "registry.District", verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT
    )
    industry = models.ForeignKey(
        "registry.Industry", verbose_name=_("industry"), null=True, blank=True, on_delete=models.PROTECT
    )
    size = models.CharField(_("size"), max_length=8, choices=EntitySize.choices, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["-id"]
        indexes = [models.Index(fields=["district", "kind"]), models.Index(fields=["industry"])]
        constraints = [
            models.CheckConstraint(
                name="entity_identified",
                condition=(
                    models.Q(kind="individual", resident_id__isnull=False, uscc__isnull=True)
                    | (~models.Q(kind="individual") & models.Q(uscc__isnull=False, resident_id__isnull=True))
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_individual(self) -> bool:
        return self.kind == EntityKind.INDIVIDUAL

    def clean(self) -> None:
        errors = {}
        if self.is_individual:
            self.uscc = None
            if not self.resident_id:
                errors["resident_id"] = _("An individual is identified by a resident ID number.")
            else:
                try:
                    self.resident_id = identifiers.validate_resident_id(self.resident_id)
                except identifiers.IdentifierError as exc:
                    errors["resident_id"] = identifier_message(exc)
        else:
            self.resident_id = None
            if not self.uscc:
                errors["uscc"] = _("An organisation is identified by its unified social credit code.")
            else:
                try:
                    self.uscc = identifiers.validate_uscc(self.uscc)
                except identifiers.IdentifierError as exc:
                    errors["uscc"] = identifier_message(exc)
        if errors:
            raise ValidationError(errors)

    @property
    def identifier(self) -> str:
        return self.resident_id if self.is_individual else self.uscc
