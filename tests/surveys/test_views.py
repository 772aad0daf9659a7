"""The survey pages as visitors, parties and staff use them."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huhang.surveys import services
from huhang.surveys.models import Answer, Flag, Invitation

pytestmark = pytest.mark.django_db
URL = "/surveys/q/k1-satisfaction/"
GOOD = {
    "q_channel_convenience": "4",
    "q_efficiency": "5",
    "q_fairness": "4",
    "q_service_attitude": "5",
    "q_overall": "9",
    "q_experience": "dispute",
    "q_suggestions": "希望多开展培训。",
    "respondent_type": "enterprise",
    "website": "",
}


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_portal_leads_an_anonymous_visitor_to_the_questionnaire(client, default_questionnaire):
    response = client.get("/surveys/")
    assert response.status_code == 302 and response["Location"] == URL
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "知识产权保护社会满意度调查问卷" in html and "办案效率" in html
    assert 'name="q_overall"' in html and 'name="website"' in html
    assert f"{settings.SESSION_COOKIE_NAME}_survey" in page.cookies


def test_the_questionnaire_in_english(english, default_questionnaire):
    html = english.get(URL).content.decode()
    assert "Public satisfaction survey on IP protection" in html
    assert "Speed: how satisfied are you" in html


def test_an_anonymous_answer_is_recorded_and_thanked(client, default_questionnaire, districts):
    client.get(URL)
    response = client.post(URL, {**GOOD, "district": districts["WH-EHT"].pk}, REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 302 and response["Location"] == "/surveys/thanks/?outcome=counted"
    answer = Answer.objects.get()
    assert (answer.channel, answer.respondent_type, answer.district.code, answer.flag) == (
        "portal",
        "enterprise",
        "WH-EHT",
        "",
    )
    assert answer.session_digest and answer.client_digest
    # (15·75 + 20·100 + 20·75 + 15·100 + 30·90) ÷ 100 = 88.25, all but the optional question answered: 100 of 110.
    assert answer.score == pytest.approx(88.25)
    assert answer.weight == pytest.approx(100 / 110)
    assert client.get(response["Location"]).status_code == 200


def test_the_same_browser_answering_again_is_told_it_is_not_counted(client, default_questionnaire):
    client.get(URL)
    client.post(URL, GOOD, REMOTE_ADDR="203.0.113.5")
    again = client.post(URL, GOOD, REMOTE_ADDR="203.0.113.6")
    assert again["Location"] == "/surveys/thanks/?outcome=repeat"
    assert list(Answer.objects.order_by("pk").values_list("flag", flat=True)) == ["", "duplicate"]


def test_a_robot_filling_the_honeypot_is_thanked_but_not_counted(client, default_questionnaire):
    response = client.post(URL, {**GOOD, "website": "http://spam.example"})
    assert response["Location"] == "/surveys/thanks/?outcome=counted"
    assert Answer.objects.get().flag == Flag.HONEYPOT


def test_a_missing_answer_is_shown_on_its_question_and_nothing_written(english, default_questionnaire):
    data = {k: v for k, v in GOOD.items() if k != "q_efficiency"}
    response = english.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    block = re.search(
        r'<fieldset class="question kind-likert5 has-error" id="question-efficiency".*?</fieldset>', html, re.S
    )
    assert block and "This field is required." in block.group(0)
    assert 'value="4" id="id_q_channel_convenience_3" required checked' in html  # what was given is kept
    assert not Answer.objects.exists()


def test_too_many_answers_from_one_address_get_429(client, default_questionnaire, settings):
    settings.HUHANG_SURVEY_RATE_PER_HOUR = 1
    client.post(URL, GOOD, REMOTE_ADDR="203.0.113.9")
    response = client.post(URL, GOOD, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert Answer.objects.count() == 1


def test_a_questionnaire_not_published_is_404(client, db):
    assert client.get(URL).status_code == 404
    assert client.get("/surveys/").status_code == 200


def test_results_are_for_staff(client, default_questionnaire, applicant, partner):
    assert client.get("/surveys/results/").status_code == 302  # to the login page
    for user in (applicant, partner):
        client.force_login(user)
        assert client.get("/surveys/results/").status_code == 404


def _answer(questionnaire, values, n, **kwargs):
    return services.answer_submit_portal(
        questionnaire=questionnaire,
        values=values,
        respondent_type="enterprise",
        client=services.Client(address=f"10.1.0.{n}", session=f"s{n}"),
        **kwargs,
    )


def test_staff_see_the_score_sample_and_answers(client, default_questionnaire, handler):
    values = {"channel_convenience": 5, "efficiency": 5, "fairness": 5, "service_attitude": 5, "overall": 10}
    _answer(default_questionnaire, values, 1)
    _answer(default_questionnaire, {**values, "overall": 0}, 2)
    _answer(default_questionnaire, values, 3, honeypot="spam")
    client.force_login(handler)
    html = client.get("/surveys/results/").content.decode()
    # Answers of 100 and 70, each weighing 100/110: the mean is 85.
    assert 'data-score="85.0" data-sample-size="2"' in html
    assert 'data-channel="portal" data-sample-size="2"' in html
    assert html.count('data-answer="') == 3
    assert "/invalidate/" not in html and "/surveys/results/answers/" in html  # a handler may not mark
    answer_id = Answer.objects.get(flag=Flag.HONEYPOT).pk
    only_not_counted = client.get("/surveys/results/?show=not_counted").content.decode()
    assert re.findall(r'data-answer="(\d+)"', only_not_counted) == [str(answer_id)]


def test_an_empty_period_shows_no_score(client, default_questionnaire, handler):
    client.force_login(handler)
    html = client.get("/surveys/results/?start=2020-01-01&last=2020-12-31").content.decode()
    assert 'data-score="" data-sample-size="0"' in html


def test_a_period_running_backwards_is_refused(english, handler, db):
    english.force_login(handler)
    response = english.get("/surveys/results/?start=2026-05-01&last=2026-04-01")
    assert response.status_code == 400
    assert "The last day comes before the first day." in response.content.decode()


def test_an_approver_marks_an_answer_invalid_from_the_list(client, default_questionnaire, approver):
    values = {"channel_convenience": 1, "efficiency": 1, "fairness": 1, "service_attitude": 1, "overall": 0}
    answer = _answer(default_questionnaire, values, 1)
    client.force_login(approver)
    assert f"/surveys/results/answers/{answer.pk}/invalidate/" in client.get("/surveys/results/").content.decode()
    response = client.post(
        f"/surveys/results/answers/{answer.pk}/invalidate/", {"reason": "测试人员填写", "next": "/surveys/results/"}
    )
    assert response.status_code == 302 and response["Location"] == "/surveys/results/"
    answer.refresh_from_db()
    assert (answer.flag, answer.flagged_by, answer.flag_reason) == (Flag.STAFF, approver, "测试人员填写")
    detail = client.get(f"/surveys/results/answers/{answer.pk}/").content.decode()
    assert 'data-flag="staff"' in detail and "测试人员填写" in detail and str(approver) in detail


def test_a_handler_cannot_mark_answers_invalid(english, default_questionnaire, handler):
    values = {"channel_convenience": 1, "efficiency": 1, "fairness": 1, "service_attitude": 1, "overall": 0}
    answer = _answer(default_questionnaire, values, 1)
    english.force_login(handler)
    response = english.post(f"/surveys/results/answers/{answer.pk}/invalidate/", {"reason": "我不喜欢这个答卷"})
    assert response.status_code == 400
    assert "Only an approver or an administrator" in response.content.decode()
    answer.refresh_from_db()
    assert answer.flag == Flag.NONE


def test_an_offsite_next_is_ignored(client, default_questionnaire, approver):
    values = {"channel_convenience": 1, "efficiency": 1, "fairness": 1, "service_attitude": 1, "overall": 0}
    answer = _answer(default_questionnaire, values, 1)
    client.force_login(approver)
    response = client.post(
        f"/surveys/results/answers/{answer.pk}/invalidate/", {"reason": "测试人员填写", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/surveys/results/answers/{answer.pk}/"


def test_the_answer_detail_is_404_for_non_staff(client, default_questionnaire, applicant):
    values = {"channel_convenience": 1, "efficiency": 1, "fairness": 1, "service_attitude": 1, "overall": 0}
    answer = _answer(default_questionnaire, values, 1)
    client.force_login(applicant)
    assert client.get(f"/surveys/results/answers/{answer.pk}/").status_code == 404


@pytest.fixture
def invited(closed_case, default_questionnaire):
    case = closed_case()
    return services.survey_invite_for_case(case, party=case.parties.get(role="respondent"))


def test_the_invitation_page_is_answered_once(client, invited):
    url = f"/surveys/invitation/{invited.token}/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and invited.case.number in html
    assert 'value="individual" selected' in html  # the respondent is a person in the registry
    assert 'name="website"' not in html
    data = {k: v for k, v in GOOD.items() if k != "respondent_type"} | {"respondent_type": "individual"}
    response = client.post(url, data)
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.channel, answer.invitation_id) == ("case", invited.pk)
    again = client.get(url)
    assert again.status_code == 410 and 'data-state="answered"' in again.content.decode()
    assert client.post(url, data).status_code == 410
    assert Answer.objects.count() == 1


def test_an_expired_or_forged_invitation_link(client, invited):
    Invitation.objects.filter(pk=invited.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = client.get(f"/surveys/invitation/{invited.token}/")
    assert expired.status_code == 410 and 'data-state="expired"' in expired.content.decode()
    assert client.get(f"/surveys/invitation/{invited.token}x/").status_code == 404


def test_a_party_finds_its_invitations(client, closed_case, default_questionnaire, applicant):
    from huhang.cases.models import CaseParty

    case = closed_case()
    mine = CaseParty.objects.create(
        case=case, role="third_party", name="x", entity=applicant.entity, added_by=case.created_by
    )
    services.survey_invite_parties(case)
    client.force_login(applicant)
    html = client.get("/surveys/mine/").content.decode()
    invitation = Invitation.objects.get(party=mine)
    assert f"/surveys/invitation/{invitation.token}/" in html
    assert html.count("/surveys/invitation/") == 1


def test_staff_list_invitations_with_their_links(client, invited, handler):
    client.force_login(handler)
    html = client.get("/surveys/invitations/").content.decode()
    assert f"/surveys/invitation/{invited.token}/" in html and invited.case.number in html
    answered = client.get("/surveys/invitations/?state=answered").content.decode()
    assert invited.case.number not in answered


def test_staff_see_the_invitations_and_case_numbers_of_their_own_cases_only(client, invited, handler, quick_centre):
    from tests.conftest import _user

    stranger = _user("stranger", "handler", quick_centre)
    answer = services.answer_submit_invitation(
        invitation=invited,
        values={"channel_convenience": 3, "efficiency": 3, "fairness": 3, "service_attitude": 3, "overall": 5},
        respondent_type="individual",
    )
    client.force_login(stranger)
    assert invited.case.number not in client.get("/surveys/invitations/").content.decode()
    assert invited.case.number not in client.get(f"/surveys/results/answers/{answer.pk}/").content.decode()
    client.force_login(handler)
    assert invited.case.number in client.get("/surveys/invitations/").content.decode()
    assert invited.case.number in client.get(f"/surveys/results/answers/{answer.pk}/").content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_staff_pages_queries_do_not_grow_with_their_rows(client, closed_case, default_questionnaire, approver):
    values = {"channel_convenience": 4, "efficiency": 4, "fairness": 4, "service_attitude": 4, "overall": 8}

    def record(n):
        _answer(default_questionnaire, values, n)
        for invitation in services.survey_invite_parties(closed_case()):
            services.answer_submit_invitation(invitation=invitation, values=values, respondent_type="enterprise")

    pages = ("/surveys/results/", "/surveys/invitations/")
    record(1)
    client.force_login(approver)
    answer = Answer.objects.filter(channel="case").first()
    few = [_queries(client, url) for url in (*pages, f"/surveys/results/answers/{answer.pk}/")]
    for n in range(2, 7):
        record(n)
    many = [_queries(client, url) for url in (*pages, f"/surveys/results/answers/{answer.pk}/")]
    assert many == few
