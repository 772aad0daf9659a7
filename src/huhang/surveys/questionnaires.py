"""The questionnaire format (docs/surveys.md "Questionnaire format"): checking a definition and normalising it.

A definition is a JSON object::

    {"code": "k1-satisfaction", "indicator": "K1", "channels": ["portal", "case"],
     "title": {"zh": "…", "en": "…"}, "intro": {"zh": "…", "en": "…"},
     "questions": [{"key": "efficiency", "kind": "likert5", "label": {"zh": "办案效率", "en": "Speed"},
                    "text": {"zh": "…", "en": "…"},
                    "required": true, "weight": 20}, …]}

Every problem is reported at once, each message naming the question; a definition with a problem is refused
whole (:func:`normalise` raises ``ValidationError`` with the list).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from importlib import resources

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from huhang.surveys import scoring

DEFAULT_CODE = "k1-satisfaction"
DEFAULT_RESOURCE = "data/k1-satisfaction.json"
CHANNELS = ("portal", "case")
INDICATORS = ("K1", "")
CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
OPTION_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TEXT_LIMITS = {"title": 200, "intro": 2000, "text": 500, "help": 500, "label": 200}


def default_definition() -> dict:
    """The questionnaire shipped with the platform (知识产权保护社会满意度调查问卷), as a parsed definition."""
    return json.loads(resources.files("huhang.surveys").joinpath(DEFAULT_RESOURCE).read_text(encoding="utf-8"))


def digest(definition: dict) -> str:
    """SHA-256 of the normalised definition's canonical JSON: two identical publications have the same digest."""
    canonical = json.dumps(definition, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    def texts(self, value, *, field: str, where: str, required: bool) -> dict:
        """A text in both languages: ``{"zh": …, "en": …}``, or a plain string (Chinese only)."""
        if value is None or value == "":
            value = {}
        if isinstance(value, str):
            value = {"zh": value}
        if not isinstance(value, dict) or set(value) - {"zh", "en"}:
            self.error(
                _("%(where)s: “%(field)s” must be a text or an object with “zh” and “en”.")
                % {"where": where, "field": field}
            )
            return {"zh": "", "en": ""}
        zh, en = value.get("zh", ""), value.get("en", "")
        if not isinstance(zh, str) or not isinstance(en, str):
            self.error(_("%(where)s: “%(field)s” must be text.") % {"where": where, "field": field})
            return {"zh": "", "en": ""}
        zh, en = zh.strip(), en.strip()
        if required and not zh:
            self.error(_("%(where)s: “%(field)s” needs a Chinese text (zh).") % {"where": where, "field": field})
        limit = TEXT_LIMITS[field]
        if len(zh) > limit or len(en) > limit:
            self.error(
                _("%(where)s: “%(field)s” is longer than %(limit)s characters.")
                % {"where": where, "field": field, "limit": limit}
            )
        return {"zh": zh, "en": en}


def normalise(raw) -> dict:
    """Check the definition ``raw`` and return it normalised; raise ValidationError listing every problem."""
    check = _Checker()
    if not isinstance(raw, dict):
        raise ValidationError([_("The questionnaire must be a JSON object.")])
    known = {"code", "indicator", "channels", "title", "intro", "questions"}
    if unknown := sorted(set(raw) - known):
        check.error(_("Unknown fields in the questionnaire: %(fields)s.") % {"fields": ", ".join(unknown)})
    where = _("Questionnaire")
    code = raw.get("code")
    if not isinstance(code, str) or not CODE_RE.match(code):
        check.error(_("“code” is required: lowercase letters, digits and hyphens, up to 64 characters."))
        code = ""
    indicator = raw.get("indicator", "")
    if indicator not in INDICATORS:
        check.error(_("“indicator” must be “K1” or empty, not %(value)s.") % {"value": json.dumps(indicator)})
    channels = raw.get("channels", list(CHANNELS))
    if (
        not isinstance(channels, list)
        or any(c not in CHANNELS for c in channels)
        or len(set(channels)) != len(channels)
    ):
        check.error(_("“channels” must list “portal” and/or “case”, each once."))
        channels = []
    title = check.texts(raw.get("title"), field="title", where=where, required=True)
    intro = check.texts(raw.get("intro"), field="intro", where=where, required=False)
    questions_raw = raw.get("questions")
    questions: list[dict] = []
    if not isinstance(questions_raw, list) or not questions_raw:
        check.error(_("The questionnaire has no questions: “questions” must be a non-empty list."))
        questions_raw = []
    seen: set[str] = set()
    for n, q in enumerate(questions_raw, start=1):
        question = _question(check, n, q, seen)
        if question is not None:
            questions.append(question)
    weighted = [q for q in questions if q["weight"] is not None]
    total = math.fsum(q["weight"] for q in weighted)
    if questions and len(questions) == len(questions_raw) and not weighted:
        check.error(
            _("The questionnaire has no scored question: give at least one scale or single-choice question a weight.")
        )
    elif weighted and not total > 0:
        check.error(
            _("The weights of the scored questions sum to %(total)s; they must sum to a positive number.")
            % {"total": f"{total:g}"}
        )
    if check.errors:
        raise ValidationError(check.errors)
    return {
        "code": code,
        "indicator": indicator,
        "channels": [c for c in CHANNELS if c in channels],
        "title": title,
        "intro": intro,
        "questions": questions,
    }


def _question(check: _Checker, n: int, q, seen: set[str]) -> dict | None:
    if not isinstance(q, dict):
        check.error(_("Question %(n)s must be an object.") % {"n": n})
        return None
    errors_before = len(check.errors)
    key = q.get("key")
    if not isinstance(key, str) or not KEY_RE.match(key):
        check.error(
            _("Question %(n)s: “key” is required: lowercase letters, digits and underscores, up to 40 characters.")
            % {"n": n}
        )
        key = f"#{n}"
    elif key in seen:
        check.error(_("Question %(n)s: the key “%(key)s” is used twice.") % {"n": n, "key": key})
    seen.add(key)
    where = _("Question %(n)s (%(key)s)") % {"n": n, "key": key}
    known = {"key", "kind", "label", "text", "help", "required", "weight", "options"}
    if unknown := sorted(set(q) - known):
        check.error(_("%(where)s: unknown fields %(fields)s.") % {"where": where, "fields": ", ".join(unknown)})
    kind = q.get("kind")
    if kind not in scoring.KINDS:
        check.error(
            _("%(where)s: “kind” must be one of likert5, scale10, choice, text, not %(value)s.")
            % {"where": where, "value": json.dumps(kind, ensure_ascii=False)}
        )
    label = check.texts(q.get("label"), field="label", where=where, required=False)
    text = check.texts(q.get("text"), field="text", where=where, required=True)
    help_text = check.texts(q.get("help"), field="help", where=where, required=False)
    required = q.get("required", False)
    if not isinstance(required, bool):
        check.error(_("%(where)s: “required” must be true or false.") % {"where": where})
    weight = None
    if "weight" in q:
        raw_weight = q["weight"]
        if not _is_number(raw_weight) or raw_weight < 0:
            check.error(
                _("%(where)s: the weight must be a number of 0 or more, not %(value)s.")
                % {"where": where, "value": json.dumps(raw_weight, ensure_ascii=False)}
            )
        else:
            weight = float(raw_weight)
    elif kind in scoring.SCALES:
        check.error(_("%(where)s: a scale question needs a weight (0 or more).") % {"where": where})
    if kind == scoring.TEXT and "weight" in q:
        check.error(_("%(where)s: free-text questions are not scored; remove the weight.") % {"where": where})
    options = _options(check, where, kind, q.get("options"), weighted="weight" in q)
    if len(check.errors) > errors_before:
        return None
    return {
        "key": key,
        "kind": kind,
        "label": label,
        "text": text,
        "help": help_text,
        "required": required,
        "weight": weight,
        "options": options,
    }


def _options(check: _Checker, where: str, kind, raw, *, weighted: bool) -> list[dict]:
    if kind != scoring.CHOICE:
        if raw not in (None, []):
            check.error(_("%(where)s: only single-choice questions have options.") % {"where": where})
        return []
    if not isinstance(raw, list) or len(raw) < 2:
        check.error(_("%(where)s: a single-choice question needs at least two options.") % {"where": where})
        return []
    options, values = [], set()
    for m, option in enumerate(raw, start=1):
        value = option.get("value") if isinstance(option, dict) else None
        if not isinstance(value, str) or not OPTION_RE.match(value):
            check.error(
                _("%(where)s: option %(m)s needs a “value” of letters, digits, “_” or “-”.") % {"where": where, "m": m}
            )
            continue
        if value in values:
            check.error(_("%(where)s: the option value “%(value)s” is used twice.") % {"where": where, "value": value})
        values.add(value)
        if unknown := sorted(set(option) - {"value", "label", "score"}):
            check.error(
                _("%(where)s: option “%(value)s” has unknown fields %(fields)s.")
                % {"where": where, "value": value, "fields": ", ".join(unknown)}
            )
        label = check.texts(option.get("label"), field="label", where=f"{where} {value}", required=True)
        score = option.get("score")
        if weighted:
            if not _is_number(score) or not 0 <= score <= 100:
                check.error(
                    _(
                        "%(where)s: a weighted single-choice question needs a score from 0 to 100 for every option "
                        "(option “%(value)s”)."
                    )
                    % {"where": where, "value": value}
                )
            else:
                score = float(score)
        elif score is not None:
            check.error(
                _("%(where)s: option “%(value)s” has a score but the question has no weight.")
                % {"where": where, "value": value}
            )
        options.append({"value": value, "label": label, "score": score if weighted else None})
    return options
