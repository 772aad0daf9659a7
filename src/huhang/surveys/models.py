"""Satisfaction surveys (K1): questionnaires as versioned data, the answers from the portal and from case
invitations, and the invitations sent after a case closes.

A published questionnaire version and its questions never change (a change is a new version); an answer keeps
the version it answered, its items, and the score and weight computed when it was submitted
(:mod:`huhang.surveys.scoring`), so publishing a new version never changes an old answer. An answer is never
deleted: it is only marked as not counted (duplicate, honeypot, or by staff, with who, when and why).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from huhang.evidence.models import InsertOnly, InsertOnlyError

INVITATION_SALT = "huhang.surveys.invitation"


def new_nonce() -> str:
    """128 random bits, hex: what makes an invitation's link unguessable even for someone who knows its id."""
    return secrets.token_hex(16)


def localised(zh: str, en: str) -> str:
    """``en`` when the page is in English and an English text exists, else ``zh``."""
    return en if en and (get_language() or "").startswith("en") else zh


class Channel(models.TextChoices):
    PORTAL = "portal", _("Public portal")
    CASE = "case", _("After a case closed")


class RespondentType(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual")
    LAWYER = "lawyer", _("Lawyer")
    AGENCY = "agency", _("IP agency or service provider")
    RESEARCH = "research", _("University or research institute")
    OTHER = "other", _("Other")


class QuestionKind(models.TextChoices):
    LIKERT5 = "likert5", _("Likert scale 1–5")
    SCALE10 = "scale10", _("Scale 0–10")
    CHOICE = "choice", _("Single choice")
    TEXT = "text", _("Free text")


class Flag(models.TextChoices):
    """Why an answer is not counted; empty: it is counted (valid)."""

    NONE = "", _("Counted")
    DUPLICATE = "duplicate", _("Duplicate")
    HONEYPOT = "honeypot", _("Caught by the honeypot")
    STAFF = "staff", _("Marked invalid by staff")


class Questionnaire(InsertOnly):
    """One published version of a questionnaire; ``definition`` is the whole normalised definition."""

    code = models.CharField(_("code"), max_length=64)
    version = models.PositiveIntegerField(_("version"))
    indicator = models.CharField(_("indicator"), max_length=8, blank=True)
    title_zh = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    intro_zh = models.TextField(_("introduction"), max_length=2000, blank=True)
    intro_en = models.TextField(_("English introduction"), max_length=2000, blank=True)
    on_portal = models.BooleanField(_("open on the portal"))
    for_cases = models.BooleanField(_("sent after cases close"))
    total_weight = models.FloatField(_("total weight of the scored questions"))
    definition = models.JSONField(_("definition"))
    digest = models.CharField(_("SHA-256 of the definition"), max_length=64)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="survey_questionnaire_version")]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def title(self) -> str:
        return localised(self.title_zh, self.title_en)

    @property
    def intro(self) -> str:
        return localised(self.intro_zh, self.intro_en)


class Question(InsertOnly):
    """A question of one questionnaire version. ``key`` is stable across versions (per-question averages)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.CharField(_("key"), max_length=40)
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    label_zh = models.CharField(_("short name"), max_length=200, blank=True)
    label_en = models.CharField(_("English short name"), max_length=200, blank=True)
    text_zh = models.CharField(_("question"), max_length=500)
    text_en = models.CharField(_("English question"), max_length=500, blank=True)
    help_zh = models.CharField(_("help"), max_length=500, blank=True)
    help_en = models.CharField(_("English help"), max_length=500, blank=True)
    required = models.BooleanField(_("required"))
    weight = models.FloatField(_("weight"), null=True, blank=True)
    options = models.JSONField(_("options"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="survey_question_key"),
            models.UniqueConstraint(fields=["questionnaire", "position"], name="survey_question_position"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text}"

    @property
    def text(self) -> str:
        return localised(self.text_zh, self.text_en)

    @property
    def label(self) -> str:
        """The short name shown in results (the question's text when it has none)."""
        return localised(self.label_zh, self.label_en) or self.text

    @property
    def help(self) -> str:
        return localised(self.help_zh, self.help_en)

    @property
    def scored(self) -> bool:
        return self.weight is not None and self.weight > 0

    @property
    def option_scores(self) -> dict[str, float | None]:
        return {o["value"]: o.get("score") for o in self.options}

    def option_label(self, value: str) -> str:
        for option in self.options:
            if option["value"] == value:
                return localised(option["label"]["zh"], option["label"].get("en", ""))
        return value


class Invitation(models.Model):
    """An invitation to answer once, bound to a closed case and (usually) to one of its parties.

    The link carries a signed token (:attr:`token`): the invitation's id and its random nonce, signed with the
    instance's secret key. It is valid until ``expires_at`` and spent when answered (``answered_at``).
    """

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="invitations"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="survey_invitations"
    )
    party = models.ForeignKey(
        "cases.CaseParty",
        verbose_name=_("party"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_invitations",
    )
    nonce = models.CharField(max_length=32, default=new_nonce, editable=False)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("valid until"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "party"], name="survey_invitation_case_party"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(party__isnull=True), name="survey_invitation_case_only"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}/{self.party_id or '-'}"

    @property
    def token(self) -> str:
        return signing.dumps([self.pk, self.nonce], salt=INVITATION_SALT, compress=False)

    def delete(self, *args, **kwargs):
        raise InsertOnlyError("survey invitations are never deleted")


