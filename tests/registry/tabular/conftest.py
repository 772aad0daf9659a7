"""Fixtures for the spreadsheet tests."""

from pathlib import Path

import pytest


@pytest.fixture
def write_file(tmp_path):
    """Return a function writing ``data`` to ``tmp_path / name`` and returning the path."""

    def write(name: str, data: bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write
