"""IP rights, one table per kind, sharing the fields every right has.

A trade-secret asset is described, never disclosed: the model has no field for its content.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huhang import identifiers
from huhang.registry.messages import identifier_message


class RightStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    VALID = "valid", _("In force")
    LAPSED = "lapsed", _("Lapsed")
    INVALIDATED = "invalidated", _("Invalidated")
    EXPIRED = "expired", _("Expired")
    UNKNOWN = "unknown", _("Unknown")


class PatentKind(models.TextChoices):
    INVENTION = "invention", _("Invention")
    UTILITY_MODEL = "utility_model", _("Utility model")
    DESIGN = "design", _("Design")
    PCT_INVENTION = "pct_invention", _("PCT invention (national phase)")
    PCT_UTILITY_MODEL = "pct_utility_model", _("PCT utility model (national phase)")


class IPRight(models.Model):
    title = models.CharField(_("title"), max_length=500)
    status = models.CharField(_("status"), max_length=16, choices=RightStatus.choices, default=RightStatus.VALID)
    is_demo = models.BooleanField(_("demo record"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


def _owners(related_name: str) -> models.ManyToManyField:
    return models.ManyToManyField(
        "registry.Entity", verbose_name=_("owners"), related_name=related_name, blank=True
    )


class Patent(IPRight):
    application_number = models.CharField(
        _("application number"), max_length=32, unique=True, null=True, blank=True
    )
    publication_number = models.CharField(
        _("publication number"), max_length=32, unique=True, null=True, blank=True
    )
    kind = models.CharField(_("patent kind"), max_length=20, choices=PatentKind.choices, blank=True)
    country = models.CharField(_("office"), max_length=2, default="CN")
    application_date = models.DateField(_("application date"), null=True, blank=True)
    grant_date = models.DateField(_("grant date"), null=True, blank=True)
    ipc_main = models.CharField(_("main IPC"), max_length=24, blank=True, db_index=True)
    ipc_codes = models.JSONField(_("IPC codes"), default=list, blank=True)
    applicant_names = models.JSONField(_("applicants as published"), default=list, blank=True)
    abstract = models.TextField(_("abstract"), blank=True)
    high_value = models.BooleanField(
        _("high-value patent"),
        null=True,
        blank=True,
        help_text=_("Per CNIPA's five categories; empty until classified, and when the data cannot tell."),
    )
    high_value_reasons = models.JSONField(_("high-value categories matched and why"), default=list, blank=True)
    owners = _owners("patents")
    history = HistoricalRecords(excluded_fields=["abstract"])

    class Meta(IPRight.Meta):
        verbose_name = _("patent")
        verbose_name_plural = _("patents")
        constraints = [
            models.CheckConstraint(
                name="patent_numbered",
                condition=models.Q(application_number__isnull=False) | models.Q(publication_number__isnull=False),
            )
        ]

    def clean(self) -> None:
        errors = {}
        if not self.application_number and not self.publication_number:
            errors["application_number"] = _("Give an application number or a publication number.")
        derived_kind = ""
        if self.application_number:
            try:
                parsed = identifiers.parse_patent_application_number(self.application_number)
            except identifiers.IdentifierError as exc:
                errors["application_number"] = identifier_message(exc)
            else:
                self.application_number = parsed.number
                derived_kind = parsed.kind
        if self.publication_number:
            try:
                pub = identifiers.parse_patent_publication_number(self.publication_number)
            except identifiers.IdentifierError as exc:
                errors["publication_number"] = identifier_message(exc)
            else:
                self.publication_number = pub.text
                self.country = pub.country
                derived_kind = derived_kind or (pub.patent_kind or "")
        if derived_kind:
            self.kind = derived_kind
        self.ipc_codes = [normalise_ipc(code) for code in self.ipc_codes or []]
        bad_ipc = [code for code in self.ipc_codes if not IPC_PATTERN.match(code)]
        if bad_ipc:
            errors["ipc_codes"] = _("Not IPC codes: %(codes)s") % {"codes": ", ".join(bad_ipc)}
        if self.ipc_codes and not self.ipc_main:
            self.ipc_main = self.ipc_codes[0]
        if errors:
            raise ValidationError(errors)


IPC_PATTERN = re.compile(r"^[A-H](\d{2}([A-Z](\d{1,4}(/\d{1,6})?)?)?)?$")


def normalise_ipc(code: str) -> str:
    """Return an IPC code written as ``H04W4/12`` (spaces removed, upper case)."""
    return re.sub(r"\s+", "", code).upper()


class Trademark(IPRight):
    registration_number = models.CharField(_("registration number"), max_length=12, unique=True)
    nice_class = models.PositiveSmallIntegerField(
        _("Nice class"), validators=[MinValueValidator(1), MaxValueValidator(45)]
    )
    goods = models.TextField(_("goods and services"), blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    owners = _owners("trademarks")
    history = HistoricalRecords()

    class Meta(IPRight.Meta):
        verbose_name = _("trademark")
        verbose_name_plural = _("trademarks")

    def clean(self) -> None:
        number = (self.registration_number or "").strip().upper()
        number = number.removeprefix("第").removesuffix("号")
        if not re.fullmatch(r"G?\d{1,9}", number):
            raise ValidationError(
                {"registration_number": _("A trademark registration number is up to 9 digits (G for Madrid).")}
            )
        self.registration_number = number


class CopyrightWorkKind(models.TextChoices):
    WRITTEN = "written", _("Written work")
    ART = "art", _("Fine art")
    PHOTOGRAPHY = "photography", _("Photography")
    AUDIOVISUAL = "audiovisual", _("Audiovisual work")
    MUSIC = "music", _("Music")
    DESIGN = "design", _("Graphic or model work")
    SOFTWARE = "software", _("Computer software")
    OTHER = "other", _("Other")


class Copyright(IPRight):
    registration_number = models.CharField(_("registration number"), max_length=40, unique=True)
    work_kind = models.CharField(_("kind of work"), max_length=16, choices=CopyrightWorkKind.choices)
    registered_on = models.DateField(_("registered on"), null=True, blank=True, db_index=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    owners = _owners("copyrights")
    history = HistoricalRecords()

    class Meta(IPRight.Meta):
        verbose_name = _("copyright")
        verbose_name_plural = _("copyrights")

    def clean(self) -> None:
        number = re.sub(r"\s+", "", self.registration_number or "").upper()
        if self.work_kind == CopyrightWorkKind.SOFTWARE:
            ok = re.fullmatch(r"\d{4}SR\d{4,8}", number)
            message = _("A software registration number looks like 2023SR0123456.")
        else:
            ok = re.fullmatch(r"[\u4e00-\u9fff]作登字-\d{4}-[A-Z]-\d{8}", number)
            message = _("A work registration number looks like 国作登字-2026-A-00037559.")
        if not ok:
            raise ValidationError({"registration_number": message})
        self.registration_number = number


class GeographicalIndication(IPRight):
    class Scheme(models.TextChoices):
        PRODUCT = "product", _("GI product protection")
        COLLECTIVE_MARK = "collective_mark", _("Collective or certification mark")
        AGRICULTURAL = "agricultural", _("Agricultural product GI")

    product = models.CharField(_("product"), max_length=200)
    region = models.CharField(_("protected region"), max_length=300)
    scheme = models.CharField(_("scheme"), max_length=16, choices=Scheme.choices)
    announcement_number = models.CharField(_("announcement number"), max_length=60, blank=True)
    protected_on = models.DateField(_("protected on"), null=True, blank=True)
    owners = _owners("geographical_indications")
    history = HistoricalRecords()

    class Meta(IPRight.Meta):
        verbose_name = _("geographical indication")
        verbose_name_plural = _("geographical indications")


class TradeSecretAsset(IPRight):
    """A trade secret, described by its holder. Its content is never recorded here."""

    class Category(models.TextChoices):
        TECHNICAL = "technical", _("Technical information")
        BUSINESS = "business", _("Business information")

    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    protective_measures = models.TextField(
        _("protective measures"), help_text=_("How the holder keeps it secret. Never the secret itself.")
    )
    identified_on = models.DateField(_("identified on"), null=True, blank=True)
    owners = _owners("trade_secrets")
    history = HistoricalRecords()

    class Meta(IPRight.Meta):
        verbose_name = _("trade-secret asset")
        verbose_name_plural = _("trade-secret assets")


class DataIP(IPRight):
    registration_number = models.CharField(_("registration number"), max_length=60, unique=True)
    data_description = models.TextField(_("description of the data set"), blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    owners = _owners("data_ip")
    history = HistoricalRecords()

    class Meta(IPRight.Meta):
        verbose_name = _("data IP registration")
        verbose_name_plural = _("data IP registrations")
