"""Demo answers to the satisfaction survey, written through the real services and marked ``is_demo``.

Portal answers spread over the 18 months up to ``today`` (more in recent months, a slow rise in satisfaction,
districts weighted by population and enterprise density), a few repeats and honeypot catches that the rules
flag, and — when demo cases have closed — invitations to their parties, most of them answered. Seeded: the
same seed and the same day give the same answers.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from huhang.registry.models import District
from huhang.surveys import questionnaires, selectors, services
from huhang.surveys.models import Answer, Flag, Question, Questionnaire, RespondentType

MONTHS = 18
# District code → relative number of respondents (central and high-tech districts answer more).
DISTRICT_WEIGHTS = {
    "420106": 9,
    "420111": 9,
    "WH-EHT": 12,
    "420102": 7,
    "420103": 6,
    "420104": 4,
    "420105": 5,
    "420107": 3,
    "420112": 4,
    "WH-WEDZ": 6,
    "420115": 4,
    "420116": 3,
    "420114": 2,
    "420117": 2,
    "420113": 1,
}
# Satisfaction leaning of a district (on the 1–5 scale).
DISTRICT_LEAN = {"WH-EHT": 0.12, "420106": 0.05, "420111": 0.05, "420117": -0.12, "420113": -0.1, "420114": -0.08}
RESPONDENTS = (
    (RespondentType.ENTERPRISE, 50),
    (RespondentType.INDIVIDUAL, 20),
    (RespondentType.LAWYER, 10),
    (RespondentType.AGENCY, 10),
    (RespondentType.RESEARCH, 7),
    (RespondentType.OTHER, 3),
)
SUGGESTIONS = (
    "希望进一步缩短专利侵权纠纷行政裁决的办理周期。",
    "建议在各区增设知识产权保护工作站，方便企业就近咨询。",
    "线上平台操作便捷，希望增加案件进度的短信提醒。",
    "建议加大对电商平台侵权行为的打击力度。",
    "工作人员很专业，耐心解答了我们的问题。",
    "希望多举办商业秘密保护方面的培训。",
    "建议公开更多典型案例，便于企业了解裁判尺度。",
    "快速预审服务很有帮助，希望扩大覆盖的技术领域。",
    "维权成本仍然较高，希望提供更多援助。",
    "建议简化证据提交的材料要求。",
)
INVALID_REASONS = ("内部测试时填写的答卷，不应计入。", "同一单位工作人员代填多份，经核实不计入。")


@dataclass(frozen=True)
class DemoResult:
    portal: int
    case: int
    invitations: int
    not_counted: int


def _months_back(today: dt.date, months: int) -> dt.date:
    year, month = today.year, today.month - (months - 1)
    while month < 1:
        month += 12
        year -= 1
    return dt.date(year, month, 1)


def _value(question: Question, mood: float, rng: random.Random) -> object | None:
    if question.kind == "likert5":
        return max(1, min(5, round(mood + rng.gauss(0, 0.55))))
    if question.kind == "scale10":
        return max(0, min(10, round(2 * mood + rng.gauss(0, 0.9))))
    if question.kind == "choice":
        return rng.choice([o["value"] for o in question.options])
    return rng.choice(SUGGESTIONS)


def _values(questions: list[Question], mood: float, rng: random.Random) -> dict:
    values = {}
    for question in questions:
        answer_it = question.required or rng.random() < (0.15 if question.kind == "text" else 0.75)
        if answer_it:
            values[question.key] = _value(question, mood, rng)
    return values


def _moment(rng: random.Random, day: dt.date, now: dt.datetime) -> dt.datetime:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 21), rng.randint(0, 59))))
    return min(at, now - dt.timedelta(minutes=rng.randint(1, 30)))


def generate_demo_answers(
    *,
    count: int = 540,
    seed: int = 2026,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Create about ``count`` demo portal answers and the case-channel answers of closed demo cases."""
    questionnaire, _new = services.questionnaire_load_default()
    questionnaire = selectors.portal_questionnaire(questionnaire.code)
    questions = list(questionnaire.questions.order_by("position"))
    rng = random.Random(f"huhang-surveys-demo:{seed}")
    now = timezone.now()
    today = today or timezone.localdate()
    first = _months_back(today, MONTHS)
    span = (today - first).days
    districts = {d.code: d for d in District.objects.filter(code__in=DISTRICT_WEIGHTS)}
    codes = [code for code in DISTRICT_WEIGHTS if code in districts]
    weights = [DISTRICT_WEIGHTS[code] for code in codes]
    types, type_weights = zip(*RESPONDENTS, strict=True)
    portal = 0
    answers = []
    with transaction.atomic():
        for n in range(count):
            # More answers in recent months (the survey became better known), satisfaction rising slowly.
            offset = round(span * rng.random() ** 0.8)
            day = first + dt.timedelta(days=offset)
            code = rng.choices(codes, weights=weights)[0] if codes and rng.random() < 0.9 else None
            mood = 4.02 + 0.45 * (offset / max(span, 1)) + DISTRICT_LEAN.get(code or "", 0) + rng.gauss(0, 0.45)
            client = services.Client(address=f"demo:{seed}:{n}", session=f"demo:{seed}:{n}")
            respondent = rng.choices(types, weights=type_weights)[0]
            district = districts.get(code) if code else None
            at = _moment(rng, day, now)
            answer = services.answer_submit_portal(
                questionnaire=questionnaire,
                values=_values(questions, mood, rng),
                respondent_type=respondent,
                district=district,
                client=client,
                honeypot="http://spam.example" if rng.random() < 0.01 else "",
                at=at,
                demo=True,
            )
            answers.append(answer)
            portal += 1
            if rng.random() < 0.02:  # the same browser answers again later that day: kept, not counted
                services.answer_submit_portal(
                    questionnaire=questionnaire,
                    values=_values(questions, mood, rng),
                    respondent_type=respondent,
                    district=district,
                    client=client,
                    at=min(at + dt.timedelta(minutes=rng.randint(2, 90)), now),
                    demo=True,
                )
                portal += 1
            if progress:
                progress(n + 1, count)
        _mark_some_invalid(answers, rng)
        case_answers, invitations = _case_channel(questionnaire, questions, rng, now)
    not_counted = Answer.objects.filter(is_demo=True).exclude(flag=Flag.NONE).count()
    return DemoResult(portal=portal, case=case_answers, invitations=invitations, not_counted=not_counted)


