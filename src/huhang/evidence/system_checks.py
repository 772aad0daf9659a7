"""Start-up checks (``huhang check``, and before ``huhang serve``): a misconfigured store, a missing
certificate font or bad time-stamping settings are reported at once, not at the first submission."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.utils.translation import gettext as _


@register()
def evidence_settings(app_configs, **kwargs):
    problems = []
    if settings.HUHANG_EVIDENCE_STORE != "local":
        problems.append(
            Error(
                f"HUHANG_EVIDENCE_STORE={settings.HUHANG_EVIDENCE_STORE!r} is not available",
                hint="Only the local store exists so far: unset HUHANG_EVIDENCE_STORE.",
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
