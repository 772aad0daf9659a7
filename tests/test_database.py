"""The suite runs on the database DATABASE_URL names: CI runs it on SQLite and again on PostgreSQL,
and this test makes sure the second run really is on PostgreSQL, not SQLite twice."""

import os

import pytest
from django.db import connection


def _expected_vendor() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return "sqlite"
    scheme = url.split(":", 1)[0].lower()
    if scheme.startswith(("postgres", "pgsql")):
        return "postgresql"
    if scheme.startswith("sqlite"):
        return "sqlite"
    pytest.skip(f"DATABASE_URL names a database this check does not know: {scheme}")


def test_suite_runs_on_the_database_database_url_names(db, capsys):
    expected = _expected_vendor()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        (version,) = cursor.fetchone()
    with capsys.disabled():
        print(f"\n[database] {connection.vendor}: {version} (database {connection.settings_dict['NAME']})")

    assert connection.vendor == expected
    if expected == "postgresql":
        assert version.startswith("PostgreSQL")
        # pytest-django's own database, created by the role: never the one DATABASE_URL names.
        assert connection.settings_dict["NAME"].startswith("test_")
