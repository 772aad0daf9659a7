"""The write paths of monitoring: record a published statistic (or a correction of one), load a file of them,
and revise a target. Each is authorised, audited, and refused whole with a specific message when anything is
wrong: a figure or a target without a source is never recorded."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huhang.audit.services import audit_record
from huhang.monitoring import access
from huhang.monitoring.indicators import BY_ID
from huhang.monitoring.models import Statistic, StatisticCode, TargetRevision
from huhang.monitoring.periods import PeriodError, parse_period

POPULATION_UNITS = {"人": 1, "万人": 10_000}

# Published figures that report an indicator, or feed a formula, recognised by their name as published and scope.
KNOWN_NAMES: dict[tuple[str, str], tuple[str, str]] = {
    ("每万人口高价值发明专利拥有量 (high-value invention patents per 10,000 people)", "Wuhan"): ("K2", ""),
    ("作品版权登记量 (copyright work registrations)", "Wuhan"): ("K3", ""),
    ("高价值专利培育中心 (high-value patent cultivation centres launched)", "Wuhan"): ("K13", ""),
    ("常住人口 (resident population)", "Wuhan"): ("", StatisticCode.RESIDENT_POPULATION),
    ("地区生产总值 (GDP)", "Wuhan"): ("", StatisticCode.GDP),
    ("专利密集型产业增加值 (value added of patent-intensive industries)", "Wuhan"): (
        "", StatisticCode.PATENT_INTENSIVE_VALUE_ADDED,
    ),
}  # fmt: skip


def _clean(fields: dict) -> dict:
    """Check one statistic's fields; return them normalised or raise ``ValidationError`` naming each problem."""
    errors: dict[str, str] = {}
    cleaned = {key: (value.strip() if isinstance(value, str) else value) for key, value in fields.items()}
    for key, label in (("name", _("name")), ("period", _("period")), ("unit", _("unit")), ("scope", _("scope"))):
        if not cleaned.get(key):
            errors[key] = _("The %(field)s is missing.") % {"field": label}
    if not cleaned.get("source_title"):
        errors["source_title"] = _("A statistic without its source is refused: name the publication it comes from.")
    if cleaned.get("source_url"):
        try:
            URLValidator()(cleaned["source_url"])
        except ValidationError:
            errors["source_url"] = _("The source address is not a web address.")
    try:
        value = Decimal(str(cleaned.get("value", "")).replace(",", ""))
        if not value.is_finite():
            raise InvalidOperation
        cleaned["value"] = value
    except InvalidOperation:
        errors["value"] = _("The value %(value)r is not a number.") % {"value": cleaned.get("value")}
    if cleaned.get("period"):
        try:
            cleaned["period_end"] = parse_period(cleaned["period"]).last_day
        except PeriodError as exc:
            errors["period"] = str(exc)
    code = cleaned.get("code") or ""
    if code and code not in StatisticCode.values:
        errors["code"] = _("Unknown formula input %(code)r.") % {"code": code}
    if code == StatisticCode.RESIDENT_POPULATION and cleaned.get("unit") not in POPULATION_UNITS:
        errors["unit"] = _("A population is counted in 人 or 万人.")
    indicator = (cleaned.get("indicator") or "").upper()
    if indicator and indicator not in BY_ID:
        errors["indicator"] = _("No indicator %(id)s.") % {"id": indicator}
    cleaned["indicator"], cleaned["code"] = indicator, code
    if errors:
        raise ValidationError(errors)
    return cleaned


FIELDS = ("code", "indicator", "name", "period", "value", "unit", "scope", "source_title", "source_url",
          "confidence", "note")  # fmt: skip


def _create(cleaned: dict, actor, supersedes: Statistic | None = None) -> Statistic:
    return Statistic.objects.create(
        **{k: cleaned.get(k, "") for k in FIELDS if k != "value"},
        value=cleaned["value"],
        period_end=cleaned["period_end"],
        supersedes=supersedes,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )


def statistic_record(*, actor, supersedes: Statistic | None = None, **fields) -> Statistic:
    """Record one published statistic (``supersedes``: the row it corrects, which stays in the history)."""
    access.require_edit(actor)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown statistic fields: {', '.join(sorted(unknown))}")
    cleaned = _clean(fields)
    if supersedes is not None and Statistic.objects.filter(supersedes=supersedes).exists():
        raise ValidationError({"supersedes": _("That statistic has already been corrected; correct the newer one.")})
    with transaction.atomic():
        row = _create(cleaned, actor, supersedes)
        audit_record(actor=actor, action="monitoring.statistic", target=f"statistic/{row.pk}",
                     details={"name": row.name, "period": row.period, "value": str(row.value),
                              "supersedes": supersedes.pk if supersedes else None})  # fmt: skip
    return row


