"""The write paths of cases: opening, steps, documents, service, triage, submissions — and every refusal
leaving nothing written. Dates are real 2026 dates; the 2026 National Day holiday runs 1–7 October, with
Saturday 10 October a make-up working day (国务院办公厅 2025-11-04 notice)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from huhang.audit.models import AuditEvent
from huhang.cases import services
from huhang.cases.models import Case, CaseDocument, CaseEvent, CaseParty, PartyRole, Service, TrackDecision

pytestmark = pytest.mark.django_db
D = dt.date


def counts():
    return (Case.objects.count(), CaseEvent.objects.count(), CaseDocument.objects.count(), Service.objects.count())


def test_an_applicant_files_a_request_and_the_filing_clock_runs_5_working_days(filed):
    case = filed()
    assert case.number.startswith("武知保裁〔2026〕") and case.number.endswith("号")
    assert case.state == "submitted" and case.state_name_zh == "请求已提交"
    assert case.is_open and case.opened_on == D(2026, 9, 28)
    # S1 Art. 20: 5 working days from receipt — 29, 30 Sept, 8, 9 Oct and the make-up Saturday 10 Oct.
    filing = case.clocks.get(code="filing")
    assert filing.due == D(2026, 10, 10) and filing.running
    assert "第二十条" in filing.citation
    assert case.next_due == D(2026, 10, 10) and case.next_due_clock == "filing"
    assert [p.role for p in case.parties.order_by("role")] == [PartyRole.APPLICANT, PartyRole.RESPONDENT]
    event = case.events.get()
    assert (event.seq, event.action, event.actor_role, len(event.digest)) == (1, "file_request", "applicant", 64)
    assert AuditEvent.objects.filter(action="case.open", target=f"case/{case.pk}").exists()


def test_case_numbers_count_up_per_prefix_and_year(filed):
    first, second = filed(), filed()
    n1 = int(first.number.split("〕")[1].rstrip("号"))
    assert second.number == f"武知保裁〔2026〕{n1 + 1}号"


def test_triage_puts_a_small_complete_case_on_the_simple_track_and_says_why(filed):
    case = filed()
    decision = TrackDecision.objects.get(case=case)
    assert case.track == "simple" and decision.automatic and decision.track == "simple"
    assert all(r["passed"] for r in decision.reasons) and any("专利" in r["message_zh"] for r in decision.reasons)


def test_a_deployment_sets_its_own_triage_rules_and_case_number_prefixes(filed, settings):
    settings.HUHANG_TRIAGE_RULES = {"max_amount_simple": 100_000}  # the request claims 300,000 yuan
    settings.HUHANG_CASE_NUMBER_PREFIXES = {"adjudication": "汉知裁"}
    case = filed()
    assert case.number.startswith("汉知裁〔2026〕") and case.track == "ordinary"
    failed = [r for r in TrackDecision.objects.get(case=case).reasons if not r["passed"]]
    assert len(failed) == 1 and "100,000" in failed[0]["message_zh"]


def test_a_track_override_needs_a_reason_and_is_recorded(filed, clerk):
    case = filed()
    with pytest.raises(ValidationError) as caught:
        services.track_override(actor=clerk, case=case, track="ordinary", reason="")
    assert "reason" in caught.value.error_dict
    services.track_override(actor=clerk, case=case, track="ordinary", reason="涉及标准必要专利，案情复杂")
    case.refresh_from_db()
    last = case.track_decisions.last()
    assert case.track == "ordinary" and not last.automatic and last.decided_by == clerk
    assert last.override_reason == "涉及标准必要专利，案情复杂"


def test_the_handler_accepts_and_a_filing_notice_is_issued_as_docx_and_pdf(filed, clerk):
    case = filed()
    event = services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    case.refresh_from_db()
    assert event.seq == 2 and case.state == "accepted" and case.version == 1
    notice = CaseDocument.objects.get(case=case, kind="filing_notice")
    assert notice.addressee.role == PartyRole.APPLICANT and notice.served
    from huhang.cases.paperwork import document_bytes

    assert document_bytes(notice, "pdf").startswith(b"%PDF") and document_bytes(notice, "docx")[:2] == b"PK"
    filing = case.clocks.get(code="filing")
    assert not filing.running and filing.stopped_on == D(2026, 10, 9) and not filing.overdue
    # S1 Art. 22: serve the request copy within 5 working days of 立案 — the make-up Saturday 10 Oct counts.
    assert case.clocks.get(code="service").due == D(2026, 10, 15)


def test_a_step_the_role_may_not_take_is_refused_and_nothing_changes(filed, requester):
    case = filed()
    before = counts()
    with pytest.raises(ValidationError) as caught, translation.override("zh-hans"):
        services.case_act(actor=requester, case=case, action="accept", at=D(2026, 10, 9))
    assert "无权" in str(caught.value)
    assert counts() == before


def test_a_step_not_allowed_in_the_state_is_refused_in_chinese(filed, clerk):
    case = filed()
    before = counts()
    with pytest.raises(ValidationError) as caught, translation.override("zh-hans"):
        services.case_act(actor=clerk, case=case, action="decide", at=D(2026, 10, 9))
    assert "不能进行" in str(caught.value)
    assert counts() == before


def test_a_date_before_the_case_began_is_refused(filed, clerk):
    case = filed()
    before = counts()
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 9, 1))
    assert "before the case began" in str(caught.value)
    assert counts() == before


def test_a_date_in_the_future_is_refused(filed, clerk):
    case = filed()
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.case_act(actor=clerk, case=case, action="accept", at=D(2099, 1, 5))
    assert "future" in str(caught.value)


def test_staff_of_another_organisation_may_not_act(filed, outsider):
    case = filed()
    with pytest.raises(PermissionDenied):
        services.case_act(actor=outsider, case=case, action="accept", at=D(2026, 10, 9))


def test_an_extension_beyond_its_maximum_is_refused(filed, head):
    case = filed()
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.case_act(actor=head, case=case, action="extend_filing", at=D(2026, 9, 30), payload={"amount": 9})
    assert "at most" in str(caught.value)
    services.case_act(actor=head, case=case, action="extend_filing", at=D(2026, 9, 30), payload={"amount": 5})
    case.refresh_from_db()
    # S1 Art. 20: 5 + 5 working days from 28 Sept — the make-up Saturday 10 Oct counts.
    assert case.clocks.get(code="filing").due == D(2026, 10, 16)


def test_a_stale_form_is_refused(filed, clerk):
    case = filed()
    with pytest.raises(ValidationError) as caught:
        services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9), expected_version=7)
    assert "version" in caught.value.error_dict


def _accepted(filed, clerk, **kwargs):
    case = filed(**kwargs)
    services.case_act(actor=clerk, case=case, action="accept", at=D(2026, 10, 9))
    case.refresh_from_db()
    return case


def test_service_by_post_dates_the_step_by_delivery_and_starts_the_15_day_answer_period(filed, clerk):
    case = _accepted(filed, clerk)
    event = services.case_act(
        actor=clerk,
        case=case,
        action="serve_request_copy",
        at=D(2026, 10, 12),
        service={
            "method": "post",
            "sent_on": D(2026, 10, 12),
            "delivered_on": D(2026, 10, 14),
            "tracking": "EMS1234567890",
        },
    )
    assert event.at == D(2026, 10, 14)
    case.refresh_from_db()
    answer = case.clocks.get(code="answer")
    assert answer.started_on == D(2026, 10, 14) and answer.due == D(2026, 10, 29)  # 15 d, S1 Art. 22
    service = Service.objects.get(document__case=case)
    assert service.party.role == PartyRole.RESPONDENT and service.served_on == D(2026, 10, 14)
    assert service.tracking == "EMS1234567890" and not service.deemed


def test_a_respondent_without_domicile_in_china_has_30_days(filed, clerk):
    case = _accepted(filed, clerk, domicile=False)
    services.case_act(
        actor=clerk,
        case=case,
        action="serve_request_copy",
        at=D(2026, 10, 14),
        service={"method": "post", "sent_on": D(2026, 10, 12), "delivered_on": D(2026, 10, 14)},
    )
    case.refresh_from_db()
    assert case.clocks.get(code="answer").due == D(2026, 11, 13)


def test_electronic_service_without_consent_is_refused(filed, clerk):
    case = _accepted(filed, clerk)
    before = counts()
    with pytest.raises(ValidationError) as caught, translation.override("zh-hans"):
        services.case_act(
            actor=clerk,
            case=case,
            action="serve_request_copy",
            at=D(2026, 10, 14),
            service={"method": "electronic", "sent_on": D(2026, 10, 13), "delivered_on": D(2026, 10, 13)},
        )
    assert "同意" in str(caught.value)
    assert counts() == before


def test_public_notice_is_deemed_served_after_the_configured_period(filed, clerk, settings):
    settings.HUHANG_SERVICE_RULES = {"public_notice_days": 30}
    case = _accepted(filed, clerk)
    event = services.case_act(
        actor=clerk,
        case=case,
        action="serve_request_copy",
        at=D(2026, 10, 14),
        service={"method": "public_notice", "published_on": D(2026, 10, 14)},
    )
    assert event.at == D(2026, 11, 13)
    assert Service.objects.get(document__case=case).deemed


def test_service_on_someone_not_a_party_is_refused(filed, clerk):
    case = _accepted(filed, clerk)
    other = filed()
    notice = CaseDocument.objects.get(case=case, kind="filing_notice")
    stranger = CaseParty.objects.filter(case=other).first()
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.service_record(
            actor=clerk,
            document=notice,
            party=stranger,
            method="post",
            sent_on=D(2026, 10, 9),
            delivered_on=D(2026, 10, 10),
        )
    assert "not a party" in str(caught.value)
    assert not Service.objects.filter(document=notice).exists()


def test_recording_service_of_a_notice(filed, clerk):
    case = _accepted(filed, clerk)
    notice = CaseDocument.objects.get(case=case, kind="filing_notice")
    row = services.service_record(
        actor=clerk,
        document=notice,
        party=notice.addressee,
        method="electronic",
        sent_on=D(2026, 10, 9),
        delivered_on=D(2026, 10, 9),
    )
    assert row.served_on == D(2026, 10, 9) and row.explanation_zh


def test_a_respondent_answers_online_and_the_requester_may_not_answer(filed, clerk, requester, respondent_user):
    case = _accepted(filed, clerk)
    row = services.submission_create(actor=respondent_user, case=case, kind="answer", text="我方产品不落入保护范围。")
    assert row.party.role == PartyRole.RESPONDENT
    with pytest.raises(ValidationError):
        services.submission_create(actor=requester, case=case, kind="answer", text="……")
    with pytest.raises(ValidationError):
        services.submission_create(actor=respondent_user, case=case, kind="answer", text="")


def test_an_approval_recorded_on_behalf_of_a_superior_department_needs_its_reference(filed, clerk, head):
    case = _accepted(filed, clerk)
    with pytest.raises(ValidationError) as caught:
        services.case_act(
            actor=head,
            case=case,
            action="extend_closing_2m",
            at=D(2026, 10, 20),
            acting_as="superior_department",
            payload={"amount": 2},
        )
    assert "note" in caught.value.error_dict


def test_a_supervisor_may_look_but_not_act(filed, office):
    from tests.cases.conftest import make_user

    case = filed()
    watcher = make_user("watcher", "supervisor", office)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.case_act(actor=watcher, case=case, action="accept", at=D(2026, 10, 9))


def test_a_mediation_request_is_served_with_the_notice_to_state_an_opinion(requester, office, respondent_entity, clerk):
    case = services.case_open(
        actor=requester,
        procedure_code="patent_mediation",
        title="职务发明报酬纠纷调解",
        organisation=office,
        parties=[
            services.PartySpec(PartyRole.APPLICANT, "武汉长江光电有限公司", entity=requester.entity),
            services.PartySpec(PartyRole.RESPONDENT, "武汉仿制电子有限公司", entity=respondent_entity),
        ],
        at=D(2026, 9, 28),
        payload={"dispute_type": "remuneration"},
    )
    services.case_act(
        actor=clerk, case=case, action="serve_request", at=D(2026, 9, 30),
        service={"method": "post", "sent_on": D(2026, 9, 29), "delivered_on": D(2026, 9, 30)},
    )  # fmt: skip
    kinds = set(CaseDocument.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {"notice_to_comment"}  # not the adjudication 答辩通知书 (S1 Art. 65)
    assert Service.objects.get(document__case=case).served_on == D(2026, 9, 30)
