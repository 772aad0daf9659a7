import hashlib

import pytest

from huhang.ledger.log import Hasher, Log
from huhang.ledger.store import SqlStore

SHA256 = Hasher(
    hash_leaf=lambda d: hashlib.sha256(b"\x00" + d).digest(),
    hash_children=lambda left, right: hashlib.sha256(b"\x01" + left + right).digest(),
    empty_root=hashlib.sha256(b"").digest(),
)


def unsigned(body: str) -> str:
    return body + "\n— test AAAA\n"


@pytest.fixture
def store_url(tmp_path):
    return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"


@pytest.fixture
def make_log(store_url):
    opened = []

    def make(origin: str = "example.org/test-log") -> Log:
        store = SqlStore(store_url)
        store.create_schema()
        record = store.find_log(origin) or store.create_log(origin=origin, suite="sha256-ed25519", verifier_key="k")
        log = Log(store, record, SHA256, unsigned)
        opened.append(store)
        return log

    yield make
    for store in opened:
        store.close()
