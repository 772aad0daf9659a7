from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with the waitress WSGI server (static files included)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        from waitress import serve

        from huhang.site.wsgi import application

        self.stdout.write(f"Huhang (护航) on http://{host}:{port}/  data: {settings.DATA_DIR}")
        serve(application, host=host, port=port, threads=threads, ident="huhang")