def _mark_some_invalid(answers: list, rng: random.Random) -> None:
    """A demo approver marks a few answers as not counted (shows who, when and why on the results page)."""
    from huhang.accounts.models import User

    approver = User.objects.filter(username="demo_approver", is_active=True).first()
    counted = [a for a in answers if a.flag == Flag.NONE]
    if approver is None or len(counted) < 10:
        return
    for answer, reason in zip(rng.sample(counted, len(INVALID_REASONS)), INVALID_REASONS, strict=True):
        services.answer_invalidate(
            actor=approver, answer=answer, reason=reason, now=answer.submitted_at + dt.timedelta(days=2)
        )


def _case_channel(
    questionnaire: Questionnaire, questions: list[Question], rng: random.Random, now: dt.datetime
) -> tuple[int, int]:
    """Invite the parties of closed demo cases (the day after closing) and answer most invitations."""
    if not questionnaire.for_cases or questionnaire.code != questionnaires.DEFAULT_CODE:
        return 0, 0
    closed = selectors.cases_without_invitation().filter(organisation__is_demo=True)
    answered = made = 0
    for case in closed:
        made_at = timezone.make_aware(dt.datetime.combine(case.closed_on + dt.timedelta(days=1), dt.time(9, 30)))
        if made_at >= now:
            continue
        for invitation in services.survey_invite_parties(case, now=made_at, demo=True):
            made += 1
            at = made_at + dt.timedelta(days=rng.randint(0, 12), hours=rng.randint(1, 9))
            if rng.random() > 0.7 or at >= min(now, invitation.expires_at):
                continue
            respondent = invitation.party is not None and invitation.party.role == "respondent"
            mood = 4.15 + rng.gauss(0, 0.5) - (0.35 if respondent else 0)
            entity = invitation.party.entity if invitation.party else None
            services.answer_submit_invitation(
                invitation=invitation,
                values=_values(questions, mood, rng),
                respondent_type=RespondentType.INDIVIDUAL
                if entity is not None and entity.kind == "individual"
                else RespondentType.ENTERPRISE,
                district=entity.district if entity is not None else None,
                at=at,
                demo=True,
            )
            answered += 1
    return answered, made
