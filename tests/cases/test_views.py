"""The case pages: worklist, case file, filing online, steps, submissions and downloads, as users see them."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from huhang.cases import services
from huhang.cases.models import Case, CaseDocument
from tests.cases.conftest import make_user

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def accepted(filed, clerk):
    case = filed()
    services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    case.refresh_from_db()
    return case


def test_the_worklist_sorts_by_due_date_and_marks_overdue_cases(client, filed, clerk):
    late = filed(at=D(2026, 9, 28))  # filing decision was due 2026-10-10: overdue today
    fresh = filed(at=timezone.localdate())
    Case.objects.filter(pk__in=[late.pk, fresh.pk]).update(handler=clerk)
    client.force_login(clerk)
    response = client.get("/cases/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(late.number) < html.index(fresh.number)
    row = re.search(r'<tr class="(\w*)">\s*<td>2026-10-10', html)
    assert row and row.group(1) == "overdue"
    assert "已逾期" in html


def test_the_worklist_filters_overdue(client, filed, clerk):
    late, fresh = filed(at=D(2026, 9, 28)), filed(at=timezone.localdate())
    client.force_login(clerk)
    html = client.get("/cases/?scope=all&urgency=overdue").content.decode()
    assert late.number in html and fresh.number not in html


def test_the_case_file_shows_clocks_with_their_explanation_and_the_steps_allowed(client, filed, clerk):
    case = filed()
    client.force_login(clerk)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "立案审查期限" in html and "第二十条" in html and "2026年10月10日" in html
    assert 'data-action="accept"' in html and 'data-action="reject"' in html
    assert 'data-action="decide"' not in html


def test_a_handler_accepts_from_the_case_file(client, filed, clerk):
    case = filed()
    client.force_login(clerk)
    response = client.post(f"/cases/{case.pk}/act/accept/", {"accept-at": "2026-10-09", "accept-version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "accepted"


def test_a_refused_step_shows_the_reason_and_changes_nothing(client, filed, clerk):
    case = filed()
    client.force_login(clerk)
    response = client.post(f"/cases/{case.pk}/act/accept/", {"accept-at": "2026-09-01", "accept-version": case.version})
    assert response.status_code == 400
    assert "早于案件开始日期" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "submitted" and case.events.count() == 1


def test_an_applicant_may_not_take_a_handlers_step(client, filed, requester):
    case = filed()
    client.force_login(requester)
    response = client.post(f"/cases/{case.pk}/act/accept/", {"accept-at": "2026-10-09", "accept-version": 0})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.state == "submitted"


def test_other_organisations_and_strangers_do_not_see_the_case(client, filed, outsider, db):
    case = filed()
    client.force_login(outsider)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    stranger = make_user("stranger", "applicant")
    client.force_login(stranger)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_an_applicant_files_a_request_online(client, requester, office, respondent_entity):
    client.force_login(requester)
    page = client.get("/cases/file/")
    assert page.status_code == 200 and "提交请求" in page.content.decode()
    response = client.post(
        "/cases/file/",
        {
            "procedure": "patent_adjudication",
            "organisation": office.pk,
            "title": "侵害实用新型专利权纠纷",
            "summary": "被请求人制造销售的产品落入专利保护范围。",
            "respondent_name": "武汉仿制电子有限公司",
            "respondent_address": "武汉市江岸区",
            "respondent_domicile_in_prc": "on",
            "patent_kind": "utility_model",
            "patents": 1,
            "related_cases": 0,
            "electronic_consent": "on",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.facts["patent_kind"] == "utility_model" and case.parties.count() == 2
    assert case.parties.get(role="applicant").electronic_consent
    # evidence not attached → triage sends it to the ordinary track, and says why
    assert case.track == "ordinary"


def test_filing_without_a_title_is_refused_with_a_chinese_message(client, requester, office):
    client.force_login(requester)
    response = client.post("/cases/file/", {"procedure": "patent_adjudication", "organisation": office.pk})
    assert response.status_code == 400
    assert "此项为必填项" in response.content.decode()
    assert not Case.objects.exists()


def test_a_party_downloads_only_documents_served_on_it(client, accepted, clerk, requester, respondent_user):
    notice = CaseDocument.objects.get(case=accepted, kind="filing_notice")
    client.force_login(requester)
    url = f"/cases/{accepted.pk}/documents/{notice.pk}.pdf"
    assert client.get(url).status_code == 404  # not served yet
    services.service_record(
        actor=clerk,
        document=notice,
        party=notice.addressee,
        method="electronic",
        sent_on=D(2026, 10, 9),
        delivered_on=D(2026, 10, 9),
    )
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    client.force_login(respondent_user)
    assert client.get(url).status_code == 404  # addressed to the requester only
    docx = client.get(f"/cases/{accepted.pk}/documents/{notice.pk}.docx")
    assert docx.status_code == 404


def test_a_respondent_answers_from_the_case_page(client, accepted, respondent_user):
    client.force_login(respondent_user)
    html = client.get(f"/cases/{accepted.pk}/").content.decode()
    assert "答辩" in html
    response = client.post(f"/cases/{accepted.pk}/submit/", {"kind": "answer", "text": "不构成侵权。"})
    assert response.status_code == 302
    assert accepted.submissions.get().party.role == "respondent"


def test_a_party_sees_my_cases(client, accepted, requester):
    client.force_login(requester)
    html = client.get("/cases/mine/").content.decode()
    assert accepted.number in html


def test_the_page_is_available_in_english(client, filed, clerk, settings):
    case = filed()
    client.force_login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Time limits" in html and "S1 Art. 20" in html


def test_an_approver_assigns_the_case_and_a_handler_may_not(client, filed, clerk, head):
    case = filed()
    client.force_login(clerk)
    assert client.post(f"/cases/{case.pk}/assign/", {"handler": clerk.pk}).status_code == 302
    case.refresh_from_db()
    assert case.handler is None
    client.force_login(head)
    assert f'action="/cases/{case.pk}/assign/"' in client.get(f"/cases/{case.pk}/").content.decode()
    client.post(f"/cases/{case.pk}/assign/", {"handler": clerk.pk})
    case.refresh_from_db()
    assert case.handler == clerk


def test_the_worklist_count_stops_at_its_cap(client, filed, clerk, monkeypatch):
    from huhang.cases import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    for _ in range(3):
        filed()
    client.force_login(clerk)
    html = client.get("/cases/?scope=all").content.decode()
    assert "超过 2 件案件" in html


def test_a_handler_records_service_from_the_case_file(client, accepted, clerk):
    notice = CaseDocument.objects.get(case=accepted, kind="filing_notice")
    client.force_login(clerk)
    url = f"/cases/{accepted.pk}/documents/{notice.pk}/serve/"
    refused = client.post(url, {"party": notice.addressee_id, "method": "post", "sent_on": "2026-10-09"}, follow=True)
    assert "尚未完成" in refused.content.decode() and not notice.services.exists()  # no delivery date: not served
    client.post(
        url, {"party": notice.addressee_id, "method": "post", "sent_on": "2026-10-09", "delivered_on": "2026-10-12"}
    )
    assert notice.services.get().served_on == D(2026, 10, 12)


def test_staff_download_the_docx_of_any_document(client, accepted, clerk):
    notice = CaseDocument.objects.get(case=accepted, kind="filing_notice")
    client.force_login(clerk)
    response = client.get(f"/cases/{accepted.pk}/documents/{notice.pk}.docx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert client.get(f"/cases/{accepted.pk}/documents/{notice.pk}.exe").status_code == 404


def test_staff_enter_a_paper_request_naming_the_requester(client, clerk, office):
    client.force_login(clerk)
    assert "id_applicant_name" in client.get("/cases/file/").content.decode()
    response = client.post("/cases/file/", {
        "procedure": "counterfeiting_penalty", "organisation": office.pk, "title": "涉嫌假冒专利案",
        "summary": "举报人反映某商店销售标注虚假专利号的产品。", "applicant_name": "张三",
        "applicant_address": "武汉市洪山区", "p__source": "report", "respondent_name": "武汉某商店",
        "respondent_domicile_in_prc": "on", "patents": 1, "related_cases": 0,
    })  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.parties.get(role="applicant").name == "张三"
    assert case.events.get().payload == {"source": "report"}


def _queries_of_the_case_file(client, case) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    return len(queries)


def test_the_case_file_costs_the_same_queries_however_long_the_file(client, accepted, clerk, requester):
    """One query per panel: neither the steps allowed now, nor the rows of the file, nor the count of the rows
    awaiting the ledger cost a query each."""
    client.force_login(clerk)
    short = _queries_of_the_case_file(client, accepted)
    notice = CaseDocument.objects.get(case=accepted, kind="filing_notice")
    services.service_record(
        actor=clerk, document=notice, party=notice.addressee, method="post", sent_on=D(2026, 10, 9),
        delivered_on=D(2026, 10, 12),
    )  # fmt: skip
    for text in ("补充说明一。", "补充说明二。", "补充说明三。"):
        services.submission_create(actor=requester, case=accepted, kind="statement", text=text)
    services.track_override(actor=clerk, case=accepted, track="ordinary", reason="案情复杂，转普通程序")
    assert _queries_of_the_case_file(client, accepted) == short <= 16


def test_staff_override_the_track_from_the_case_file_and_a_party_may_not(client, accepted, clerk, requester):
    assert accepted.track == "simple"
    client.force_login(requester)
    assert f'action="/cases/{accepted.pk}/track/"' not in client.get(f"/cases/{accepted.pk}/").content.decode()
    refused = client.post(f"/cases/{accepted.pk}/track/", {"track": "ordinary", "reason": "对方不配合"})
    assert refused.status_code == 400
    client.force_login(clerk)
    short = client.post(f"/cases/{accepted.pk}/track/", {"track": "ordinary", "reason": "复杂"})
    assert short.status_code == 400 and "至少4个字" in short.content.decode()
    accepted.refresh_from_db()
    assert accepted.track == "simple" and accepted.track_decisions.count() == 1
    done = client.post(
        f"/cases/{accepted.pk}/track/", {"track": "ordinary", "reason": "案情复杂，转普通程序"}, follow=True
    )
    assert "程序类型已调整" in done.content.decode() and "案情复杂，转普通程序" in done.content.decode()
    accepted.refresh_from_db()
    assert accepted.track == "ordinary" and accepted.track_decisions.count() == 2


def test_the_worklist_filters_cases_due_soon(client, filed, clerk):
    late, fresh = filed(at=D(2026, 9, 28)), filed(at=timezone.localdate())  # fresh: 立案审查 due in 5 working days
    Case.objects.filter(pk=fresh.pk).update(next_due=timezone.localdate() + dt.timedelta(days=2))
    client.force_login(clerk)
    html = client.get("/cases/?scope=all&urgency=soon").content.decode()
    assert fresh.number in html and late.number not in html
    assert "即将到期" in html
