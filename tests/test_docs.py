"""The documentation keeps up with the code: every setting read from the environment is documented."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "src" / "huhang" / "site" / "settings.py"
OPERATIONS = ROOT / "docs" / "operations.md"


def test_every_environment_setting_is_in_the_operations_guide():
    read = set(re.findall(r"""["'](HUHANG_[A-Z0-9_]+|DATABASE_URL)["']""", SETTINGS.read_text()))
    documented = OPERATIONS.read_text()
    missing = sorted(name for name in read if f"`{name}`" not in documented)
    assert not missing, f"document these in docs/operations.md: {missing}"
