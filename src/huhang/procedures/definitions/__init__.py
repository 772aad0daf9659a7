"""One module per procedure definition."""

from .counterfeiting_penalty import COUNTERFEITING_PENALTY, counterfeiting_penalty
from .patent_adjudication import PATENT_ADJUDICATION, patent_adjudication
from .patent_mediation import PATENT_MEDIATION, patent_mediation

__all__ = [
    "COUNTERFEITING_PENALTY",
    "PATENT_ADJUDICATION",
    "PATENT_MEDIATION",
    "counterfeiting_penalty",
    "patent_adjudication",
    "patent_mediation",
]
