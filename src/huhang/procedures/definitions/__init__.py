"""One module per procedure definition, and the registry of the defined procedures by code.

:data:`PROCEDURES` maps each ``Procedure.code`` to the procedure built with its documented defaults;
:func:`procedure_for` looks one up and raises :class:`~huhang.procedures.UnknownProcedure` for an unknown code.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .._definition import Procedure
from .._errors import UnknownProcedure
from .case_transfer import CASE_TRANSFER, case_transfer
from .complaint_report import COMPLAINT_REPORT, complaint_report
from .counterfeiting_penalty import COUNTERFEITING_PENALTY, counterfeiting_penalty
from .cross_city_notice import CROSS_CITY_NOTICE, cross_city_notice
from .judicial_case import JUDICIAL_CASE, judicial_case
from .judicial_outcome import TrialOutcome, closed_within_limit, trial_outcome
from .patent_adjudication import PATENT_ADJUDICATION, patent_adjudication
from .patent_adjudication_2015 import PATENT_ADJUDICATION_2015, patent_adjudication_2015
from .patent_mediation import PATENT_MEDIATION, patent_mediation
from .rights_assistance import RIGHTS_ASSISTANCE, rights_assistance

#: Every defined procedure (with its documented defaults), keyed by ``Procedure.code``.
PROCEDURES: Mapping[str, Procedure] = MappingProxyType(
    {
        p.code: p
        for p in (
            PATENT_ADJUDICATION,
            PATENT_ADJUDICATION_2015,
            PATENT_MEDIATION,
            COUNTERFEITING_PENALTY,
            RIGHTS_ASSISTANCE,
            COMPLAINT_REPORT,
            CASE_TRANSFER,
            CROSS_CITY_NOTICE,
            JUDICIAL_CASE,
        )
    }
)


def procedure_for(code: str) -> Procedure:
    """Return the registered procedure whose code is ``code``.

    Raises :class:`~huhang.procedures.UnknownProcedure` (a ``ProcedureError``) for any other value.
    """
    if not isinstance(code, str) or code not in PROCEDURES:
        raise UnknownProcedure(code, PROCEDURES)
    return PROCEDURES[code]


__all__ = [
    "CASE_TRANSFER",
    "COMPLAINT_REPORT",
    "COUNTERFEITING_PENALTY",
    "CROSS_CITY_NOTICE",
    "JUDICIAL_CASE",
    "PATENT_ADJUDICATION",
    "PATENT_ADJUDICATION_2015",
    "PATENT_MEDIATION",
    "PROCEDURES",
    "RIGHTS_ASSISTANCE",
    "TrialOutcome",
    "UnknownProcedure",
    "case_transfer",
    "closed_within_limit",
    "complaint_report",
    "counterfeiting_penalty",
    "cross_city_notice",
    "judicial_case",
    "patent_adjudication",
    "patent_adjudication_2015",
    "patent_mediation",
    "procedure_for",
    "rights_assistance",
    "trial_outcome",
]
