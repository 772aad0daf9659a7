"""In Chromium: a supervisor opens the indicators, sees every figure with its chart drawn by the bundled ECharts,
and drills down from K7 to the court cases behind it."""

import os
from pathlib import Path

import pytest

from tests.monitoring.conftest import TODAY, districts  # noqa: F401 - the monitoring fixtures
from tests.monitoring.conftest import zone as zone  # the zone of conftest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("HUHANG_SCREENSHOTS", "var/screenshots"))
PASSWORD = "correct horse battery"


def test_the_dashboard_draws_every_chart_and_drills_down_to_the_records(
    live_server, browser, supervisor, zone, monkeypatch
):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", supervisor.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/registry/")
    page.click("nav.sidebar a[href='/monitoring/']")
    page.fill("input[name=period]", "2025")
    page.click("form.period button[type=submit]")
    page.wait_for_function("document.querySelectorAll('.spark[data-drawn=\"1\"] svg').length === 19")
    assert page.locator(".kpi").count() == 19
    assert "66.67" in page.locator("#kpi-K7").locator("xpath=../..").inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "monitoring-dashboard.png"), full_page=True)
    page.click("#kpi-K7 a")
    page.wait_for_selector(".chart[data-drawn='1'] svg")
    rows = page.locator("#records tbody tr")
    assert rows.count() == 3
    assert all(row.locator("a").count() == 1 for row in rows.all())
    page.screenshot(path=str(SCREENSHOTS / "monitoring-k7.png"), full_page=True)
    page.click("nav.sidebar a[href='/monitoring/statistics/']")
    assert page.locator("table.records tbody tr").count() == 3  # the zone's population, GDP and value added
    assert page.locator("form input[type=file]").count() == 1  # a supervisor may load a file
    assert not [url for url in failed if not url.startswith(live_server.url)], failed
    context.close()
