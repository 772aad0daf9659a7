"""Behind ``--trusted-proxy``: that proxy's X-Forwarded-For/-Proto are believed, nobody else's; and granian's
copy of the process's environment stays out of requests."""

import pytest

from huhang.site.proxy import TRUSTED_PROXY_VARIABLE, TrustedProxyMiddleware, forwarded_client
from huhang.site.serving import WithoutProcessEnvironment, build


def _seen(app, **environ) -> dict:
    """Return the environ ``app`` hands on for a request with ``environ``."""
    seen = {}

    def inner(env, start_response):
        seen.update(env)
        return [b""]

    base = {"REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http", "SERVER_PORT": "8000", "PATH_INFO": "/"}
    app(inner)(base | environ, lambda *args: None)
    return seen


def _proxied(trusted: str):
    return lambda inner: TrustedProxyMiddleware(inner, trusted)


def test_the_trusted_proxy_passes_on_the_client_address_and_scheme():
    seen = _seen(
        _proxied("127.0.0.1"),
        HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7",  # the client sent the first; the proxy added the last
        HTTP_X_FORWARDED_PROTO="HTTPS",
    )
    assert seen["REMOTE_ADDR"] == "203.0.113.7"
    assert seen["HTTP_X_FORWARDED_FOR"] == "203.0.113.7", "REST framework's throttles read the header too"
    assert seen["wsgi.url_scheme"] == "https" and seen["HTTP_X_FORWARDED_PROTO"] == "https"
    assert seen["SERVER_PORT"] == "443"


@pytest.mark.parametrize(
    ("header", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("203.0.113.7:51234", "203.0.113.7"),
        ('"[2001:db8::1]:443"', "2001:db8::1"),
        ("10.0.0.1,2001:DB8:0::1", "2001:db8::1"),
        ("", None),
        (" , ", None),
        ("unknown", None),
        ("203.0.113.7, not-an-address", None),
        ("999.1.1.1", None),
    ],
)
def test_the_client_is_the_last_valid_address(header, client):
    assert forwarded_client(header) == client


@pytest.mark.parametrize("header", ["", "garbage", "203.0.113.7, <script>"])
def test_a_malformed_or_empty_forwarded_for_leaves_the_proxys_address(header):
    seen = _seen(_proxied("127.0.0.1"), HTTP_X_FORWARDED_FOR=header)
    assert seen["REMOTE_ADDR"] == "127.0.0.1"
    assert "HTTP_X_FORWARDED_FOR" not in seen


def test_an_unknown_scheme_from_the_proxy_is_dropped():
    seen = _seen(_proxied("127.0.0.1"), HTTP_X_FORWARDED_PROTO="gopher")
    assert seen["wsgi.url_scheme"] == "http" and "HTTP_X_FORWARDED_PROTO" not in seen


def test_from_any_other_peer_the_forwarding_headers_are_removed():
    seen = _seen(
        _proxied("10.0.0.2"),
        HTTP_X_FORWARDED_FOR="203.0.113.7",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_FORWARDED="for=203.0.113.7;proto=https",
        HTTP_X_FORWARDED_HOST="evil.example",
        HTTP_HOST="ip.example.gov.cn",
    )
    assert seen["REMOTE_ADDR"] == "127.0.0.1" and seen["wsgi.url_scheme"] == "http"
    assert not {key for key in seen if "FORWARDED" in key}
    assert seen["HTTP_HOST"] == "ip.example.gov.cn"


def test_headers_the_site_does_not_use_are_removed_even_from_the_proxy():
    seen = _seen(_proxied("127.0.0.1"), HTTP_X_FORWARDED_HOST="evil.example", HTTP_FORWARDED="for=1.2.3.4")
    assert "HTTP_X_FORWARDED_HOST" not in seen and "HTTP_FORWARDED" not in seen


def test_an_ipv6_proxy_is_recognised_however_it_is_written():
    seen = _seen(_proxied("0:0::1"), REMOTE_ADDR="::1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert seen["REMOTE_ADDR"] == "203.0.113.7"


def test_the_served_application_believes_a_proxy_only_when_told():
    without = _seen(lambda inner: build(inner, {}), HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert without["REMOTE_ADDR"] == "127.0.0.1" and without["HTTP_X_FORWARDED_FOR"] == "203.0.113.7"  # as waitress
    told = {TRUSTED_PROXY_VARIABLE: "127.0.0.1"}
    assert _seen(lambda inner: build(inner, told), HTTP_X_FORWARDED_FOR="203.0.113.7")["REMOTE_ADDR"] == "203.0.113.7"
    empty = {TRUSTED_PROXY_VARIABLE: ""}
    assert _seen(lambda inner: build(inner, empty), HTTP_X_FORWARDED_FOR="203.0.113.7")["REMOTE_ADDR"] == "127.0.0.1"


def test_the_process_environment_stays_out_of_requests():
    process = {"DATABASE_URL": "postgresql://huhang:pw@db/huhang", "PATH": "/usr/bin", "HTTP_PROXY": "http://p:3128"}
    # granian starts each request's environ from a copy of the process's environment
    seen = _seen(lambda inner: WithoutProcessEnvironment(inner, process), **process, HTTP_USER_AGENT="curl")
    assert not set(process) & set(seen)
    assert seen["HTTP_USER_AGENT"] == "curl" and seen["PATH_INFO"] == "/"
    # a header the request did send is kept, even if the process has a variable of that name
    sent = _seen(lambda inner: WithoutProcessEnvironment(inner, process), HTTP_PROXY="from the request")
    assert sent["HTTP_PROXY"] == "from the request"
