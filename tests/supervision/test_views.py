"""The supervision pages as users see them: Chinese by default, forms that call the services, 404 for
applicants, and the department table whose every figure opens the items behind it."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from huhang.supervision import services
from huhang.supervision.models import Department, Milestone, ProgressReport, SupervisionNote, WorkItem
from tests.supervision.conftest import PDF, today, upload

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_list_shows_the_chinese_titles_and_filters(client, chief, loaded):
    client.force_login(chief)
    html = client.get("/supervision/").content.decode()
    assert html.count('<tr data-code="') == 50  # the first page of 55, in plan order
    assert 'lang="zh-hans"' in html and "优化政策法规体系" in html
    second = client.get("/supervision/?page=2").content.decode()
    assert re.findall(r'data-code="([^"]+)"', second) == ["FY-6.2", "FY-6.3", "FY-6.4", "FY-6.5", "FY-6.6"]
    html = client.get("/supervision/?programme=demo-zone-2025").content.decode()
    assert html.count('<tr data-code="') == 17 and "专利侵权纠纷行政裁决示范工程" in html
    area = WorkItem.objects.get(code="FY-3.1").area
    html = client.get(f"/supervision/?area={area.pk}").content.decode()
    assert re.findall(r'data-code="([^"]+)"', html) == [f"FY-3.{n}" for n in range(1, 9)]
    html = client.get("/supervision/?q=商业秘密").content.decode()
    assert re.findall(r'data-code="([^"]+)"', html) == ["DZ-7.3"]


def test_the_list_filters_by_department_and_status(client, chief, assigned, centre_dept):
    WorkItem.objects.filter(pk=assigned.pk).update(due_on=today() + dt.timedelta(days=30))
    client.force_login(chief)
    html = client.get(f"/supervision/?department={centre_dept.pk}").content.decode()
    assert re.findall(r'data-code="([^"]+)"', html) == ["DZ-3.3"]
    html = client.get(f"/supervision/?department={centre_dept.pk}&status=not_started").content.decode()
    assert re.findall(r'data-code="([^"]+)"', html) == ["DZ-3.3"]
    html = client.get(f"/supervision/?department={centre_dept.pk}&status=overdue").content.decode()
    assert re.findall(r'data-code="([^"]+)"', html) == []
    html = client.get("/supervision/?department=none&programme=demo-zone-2025").content.decode()
    assert len(re.findall(r'data-code="([^"]+)"', html)) == 16


def test_applicants_see_nothing(client, applicant, item):
    client.force_login(applicant)
    assert client.get("/supervision/").status_code == 403
    assert client.get("/supervision/departments/").status_code == 403
    assert client.get(f"/supervision/items/{item.pk}/").status_code == 404


def test_anonymous_users_are_sent_to_log_in(client, item):
    assert client.get("/supervision/").status_code == 302
    assert client.get(f"/supervision/items/{item.pk}/").status_code == 302


def test_the_item_page_shows_the_quoted_plan_and_the_supervisor_s_forms(client, chief, assigned):
    client.force_login(chief)
    html = client.get(f"/supervision/items/{assigned.pk}/").content.decode()
    assert "构筑专业高效的功能平台" in html and "武汉保护中心服务备案主体突破2400家" in html
    assert f'action="/supervision/items/{assigned.pk}/assign/"' in html
    assert f'action="/supervision/items/{assigned.pk}/notes/"' in html
    assert f'action="/supervision/items/{assigned.pk}/report/"' not in html  # a supervisor does not report


def test_a_department_user_sees_the_report_form_not_the_supervisor_s(client, clerk, assigned):
    client.force_login(clerk)
    html = client.get(f"/supervision/items/{assigned.pk}/").content.decode()
    assert f'action="/supervision/items/{assigned.pk}/report/"' in html
    assert 'enctype="multipart/form-data"' in html
    assert "/assign/" not in html and "/notes/" not in html


def test_a_user_of_another_organisation_is_told_why_they_cannot_report(client, outsider, assigned):
    english(client)
    client.force_login(outsider)
    html = client.get(f"/supervision/items/{assigned.pk}/").content.decode()
    assert "Your organisation is not a department responsible for DZ-3.3." in html


def test_reporting_progress_with_an_attachment_from_the_page(client, clerk, chief, assigned):
    milestone = services.milestone_set(actor=chief, item=assigned, title="选址方案", due_on=today())
    client.force_login(clerk)
    response = client.post(
        f"/supervision/items/{assigned.pk}/report/",
        {
            "report-status": "in_progress",
            "report-percent": "40",
            "report-text": "选址比选完成，方案已报市局。",
            "report-completes": str(milestone.pk),
            "report-attachments": [upload(PDF, "选址方案.pdf")],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.percent, report.completes, report.attachments.get().original_name) == (40, milestone, "选址方案.pdf")
    html = client.get(response.url).content.decode()
    assert "选址比选完成" in html and "选址方案.pdf" in html
    milestone.refresh_from_db()
    assert milestone.done_on == today()


def test_a_refused_report_keeps_the_form_with_its_errors(client, clerk, assigned):
    english(client)
    client.force_login(clerk)
    response = client.post(
        f"/supervision/items/{assigned.pk}/report/",
        {
            "report-status": "in_progress",
            "report-text": "附件",
            "report-attachments": [upload(b"<html><body>x</body></html>", "进展.pdf")],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The file 进展.pdf is text/html, which cannot be attached" in html
    assert '<details class="act" id="report-form" open>' in html
    assert not ProgressReport.objects.exists()


def test_a_report_by_someone_not_responsible_is_refused_on_the_page(client, outsider, assigned):
    english(client)
    client.force_login(outsider)
    response = client.post(
        f"/supervision/items/{assigned.pk}/report/", {"report-status": "in_progress", "report-text": "进展"}
    )
    assert response.status_code == 400
    assert "Your organisation is not a department responsible for DZ-3.3." in response.content.decode()
    assert not ProgressReport.objects.exists()


def test_the_supervisor_assigns_sets_milestones_and_issues_a_note(client, chief, item, centre_dept, court_dept):
    client.force_login(chief)
    base = f"/supervision/items/{item.pk}"
    response = client.post(
        f"{base}/assign/",
        {"assign-departments": [centre_dept.pk, court_dept.pk], "assign-lead": centre_dept.pk},
    )
    assert response.status_code == 302
    assert set(item.departments.all()) == {centre_dept, court_dept}
    assert (
        client.post(
            f"{base}/milestones/", {"milestone-title": "清单发布", "milestone-due_on": "2026-12-15"}
        ).status_code
        == 302
    )
    milestone = Milestone.objects.get()
    response = client.post(
        f"{base}/milestones/{milestone.pk}/",
        {
            f"change-{milestone.pk}-title": "清单发布",
            f"change-{milestone.pk}-due_on": "2026-12-31",
            f"change-{milestone.pk}-reason": "联席会议同意延期",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.due_on == dt.date(2026, 12, 31)
    due = (today() + dt.timedelta(days=7)).isoformat()
    response = client.post(
        f"{base}/notes/",
        {
            "note-kind": "urging",
            "note-text": "请加快推进并报送进展。",
            "note-reply_due_on": due,
            "note-department": court_dept.pk,
        },
    )
    assert response.status_code == 302
    note = SupervisionNote.objects.get()
    assert (note.issued_by, note.department, note.kind) == (chief, court_dept, "urging")
    html = client.get(f"{base}/").content.decode()
    assert "请加快推进并报送进展。" in html and "清单发布" in html


def test_a_department_user_cannot_post_the_supervisor_s_forms(client, clerk, assigned):
    client.force_login(clerk)
    base = f"/supervision/items/{assigned.pk}"
    assert (
        client.post(f"{base}/milestones/", {"milestone-title": "x", "milestone-due_on": "2026-12-15"}).status_code
        == 400
    )
    due = today().isoformat()
    assert (
        client.post(f"{base}/notes/", {"note-kind": "urging", "note-text": "x", "note-reply_due_on": due}).status_code
        == 400
    )
    assert not Milestone.objects.exists() and not SupervisionNote.objects.exists()


def test_the_department_view_links_each_count_to_its_items(client, chief, clerk, assigned, centre_dept):
    WorkItem.objects.filter(pk=assigned.pk).update(due_on=today() - dt.timedelta(days=1))
    client.force_login(chief)
    html = client.get("/supervision/departments/").content.decode()
    row = re.search(rf'<tr data-department="{centre_dept.pk}">(.*?)</tr>', html, re.S).group(1)
    overdue = re.search(r'<td class="num hot" data-col="overdue"><a href="([^"]+)">1</a>', row)
    assert overdue, row
    listed = client.get(overdue.group(1).replace("&amp;", "&")).content.decode()
    assert re.findall(r'data-code="([^"]+)"', listed) == ["DZ-3.3"]
    assert '<tr data-department="none">' in html


def test_a_supervisor_adds_a_department_from_the_department_view(client, chief, court_org):
    client.force_login(chief)
    response = client.post(
        "/supervision/departments/",
        {
            "department-name": "武汉知识产权法庭",
            "department-name_en": "Wuhan IP Tribunal",
            "department-organisation": court_org.pk,
        },
    )
    assert response.status_code == 302
    assert Department.objects.get().organisation == court_org
    response = client.post("/supervision/departments/", {"department-name": "武汉知识产权法庭"})
    assert response.status_code == 400 and Department.objects.count() == 1


def test_a_department_user_cannot_add_departments(client, clerk, loaded):
    client.force_login(clerk)
    assert client.post("/supervision/departments/", {"department-name": "某局"}).status_code == 403
    assert not Department.objects.exists()


def test_english_pages_keep_the_chinese_titles(client, chief, loaded):
    english(client)
    client.force_login(chief)
    html = client.get("/supervision/departments/").content.decode()
    assert "Supervision by department" in html and "武汉市国家知识产权保护示范区建设方案" in html
    html = client.get("/supervision/?programme=fiveyear-2021-2025").content.decode()
    assert "Supervised work items" in html and "建设“云端”知识产权服务大厅" in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_queries_do_not_grow_with_their_rows(client, chief, clerk, centre_dept, court_dept, loaded):
    """Departments, milestones and reports of the listed items are fetched together, not row by row."""
    pages = ("/supervision/", "/supervision/departments/")
    items = list(WorkItem.objects.order_by("pk"))

    def record(item):
        services.item_assign(actor=chief, item=item, departments=[centre_dept, court_dept], lead=centre_dept)
        services.milestone_set(actor=chief, item=item, title="节点", due_on=today())
        note = services.note_issue(actor=chief, item=item, kind="urging", text="请报送", reply_due_on=today())
        services.progress_report(
            actor=clerk, item=item, text="进展", status="in_progress", uploads=[upload()], in_reply_to=note
        )

    record(items[0])
    client.force_login(chief)
    few = [_queries(client, url) for url in pages] + [_queries(client, f"/supervision/items/{items[0].pk}/")]
    for item in items[1:6]:
        record(item)
    services.progress_report(actor=clerk, item=items[0], text="再报", status="in_progress", uploads=[upload()])
    many = [_queries(client, url) for url in pages] + [_queries(client, f"/supervision/items/{items[0].pk}/")]
    assert many == few
