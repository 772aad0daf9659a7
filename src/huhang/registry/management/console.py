"""What the registry's commands share: who acts (``--as``), the language, and a progress bar."""

import sys
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from huhang.accounts.roles import Role


def add_common_arguments(parser) -> None:
    parser.add_argument(
        "--as",
        dest="actor",
        metavar="USERNAME",
        help="the user doing this, recorded in the history and audit log; may be left out only when "
        "exactly one administrator exists",
    )
    parser.add_argument(
        "--language",
        choices=[code for code, _name in settings.LANGUAGES],
        default=settings.LANGUAGE_CODE,
        help="language of messages and of exported headers (default: %(default)s)",
    )


def actor_from(username: str | None):
    """Return the active user ``username``, or the only administrator when no user name is given."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        try:
            return users.get(username=username)
        except users.model.DoesNotExist:
            raise CommandError(_("No active user is named %(name)s.") % {"name": username}) from None
    admins = users.filter(Q(is_superuser=True) | Q(role=Role.ADMIN))
    count = admins.count()
    if count == 1:
        return admins.get()
    raise CommandError(
        _(
            "Say who is acting with --as USERNAME. It may be left out only when exactly one administrator "
            "exists; there are %(count)d."
        )
        % {"count": count}
    )


@contextmanager
def progress_bar(command, description: str):
    """Yield a ``progress(done, total)`` callable drawing a bar on stderr (nothing at verbosity 0)."""
    if command.verbosity == 0:
        yield None
        return
    console = Console(file=getattr(command.stderr, "_out", sys.stderr))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update
