import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


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
    help = (
        "Serve the site with the waitress WSGI server; also run one task-queue worker unless --no-worker. "
        "With --workers N, N web processes share the port and this process owns the ledger's writer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8, help="threads of each web process")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="web processes (default 1: this process serves). With more, they accept on the same port and "
            "hand their ledger appends to this process, which alone writes the log (docs/operations.md)",
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
        # A web process of --workers N: the listening socket and the connection to the ledger's writer it inherits.
        parser.add_argument("--listen-fd", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--sequencer-fd", type=int, help=argparse.SUPPRESS)

    def handle(self, *args, host, port, threads, workers, worker, trusted_proxy, listen_fd, sequencer_fd, **options):
        if listen_fd is not None:
            self._serve_child(listen_fd, sequencer_fd, threads=threads, trusted_proxy=trusted_proxy)
            return
        if workers < 1:
            raise CommandError("--workers must be at least 1")
        process = None
        if worker:
            process = subprocess.Popen([sys.executable, "-m", "huhang", "db_worker", "--no-reload"])
        publisher = self._start_publisher()
        timestamper = self._start_timestamper()
        try:
            if workers == 1:
                from waitress import serve

                from huhang.site.wsgi import application

                self.stdout.write(f"Huhang (护航) on http://{host}:{port}/  data: {settings.DATA_DIR}")
                proxy = proxy_options(trusted_proxy)
                serve(application, host=host, port=port, threads=threads, ident="huhang", **proxy)
            else:
                self._serve_workers(host, port, workers=workers, threads=threads, trusted_proxy=trusted_proxy)
        finally:
            if timestamper is not None:
                timestamper.close()
            if publisher is not None:
                publisher.close()
            if process is not None:
                process.terminate()
                process.wait(timeout=30)

    # -- several web processes -------------------------------------------------------------------------

    def _serve_workers(self, host: str, port: int, *, workers: int, threads: int, trusted_proxy: str | None):
        """Bind the port, own the ledger's sequencer, and keep ``workers`` web processes running on the port.

        Each web process inherits the listening socket (the kernel hands each new connection to one of them)
        and one end of a socket pair to this process, through which it submits its ledger appends; this
        process's sequencer batches them all and writes the log, so the tree has one writer. A web process
        that exits is started again; on SIGTERM or Ctrl-C the web processes are stopped first, then the
        sequencer, after the appends already submitted are written.
        """
        from huhang.evidence import ledger_service
        from huhang.ledger.remote import SequencerServer

        listener = socket.create_server((host, port), backlog=1024, reuse_port=False)
        listener.set_inheritable(True)
        server = SequencerServer(ledger_service.sequencer)
        stopping = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stopping.set())
        children: list[subprocess.Popen | None] = [None] * workers

        def start() -> subprocess.Popen:
            ours, theirs = socket.socketpair()
            theirs.set_inheritable(True)
            command = [sys.executable, "-m", "huhang", "serve", "--no-worker", "--threads", str(threads)]
            command += ["--listen-fd", str(listener.fileno()), "--sequencer-fd", str(theirs.fileno())]
            if trusted_proxy:
                command += ["--trusted-proxy", trusted_proxy]
            child = subprocess.Popen(command, pass_fds=(listener.fileno(), theirs.fileno()))  # noqa: S603 - ourselves
            theirs.close()
            server.serve(ours)
            return child

        self.stdout.write(
            f"Huhang (护航) on http://{host}:{port}/  {workers} web processes, ledger writer pid {os.getpid()}  "
            f"data: {settings.DATA_DIR}"
        )
        try:
            for slot in range(workers):
                children[slot] = start()
            while not stopping.wait(0.5):
                for slot, child in enumerate(children):
                    if child is not None and child.poll() is not None:
                        self.stderr.write(f"web process {child.pid} exited with {child.returncode}: starting another")
                        children[slot] = start()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            for child in children:
                if child is not None and child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 30
            for child in children:
                if child is not None:
                    try:
                        child.wait(timeout=max(0.1, deadline - time.monotonic()))
                    except subprocess.TimeoutExpired:
                        child.kill()
            listener.close()
            server.close()
            ledger_service.ledger_close()  # stops the sequencer once what was submitted is written

    def _serve_child(self, listen_fd: int, sequencer_fd: int | None, *, threads: int, trusted_proxy: str | None):
        from waitress import serve

        from huhang.evidence import ledger_service
        from huhang.site.wsgi import application

        if sequencer_fd is None:
            raise CommandError("--listen-fd needs --sequencer-fd")
        # Without the ledger's writer this process could only fail appends: stop, and let the parent start another.
        ledger_service.use_remote_sequencer(sequencer_fd, on_gone=lambda: os.kill(os.getpid(), signal.SIGTERM))
        listener = socket.socket(fileno=listen_fd)
        serve(application, sockets=[listener], threads=threads, ident="huhang", **proxy_options(trusted_proxy))

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
