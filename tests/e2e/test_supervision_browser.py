"""In Chromium: a supervisor issues a supervision note (督办) on a work item; a user of the responsible
department answers it with a progress report and an attachment; the supervisor sees it by department."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from huhang.supervision.models import ProgressReport, SupervisionNote
from tests.supervision.conftest import (  # noqa: F401 - the supervision fixtures
    PASSWORD,
    PDF,
    assigned,
    attachment_store,
    bureau,
    centre_dept,
    centre_org,
    chief,
    clerk,
    item,
    loaded,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(os.environ.get("HUHANG_SCREENSHOTS", "var/screenshots"))


def _login(browser, live_server, user):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/registry/")
    return context, page


def test_a_supervisor_urges_and_the_department_reports_with_an_attachment(
    live_server, browser, chief, clerk, assigned, centre_dept, attachment_store, tmp_path  # noqa: F811
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    reply_by = timezone.localdate() + dt.timedelta(days=7)

    context, page = _login(browser, live_server, chief)
    page.goto(f"{live_server.url}/supervision/?programme=demo-zone-2025")
    page.click(f"tr[data-code='{assigned.code}'] td.code a")
    page.wait_for_selector("#notes")
    assert "构筑专业高效的功能平台" in page.inner_text("h1")
    page.click("#note-form summary")
    page.select_option("#id_note-kind", "urging")
    page.fill("#id_note-text", "请于一周内报送技术调查中心建设进展。")
    page.fill("#id_note-reply_due_on", reply_by.isoformat())
    page.select_option("#id_note-department", str(centre_dept.pk))
    page.click("#note-form button[type=submit]")
    page.wait_for_selector(".messages")
    note = SupervisionNote.objects.get()
    assert (note.issued_by, note.department, note.reply_due_on) == (chief, centre_dept, reply_by)
    assert "请于一周内报送技术调查中心建设进展。" in page.inner_text(f"#note-{note.pk}")
    assert page.locator(f"#note-{note.pk} .badge.s-awaiting").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "supervision-note-issued.png"), full_page=True)
    context.close()

    document = tmp_path / "技术调查中心选址方案.pdf"
    document.write_bytes(PDF)
    context, page = _login(browser, live_server, clerk)
    page.goto(f"{live_server.url}/supervision/items/{assigned.pk}/")
    assert page.locator("#note-form").count() == 0  # a department user issues no notes
    page.click("#report-form summary")
    page.select_option("#id_report-status", "in_progress")
    page.fill("#id_report-percent", "40")
    page.fill("#id_report-text", "已完成选址比选，方案已报市局审定。")
    page.select_option("#id_report-in_reply_to", str(note.pk))
    page.set_input_files("#id_report-attachments", str(document))
    page.click("#report-form button[type=submit]")
    page.wait_for_selector(".messages")
    report = ProgressReport.objects.get()
    attachment = report.attachments.get()
    assert (report.reported_by, report.department, report.in_reply_to, report.percent) == (
        clerk, centre_dept, note, 40,
    )
    assert (attachment.original_name, attachment.media_type) == ("技术调查中心选址方案.pdf", "application/pdf")
    assert (attachment_store / attachment.storage_key).read_bytes() == PDF
    timeline = page.inner_text(f"#report-{report.pk}")
    assert "已完成选址比选" in timeline and "技术调查中心选址方案.pdf" in timeline and "40%" in timeline
    assert page.locator(f"#note-{note.pk} .badge.s-answered").count() == 1
    with page.expect_download() as download:
        page.click(f"#report-{report.pk} ul.files a")
    assert Path(download.value.path()).read_bytes() == PDF
    page.screenshot(path=str(SCREENSHOTS / "supervision-progress-reported.png"), full_page=True)
    context.close()

    context, page = _login(browser, live_server, chief)
    page.goto(f"{live_server.url}/supervision/departments/?programme=demo-zone-2025")
    row = page.locator(f"tr[data-department='{centre_dept.pk}']")
    assert row.locator("td").first.inner_text().startswith(centre_dept.name)
    total = row.locator("td.num a").first
    assert total.inner_text() == "1"
    total.click()
    page.wait_for_selector("table.items")
    assert re.findall(r"DZ-\d\.\d", page.inner_text("table.items")) == [assigned.code]
    page.goto(f"{live_server.url}/supervision/departments/")
    page.screenshot(path=str(SCREENSHOTS / "supervision-by-department.png"), full_page=True)
    context.close()
