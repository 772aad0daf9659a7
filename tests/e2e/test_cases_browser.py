"""In Chromium: an applicant files a request online, and a handler accepts it (立案) from the case file and
records the service of the 立案通知书 there."""

import os
from pathlib import Path

import pytest
from django.utils import timezone

from huhang.cases.models import Case
from tests.cases.conftest import (  # noqa: F401 - the case fixtures
    PASSWORD,
    clerk,
    document_store,
    office,
    requester,
    requester_entity,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("HUHANG_SCREENSHOTS", "var/screenshots"))


def _login(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/registry/")


def test_an_applicant_files_a_request_and_a_handler_accepts_it(live_server, browser, requester, clerk, office):  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    _login(page, live_server, requester)
    page.click("nav.sidebar a[href='/cases/file/']")
    page.select_option("#id_procedure", "patent_adjudication")
    page.select_option("#id_organisation", str(office.pk))
    page.fill("#id_title", "侵害发明专利权纠纷（光纤连接器）")
    page.fill("#id_summary", "请求责令被请求人停止制造、销售侵权光纤连接器。")
    page.fill("#id_respondent_name", "武汉仿制电子有限公司")
    page.fill("#id_respondent_address", "武汉市江岸区解放大道2号")
    page.select_option("#id_patent_kind", "invention")
    page.check("#id_electronic_consent")
    page.click("button[type=submit].primary")
    page.wait_for_selector("#clocks")
    case = Case.objects.get()
    assert case.number in page.inner_text("h1") and "请求已提交" in page.inner_text(".titlebar")
    assert "立案审查期限" in page.inner_text("#clocks")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "case-filed.png"), full_page=True)
    page.click("nav.sidebar a[href='/cases/mine/']")
    assert case.number in page.inner_text("table.cases")
    context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    _login(page, live_server, clerk)
    page.click("nav.sidebar a[href='/cases/']")
    page.click("select[name=scope] >> xpath=..")  # the filter is visible
    page.select_option("select[name=scope]", "all")
    page.click(".filters button[type=submit]")
    page.click(f"text={case.number}")
    page.click("details[data-action=accept] summary")
    page.click("details[data-action=accept] button[type=submit]")
    page.wait_for_selector(".messages")
    assert "已立案" in page.inner_text(".titlebar")
    assert "受理" in page.inner_text("#documents") or "立案" in page.inner_text("#documents")
    page.screenshot(path=str(SCREENSHOTS / "case-accepted.png"), full_page=True)
    case.refresh_from_db()
    assert case.state == "accepted" and case.events.count() == 2

    # the 立案通知书 is served by post through the case file's own form
    today = timezone.localdate().isoformat()
    service = page.locator("#documents details").first
    service.locator("summary").click()
    service.locator("select[name=method]").select_option("post")
    service.locator("input[name=sent_on]").fill(today)
    service.locator("input[name=delivered_on]").fill(today)
    service.locator("input[name=tracking]").fill("EMS1234567890")
    service.locator("button[type=submit]").click()
    page.wait_for_selector(".messages")
    assert "送达已登记" in page.inner_text(".messages") and "尚未送达" not in page.inner_text("#documents")
    notice = case.documents.get(kind="filing_notice")
    assert notice.services.get().tracking == "EMS1234567890"
    context.close()
