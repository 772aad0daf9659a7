"""Survey pages: the public questionnaire and its thank-you page, the invitation page, a party's invitations,
and for staff the results of a period (K1) with the answers behind them. Thin: every write goes through
:mod:`.services`, every permission through :mod:`.access`."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huhang.cases.access import cases_visible_to
from huhang.surveys import access, conf, selectors, services
from huhang.surveys.forms import HONEYPOT, AnswerForm, InvalidateForm, PeriodForm
from huhang.surveys.models import Channel, Flag, RespondentType

PAGE_SIZE = 50
BROWSER_SALT = "huhang.surveys.browser"
OUTCOMES = ("counted", "repeat")
# Registry entity kinds → respondent types, to pre-fill an invitation's form.
RESPONDENT_OF_ENTITY = {
    "enterprise": RespondentType.ENTERPRISE,
    "individual": RespondentType.INDIVIDUAL,
    "university": RespondentType.RESEARCH,
    "research_institute": RespondentType.RESEARCH,
}


def _browser_cookie() -> str:
    """A cookie holding a signed random id of the browser session (no database row): one answer per session."""
    return f"{settings.SESSION_COOKIE_NAME}_survey"


def _browser_id(request) -> str:
    return request.get_signed_cookie(_browser_cookie(), default="", salt=BROWSER_SALT)


def _with_browser_id(request, response):
    if not _browser_id(request):
        response.set_signed_cookie(
            _browser_cookie(),
            secrets.token_urlsafe(16),
            salt=BROWSER_SALT,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def portal(request):
    """The questionnaires open to the public; straight to the form when there is only one."""
    open_now = list(selectors.portal_questionnaires())
    if len(open_now) == 1:
        return redirect("surveys:answer", code=open_now[0].code)
    return render(request, "surveys/portal.html", {"questionnaires": open_now})


def answer(request, code):
    questionnaire = selectors.portal_questionnaire(code)
    form = AnswerForm(request.POST or None, questionnaire=questionnaire)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        client = services.Client(address=request.META.get("REMOTE_ADDR", ""), session=_browser_id(request))
        try:
            done = services.answer_submit_portal(
                questionnaire=questionnaire,
                values=form.values(),
                respondent_type=data["respondent_type"],
                district=data["district"],
                client=client,
                honeypot=data.get(HONEYPOT, ""),
            )
        except services.RateLimited as refused:
            response = render(request, "surveys/refused.html", {"message": str(refused)}, status=429)
            return _with_browser_id(request, response)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            outcome = "repeat" if done.flag == Flag.DUPLICATE else "counted"
            return _with_browser_id(request, redirect(f"{reverse('surveys:thanks')}?outcome={outcome}"))
    if request.method == "POST":
        status = 400
    response = render(
        request,
        "surveys/answer.html",
        {"form": form, "questionnaire": questionnaire, "honeypot": HONEYPOT, "invitation": None},
        status=status,
    )
    return _with_browser_id(request, response)


def thanks(request):
    outcome = request.GET.get("outcome")
    return render(request, "surveys/thanks.html", {"outcome": outcome if outcome in OUTCOMES else "counted"})


def invitation(request, token):
    invitation = selectors.invitation_for_token(token)
    now = timezone.now()
    if invitation.answered_at is not None or invitation.expires_at <= now:
        return render(request, "surveys/invitation_closed.html", {"invitation": invitation, "now": now}, status=410)
    entity = invitation.party.entity if invitation.party is not None else None
    initial = {}
    if entity is not None:
        initial = {"respondent_type": RESPONDENT_OF_ENTITY.get(entity.kind, ""), "district": entity.district_id}
    form = AnswerForm(request.POST or None, questionnaire=invitation.questionnaire, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_submit_invitation(
                invitation=invitation,
                values=form.values(),
                respondent_type=form.cleaned_data["respondent_type"],
                district=form.cleaned_data["district"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect(f"{reverse('surveys:thanks')}?outcome=counted")
    if request.method == "POST":
        status = 400
    return render(
        request,
        "surveys/answer.html",
        {"form": form, "questionnaire": invitation.questionnaire, "honeypot": None, "invitation": invitation},
        status=status,
    )


@login_required
def mine(request):
    """A party's invitations (an applicant whose entity is a party of closed cases)."""
    invitations = selectors.invitations_for_review(access.invitations_visible_to(request.user))
    return render(request, "surveys/mine.html", {"invitations": invitations[:200], "now": timezone.now()})


@login_required
def results(request):
    access.require_results(request.user)
    form = PeriodForm(request.GET or None)
    context = {"form": form, "may_invalidate": access.may_invalidate(request.user), "target": selectors.TARGET}
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.end
        district = form.cleaned_data["district"]
        show = request.GET.get("show", "all")
        answers = selectors.answers_for_review(
            start, end, district=district, channel=form.cleaned_data["channel"], include_not_counted=show != "counted"
        )
        if show == "not_counted":
            answers = answers.exclude(flag=Flag.NONE)
        months = selectors.satisfaction_by_month(start, end, district=district)
        context.update(
            {
                "satisfaction": selectors.satisfaction(start, end, district=district),
                "months": months,
                "months_shown": any(m.sample_size for m in months),
                "questions": selectors.question_averages(start, end, district=district),
                "districts": selectors.satisfaction_by_district(start, end) if district is None else None,
                "not_counted": selectors.not_counted_count(start, end, district=district),
                "page": Paginator(answers, PAGE_SIZE).get_page(request.GET.get("page")),
                "show": show,
                "channels": Channel,
                "query": _without(request.GET, "show", "page"),
                "invalidate_form": InvalidateForm(),
            }
        )
    return render(request, "surveys/results.html", context, status=200 if form.is_valid() else 400)


def _without(params, *names) -> str:
    params = params.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
def answer_detail(request, pk):
    answer = access.access_answer(request.user, pk)
    return render(request, "surveys/answer_detail.html", _detail_context(request, answer, InvalidateForm()))


def _detail_context(request, answer, form) -> dict:
    items = list(answer.items.select_related("question").order_by("question__position"))
    for item in items:
        item.shown = item.question.option_label(item.value) if item.question.kind == "choice" else item.value
    return {
        "answer": answer,
        "items": items,
        "form": form,
        "may_invalidate": access.may_invalidate(request.user) and answer.counted,
        "case_shown": access.case_shown(request.user, answer),
        "back": _safe_next(request) or reverse("surveys:results"),
    }


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""


@login_required
@require_POST
def invalidate(request, pk):
    answer = access.access_answer(request.user, pk)
    form = InvalidateForm(request.POST)
    if form.is_valid():
        try:
            services.answer_invalidate(actor=request.user, answer=answer, reason=form.cleaned_data["reason"])
        except PermissionDenied as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Answer %(id)s is no longer counted.") % {"id": answer.pk})
            return redirect(_safe_next(request) or reverse("surveys:answer-detail", args=[answer.pk]))
    return render(request, "surveys/answer_detail.html", _detail_context(request, answer, form), status=400)


@login_required
def invitations(request):
    access.require_results(request.user)
    state = request.GET.get("state", "")
    qs = selectors.invitations_for_review(access.invitations_visible_to(request.user), state=state)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/invitations.html",
        {
            "page": page,
            "state": state,
            "now": timezone.now(),
            "public_url": conf.public_url(),
            "waiting": selectors.cases_without_invitation().filter(pk__in=cases_visible_to(request.user)).count(),
        },
    )
