"""The package's public face: exported names, docstrings, and its doctests."""

import doctest
import importlib
import subprocess
import sys
import types
from pathlib import Path

import pytest

import huhang.ledger

MODULES = [
    "checkpoint",
    "compact",
    "cosignature",
    "errors",
    "hashing",
    "keys",
    "nodes",
    "note",
    "proofs",
    "receipt",
    "sm2",
    "suites",
]


def test_all_lists_exactly_the_public_names():
    public = {
        name
        for name, value in vars(huhang.ledger).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert set(huhang.ledger.__all__) == public
    assert len(huhang.ledger.__all__) == len(set(huhang.ledger.__all__))


def test_every_public_callable_has_a_docstring():
    missing = [
        name
        for name in huhang.ledger.__all__
        if callable(getattr(huhang.ledger, name)) and not (getattr(huhang.ledger, name).__doc__ or "").strip()
    ]
    assert missing == []


def test_every_error_is_a_ledger_error():
    errors = [getattr(huhang.ledger, n) for n in huhang.ledger.__all__ if n.endswith("Error")]
    assert len(errors) == 9
    assert all(issubclass(e, huhang.ledger.LedgerError) for e in errors)


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name):
    module = importlib.import_module(f"huhang.ledger.{name}")
    assert (module.__doc__ or "").strip(), f"{name} has no module docstring"
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_docs_page_examples():
    path = Path(__file__).resolve().parents[2] / "docs" / "ledger.md"
    result = doctest.testfile(str(path), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10
    assert result.failed == 0


def test_importing_the_core_is_cheap_and_framework_free():
    code = (
        "import sys, huhang.ledger.proofs, huhang.ledger.note, huhang.ledger.cosignature;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'pysmx')))"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONPATH": str(src)}
    )
    # pysmx (SM2) loads on first use only; Django never.
    assert out.stdout.strip() == "[]"
