"""Where the platform keeps the analytical store and the search indexes (under ``HUHANG_DATA_DIR``)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings


def analytics_dir() -> Path:
    """``HUHANG_DATA_DIR/analytics``."""
    return Path(settings.DATA_DIR) / "analytics"


def store_path() -> Path:
    """The DuckDB file of the analytical store."""
    return analytics_dir() / "patents.duckdb"


def index_dir() -> Path:
    """The directory of the search indexes."""
    return analytics_dir() / "search"
