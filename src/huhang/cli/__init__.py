"""The ``huhang`` command: every subcommand is a Django management command.

``huhang serve``, ``huhang migrate``, ``huhang demo-data``, ``huhang import``, ``huhang export`` and the
commands later capabilities add all honour ``DATABASE_URL`` and ``HUHANG_DATA_DIR``. A subcommand may be
spelt with hyphens (``demo-data``) for the module with underscores (``demo_data``).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "verify":
        # Verifying a receipt needs no settings, database or data directory: run it before Django starts.
        from huhang.ledger.verify_cli import main as verify

        sys.exit(verify(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huhang.site.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "huhang"
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = _command_name(argv[1])
    execute_from_command_line(argv)


def _command_name(name: str) -> str:
    """Return ``name`` with hyphens as underscores if a command of that name exists, else ``name``."""
    import django
    from django.core.management import get_commands

    django.setup()
    candidate = name.replace("-", "_")
    return candidate if candidate in get_commands() else name
