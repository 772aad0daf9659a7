"""In Chromium: an anonymous visitor answers the public satisfaction questionnaire on a phone, and staff see
the K1 score and its sample size change; a party answers its invitation after a closed case, and an approver
follows it from the invitations to the answer and marks it not counted."""

import os
from pathlib import Path

import pytest

from huhang.cases.models import CaseParty
from huhang.surveys import services
from huhang.surveys.models import Answer, Flag
from tests.surveys.conftest import closed_case, default_questionnaire, districts  # noqa: F401 - the survey fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("HUHANG_SCREENSHOTS", "var/screenshots"))
PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
RATED = ("channel_convenience", "efficiency", "fairness", "service_attitude")


@pytest.fixture
def questionnaire(districts, default_questionnaire):  # noqa: F811
    return default_questionnaire


def _login(browser, live_server, user, path, **options):
    context = browser.new_context(locale="zh-CN", **(options or {"viewport": {"width": 1366, "height": 900}}))
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}{path}")
    return context, page


def _k1(page):
    card = page.locator("#k1")
    return card.get_attribute("data-score"), card.get_attribute("data-sample-size")


def test_an_anonymous_answer_moves_the_score_staff_see(live_server, browser, questionnaire, handler):
    # One earlier answer scoring 70 (every rating 5 but the overall 0 of 10).
    services.answer_submit_portal(
        questionnaire=questionnaire,
        values={"channel_convenience": 5, "efficiency": 5, "fairness": 5, "service_attitude": 5, "overall": 0},
        respondent_type="lawyer",
        client=services.Client(address="198.51.100.1", session="earlier"),
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    office, desk = _login(browser, live_server, handler, "/surveys/results/")
    assert _k1(desk) == ("70.0", "1")

    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    visitor = phone.new_page()
    visitor.set_default_timeout(20_000)
    visitor.goto(f"{live_server.url}/surveys/")
    visitor.wait_for_url(f"{live_server.url}/surveys/q/k1-satisfaction/")
    assert "知识产权保护社会满意度调查问卷" in visitor.inner_text("h1")
    assert visitor.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing runs off a phone
    box = visitor.locator("#id_website").bounding_box()  # the honeypot is out of sight
    assert box is None or box["x"] + box["width"] <= 0
    visitor.click("button[type=submit].primary")  # nothing answered: each required question says so
    assert visitor.locator("fieldset.question.has-error").count() == 5
    assert Answer.objects.count() == 1
    for key in RATED:
        visitor.click(f"#question-{key} label.opt:has(input[value='5'])")
    visitor.click("#question-overall label.opt:has(input[value='10'])")
    visitor.click("#question-experience label.opt:has(input[value='dispute'])")
    visitor.fill("#id_q_suggestions", "希望进一步缩短裁决周期。")
    visitor.select_option("#id_respondent_type", "enterprise")
    visitor.select_option("#id_district", label="洪山区")
    visitor.screenshot(path=str(SCREENSHOTS / "survey-portal-phone.png"), full_page=True)
    visitor.click("button[type=submit].primary")
    visitor.wait_for_url(f"{live_server.url}/surveys/thanks/?outcome=counted")
    visitor.screenshot(path=str(SCREENSHOTS / "survey-thanks-phone.png"), full_page=True)
    answer = Answer.objects.latest("pk")
    assert (answer.channel, answer.flag, answer.district.code, answer.score) == ("portal", "", "420111", 100.0)
    phone.close()

    # 70 and 100, each answering 100 of the 110 weight: the mean is 85.
    desk.reload()
    assert _k1(desk) == ("85.0", "2")
    assert desk.locator("table.answers tbody tr[data-answer]").count() == 2
    desk.screenshot(path=str(SCREENSHOTS / "survey-results.png"), full_page=True)
    office.close()


def test_a_party_answers_its_invitation_and_an_approver_discounts_the_answer(
    live_server,
    browser,
    questionnaire,
    closed_case,  # noqa: F811
    applicant,
    approver,
):
    case = closed_case()  # closed by the protection centre, the approver's office
    CaseParty.objects.create(
        case=case, role="third_party", name=applicant.entity.name, entity=applicant.entity, added_by=case.created_by
    )
    invitations = {i.party.role: i for i in services.survey_invite_parties(case)}
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # The link the centre sends the respondent (a person) opens on a phone, without an account.
    phone = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    person = phone.new_page()
    person.set_default_timeout(20_000)
    person.goto(f"{live_server.url}/surveys/invitation/{invitations['respondent'].token}/")
    assert case.number in person.inner_text(".survey-context")
    assert person.input_value("#id_respondent_type") == "individual"  # from the registry
    assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    person.screenshot(path=str(SCREENSHOTS / "survey-invitation-phone.png"), full_page=True)
    phone.close()

    # The applicant's entity, a party too, finds its invitation among its own and answers it.
    own, party = _login(browser, live_server, applicant, "/surveys/mine/")
    assert case.number in party.inner_text("table.records")
    party.click("table.records a.button.primary")  # the one invitation addressed to the applicant's entity
    party.wait_for_selector("form.survey-form")
    assert party.locator("#id_website").count() == 0  # no honeypot behind a link only its party has
    assert party.input_value("#id_respondent_type") == "enterprise"
    assert party.input_value("#id_district") == str(applicant.entity.district_id)
    for key in RATED:
        party.click(f"#question-{key} label.opt:has(input[value='4'])")
    party.click("#question-overall label.opt:has(input[value='8'])")
    party.click("button[type=submit].primary")
    party.wait_for_url(f"{live_server.url}/surveys/thanks/?outcome=counted")
    answer = Answer.objects.get()
    # (15 + 20 + 20 + 15)·75 + 30·80, over 100 (the optional question left out).
    assert (answer.channel, answer.invitation, answer.score) == ("case", invitations["third_party"], 76.5)
    party.goto(f"{live_server.url}/surveys/mine/")
    assert party.locator("table.records a.button.primary").count() == 0  # answered: no link any more
    again = party.goto(f"{live_server.url}/surveys/invitation/{answer.invitation.token}/")
    assert again.status == 410 and party.get_attribute("article.survey", "data-state") == "answered"
    own.close()

    office, desk = _login(browser, live_server, approver, "/surveys/invitations/?state=answered")
    answered = desk.locator("table.records tbody tr")
    assert answered.count() == 1 and case.number in answered.inner_text()
    desk.screenshot(path=str(SCREENSHOTS / "survey-invitations.png"), full_page=True)
    desk.goto(f"{live_server.url}/surveys/results/?channel=case")
    assert _k1(desk) == ("76.5", "1")
    desk.click(f"tr[data-answer='{answer.pk}'] td a")
    desk.wait_for_selector("#status[data-flag='']")
    assert case.number in desk.inner_text("dl.record")  # the approver's office handled the case
    desk.fill("#id_reason", "当事人代理人代填，经核实不计入。")
    desk.screenshot(path=str(SCREENSHOTS / "survey-answer-detail.png"), full_page=True)
    desk.click("form.record-form button.danger")
    desk.wait_for_url(f"{live_server.url}/surveys/results/?channel=case")
    assert _k1(desk) == ("", "0")
    answer.refresh_from_db()
    assert (answer.flag, answer.flagged_by) == (Flag.STAFF, approver)
    office.close()
