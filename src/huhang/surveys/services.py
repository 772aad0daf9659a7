"""The write paths of the satisfaction surveys: publish a questionnaire version, receive an answer (portal or
invitation), mark an answer as not counted, invite the parties of a closed case.

Each function checks everything first and writes in one transaction: a refusal (``ValidationError``,
``PermissionDenied`` or :class:`RateLimited`) writes nothing. The score and weight of an answer are computed
here, once, and stored on the answer (:mod:`huhang.surveys.scoring`); the indicator is then a sum in SQL.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from huhang.audit.services import audit_record
from huhang.surveys import access, conf, questionnaires, scoring, selectors
from huhang.surveys.models import (
    Answer,
    AnswerItem,
    Channel,
    Flag,
    Invitation,
    Question,
    Questionnaire,
    RespondentType,
)

log = logging.getLogger(__name__)
TEXT_MAX = 2000
REASON_MIN = 4
#: Party roles invited after a case closes (partner bodies are not asked about the service they gave).
INVITED_ROLES = ("applicant", "respondent", "complainant", "third_party")
# Reasons of the automatic flags, stored in English and shown in the reader's language (Answer.reason_shown).
HONEYPOT_REASON = gettext_noop("The hidden field that people do not see was filled in.")
SESSION_REPEAT_REASON = gettext_noop("This session already answered this questionnaire today.")
ADDRESS_REPEAT_REASON = gettext_noop("This address already answered this questionnaire today.")


@dataclass(frozen=True)
class Client:
    """Who sent a portal answer, as far as the server can tell: the client's address and its session key."""

    address: str = ""
    session: str = ""


class RateLimited(Exception):
    """Too many answers from one client address in the last hour; nothing was written."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            _("Too many answers from your network in the last hour (at most %(limit)s). Please try again later.")
            % {"limit": limit}
        )


def _digest(purpose: str, value: str) -> str:
    return salted_hmac(f"huhang.surveys.{purpose}", value, algorithm="sha256").hexdigest() if value else ""


# Questionnaires ---------------------------------------------------------------------------------------------


@transaction.atomic
def questionnaire_publish(*, definition, actor=None, now: dt.datetime | None = None) -> Questionnaire:
    """Publish ``definition`` as the next version of its questionnaire and return it.

    ``actor`` None is the command line; a user must be an administrator. A definition identical to the latest
    version is refused (``code="unchanged"``), as is any definition :func:`questionnaires.normalise` refuses.
    """
    access.require_publish(actor)
    normalised = questionnaires.normalise(definition)
    digest = questionnaires.digest(normalised)
    code = normalised["code"]
    latest = Questionnaire.objects.select_for_update().filter(code=code).order_by("-version").first()
    if latest is not None and latest.digest == digest:
        raise ValidationError(
            _("The questionnaire %(code)s is identical to its published version %(version)s; nothing was published.")
            % {"code": code, "version": latest.version},
            code="unchanged",
            params={"version": latest.version},
        )
    questions = normalised["questions"]
    total = sum(q["weight"] for q in questions if q["weight"] is not None)
    questionnaire = Questionnaire.objects.create(
        code=code,
        version=(latest.version + 1) if latest else 1,
        indicator=normalised["indicator"],
        title_zh=normalised["title"]["zh"],
        title_en=normalised["title"]["en"],
        intro_zh=normalised["intro"]["zh"],
        intro_en=normalised["intro"]["en"],
        on_portal="portal" in normalised["channels"],
        for_cases="case" in normalised["channels"],
        total_weight=total,
        definition=normalised,
        digest=digest,
        published_at=now or timezone.now(),
        published_by=actor,
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            position=n,
            key=q["key"],
            kind=q["kind"],
            label_zh=q["label"]["zh"],
            label_en=q["label"]["en"],
            text_zh=q["text"]["zh"],
            text_en=q["text"]["en"],
            help_zh=q["help"]["zh"],
            help_en=q["help"]["en"],
            required=q["required"],
            weight=q["weight"],
            options=q["options"],
        )
        for n, q in enumerate(questions, start=1)
    )
    audit_record(
        actor=actor,
        action="survey.questionnaire.publish",
        target=f"questionnaire/{code}/v{questionnaire.version}",
        details={"digest": digest, "questions": len(questions), "total_weight": total},
    )
    return questionnaire


def questionnaire_load_default(*, actor=None) -> tuple[Questionnaire, bool]:
    """Publish the shipped questionnaire unless its latest version is identical; return it and whether it is new."""
    try:
        return questionnaire_publish(definition=questionnaires.default_definition(), actor=actor), True
    except ValidationError as error:
        if getattr(error, "code", None) != "unchanged":
            raise
        return selectors.latest_version(questionnaires.DEFAULT_CODE), False


# Answers ----------------------------------------------------------------------------------------------------


def _parse(question: Question, raw) -> object | None:
    """The value of ``raw`` for ``question`` (None: unanswered); raise ValueError with the reason when invalid."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if question.kind in scoring.SCALES:
        low, high = scoring.SCALES[question.kind]
        if isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw.strip())
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise ValueError(_("Choose a whole number from %(low)s to %(high)s.") % {"low": low, "high": high})
        return raw
    if question.kind == scoring.CHOICE:
        if not isinstance(raw, str) or raw not in question.option_scores:
            raise ValueError(_("Choose one of the options given."))
        return raw
    if not isinstance(raw, str):
        raise ValueError(_("Enter text."))
    text = raw.strip()
    if len(text) > TEXT_MAX:
        raise ValueError(_("At most %(limit)s characters, please.") % {"limit": TEXT_MAX})
    return text


