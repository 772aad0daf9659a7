"""The case file: a case, its parties, its events (the history the procedure engine replays), the clocks
computed from them, the documents issued and their service, and what parties submitted online.

History is insert-only: :class:`CaseEvent`, :class:`Service`, :class:`CaseDocument`, :class:`Submission`
and :class:`TrackDecision` rows are never updated or deleted (a correction is a new row). :class:`Case` and
:class:`CaseClock` hold values derived from that history, recomputed by :mod:`huhang.cases.clocks`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huhang.evidence.models import InsertOnly


class Track(models.TextChoices):
    SIMPLE = "simple", _("Simple track (简案快办)")
    ORDINARY = "ordinary", _("Ordinary track")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Requester / applicant")
    RESPONDENT = "respondent", _("Respondent")
    THIRD_PARTY = "third_party", _("Third party")
    COMPLAINANT = "complainant", _("Complainant / reporter")
    PARTNER = "partner", _("Partner body")


class Case(models.Model):
    """A matter handled under one procedure. ``state`` … ``provisional`` and ``accepted_on`` … ``mediation_offered``
    are derived from the events (kept as columns for the worklist's index and for the indicators, which the
    database aggregates: :func:`huhang.procedures.handling`)."""

    number = models.CharField(_("case number"), max_length=64, unique=True)
    procedure = models.CharField(_("procedure"), max_length=48, db_index=True)
    profile = models.CharField(_("rule profile"), max_length=32)
    category = models.CharField(_("category"), max_length=16, db_index=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary of the request"), max_length=5000, blank=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("handling organisation"), on_delete=models.PROTECT, related_name="cases"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handled_cases",
    )
    facts = models.JSONField(_("case facts"), default=dict, blank=True)
    track = models.CharField(_("track"), max_length=8, choices=Track.choices, default=Track.ORDINARY)
    opened_on = models.DateField(_("opened on"))
    state = models.CharField(_("state"), max_length=32)
    is_open = models.BooleanField(_("open"), default=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    next_due = models.DateField(_("next due date"), null=True, blank=True)
    next_due_clock = models.CharField(_("next due clock"), max_length=64, blank=True)
    provisional = models.BooleanField(_("provisional dates"), default=False)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    handling_days = models.PositiveIntegerField(_("handling days (less excluded periods)"), null=True, blank=True)
    within_limit = models.BooleanField(_("closed within the statutory limits"), null=True, blank=True)
    mediation_offered = models.BooleanField(_("mediation offered"), default=False)
    version = models.PositiveIntegerField(_("version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    computed_at = models.DateTimeField(_("clocks computed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on", "-id"]
        # Partial indexes over the open cases, in worklist order: SQLite cannot use "is_open" (Django writes
        # the condition as a bare column) as an index equality, so an index leading with it would be sorted.
        indexes = [
            models.Index(fields=["next_due", "id"], condition=models.Q(is_open=True), name="case_worklist"),
            models.Index(
                fields=["organisation", "next_due", "id"], condition=models.Q(is_open=True), name="case_worklist_org"
            ),
            models.Index(
                fields=["handler", "organisation", "next_due", "id"],
                condition=models.Q(is_open=True),
                name="case_worklist_handler",
            ),
            # The indicators' aggregations (K5–K8, K19) read these indexes alone, never the rows.
            models.Index(fields=["category", "closed_on", "handling_days", "within_limit"], name="case_closed"),
            models.Index(fields=["category", "accepted_on"], name="case_accepted"),
            models.Index(fields=["category", "opened_on", "mediation_offered"], name="case_opened"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def state_name_zh(self) -> str:
        from huhang.cases.catalogue import procedure_for

        return procedure_for(self.procedure).state(self.state).name_zh


class CaseNumber(models.Model):
    """The last sequence number issued per prefix and year (case numbers are never reused)."""

    prefix = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="case_number_prefix_year")]

    def __str__(self) -> str:
        return f"{self.prefix}〔{self.year}〕{self.last}"


class CaseParty(InsertOnly):
    """A party as named in the case; linked to a registry entity where there is one."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="parties")
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    entity = models.ForeignKey(
        "registry.Entity", verbose_name=_("entity"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address for service"), max_length=300, blank=True)
    domicile_in_prc = models.BooleanField(_("domicile in the PRC"), default=True)
    electronic_address = models.CharField(_("electronic address for service"), max_length=200, blank=True)
    electronic_consent = models.BooleanField(_("consents to electronic service"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["case", "role", "id"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"


class CaseEvent(InsertOnly):
    """One step of the case as the procedure engine knows it; insert-only, mirrored on the ledger."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="events")
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=48)
    action_name_zh = models.CharField(_("action (Chinese)"), max_length=64)
    at = models.DateField(_("date"))
    payload = models.JSONField(_("particulars"), default=dict, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_role = models.CharField(_("acting as"), max_length=32)
    recorded_at = models.DateTimeField(_("recorded at"))
    digest = models.CharField(_("SHA-256 of the event"), max_length=64)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="case_event_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.action}"


class LedgerLink(InsertOnly):
    """Which ledger entry records a case row (an event, a document, a service, a submission)."""

    subject = models.CharField(_("subject"), max_length=64, unique=True)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="ledger_links")
    ledger_event = models.OneToOneField("evidence.LedgerEvent", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ledger link")
        verbose_name_plural = _("ledger links")


class CaseClock(models.Model):
    """A clock of a case as last computed (derived: rebuilt whenever the case or the calendar changes)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clocks")
    code = models.CharField(max_length=48)
    run = models.PositiveSmallIntegerField(default=1)
    name_zh = models.CharField(max_length=64)
    citation = models.CharField(max_length=200)
    obliged = models.CharField(max_length=16)
    started_on = models.DateField()
    due = models.DateField()
    running = models.BooleanField()
    paused = models.BooleanField(default=False)
    stopped_on = models.DateField(null=True, blank=True)
    overdue = models.BooleanField()
    provisional = models.BooleanField(default=False)
    assumed_years = models.JSONField(default=list, blank=True)
    explanation = models.TextField()
    explanation_zh = models.TextField()

    class Meta:
        ordering = ["case", "due"]
        constraints = [models.UniqueConstraint(fields=["case", "code"], name="case_clock_code")]
        indexes = [models.Index(fields=["provisional", "running"], name="case_clock_provisional")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.code} {self.due}"


class TrackDecision(InsertOnly):
    """A triage result or a staff override of it, with the reasons shown to the user."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="track_decisions")
    track = models.CharField(_("track"), max_length=8, choices=Track.choices)
    automatic = models.BooleanField(_("by the rules"))
    reasons = models.JSONField(_("reasons"), default=list)
    override_reason = models.TextField(_("reason for the override"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"))

    class Meta:
        ordering = ["case", "decided_at", "id"]


class CaseEvidence(InsertOnly):
    """Evidence (a ledger-preserved record) cited in a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evidence_links")
    evidence = models.ForeignKey("evidence.Evidence", on_delete=models.PROTECT, related_name="+")
    cited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "evidence"], name="case_evidence_once")]


class CaseDocument(InsertOnly):
    """A document (文书) issued in a case, stored as DOCX and PDF, content-addressed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=48)
    title_zh = models.CharField(_("title"), max_length=64)
    number = models.CharField(_("document number"), max_length=64)
    addressee = models.ForeignKey(
        CaseParty, verbose_name=_("addressee"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    served = models.BooleanField(_("to be served"))
    docx_key = models.CharField(max_length=200)
    docx_sha256 = models.CharField(max_length=64)
    pdf_key = models.CharField(max_length=200)
    pdf_sha256 = models.CharField(max_length=64)
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("generated at"))

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["case", "issued_at"]


class ServiceMethod(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic (with consent)")
    POST = "post", _("Post")
    IN_PERSON = "in_person", _("In person")
    LEFT_AT_ADDRESS = "left_at_address", _("Left at the address (留置)")
    PUBLIC_NOTICE = "public_notice", _("Public notice")


class Service(InsertOnly):
    """The service (送达) of a document on a party, and the date of service it establishes."""

    document = models.ForeignKey(CaseDocument, on_delete=models.PROTECT, related_name="services")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="services")
    method = models.CharField(_("method"), max_length=16, choices=ServiceMethod.choices)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    tracking = models.CharField(_("tracking number / reference"), max_length=100, blank=True)
    served_on = models.DateField(_("date of service"))
    deemed = models.BooleanField(_("deemed served"), default=False)
    explanation_zh = models.TextField(blank=True)
    explanation = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["document", "recorded_at"]


class SubmissionKind(models.TextChoices):
    ANSWER = "answer", _("Answer (答辩书)")
    CORRECTION = "correction", _("Corrected request (补正材料)")
    EVIDENCE = "evidence", _("Evidence")
    STATEMENT = "statement", _("Statement of opinion (陈述意见)")
    OTHER = "other", _("Other")


class Submission(InsertOnly):
    """What a party sent online (answer, correction, evidence); the authority records its receipt as an event."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="submissions")
    party = models.ForeignKey(CaseParty, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(_("kind"), max_length=16, choices=SubmissionKind.choices)
    text = models.TextField(_("text"), max_length=20000, blank=True)
    evidence = models.ManyToManyField("evidence.Evidence", blank=True, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["case", "submitted_at"]


class ExpertRole(models.TextChoices):
    EXPERT_JUROR = "expert_juror", _("Expert juror (专家陪审员)")
    TECHNICAL_INVESTIGATOR = "technical_investigator", _("Technical investigator (技术调查官)")
    EXPERT_ADVISER = "expert_adviser", _("Expert adviser (咨询专家)")


class CaseExpert(InsertOnly):
    """An expert of the pool who took part in a case (K18): named from the register, with the date they joined."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="experts")
    expert = models.ForeignKey(
        "registry.Expert", verbose_name=_("expert"), on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(_("role"), max_length=24, choices=ExpertRole.choices)
    joined_on = models.DateField(_("joined on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("expert participation")
        verbose_name_plural = _("expert participations")
        ordering = ["case", "joined_on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "expert", "role"], name="case_expert_once"),
        ]
        indexes = [models.Index(fields=["joined_on", "case"], name="case_expert_joined")]
