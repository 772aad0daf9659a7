"""The surveys' settings (docs/surveys.md "Settings"), read when used, each with its default.

They are Django settings; a deployment sets them in its settings module (or from the environment there).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = (
    Setting("HUHANG_SURVEY_INVITATION_DAYS", 30, "days an invitation sent after a case closes stays valid"),
    Setting(
        "HUHANG_SURVEY_RATE_PER_HOUR",
        20,
        "portal answers accepted from one client address per hour; more are refused and nothing is written",
    ),
    Setting(
        "HUHANG_SURVEY_ANSWERS_PER_ADDRESS_PER_DAY",
        1,
        "counted portal answers per client address, questionnaire and day; later ones are kept as duplicates",
    ),
    Setting(
        "HUHANG_SURVEY_CASE_QUESTIONNAIRE",
        "k1-satisfaction",
        "code of the questionnaire sent to the parties of closed cases (its latest version)",
    ),
)
_DEFAULTS = {s.name: s.default for s in SETTINGS}


def positive_int(name: str) -> int:
    value = getattr(settings, name, _DEFAULTS[name])
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number of 1 or more, not {value!r}")
    return value


def text(name: str) -> str:
    value = getattr(settings, name, _DEFAULTS[name])
    if not isinstance(value, str) or not value.strip():
        raise ImproperlyConfigured(f"{name} must be a non-empty text, not {value!r}")
    return value.strip()


def invitation_days() -> int:
    return positive_int("HUHANG_SURVEY_INVITATION_DAYS")


def rate_per_hour() -> int:
    return positive_int("HUHANG_SURVEY_RATE_PER_HOUR")


def answers_per_address_per_day() -> int:
    return positive_int("HUHANG_SURVEY_ANSWERS_PER_ADDRESS_PER_DAY")


def case_questionnaire() -> str:
    return text("HUHANG_SURVEY_CASE_QUESTIONNAIRE")


def public_url() -> str:
    """The start of the links printed for invitations: the site's ``HUHANG_PUBLIC_URL`` (site/settings.py)."""
    return settings.HUHANG_PUBLIC_URL.rstrip("/")