@dataclass(frozen=True)
class _Prepared:
    items: list[AnswerItem]
    score: scoring.AnswerScore


def _prepare(questionnaire: Questionnaire, values: Mapping[str, object], respondent_type, district) -> _Prepared:
    """Check every value against the questionnaire; return the unsaved items and the score, or raise the errors."""
    questions = list(questionnaire.questions.order_by("position"))
    by_key = {q.key: q for q in questions}
    errors: dict[str, list[str]] = {}
    if unknown := sorted(set(values) - set(by_key)):
        errors["__all__"] = [_("Unknown questions: %(keys)s.") % {"keys": ", ".join(unknown)}]
    if respondent_type not in RespondentType.values:
        errors["respondent_type"] = [_("Choose who you are answering as.")]
    if district is not None and getattr(district, "pk", None) is None:
        errors["district"] = [_("Choose a district of the list.")]
    items: list[AnswerItem] = []
    scored: list[scoring.ScoredItem] = []
    for question in questions:
        try:
            value = _parse(question, values.get(question.key))
        except ValueError as exc:
            errors[question.key] = [str(exc)]
            continue
        if value is None:
            if question.required:
                errors[question.key] = [_("Please answer this question.")]
            continue
        score = None
        if question.kind != scoring.TEXT and question.weight is not None:
            score = scoring.item_score(question.kind, value, option_scores=question.option_scores)
            scored.append(scoring.ScoredItem(weight=question.weight, score=score))
        if question.kind == scoring.TEXT:
            items.append(AnswerItem(question=question, text=value))
        else:
            items.append(AnswerItem(question=question, value=str(value), score=score))
    result = scoring.answer_score(scored, total_weight=questionnaire.total_weight) if not errors else None
    if not errors and result is None:
        errors["__all__"] = [_("Please rate at least one of the scored questions.")]
    if errors:
        raise ValidationError(errors)
    return _Prepared(items=items, score=result)


def _write(answer: Answer, prepared: _Prepared) -> Answer:
    answer.score = prepared.score.score
    answer.weight = prepared.score.weight
    answer.code = answer.questionnaire.code
    answer.submitted_on = timezone.localdate(answer.submitted_at)
    answer.save(force_insert=True)
    for item in prepared.items:
        item.answer = answer
    AnswerItem.objects.bulk_create(prepared.items)
    return answer


def _latest(questionnaire: Questionnaire) -> bool:
    return not Questionnaire.objects.filter(code=questionnaire.code, version__gt=questionnaire.version).exists()


