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
