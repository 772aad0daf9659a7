"""Start-up checks (``huhang check``, and before ``huhang serve``): a misconfigured store, a missing
certificate font or bad time-stamping settings are reported at once, not at the first submission."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.translation import gettext as _


@register()
def evidence_settings(app_configs, **kwargs):
    problems = []
    if settings.HUHANG_EVIDENCE_STORE == "s3":
        problems += _s3_settings()
    elif settings.HUHANG_EVIDENCE_STORE != "local":
        problems.append(
            Error(
                f"HUHANG_EVIDENCE_STORE={settings.HUHANG_EVIDENCE_STORE!r} is not available",
                hint="Use 'local' (the default, files under HUHANG_EVIDENCE_DIR) or 's3' (an S3-compatible bucket).",
                id="huhang.evidence.E001",
            )
        )
    if settings.HUHANG_EVIDENCE_MAX_BYTES <= 0:
        problems.append(Error("HUHANG_EVIDENCE_MAX_BYTES must be positive", id="huhang.evidence.E002"))
    from huhang.evidence.certificate import FONT_CANDIDATES

    candidates = [settings.HUHANG_PDF_FONT] if settings.HUHANG_PDF_FONT else list(FONT_CANDIDATES)
    if not any(Path(c).is_file() for c in candidates):
        problems.append(
            Warning(
                "no TrueType CJK font for evidence certificates",
                hint="Install Debian's fonts-wqy-microhei, or set HUHANG_PDF_FONT to a .ttf/.ttc file.",
                id="huhang.evidence.W001",
            )
        )
    return problems


S3_REQUIRED = (
    "HUHANG_EVIDENCE_S3_ENDPOINT",
    "HUHANG_EVIDENCE_S3_BUCKET",
    "HUHANG_EVIDENCE_S3_ACCESS_KEY",
    "HUHANG_EVIDENCE_S3_SECRET_KEY",
)


def _s3_settings() -> list:
    from urllib.parse import urlsplit

    problems = []
    missing = [name for name in S3_REQUIRED if not (getattr(settings, name, "") or "").strip()]
    if missing:
        problems.append(
            Error(
                f"HUHANG_EVIDENCE_STORE='s3' needs {', '.join(missing)}",
                hint="Set the S3 endpoint URL, the bucket and the access key pair (see docs/operations.md).",
                id="huhang.evidence.E006",
            )
        )
    endpoint = (getattr(settings, "HUHANG_EVIDENCE_S3_ENDPOINT", "") or "").strip()
    if endpoint:
        try:
            parts = urlsplit(endpoint)
            parts.port  # noqa: B018 - raises ValueError for a bad port
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:  # a bad port or an unclosed IPv6 bracket
            valid = False
        if not valid:
            problems.append(
                Error(
                    f"HUHANG_EVIDENCE_S3_ENDPOINT={endpoint!r} is not an http:// or https:// URL",
                    hint="For example https://obs.cn-north-4.myhuaweicloud.com or http://127.0.0.1:9000 (MinIO).",
                    id="huhang.evidence.E007",
                )
            )
    prefix = getattr(settings, "HUHANG_EVIDENCE_S3_PREFIX", "") or ""
    if prefix.startswith("/") or ".." in prefix.split("/") or "//" in prefix:
        problems.append(
            Error(
                f"HUHANG_EVIDENCE_S3_PREFIX={prefix!r} is not a usable key prefix",
                hint="Use a relative prefix such as 'evidence/' (or an empty one), without '/' first, '..' or '//'.",
                id="huhang.evidence.E008",
            )
        )
    return problems


@register()
def timestamp_settings(app_configs, **kwargs):
    """HUHANG_LEDGER_TSA_*: checked only when a TSA is configured."""
    from huhang.ledger.timestamp import HASH_NAMES

    url = (getattr(settings, "HUHANG_LEDGER_TSA_URL", "") or "").strip()
    if not url:
        return []
    problems = []
    if not url.startswith(("http://", "https://")):
        problems.append(Error(_("HUHANG_LEDGER_TSA_URL must be an http:// or https:// URL"), id="huhang.evidence.E003"))
    if settings.HUHANG_LEDGER_TSA_HASH not in HASH_NAMES:
        problems.append(
            Error(
                _("HUHANG_LEDGER_TSA_HASH=%(name)s is not supported: use sha256 or sm3.")
                % {"name": settings.HUHANG_LEDGER_TSA_HASH},
                id="huhang.evidence.E004",
            )
        )
    if settings.HUHANG_LEDGER_TSA_INTERVAL <= 0:
        problems.append(
            Error(
                _("HUHANG_LEDGER_TSA_INTERVAL=%(value)s: want a positive number of seconds.")
                % {"value": settings.HUHANG_LEDGER_TSA_INTERVAL},
                id="huhang.evidence.E005",
            )
        )
    return problems