def answer_submit_portal(
    *,
    questionnaire: Questionnaire,
    values: Mapping[str, object],
    respondent_type: str,
    district=None,
    client: Client,
    honeypot: str = "",
    at: dt.datetime | None = None,
    demo: bool = False,
) -> Answer:
    """Record an answer given on the public portal and return it (``flag`` tells whether it is counted).

    Refused (nothing written): a questionnaire not open on the portal or replaced by a newer version, any
    invalid or missing value (``ValidationError`` keyed by question), more than ``HUHANG_SURVEY_RATE_PER_HOUR``
    answers from the client's address in the past hour (:class:`RateLimited`). Kept but not counted: an answer
    whose honeypot field was filled in, and a repeat (the same session, or more than
    ``HUHANG_SURVEY_ANSWERS_PER_ADDRESS_PER_DAY`` from the same address) for the same questionnaire on the same day.
    """
    if not questionnaire.on_portal:
        raise ValidationError(_("This questionnaire is not open on the portal."))
    if not _latest(questionnaire):
        raise ValidationError(_("This questionnaire has been replaced by a newer version; please reload the page."))
    prepared = _prepare(questionnaire, values, respondent_type, district)
    at = at or timezone.now()
    client_digest = _digest("client", client.address)
    session_digest = _digest("session", client.session)
    with transaction.atomic():
        limit = conf.rate_per_hour()
        if client_digest and (
            Answer.objects.filter(
                client_digest=client_digest, submitted_at__gt=at - dt.timedelta(hours=1), submitted_at__lte=at
            ).count()
            >= limit
        ):
            raise RateLimited(limit)
        answer = Answer(
            questionnaire=questionnaire,
            channel=Channel.PORTAL,
            respondent_type=respondent_type,
            district=district,
            submitted_at=at,
            client_digest=client_digest,
            session_digest=session_digest,
            is_demo=demo,
        )
        day = timezone.localdate(at)
        counted_today = Answer.objects.filter(code=questionnaire.code, submitted_on=day, flag=Flag.NONE)
        if (honeypot or "").strip():
            _flag_automatically(answer, Flag.HONEYPOT, HONEYPOT_REASON)
        elif session_digest and counted_today.filter(session_digest=session_digest).exists():
            _flag_automatically(answer, Flag.DUPLICATE, SESSION_REPEAT_REASON)
        elif (
            client_digest
            and counted_today.filter(client_digest=client_digest).count() >= conf.answers_per_address_per_day()
        ):
            _flag_automatically(answer, Flag.DUPLICATE, ADDRESS_REPEAT_REASON)
        try:
            with transaction.atomic():
                return _write(answer, prepared)
        except IntegrityError:
            # A simultaneous answer of the same session won the unique index: this one is the repeat.
            answer.pk = None
            answer._state.adding = True
            _flag_automatically(answer, Flag.DUPLICATE, SESSION_REPEAT_REASON)
            return _write(answer, prepared)


def _flag_automatically(answer: Answer, flag: str, reason: str) -> None:
    answer.flag = flag
    answer.flag_reason = reason
    answer.flagged_at = answer.submitted_at


def answer_submit_invitation(
    *,
    invitation: Invitation,
    values: Mapping[str, object],
    respondent_type: str,
    district=None,
    at: dt.datetime | None = None,
    demo: bool = False,
) -> Answer:
    """Record the answer to ``invitation`` (once, before it expires) and return it.

    Refused (nothing written): an invitation already answered or expired, and any invalid or missing value.
    """
    prepared = _prepare(invitation.questionnaire, values, respondent_type, district)
    at = at or timezone.now()
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().select_related("questionnaire").get(pk=invitation.pk)
        if locked.answered_at is not None:
            raise ValidationError(_("This invitation has already been answered; each invitation is answered once."))
        if at >= locked.expires_at:
            raise ValidationError(
                _("This invitation expired on %(date)s.") % {"date": timezone.localdate(locked.expires_at).isoformat()}
            )
        if at < locked.created_at:
            raise ValidationError(_("An invitation cannot be answered before it was made."))
        locked.answered_at = at
        locked.save(update_fields=["answered_at"])
        answer = _write(
            Answer(
                questionnaire=locked.questionnaire,
                channel=Channel.CASE,
                invitation=locked,
                respondent_type=respondent_type,
                district=district,
                submitted_at=at,
                is_demo=demo,
            ),
            prepared,
        )
    invitation.answered_at = at
    return answer


