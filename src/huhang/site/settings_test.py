"""Settings for the test suite: a throw-away data directory unless HUHANG_DATA_DIR is set."""

import os
import tempfile

os.environ.setdefault("HUHANG_DATA_DIR", tempfile.mkdtemp(prefix="huhang-test-"))
os.environ["HUHANG_TESTING"] = "1"

from huhang.site.settings import *  # noqa: F403
