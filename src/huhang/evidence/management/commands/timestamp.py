"""``huhang timestamp once`` and ``huhang timestamp show [--size N]``: RFC 3161 time-stamps of ledger checkpoints."""

import base64
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from huhang.evidence import ledger_service, timestamps
from huhang.ledger.errors import LedgerError
from huhang.ledger.timestamp import TimestampError, format_gen_time, read_timestamp, verify_timestamp


class Command(BaseCommand):
    help = "RFC 3161 time-stamps of the ledger's checkpoints by the TSA of HUHANG_LEDGER_TSA_URL: once, show."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("once", help="time-stamp the latest checkpoint (or publication) unless it has a token already")
        show = sub.add_parser("show", help="print a stored token: its time, TSA, serial number and base64 DER")
        show.add_argument("--size", type=int, help="the checkpoint's size (default: the latest time-stamped one)")
        show.add_argument("--out", type=Path, metavar="FILE", help="also write the token's DER to FILE")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "_" + action)(**options)
        except (LedgerError, ValueError, OSError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from None

    def _once(self, **_options):
        result = timestamps.ledger_timestamp_once()
        if result.size is None:
            if timestamps.timestamp_source() == "publication":
                raise CommandError(_("Nothing to time-stamp yet: no checkpoint has been published."))
            raise CommandError(_("Nothing to time-stamp yet: the ledger has no checkpoint."))
        if result.timestamp is None:
            raise CommandError(
                _("Checkpoint %(size)d was not time-stamped: %(error)s") % {"size": result.size, "error": result.error}
            )
        values = {"size": result.size, "time": result.timestamp.gen_time, "url": result.timestamp.tsa_url}
        if result.created:
            self.stdout.write(_("Checkpoint %(size)d time-stamped at %(time)s by %(url)s.") % values)
        else:
            self.stdout.write(_("Checkpoint %(size)d was time-stamped already, at %(time)s by %(url)s.") % values)

    def _show(self, *, size, out, **_options):
        log = ledger_service.open_log()
        stamp = log.latest_timestamp() if size is None else log.timestamp(size)
        if stamp is None:
            if size is None:
                raise CommandError(_("No checkpoint has been time-stamped yet."))
            raise CommandError(_("Checkpoint %(size)d has no time-stamp.") % {"size": size})
        token = read_timestamp(stamp.token)
        covers, problem = _covered_note(log, stamp)
        lines = [
            (_("Checkpoint"), str(stamp.size)),
            (_("Time (from the TSA)"), format_gen_time(token.gen_time)),
            (_("TSA"), token.tsa_name or _("(not named in the token)")),
            (_("Serial number"), f"{token.serial_number} ({token.serial_number:#x})"),
            (_("Imprint"), f"{token.hash_name} {token.digest.hex()}"),
            (_("Policy"), token.policy_oid),
            (_("TSA URL"), stamp.tsa_url),
            (_("Covers"), covers or _("neither note of this size")),
        ]
        for label, value in lines:
            self.stdout.write(f"{label}: {value}")
        self.stdout.write(_("Token (base64 DER):"))
        self.stdout.write(base64.b64encode(stamp.token).decode())
        if out is not None:
            out.write_bytes(stamp.token)
            self.stderr.write(_("Token written to %(file)s.") % {"file": out})
        if problem:
            raise CommandError(_("The stored token does not verify: %(error)s") % {"error": problem})


def _covered_note(log, stamp) -> tuple[str | None, str | None]:
    """Say which note of the checkpoint's size the token verifies for; else why it verifies for none."""
    checkpoint = log.checkpoint(stamp.size)
    candidates = [
        (_("the published (cosigned) checkpoint"), log.publication(stamp.size)),
        (_("the signed checkpoint"), checkpoint.note if checkpoint else None),
    ]
    problems = []
    for label, note in candidates:
        if note is None:
            continue
        try:
            verify_timestamp(stamp.token, note.encode("utf-8"))
        except TimestampError as exc:
            problems.append(str(exc))
        else:
            return label, None
    return None, "; ".join(problems) or _("the log has no checkpoint of that size")