def answer_invalidate(*, actor, answer: Answer, reason: str, now: dt.datetime | None = None) -> Answer:
    """Mark ``answer`` as not counted, for ``reason``, recorded with ``actor`` and the time; return it.

    The answer stays (never deleted) and is left out of every score from then on.
    """
    access.require_invalidate(actor)
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN:
        raise ValidationError({"reason": _("Say why the answer is not to be counted (at least 4 characters).")})
    if len(reason) > 1000:
        raise ValidationError({"reason": _("At most %(limit)s characters, please.") % {"limit": 1000}})
    with transaction.atomic():
        locked = Answer.objects.select_for_update().get(pk=answer.pk)
        if locked.flag != Flag.NONE:
            raise ValidationError(
                _("This answer is already not counted (%(status)s).") % {"status": locked.get_flag_display()}
            )
        locked.flag = Flag.STAFF
        locked.flag_reason = reason
        locked.flagged_by = actor
        locked.flagged_at = now or timezone.now()
        locked.save(update_fields=["flag", "flag_reason", "flagged_by", "flagged_at"])
        audit_record(
            actor=actor,
            action="survey.answer.invalidate",
            target=f"survey-answer/{locked.pk}",
            details={"reason": reason, "score": locked.score, "channel": locked.channel, "code": locked.code},
        )
    return locked


# Invitations ------------------------------------------------------------------------------------------------


def _case_questionnaire() -> Questionnaire:
    code = conf.case_questionnaire()
    questionnaire = selectors.latest_version(code)
    if questionnaire is None or not questionnaire.for_cases:
        raise ValidationError(
            _("No questionnaire %(code)s for closed cases is published: run “huhang surveys load-default”.")
            % {"code": code}
        )
    return questionnaire


def survey_invite_for_case(
    case, *, party=None, actor=None, now: dt.datetime | None = None, demo: bool = False
) -> Invitation:
    """Return the invitation of ``party`` (None: of the case as a whole) to rate the handling of closed ``case``,
    creating it if there is none yet; valid for ``HUHANG_SURVEY_INVITATION_DAYS`` days from its creation.

    Refused: a case still open, a party of another case, a partner body.
    """
    if case.is_open or case.closed_on is None:
        raise ValidationError(
            _("The case %(number)s is not closed: invitations are made after a case closes.") % {"number": case.number}
        )
    if party is not None and party.case_id != case.pk:
        raise ValidationError(
            _("%(party)s is not a party of the case %(number)s.") % {"party": party.name, "number": case.number}
        )
    if party is not None and party.role not in INVITED_ROLES:
        raise ValidationError(_("Partner bodies are not invited to rate a case."))
    existing = Invitation.objects.filter(case=case, party=party).first()
    if existing is not None:
        return existing
    questionnaire = _case_questionnaire()
    now = now or timezone.now()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                questionnaire=questionnaire,
                case=case,
                party=party,
                created_at=now,
                created_by=actor if actor is not None and actor.is_authenticated else None,
                expires_at=now + dt.timedelta(days=conf.invitation_days()),
                is_demo=demo,
            )
            audit_record(
                actor=actor,
                action="survey.invite",
                target=f"case/{case.pk}",
                details={"invitation": invitation.pk, "party": party.pk if party else None},
            )
    except IntegrityError:
        # Made at the same moment by another process: that one stands.
        return Invitation.objects.get(case=case, party=party)
    return invitation


def survey_invite_parties(case, *, actor=None, now: dt.datetime | None = None, demo: bool = False) -> list[Invitation]:
    """Invite every party of closed ``case`` but partner bodies (the case as a whole when it names none)."""
    parties = list(case.parties.filter(role__in=INVITED_ROLES).order_by("pk"))
    if not parties:
        return [survey_invite_for_case(case, actor=actor, now=now, demo=demo)]
    return [survey_invite_for_case(case, party=party, actor=actor, now=now, demo=demo) for party in parties]


def survey_invite_after_closing(case, *, actor=None) -> list[Invitation]:
    """Invite the parties of ``case`` if it is closed; for the cases app to call once a step has closed a case
    (``transaction.on_commit``). A refusal (no questionnaire for cases published, the case reopened) is logged,
    not raised: closing the case stands, and ``huhang surveys invite-closed`` catches up later."""
    try:
        return survey_invite_parties(case, actor=actor)
    except ValidationError as error:
        log.warning("no satisfaction invitation for case %s: %s", case.number, "; ".join(error.messages))
        return []
