"""WSGI entry point (``huhang serve`` runs it; any WSGI server can).

Plainly valid hash-only evidence submissions are answered ahead of Django's request handling
(:mod:`huhang.evidence.hash_gateway`); every other request goes to Django.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huhang.site.settings")
application = get_wsgi_application()

from huhang.evidence.hash_gateway import HashGateway  # noqa: E402 - needs the settings configured above

application = HashGateway(application)


def _warm_up() -> None:
    """Load now what a process's first requests would load (every URL module and view, the translations), so
    that a web process just started answers its first requests as fast as the others do."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            reverse("evidence:verify")  # imports the URL configuration and fills its reverse lookups
            translation.gettext("The data is not valid.")


_warm_up()

from huhang.evidence.ledger_service import connect_writer_from_environment  # noqa: E402 - needs the settings

connect_writer_from_environment()  # a web process of `huhang serve`: append through its ledger writer
