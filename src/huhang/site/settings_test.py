"""Settings for the test suite: a throw-away data directory unless HUHANG_DATA_DIR is set."""

import os
import tempfile

os.environ.setdefault("HUHANG_DATA_DIR", tempfile.mkdtemp(prefix="huhang-test-"))
os.environ["HUHANG_TESTING"] = "1"

from huhang.site.settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A test database in a file, not in memory: the evidence ledger writes through its own connection to the
    # same database, which an in-memory database would not share.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405
