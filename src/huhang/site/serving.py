"""The application ``huhang serve`` has granian serve: ``huhang.site.serving:application``.

Each web process imports it. It is the site's WSGI application (:mod:`huhang.site.wsgi`, whose import also
connects the process to the ledger's writer), wrapped for what the serving command configured:

- with ``--trusted-proxy``, passed on in ``HUHANG_TRUSTED_PROXY``: :class:`~huhang.site.proxy.TrustedProxyMiddleware`;
- always: the process's own environment is taken out of each request's. granian copies ``os.environ`` into
  every WSGI environment (waitress did not), and it holds ``DATABASE_URL`` and the like, which must not show
  in ``request.META`` (error reports print it).
"""

import os

from huhang.site.proxy import TRUSTED_PROXY_VARIABLE, TrustedProxyMiddleware
from huhang.site.wsgi import application as site

# Keys a request may carry, or granian sets for every request: never taken out, unless a header's value is
# the process's own (a variable such as HTTP_PROXY, which the request did not send).
_SERVER_KEYS = frozenset({"GATEWAY_INTERFACE", "SCRIPT_NAME", "SERVER_SOFTWARE"})
_REQUEST_KEYS = frozenset(
    {
        "CONTENT_LENGTH",
        "CONTENT_TYPE",
        "PATH_INFO",
        "QUERY_STRING",
        "REMOTE_ADDR",
        "REQUEST_METHOD",
        "SERVER_NAME",
        "SERVER_PORT",
        "SERVER_PROTOCOL",
    }
)


class WithoutProcessEnvironment:
    """WSGI middleware: remove the variables of ``environment`` (the process's) from each request's environ."""

    def __init__(self, app, environment):
        self.app = app
        self.own = tuple(
            key
            for key in environment
            if key not in _SERVER_KEYS and key not in _REQUEST_KEYS and not key.startswith(("HTTP_", "wsgi."))
        )
        self.shadowing = tuple(
            (key, value) for key, value in environment.items() if key in _REQUEST_KEYS or key.startswith("HTTP_")
        )

    def __call__(self, environ, start_response):
        for key in self.own:
            environ.pop(key, None)
        for key, value in self.shadowing:
            if environ.get(key) == value:
                del environ[key]
        return self.app(environ, start_response)


def build(app, environment) -> object:
    """Return ``app`` wrapped as the serving process's ``environment`` asks."""
    trusted_proxy = environment.get(TRUSTED_PROXY_VARIABLE)
    if trusted_proxy:
        app = TrustedProxyMiddleware(app, trusted_proxy)
    return WithoutProcessEnvironment(app, dict(environment))


application = build(site, os.environ)
