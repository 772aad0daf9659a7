"""In Chromium: a handler searches patents in Chinese and sees the highlighted result, opens the patent, draws the
landscape's charts with the bundled ECharts, and compares a product in the infringement-risk report."""

import os
from pathlib import Path

import pytest

from tests.patents.conftest import OWN, analytics, classification_dir, data_dir, reference_template  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("HUHANG_SCREENSHOTS", "var/screenshots"))
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _patents_urls(settings):
    settings.ROOT_URLCONF = "tests.patents.urls"


def test_search_navigation_and_risk_report_in_the_browser(live_server, browser, handler, analytics):  # noqa: F811
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", handler.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/registry/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(f"{live_server.url}/patents/")
    page.fill("input[name=q]", "高压输电线路驱鸟")
    page.click("form.search-form button.primary")
    page.wait_for_selector("ol.hits li.hit mark")
    first = page.locator("ol.hits li.hit").first
    assert "一种水电站高压输电线路驱鸟保护装置" in first.locator(".hit-title").inner_text()
    assert "驱鸟" in [m.inner_text() for m in first.locator("mark").all()]
    page.screenshot(path=str(SCREENSHOTS / "patents-search.png"), full_page=True)

    first.locator(".hit-title").click()
    page.wait_for_selector("table.categories")
    assert "H02G1/00" in page.inner_text("dl.record")
    page.screenshot(path=str(SCREENSHOTS / "patents-detail.png"), full_page=True)

    page.click("nav.patent-tabs a[href='/patents/navigation/']")
    for chart in ("years", "ipc", "trend", "applicants"):
        page.wait_for_selector(f".chart[data-chart={chart}][data-drawn='1'] svg")
    assert "B23K" in page.inner_text("table.records")
    page.screenshot(path=str(SCREENSHOTS / "patents-navigation.png"), full_page=True)

    page.click("nav.patent-tabs a[href='/patents/risk/']")
    page.fill("input[name=company]", OWN)
    page.fill("textarea[name=products]", "一种光纤激光切割装置，包括光纤激光器、切割头和聚焦镜")
    page.click("form.risk-form button.primary")
    page.wait_for_selector("section.product li.hit mark")
    assert "CN200000002A" in page.locator("section.product li.hit").first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "patents-risk.png"), full_page=True)
    with page.expect_download() as download:
        page.click("form.risk-form button[formaction]")
    assert download.value.suggested_filename.endswith(".pdf")
    assert not [url for url in failed if not url.startswith(live_server.url)], failed
    assert not errors, errors
    context.close()
