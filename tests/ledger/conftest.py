import os
import uuid

import pytest

from huhang.ledger.log import Hasher, Log
from huhang.ledger.store import SqlStore
from tests.ledger.tsa_support import openssl, pki, tsa, tsa_server  # noqa: F401 - the local TSA's fixtures

SHA256 = Hasher.for_suite("sha256-ed25519")


def unsigned(body: str) -> str:
    return body + "\n— test AAAA\n"


@pytest.fixture
def store_url(tmp_path):
    """SQLite in a temporary file; the PostgreSQL of DATABASE_URL when the suite runs on PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url
    return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"


@pytest.fixture
def origin_prefix():
    # Tests on PostgreSQL share one database: each test's logs get origins of their own.
    return f"example.org/{uuid.uuid4().hex[:12]}"


@pytest.fixture
def make_log(store_url, origin_prefix):
    opened = []

    def make(name: str = "test-log") -> Log:
        origin = f"{origin_prefix}/{name}"
        store = SqlStore(store_url)
        store.create_schema()
        record = store.find_log(origin) or store.create_log(origin=origin, suite="sha256-ed25519", verifier_key="k")
        log = Log(store, record, SHA256, unsigned)
        opened.append(store)
        return log

    yield make
    for store in opened:
        store.close()


def tamper(store: SqlStore, table: str, column: str, value, where: str) -> None:
    """Change rows of ``table`` behind the append-only triggers, as an intruder with database access could."""
    update = store._sql(f"UPDATE {table} SET {column} = ? WHERE {where}")
    with store.transaction() as cur:
        if store.vendor == "sqlite":
            cur.execute(f"DROP TRIGGER {table}_no_update")
            cur.execute(update, (value,))
        else:
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only")
            cur.execute(update, (value,))
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only")
    if store.vendor == "sqlite":
        store.create_schema()  # puts the trigger back


def scratch_table(log: Log, prefix: str, columns: str, *, rows: list[tuple] = ()) -> str:
    """Create a table of the test's own, with a unique name, in ``log``'s database (with ``rows``); its name."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with log.store.transaction() as cur:
        cur.execute(f"CREATE TABLE {name} ({columns})")
        for row in rows:
            cur.execute(log.store._sql(f"INSERT INTO {name} VALUES ({', '.join('?' * len(row))})"), row)
    return name
