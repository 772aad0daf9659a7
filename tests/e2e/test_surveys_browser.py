"""In Chromium: an anonymous visitor answers the public satisfaction questionnaire on a phone, and staff see
the K1 score and its sample size change."""

import os
from pathlib import Path

import pytest

from huhang.surveys import services
from huhang.surveys.models import Answer
from tests.conftest import _user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("HUHANG_SCREENSHOTS", "var/screenshots"))
PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def questionnaire(db):
    from huhang.registry.models import District, Industry
    from huhang.registry.reference import load_reference_rows

    if not District.objects.exists():  # a transactional test before this one flushed the migration's rows
        load_reference_rows(District, Industry)
    questionnaire, _new = services.questionnaire_load_default()
    return questionnaire


@pytest.fixture
def staff(centre):
    return _user("survey_handler", "handler", centre)


def _k1(page):
    card = page.locator("#k1")
    return card.get_attribute("data-score"), card.get_attribute("data-sample-size")


def test_an_anonymous_answer_moves_the_score_staff_see(live_server, browser, questionnaire, staff):
    # One earlier answer scoring 70 (every rating 5 but the overall 0 of 10).
    services.answer_submit_portal(
        questionnaire=questionnaire,
        values={"channel_convenience": 5, "efficiency": 5, "fairness": 5, "service_attitude": 5, "overall": 0},
        respondent_type="lawyer",
        client=services.Client(address="198.51.100.1", session="earlier"),
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    office = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    desk = office.new_page()
    desk.set_default_timeout(20_000)
    desk.goto(f"{live_server.url}/accounts/login/?next=/surveys/results/")
    desk.fill("#id_username", staff.username)
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit].primary")
    desk.wait_for_url(f"{live_server.url}/surveys/results/")
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
    for key in ("channel_convenience", "efficiency", "fairness", "service_attitude"):
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
