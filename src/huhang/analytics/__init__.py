"""Patent analytics (知识产权大数据): the analytical store, high-value classification, navigation, search.

Plain Python: this package never imports Django. The platform passes in paths (the store file, the
classification tables, the index directory); nothing here reads settings or the environment.

- :mod:`~huhang.analytics.records`: the shared JSON-lines schema of patent records and its validation;
- :mod:`~huhang.analytics.store`: :class:`PatentStore`, a DuckDB file of patents, IPC codes and applicants,
  loaded idempotently by id, all or nothing unless bad lines are to be skipped;
- :mod:`~huhang.analytics.reference`: IPC titles (Chinese with the English fallback) and the SEI 2021
  concordance, with its keyword conditions (:mod:`~huhang.analytics.keywords`);
- :mod:`~huhang.analytics.high_value`: CNIPA's five high-value categories with reasons, yes/no/unknown, K2;
- :mod:`~huhang.analytics.navigation`: landscapes by IPC, applicant, year, region and industry; growth;
- :mod:`~huhang.analytics.search`: BM25 with Chinese segmentation and English stemming, an optional dense
  index from a local model, passages for highlighting.

Exceptions::

    AnalyticsError (ValueError)
     ├── LoadError            malformed input lines (``problems``, each with its line number)
     ├── ReferenceDataError   a classification table missing or malformed
     ├── StoreError           a prerequisite missing (no reference tables, no classification yet)
     └── SearchError          no index, an unusable model directory, an empty query
"""

from huhang.analytics.errors import (
    AnalyticsError,
    LoadError,
    Problem,
    ReferenceDataError,
    SearchError,
    StoreError,
)
from huhang.analytics.high_value import (
    K2,
    Assessment,
    HighValueConfig,
    Population,
    Summary,
    assess,
    assess_many,
    classify,
    k2,
)
from huhang.analytics.reference import ReferenceReport, load_reference
from huhang.analytics.store import LoadReport, PatentStore

__all__ = [
    "K2",
    "AnalyticsError",
    "Assessment",
    "HighValueConfig",
    "LoadError",
    "LoadReport",
    "PatentStore",
    "Population",
    "Problem",
    "ReferenceDataError",
    "ReferenceReport",
    "SearchError",
    "StoreError",
    "Summary",
    "assess",
    "assess_many",
    "classify",
    "k2",
    "load_reference",
]