@dataclass
class LoadResult:
    recorded: int
    unchanged: int
    skipped: list[tuple[int, str]]


REQUIRED_COLUMNS = ("indicator", "period", "value", "unit", "scope", "source_title")


def statistics_load(*, actor, data: bytes, skip_unreadable: bool = False) -> LoadResult:
    """Load a CSV of published statistics (columns ``indicator, period, value, unit, scope, source_url,
    source_title, note, confidence``, and optionally ``code`` and ``kpi``), all or nothing.

    A row already recorded with the same name, scope, period, value and source is left as it is, so a file can be
    loaded again. Rows that cannot be read (no number, no source …) refuse the whole file with their line numbers,
    unless ``skip_unreadable`` is given, when they are reported and left out.
    """
    access.require_edit(actor)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("The file is not UTF-8 text (byte %(at)d).") % {"at": exc.start}) from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
    rows, problems = [], []
    for line, raw in enumerate(reader, start=2):
        name, scope = (raw.get("indicator") or "").strip(), (raw.get("scope") or "").strip()
        indicator, code = KNOWN_NAMES.get((name, scope), ("", ""))
        fields = {
            "name": name, "scope": scope, "period": raw.get("period", ""), "value": raw.get("value", ""),
            "unit": raw.get("unit", ""), "source_title": raw.get("source_title", ""),
            "source_url": raw.get("source_url", ""), "note": raw.get("note", ""),
            "confidence": raw.get("confidence", ""), "indicator": raw.get("kpi") or indicator,
            "code": raw.get("code") or code,
        }  # fmt: skip
        try:
            rows.append((line, _clean(fields)))
        except ValidationError as exc:
            messages = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
            problems.append((line, messages))
    if problems and not skip_unreadable:
        listed = "\n".join(_("line %(line)d: %(problem)s") % {"line": n, "problem": p} for n, p in problems)
        raise ValidationError(_("Nothing was loaded; these rows cannot be read:\n%(rows)s") % {"rows": listed})
    recorded = unchanged = 0
    with transaction.atomic():
        for _line, cleaned in rows:
            same = Statistic.objects.filter(
                name=cleaned["name"], scope=cleaned["scope"], period=cleaned["period"], value=cleaned["value"],
                source_title=cleaned["source_title"], superseded_by__isnull=True,
            )  # fmt: skip
            if same.exists():
                unchanged += 1
                continue
            _create(cleaned, actor)
            recorded += 1
        skipped = [n for n, _p in problems]
        audit_record(actor=actor, action="monitoring.statistics_load", target="statistics",
                     details={"recorded": recorded, "unchanged": unchanged, "skipped": skipped})  # fmt: skip
    return LoadResult(recorded, unchanged, problems)


def target_revise(
    *, actor, indicator: str, from_year: int, value, source_title: str, source_quote: str = ""
) -> TargetRevision:
    """Set a new target for ``indicator`` from ``from_year`` on; the plan's target and earlier revisions stay."""
    access.require_edit(actor)
    errors = {}
    if indicator.upper() not in BY_ID:
        errors["indicator"] = _("No indicator %(id)s.") % {"id": indicator}
    if not (source_title or "").strip():
        errors["source_title"] = _("A target without its source is refused: name the plan or decision that sets it.")
    try:
        amount = Decimal(str(value))
        if not amount.is_finite() or amount < 0:
            raise InvalidOperation
    except InvalidOperation:
        errors["value"] = _("The target %(value)r is not a number of zero or more.") % {"value": value}
    if not isinstance(from_year, int) or not 2000 <= from_year <= 2100:
        errors["from_year"] = _("The year %(year)r is out of range.") % {"year": from_year}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = TargetRevision.objects.create(
            indicator=indicator.upper(), from_year=from_year, value=amount, source_title=source_title.strip(),
            source_quote=(source_quote or "").strip(), set_by=actor, set_at=timezone.now(),
        )  # fmt: skip
        audit_record(actor=actor, action="monitoring.target", target=f"indicator/{row.indicator}",
                     details={"from_year": from_year, "value": str(amount), "source": row.source_title})  # fmt: skip
    return row