#: The only columns of an answer that change after it is written: marking it as not counted.
FLAG_FIELDS = frozenset({"flag", "flag_reason", "flagged_by", "flagged_at"})


class Answer(models.Model):
    """One answer set: who (type, district, channel), when, its score and weight, and whether it is counted."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="answers"
    )
    code = models.CharField(_("questionnaire code"), max_length=64)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    invitation = models.OneToOneField(
        Invitation, verbose_name=_("invitation"), null=True, blank=True, on_delete=models.PROTECT, related_name="answer"
    )
    respondent_type = models.CharField(_("respondent"), max_length=16, choices=RespondentType.choices)
    district = models.ForeignKey(
        "registry.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_on = models.DateField(_("submitted on"))
    score = models.FloatField(_("score (0–100)"))
    weight = models.FloatField(_("weight in the mean"))
    flag = models.CharField(_("status"), max_length=16, choices=Flag.choices, blank=True, default=Flag.NONE)
    flag_reason = models.TextField(_("reason not counted"), max_length=1000, blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    flagged_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    # Keyed hashes (HMAC with the instance's secret key) of the client's address and session: enough to
    # recognise a repeat, without keeping the address (PIPL: minimise personal information).
    client_digest = models.CharField(max_length=64, blank=True, editable=False)
    session_digest = models.CharField(max_length=64, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo record"), default=False)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["flag", "submitted_on"], name="survey_answer_period"),
            models.Index(fields=["client_digest", "submitted_at"], name="survey_answer_client"),
            models.Index(fields=["code", "session_digest", "submitted_on"], name="survey_answer_session"),
        ]
        constraints = [
            # One counted answer per browser session, questionnaire and day (a race loses to this, not to a check).
            models.UniqueConstraint(
                fields=["code", "session_digest", "submitted_on"],
                condition=models.Q(flag="") & ~models.Q(session_digest=""),
                name="survey_answer_once_per_session_day",
            ),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="survey_answer_score_range"),
            models.CheckConstraint(condition=models.Q(weight__gt=0, weight__lte=1), name="survey_answer_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} #{self.pk} {self.score:.1f}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= FLAG_FIELDS:
                raise InsertOnlyError("an answer is never changed; it may only be marked as not counted")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise InsertOnlyError("survey answers are never deleted")

    @property
    def counted(self) -> bool:
        return self.flag == Flag.NONE

    @property
    def reason_shown(self) -> str:
        """The reason it is not counted, in the reader's language for the automatic flags (stored in English)."""
        automatic = self.flag in (Flag.DUPLICATE, Flag.HONEYPOT)
        return gettext(self.flag_reason) if automatic and self.flag_reason else self.flag_reason


class AnswerItem(InsertOnly):
    """The value given to one question; ``score`` (0–100) for scored questions."""

    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="items")
    value = models.CharField(_("value"), max_length=64, blank=True)
    text = models.TextField(_("text"), max_length=2000, blank=True)
    score = models.FloatField(_("score (0–100)"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer item")
        verbose_name_plural = _("answer items")
        ordering = ["answer", "question__position"]
        constraints = [models.UniqueConstraint(fields=["answer", "question"], name="survey_item_once")]

    def __str__(self) -> str:
        return f"{self.answer_id}/{self.question_id}={self.value or self.text[:20]}"
