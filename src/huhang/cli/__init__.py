"""The ``huhang`` command: every subcommand is a Django management command.

``huhang serve``, ``huhang migrate``, ``huhang demo-data``, ``huhang import``, ``huhang export`` and the
commands later capabilities add all honour ``DATABASE_URL`` and ``HUHANG_DATA_DIR``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huhang.site.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "huhang"
    execute_from_command_line(argv)
