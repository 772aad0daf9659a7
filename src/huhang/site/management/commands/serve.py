import subprocess
import sys
from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management.base import BaseCommand


def proxy_options(trusted_proxy: str | None) -> dict:
    """Return waitress's options to believe X-Forwarded-For/-Proto from ``trusted_proxy`` only."""
    if not trusted_proxy:
        return {}
    return {
        "trusted_proxy": trusted_proxy,
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {"x-forwarded-for", "x-forwarded-proto"},
        "clear_untrusted_proxy_headers": True,
    }


class Command(BaseCommand):
    help = "Serve the site with the waitress WSGI server; also run one task-queue worker unless --no-worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--trusted-proxy",
            metavar="ADDRESS",
            help="address of the reverse proxy whose X-Forwarded-For/-Proto headers are believed, so that login "
            "throttling sees the client's address rather than the proxy's",
        )
        parser.add_argument(
            "--worker",
            action=BooleanOptionalAction,
            default=True,
            help="start a `huhang db_worker` beside the server (turn off when workers run as their own service)",
        )

    def handle(self, *args, host, port, threads, worker, trusted_proxy, **options):
        from waitress import serve

        from huhang.site.wsgi import application

        process = None
        if worker:
            process = subprocess.Popen([sys.executable, "-m", "huhang", "db_worker", "--no-reload"])
        publisher = self._start_publisher()
        timestamper = self._start_timestamper()
        self.stdout.write(f"Huhang (护航) on http://{host}:{port}/  data: {settings.DATA_DIR}")
        try:
            serve(application, host=host, port=port, threads=threads, ident="huhang", **proxy_options(trusted_proxy))
        finally:
            if timestamper is not None:
                timestamper.close()
            if publisher is not None:
                publisher.close()
            if process is not None:
                process.terminate()
                process.wait(timeout=30)

    def _start_publisher(self):
        """Send new checkpoints to the configured witnesses in the background (docs/ledger.md, "Witnesses")."""
        from huhang.evidence import witnesses
        from huhang.evidence.ledger_service import LedgerNotInitialised

        if not witnesses.configured_witnesses():
            return None
        try:
            publisher = witnesses.ledger_publisher(interval=5)
        except LedgerNotInitialised:
            self.stderr.write("witnesses are configured but the ledger is not: run `huhang ledger init` first")
            return None
        publisher.start()
        self.stdout.write(f"publishing checkpoints to {len(witnesses.configured_witnesses())} witness(es)")
        return publisher

    def _start_timestamper(self):
        """Time-stamp new checkpoints with the configured TSA in the background (docs/ledger.md, "Time-stamping")."""
        from django.utils.translation import gettext as _

        from huhang.evidence import timestamps
        from huhang.evidence.ledger_service import LedgerNotInitialised

        if not timestamps.tsa_url():
            return None
        try:
            timestamper = timestamps.ledger_timestamper()
        except LedgerNotInitialised:
            self.stderr.write(_("a TSA is configured but the ledger is not: run `huhang ledger init` first"))
            return None
        timestamper.start()
        self.stdout.write(
            _("time-stamping checkpoints with %(url)s every %(seconds)s s")
            % {"url": timestamper.tsa_url, "seconds": timestamper.interval}
        )
        return timestamper
