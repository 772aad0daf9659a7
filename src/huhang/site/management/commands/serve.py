import multiprocessing
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

#: What granian's web processes import: the site's application, wrapped as this command configures it.
TARGET = "huhang.site.serving:application"
#: How long the web processes may take to finish their requests when stopped, before they are killed.
STOP_TIMEOUT = 30
#: A Unix socket's path must be shorter than this (108 bytes on Linux, 104 elsewhere, with the final NUL).
MAX_SOCKET_PATH = 100


def writer_directory() -> str:
    """Make a new directory only this user may enter (mode 0700) for the writer's socket, and return it.

    In the temporary directory (``TMPDIR``), or in /tmp if the socket's path would be too long there.
    """
    directory = tempfile.mkdtemp(prefix="huhang-ledger-writer-")
    short = "/tmp"  # noqa: S108 - mkdtemp makes a directory of its own there, mode 0700
    if len(os.fsencode(os.path.join(directory, "writer.sock"))) >= MAX_SOCKET_PATH and os.path.isdir(short):
        os.rmdir(directory)
        directory = tempfile.mkdtemp(prefix="huhang-ledger-writer-", dir=short)
    return directory


class Command(BaseCommand):
    help = (
        "Serve the site with the granian HTTP server; also run one task-queue worker unless --no-worker. "
        "This process supervises the web processes and owns the ledger's writer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8, help="threads of each web process")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="web processes (default 1). They accept on the same port and hand their ledger appends to this "
            "process, which alone writes the log (docs/operations.md)",
        )
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

    def handle(self, *args, host, port, threads, workers, worker, trusted_proxy, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        if threads < 1:
            raise CommandError("--threads must be at least 1")
        process = None
        if worker:
            process = subprocess.Popen([sys.executable, "-m", "huhang", "db_worker", "--no-reload"])
        publisher = self._start_publisher()
        timestamper = self._start_timestamper()
        try:
            self._serve(host, port, workers=workers, threads=threads, trusted_proxy=trusted_proxy)
        finally:
            if timestamper is not None:
                timestamper.close()
            if publisher is not None:
                publisher.close()
            if process is not None:
                process.terminate()
                process.wait(timeout=30)

    # -- the web processes and the ledger's writer ---------------------------------------------------

    def _serve(self, host: str, port: int, *, workers: int, threads: int, trusted_proxy: str | None) -> None:
        """Own the ledger's sequencer, and have granian keep ``workers`` web processes serving on the port.

        The sequencer is served on a Unix socket in a new directory only this user may enter; the web
        processes learn its path and a secret from their environment (``huhang.site.wsgi`` connects them),
        and hand it their appends, so the log has one writer whose batches gather the entries of all of
        them. granian starts the web processes with the "spawn" method (this process has threads: forking
        it is unsafe), starts another when one exits, and stops them on SIGTERM or Ctrl-C; then the
        sequencer stops, once the appends already submitted are written.
        """
        from granian.constants import Interfaces
        from granian.server import Server

        from huhang.evidence import ledger_service
        from huhang.ledger.remote import SequencerServer
        from huhang.site.proxy import TRUSTED_PROXY_VARIABLE

        directory = writer_directory()
        path, secret = os.path.join(directory, "writer.sock"), secrets.token_hex(32)
        server = SequencerServer(ledger_service.sequencer)
        environment = {
            ledger_service.WRITER_SOCKET_VARIABLE: path,
            ledger_service.WRITER_SECRET_VARIABLE: secret,
            TRUSTED_PROXY_VARIABLE: trusted_proxy or "",  # never one inherited from elsewhere
        }
        saved_environment = {name: os.environ.get(name) for name in environment}
        start_method = multiprocessing.get_start_method(allow_none=True)
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        try:
            server.listen(path, secret)
            os.environ.update(environment)
            multiprocessing.set_start_method("spawn", force=True)
            granian = Server(
                TARGET,
                address=host,
                port=port,
                interface=Interfaces.WSGI,
                workers=workers,
                blocking_threads=threads,
                respawn_failed_workers=True,
                workers_kill_timeout=STOP_TIMEOUT,
            )
            self.stdout.write(
                f"Huhang (护航) on http://{host}:{port}/  {workers} web process(es), ledger writer pid "
                f"{os.getpid()}  data: {settings.DATA_DIR}"
            )
            self.stdout.flush()
            granian.serve()
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            multiprocessing.set_start_method(start_method, force=True)
            for name, value in saved_environment.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
            server.close()
            ledger_service.ledger_close()  # stops the sequencer once what was submitted is written
            shutil.rmtree(directory, ignore_errors=True)

    # -- background helpers --------------------------------------------------------------------------

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
        self.stdout.write(f"publishing checkpoints to {len(publisher.witnesses)} witness(es)")
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
