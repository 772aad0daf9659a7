import datetime as dt

import pytest

from huhang.procedures import Event, apply
from huhang.procedures.definitions import PATENT_ADJUDICATION

D = dt.date


def build(*steps, procedure=PATENT_ADJUDICATION):
    """Apply (action, date, role[, payload]) steps one by one, as a case service would."""
    history = ()
    for step in steps:
        action, at, role, *rest = step
        history = apply(procedure, history, Event(action, at, role, rest[0] if rest else {}))
    return history


FILED = ("file_request", D(2026, 9, 21), "applicant")
ACCEPTED = ("accept", D(2026, 9, 28), "handler")
SERVED = ("serve_request_copy", D(2026, 10, 9), "handler")


@pytest.fixture
def served_case():
    return build(FILED, ACCEPTED, SERVED)


def assert_refused(procedure, steps, event, error, en, zh):
    """Check that ``event`` after ``steps`` raises ``error`` whose messages contain ``en`` / ``zh``, and that
    the history and its replayed status are left as they were."""
    from huhang.procedures import ProcedureError, replay

    history = build(*steps, procedure=procedure)
    before = replay(procedure, history)
    with pytest.raises(error) as info:
        apply(procedure, history, event)
    assert en in str(info.value), str(info.value)
    assert zh in info.value.message_zh, info.value.message_zh
    assert isinstance(info.value, ProcedureError) and info.value.code
    after = replay(procedure, history)
    assert (after.state, after.clocks, after.documents) == (before.state, before.clocks, before.documents)
    return info.value
