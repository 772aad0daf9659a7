"""Believe the reverse proxy's ``X-Forwarded-For`` and ``X-Forwarded-Proto``, and nobody else's.

``huhang serve --trusted-proxy ADDRESS`` wraps the site in :class:`TrustedProxyMiddleware`, which does what
waitress's ``trusted_proxy`` options did. From the proxy (the peer's address is ``ADDRESS``):

- ``REMOTE_ADDR`` becomes the last address of ``X-Forwarded-For`` (the one the proxy itself added), and
  the header is cut down to that address, since Django REST framework's throttles read it too; a header
  without a valid address there is removed and ``REMOTE_ADDR`` stays the proxy's;
- ``wsgi.url_scheme`` becomes ``X-Forwarded-Proto`` when that is ``http`` or ``https`` (the header is kept,
  lower-cased, for ``SECURE_PROXY_SSL_HEADER``); another value is removed.

The other forwarding headers (``Forwarded``, ``X-Forwarded-Host``, ``-Port``, ``-By``) are removed, and from
any other peer all of them are, so that no client can pass for another address or scheme.
"""

import ipaddress

#: Set by ``huhang serve --trusted-proxy ADDRESS`` for its web processes (:mod:`huhang.site.serving`).
TRUSTED_PROXY_VARIABLE = "HUHANG_TRUSTED_PROXY"
FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"
FORWARDED_PROTO = "HTTP_X_FORWARDED_PROTO"
UNUSED_HEADERS = ("HTTP_FORWARDED", "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_BY")
PROXY_HEADERS = (FORWARDED_FOR, FORWARDED_PROTO, *UNUSED_HEADERS)
_PORTS = {"http": "80", "https": "443"}


def _normalise(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return address


def forwarded_client(header: str) -> str | None:
    """Return the last address of an ``X-Forwarded-For`` value, without port or brackets; None if not valid."""
    hop = header.rsplit(",", 1)[-1].strip().strip('"')
    if hop.startswith("["):  # [IPv6] or [IPv6]:port
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:  # IPv4:port
        hop = hop.partition(":")[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return None


class TrustedProxyMiddleware:
    """WSGI middleware: the forwarding headers of ``trusted_proxy`` are believed; everyone else's removed."""

    def __init__(self, app, trusted_proxy: str):
        self.app = app
        self.trusted_proxy = _normalise(trusted_proxy.strip())

    def __call__(self, environ, start_response):
        if environ.get("REMOTE_ADDR") == self.trusted_proxy:
            for header in UNUSED_HEADERS:
                environ.pop(header, None)
            forwarded_for = environ.get(FORWARDED_FOR)
            if forwarded_for is not None:
                client = forwarded_client(forwarded_for)
                if client is None:
                    del environ[FORWARDED_FOR]
                else:
                    environ["REMOTE_ADDR"] = environ[FORWARDED_FOR] = client
            proto = environ.get(FORWARDED_PROTO)
            if proto is not None:
                proto = proto.strip().strip('"').lower()
                if proto in _PORTS:
                    environ[FORWARDED_PROTO] = environ["wsgi.url_scheme"] = proto
                    environ["SERVER_PORT"] = _PORTS[proto]
                else:
                    del environ[FORWARDED_PROTO]
        else:
            for header in PROXY_HEADERS:
                environ.pop(header, None)
        return self.app(environ, start_response)
