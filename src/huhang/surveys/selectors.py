"""The read paths of the satisfaction surveys: the K1 indicator for a period, its monthly series, per-question
and per-district figures, the answers behind them, the questionnaires open on the portal, invitations.

The indicator is aggregated by the database: each answer carries the score and weight computed when it was
submitted, and K = SUM(score × weight) ÷ SUM(weight) over the period's valid answers (docs/surveys.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core import signing
from django.db.models import Avg, Count, F, FloatField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from huhang.surveys.models import (
    INVITATION_SALT,
    Answer,
    AnswerItem,
    Channel,
    Flag,
    Invitation,
    Question,
    Questionnaire,
)

INDICATOR = "K1"
#: The plan's target for K1 (KPIS.md): a score of at least 83.5 of 100.
TARGET = 83.5


@dataclass(frozen=True)
class Figure:
    """A score (None when there is no answer) and the number of answers it stands on."""

    score: float | None
    sample_size: int


@dataclass(frozen=True, eq=False)
class Satisfaction:
    """K1 over the valid answers submitted in [start, end), optionally of one district."""

    start: dt.date
    end: dt.date
    district: object | None
    score: float | None
    sample_size: int
    by_channel: dict[str, Figure]
    answers: QuerySet = field(repr=False)
    target: float = TARGET

    @property
    def answer_ids(self) -> list[int]:
        return list(self.answers.values_list("pk", flat=True))

    @property
    def meets_target(self) -> bool | None:
        return None if self.score is None else self.score >= self.target


@dataclass(frozen=True)
class MonthFigure:
    month: dt.date
    score: float | None
    sample_size: int


def _weighted_score():
    """SUM(score × weight) ÷ SUM(weight), computed by the database (NULL over no rows)."""
    return Sum(F("score") * F("weight"), output_field=FloatField()) / Sum("weight", output_field=FloatField())


def _check_period(start: dt.date, end: dt.date) -> None:
    for value in (start, end):
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise TypeError(f"a period is two dates, got {value!r}")
    if not start < end:
        raise ValueError(f"the period's start {start} must be before its end {end} (the end is excluded)")


def _district_filter(district) -> dict:
    if district is None:
        return {}
    if isinstance(district, str):
        return {"district__code": district}
    return {"district": district}


def valid_answers(start: dt.date, end: dt.date, *, district=None) -> QuerySet:
    """The counted answers to K1 questionnaires submitted on a day in [start, end), newest first.

    ``district``: a :class:`~huhang.registry.models.District`, its code, or None for the whole city.
    """
    _check_period(start, end)
    return Answer.objects.filter(
        questionnaire__indicator=INDICATOR,
        flag=Flag.NONE,
        submitted_on__gte=start,
        submitted_on__lt=end,
        **_district_filter(district),
    ).order_by("-submitted_at", "-id")


def satisfaction(start: dt.date, end: dt.date, *, district=None) -> Satisfaction:
    """K1 (知识产权保护社会满意度) over [start, end): the weighted mean score of the valid answers (None without
    answers, never 0), their number, the same by channel, and the answers behind it (``answers``)."""
    answers = valid_answers(start, end, district=district)
    total = answers.order_by().aggregate(score=_weighted_score(), n=Count("id"))
    rows = answers.order_by().values("channel").annotate(score=_weighted_score(), n=Count("id"))
    found = {row["channel"]: Figure(row["score"], row["n"]) for row in rows}
    by_channel = {channel: found.get(channel, Figure(None, 0)) for channel in Channel.values}
    return Satisfaction(
        start=start,
        end=end,
        district=district,
        score=total["score"],
        sample_size=total["n"],
        by_channel=by_channel,
        answers=answers,
    )


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    month, last, months = start.replace(day=1), (end - dt.timedelta(days=1)).replace(day=1), []
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def satisfaction_by_month(start: dt.date, end: dt.date, *, district=None) -> list[MonthFigure]:
    """K1 of each calendar month touching [start, end) (answers outside the period left out), oldest first;
    a month without answers has score None and sample size 0."""
    rows = (
        valid_answers(start, end, district=district)
        .order_by()
        .annotate(month=TruncMonth("submitted_on"))
        .values("month")
        .annotate(score=_weighted_score(), n=Count("id"))
    )
    found = {_as_date(row["month"]): MonthFigure(_as_date(row["month"]), row["score"], row["n"]) for row in rows}
    return [found.get(month, MonthFigure(month, None, 0)) for month in _months(start, end)]


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def satisfaction_by_district(start: dt.date, end: dt.date) -> list[dict]:
    """K1 per district over [start, end) (answers without a district under None), best first."""
    rows = (
        valid_answers(start, end)
        .order_by()
        .values("district_id", "district__name_zh", "district__name_en", "district__code")
        .annotate(score=_weighted_score(), n=Count("id"))
    )
    return sorted(rows, key=lambda row: (row["district_id"] is None, -(row["score"] or 0)))


@dataclass(frozen=True)
class QuestionFigure:
    key: str
    question: Question
    average: float | None
    answered: int


def question_averages(start: dt.date, end: dt.date, *, district=None) -> list[QuestionFigure]:
    """The mean 0–100 score of each scored question (by key, across versions) over the period's valid answers,
    in the order and wording of the latest version that asks it."""
    answers = valid_answers(start, end, district=district).order_by()
    rows = (
        AnswerItem.objects.filter(answer__in=answers.values("pk"), score__isnull=False)
        .values("question__key")
        .annotate(average=Avg("score"), answered=Count("id"))
    )
    figures = {row["question__key"]: row for row in rows}
    latest = Questionnaire.objects.filter(code=OuterRef("questionnaire__code")).order_by("-version").values("pk")[:1]
    questions = (
        Question.objects.filter(questionnaire__indicator=INDICATOR, weight__isnull=False)
        .filter(questionnaire_id=Subquery(latest))
        .order_by("questionnaire__code", "position")
    )
    shown, seen = [], set()
    for question in questions:
        if question.key in seen:
            continue
        seen.add(question.key)
        row = figures.get(question.key, {})
        shown.append(QuestionFigure(question.key, question, row.get("average"), row.get("answered", 0)))
    return shown


def answers_for_review(
    start: dt.date, end: dt.date, *, district=None, channel: str = "", include_not_counted: bool = True
) -> QuerySet:
    """The answers of the period (counted or not) for staff to review, newest first."""
    _check_period(start, end)
    qs = Answer.objects.filter(
        questionnaire__indicator=INDICATOR, submitted_on__gte=start, submitted_on__lt=end, **_district_filter(district)
    )
    if channel:
        qs = qs.filter(channel=channel)
    if not include_not_counted:
        qs = qs.filter(flag=Flag.NONE)
    return qs.select_related("questionnaire", "district", "flagged_by").order_by("-submitted_at", "-id")


def not_counted_count(start: dt.date, end: dt.date, *, district=None) -> int:
    return answers_for_review(start, end, district=district).exclude(flag=Flag.NONE).count()


# Questionnaires and invitations ----------------------------------------------------------------------------


def latest_version(code: str) -> Questionnaire | None:
    """The latest version of questionnaire ``code``, or None when none is published."""
    return Questionnaire.objects.filter(code=code).order_by("-version").first()


def latest_versions() -> QuerySet:
    """The latest version of every questionnaire."""
    newest = Questionnaire.objects.filter(code=OuterRef("code")).order_by("-version").values("pk")[:1]
    return Questionnaire.objects.filter(pk=Subquery(newest)).order_by("code")


def portal_questionnaires() -> QuerySet:
    """The questionnaires open on the portal (latest versions only)."""
    return latest_versions().filter(on_portal=True)


def portal_questionnaire(code: str) -> Questionnaire:
    """The latest version of questionnaire ``code`` if it is open on the portal; otherwise Http404."""
    questionnaire = latest_version(code)
    if questionnaire is None or not questionnaire.on_portal:
        raise Http404(_("No such questionnaire."))
    return questionnaire


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link's token names, if the token is genuine; otherwise Http404 (expired or answered
    invitations are returned: the page says so)."""
    try:
        pk, nonce = signing.loads(token, salt=INVITATION_SALT)
        invitation = Invitation.objects.select_related("questionnaire", "case", "party", "party__entity").get(pk=pk)
    except (signing.BadSignature, ValueError, TypeError, Invitation.DoesNotExist):
        raise Http404(_("This link is not valid.")) from None
    if not constant_time_compare(str(nonce), invitation.nonce):
        raise Http404(_("This link is not valid."))
    return invitation


def cases_without_invitation(*, since: dt.date | None = None) -> QuerySet:
    """Closed cases (closed on or after ``since``) for which no invitation was made, oldest closing first."""
    from huhang.cases.models import Case

    qs = Case.objects.filter(is_open=False, closed_on__isnull=False).exclude(
        pk__in=Invitation.objects.values("case_id")
    )
    if since is not None:
        qs = qs.filter(closed_on__gte=since)
    return qs.order_by("closed_on", "pk")


def invitations_for_review(qs: QuerySet, *, state: str = "") -> QuerySet:
    """Invitations of ``qs`` (from ``access.invitations_visible_to``) newest first; ``state``: open/answered/expired."""
    from django.utils import timezone

    now = timezone.now()
    if state == "answered":
        qs = qs.filter(answered_at__isnull=False)
    elif state == "open":
        qs = qs.filter(answered_at__isnull=True, expires_at__gt=now)
    elif state == "expired":
        qs = qs.filter(answered_at__isnull=True, expires_at__lte=now)
    return qs.select_related("case", "party", "questionnaire").order_by("-created_at", "-id")
