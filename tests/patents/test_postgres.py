"""The navigation's queries in PostgreSQL's dialect give DuckDB's rows (run when the tests run on PostgreSQL)."""

import pytest
from django.db import connection

from huhang.analytics import PatentStore, navigation
from huhang.analytics.navigation import Filters
from huhang.patents.postgres import pg_by_applicant, pg_by_ipc, pg_by_year, pg_copy
from tests.patents.conftest import OWN

pytestmark = pytest.mark.django_db

FILTERS = [
    Filters(),
    Filters(year_basis="publication", year_from=2020, year_to=2022),
    Filters(ipc="B23K"),
    Filters(ipc="B23K26/00"),
    Filters(ipc="H02G1/00"),
    Filters(applicant="ACME corp"),
    Filters(applicant=OWN, year_basis="publication"),
    Filters(lang="en", country="us"),
    Filters(region="湖北"),
]


@pytest.fixture
def copied(analytics):
    if connection.vendor != "postgresql":
        pytest.skip("the tests run on SQLite: set DATABASE_URL to a PostgreSQL database (CI does)")
    with PatentStore(analytics, read_only=True) as store:
        counts = pg_copy(store, connection)
        yield store, counts


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_landscape_on_postgresql_equals_duckdb(copied, filters):
    store, counts = copied
    assert counts["patents"] == 7 and counts["patent_ipc"] == 5 and counts["ref_ipc"] > 70_000
    for level in ("section", "subclass", "main_group"):
        duck = navigation.by_ipc(store, level=level, filters=filters).rows
        assert pg_by_ipc(connection, level=level, filters=filters) == [
            {k: r[k] for k in ("code", "title", "title_lang", "patents")} for r in duck
        ]
    duck = navigation.by_applicant(store, filters=filters).rows
    assert pg_by_applicant(connection, filters=filters) == [
        {k: r[k] for k in ("applicant", "patents", "first_year", "last_year")} for r in duck
    ]
    for basis in ("application", "publication"):
        f = Filters(**{**filters.__dict__, "year_basis": basis})
        assert pg_by_year(connection, filters=f) == navigation.by_year(store, filters=f).rows
