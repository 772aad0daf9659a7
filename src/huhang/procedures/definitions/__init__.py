"""One module per procedure definition."""

from .patent_adjudication import PATENT_ADJUDICATION, patent_adjudication

__all__ = ["PATENT_ADJUDICATION", "patent_adjudication"]
