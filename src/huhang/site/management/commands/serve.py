import subprocess
import sys
from argparse import BooleanOptionalAction

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with the waitress WSGI server; also run one task-queue worker unless --no-worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--worker",
            action=BooleanOptionalAction,
            default=True,
            help="start a `huhang db_worker` beside the server (turn off when workers run as their own service)",
        )

    def handle(self, *args, host, port, threads, worker, **options):
        from waitress import serve

        from huhang.site.wsgi import application

        process = None
        if worker:
            process = subprocess.Popen([sys.executable, "-m", "huhang", "db_worker", "--no-reload"])
        self.stdout.write(f"Huhang (护航) on http://{host}:{port}/  data: {settings.DATA_DIR}")
        try:
            serve(application, host=host, port=port, threads=threads, ident="huhang")
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=30)
