"""The framework-free core packages never import Django, directly or through what they import."""

import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
CORE_MODULES = [
    "huhang.identifiers",
    "huhang.ledger",
    "huhang.ledger.witness",
    "huhang.ledger.witness_http",
    "huhang.ledger.publisher",
    "huhang.ledger.receipt",
    "huhang.ledger.timestamp",
    "huhang.ledger.verify_cli",
    "huhang.ledger.log",
    "huhang.ledger.sequencer",
    "huhang.workdays",
    "huhang.procedures",
    "huhang.ledger.background",
    "huhang.ledger.timestamping",
    "huhang.documents",
    "huhang.analytics",
    "huhang.analytics.navigation",
    "huhang.analytics.search",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_django(module):
    code = f"import sys, {module}; bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); print(bad)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(SRC)}
    )
    assert out.stdout.strip() == "[]", f"{module} pulled in Django: {out.stdout}"
