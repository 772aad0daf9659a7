"""Fixtures of the analytics tests: the shared real data (skipped when absent), stores, record files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from huhang.analytics import PatentStore, load_reference

# The repository's checkout sits beside shared/ (…/main and …/shared); the real data is read in place.
SHARED_DATA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
PATENTS = SHARED_DATA / "patents"
CLASSIFICATION = SHARED_DATA / "classification"


def write_jsonl(path: Path, records: list[dict | str]) -> Path:
    """Write records (dicts, or raw lines given as strings) as JSON lines."""
    with path.open("w", encoding="utf-8") as file:
        for record in records:
            file.write(record if isinstance(record, str) else json.dumps(record, ensure_ascii=False))
            file.write("\n")
    return path


def record(id: str, **fields) -> dict:
    """A record in the shared schema with every field present."""
    base = {
        "id": id,
        "title": None,
        "abstract": None,
        "claims": None,
        "ipc": [],
        "applicants": [],
        "app_date": None,
        "pub_number": None,
        "country": None,
        "lang": None,
        "extra": {},
    }
    base.update(fields)
    return base


def head(source: Path, target: Path, lines: int) -> Path:
    """Copy the first ``lines`` lines of a real file to a scratch file (kept small for speed)."""
    with source.open(encoding="utf-8") as file_in, target.open("w", encoding="utf-8") as file_out:
        for number, line in enumerate(file_in):
            if number >= lines:
                break
            file_out.write(line)
    return target


@pytest.fixture(scope="session")
def classification_dir() -> Path:
    if not CLASSIFICATION.is_dir():
        pytest.skip("the shared classification tables are not beside the repository")
    return CLASSIFICATION


@pytest.fixture(scope="session")
def patents_dir() -> Path:
    if not PATENTS.is_dir():
        pytest.skip("the shared patent records are not beside the repository")
    return PATENTS


@pytest.fixture
def store(tmp_path):
    with PatentStore(tmp_path / "analytics" / "patents.duckdb") as opened:
        yield opened


@pytest.fixture(scope="session")
def reference_template(tmp_path_factory, classification_dir) -> Path:
    """A store file holding only the reference tables, loaded once and copied for each test."""
    path = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    with PatentStore(path) as template:
        load_reference(template, classification_dir)
    return path


@pytest.fixture
def ref_store(tmp_path, reference_template):
    target = tmp_path / "analytics" / "patents.duckdb"
    target.parent.mkdir(parents=True)
    target.write_bytes(reference_template.read_bytes())
    with PatentStore(target) as opened:
        yield opened
