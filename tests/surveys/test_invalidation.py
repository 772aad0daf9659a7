"""Staff mark an answer as not counted: with a reason, recorded with who and when, never deleted."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from huhang.audit.models import AuditEvent
from huhang.surveys import selectors, services
from huhang.surveys.models import Answer, Flag

pytestmark = pytest.mark.django_db


@pytest.fixture
def answer(submit):
    return submit({"q1": 4, "q2": 8})


def test_an_approver_marks_an_answer_invalid_with_who_when_and_why(answer, approver):
    when = timezone.now()
    marked = services.answer_invalidate(actor=approver, answer=answer, reason="内部测试答卷", now=when)
    answer.refresh_from_db()
    assert (answer.flag, answer.flag_reason, answer.flagged_by, answer.flagged_at) == (
        Flag.STAFF,
        "内部测试答卷",
        approver,
        when,
    )
    assert marked.pk == answer.pk and not answer.counted
    event = AuditEvent.objects.get(action="survey.answer.invalidate")
    assert (event.actor, event.target, event.details["reason"]) == (
        approver,
        f"survey-answer/{answer.pk}",
        "内部测试答卷",
    )
    today = timezone.localdate()
    assert selectors.satisfaction(today, today + dt.timedelta(days=1)).sample_size == 0
    assert Answer.objects.filter(pk=answer.pk).exists()


@pytest.mark.parametrize("role", ["handler", "supervisor", "partner", "applicant"])
def test_other_roles_may_not(answer, role, request):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.answer_invalidate(actor=user, answer=answer, reason="不应计入的答卷")
    answer.refresh_from_db()
    assert answer.flag == Flag.NONE and not AuditEvent.objects.filter(action="survey.answer.invalidate").exists()


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "at least 4 characters"), ("  错 ", "at least 4 characters"), ("长" * 1001, "At most 1000")],
)
def test_a_reason_is_required(answer, approver, reason, message):
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        services.answer_invalidate(actor=approver, answer=answer, reason=reason)
    answer.refresh_from_db()
    assert answer.flag == Flag.NONE and answer.flagged_by is None


def test_an_answer_not_counted_cannot_be_marked_again(submit, administrator):
    caught = submit({"q1": 4, "q2": 8}, honeypot="filled")
    with translation.override("en"), pytest.raises(ValidationError, match="already not counted"):
        services.answer_invalidate(actor=administrator, answer=caught, reason="重复标记试验")
    caught.refresh_from_db()
    assert caught.flag == Flag.HONEYPOT and caught.flagged_by is None


def test_automatic_reasons_are_shown_in_the_readers_language_and_staff_reasons_as_written(submit, approver):
    caught = submit({"q1": 4, "q2": 8}, honeypot="filled")
    assert caught.flag_reason == "The hidden field that people do not see was filled in."
    with translation.override("en"):
        assert caught.reason_shown == caught.flag_reason
    marked = services.answer_invalidate(actor=approver, answer=submit({"q1": 4, "q2": 8}), reason="Duplicate")
    with translation.override("zh-hans"):
        assert marked.reason_shown == "Duplicate"  # a staff reason is shown as written, even if it is a msgid
