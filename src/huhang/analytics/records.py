"""Patent records: the shared JSON-lines schema, its validation and the normalised row the store keeps.

One JSON object per line::

    {"id": "CN114081026A", "title": "...", "abstract": null, "claims": null, "ipc": ["A01M", "G06F"],
     "applicants": [], "app_date": null, "pub_number": "CN114081026A", "country": "CN", "lang": "zh",
     "extra": {...}}

Only ``id`` is required; a missing field reads as null (lists as empty). A field outside the schema, a value
of the wrong type, a date that is not ``YYYY-MM-DD`` or an IPC code that cannot be read makes the line
malformed: :func:`parse_line` returns every problem of the line with its field, and the loader reports them
with the line number.

``extra`` holds source-specific fields. The analytics reads these when present (all optional)::

    pub_date, grant_date, priority_date, lapse_date       YYYY-MM-DD
    applicant_region | region                             province, city or country of the applicant
    kind                                                  invention | utility_model | design (or 发明 ...)
    legal_status                                          valid | pending | lapsed | invalidated | expired
    family_numbers                                        publication numbers of the family ("; " or list)
    family_countries                                      offices of the family ("; " or list)
    family_granted_countries                              offices where a family member is granted
    family_size                                           number of family members
    pledge_amount                                         pledge financing secured on the patent, yuan
    awards                                                awards the patent received (names, list or "; ")

What the record does not say stays unknown (null), never "no": a record without ``awards`` has unknown
awards, a record with ``"awards": []`` has none.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from huhang import identifiers
from huhang.analytics.errors import Problem
from huhang.analytics.ipc import normalise_ipc

FIELDS = (
    "id",
    "title",
    "abstract",
    "claims",
    "ipc",
    "applicants",
    "app_date",
    "pub_number",
    "country",
    "lang",
    "extra",
)
LEGAL_STATUSES = ("valid", "pending", "lapsed", "invalidated", "expired")
KINDS = ("invention", "utility_model", "design")

_LEGAL_STATUS_ALIASES = {
    "valid": "valid",
    "in force": "valid",
    "granted": "valid",
    "有效": "valid",
    "授权": "valid",
    "pending": "pending",
    "审中": "pending",
    "lapsed": "lapsed",
    "失效": "lapsed",
    "invalidated": "invalidated",
    "无效": "invalidated",
    "宣告无效": "invalidated",
    "expired": "expired",
    "届满": "expired",
    "期限届满": "expired",
    "unknown": None,
}
_KIND_ALIASES = {
    "invention": "invention",
    "pct_invention": "invention",
    "发明": "invention",
    "utility_model": "utility_model",
    "pct_utility_model": "utility_model",
    "实用新型": "utility_model",
    "design": "design",
    "外观设计": "design",
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Z]{2}")
_LANG = re.compile(r"[a-z]{2,3}")
_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_FAMILY_NUMBER = re.compile(r"([A-Z]{2})[A-Z]{0,2}\d+([A-Z]\d?)?$")
_SPLIT = re.compile(r"\s*[;；,，|]\s*")
# Offices whose publications are not patent rights in a country: a PCT application (WO) is not a right.
_NOT_AN_OFFICE = frozenset({"WO"})
_NATIONAL_AWARD = re.compile(
    r"中国专利.*奖|中国外观设计.*奖|国家(?:最高)?(?:科学技术|自然科学|技术发明|科技进步|科学技术进步)奖|"
    r"china patent (?:gold |silver |excellence )?award|china design award|"
    r"(?:state|national) (?:preeminent |highest )?(?:science and technology|natural science|technological invention|"
    r"science and technology progress|scientific and technological progress) award",
    re.IGNORECASE,
)


@dataclass
class Row:
    """A validated record, normalised for the store (``None`` means the record does not say)."""

    id: str
    title: str | None
    abstract: str | None
    claims: str | None
    ipc: list[str]
    applicants: list[str]
    app_date: str | None
    pub_date: str | None
    priority_date: str | None
    grant_date: str | None
    lapse_date: str | None
    pub_number: str | None
    country: str | None
    lang: str | None
    kind: str | None
    legal_status: str | None
    region: str | None
    family_offices: list[str] | None
    family_foreign: list[str] | None
    family_foreign_granted: list[str] | None
    pledge_amount: float | None
    awards: list[str] | None
    national_awards: list[str] | None
    extra: dict[str, Any] | None
    source: str
    line: int

    def as_json(self) -> str:
        """Return the row as one line of JSON for the store's bulk loader."""
        return json.dumps(self.__dict__, ensure_ascii=False, separators=(",", ":"))


@dataclass
class Parsed:
    """The outcome of one line: a row, or the problems that make it malformed; IPC codes with no title."""

    row: Row | None = None
    problems: list[Problem] = field(default_factory=list)


def parse_line(text: str | bytes, *, source: str, line: int) -> Parsed:
    """Validate one line of JSON (blank lines are the caller's to skip) and normalise it."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            return Parsed(problems=[Problem(source, line, "", f"not UTF-8 text (byte {exc.start + 1})")])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Parsed(problems=[Problem(source, line, "", f"not valid JSON: {exc.msg} at column {exc.colno}")])
    if not isinstance(data, dict):
        return Parsed(problems=[Problem(source, line, "", f"expected a JSON object, got {_type(data)}")])
    return parse_record(data, source=source, line=line)


def parse_record(data: dict[str, Any], *, source: str, line: int = 0) -> Parsed:
    """Validate a record given as a dict (from a file line or from the registry) and normalise it."""
    problems: list[Problem] = []

    def problem(name: str, message: str) -> None:
        problems.append(Problem(source, line, name, message))

    for name in sorted(set(data) - set(FIELDS)):
        problem(name, "not a field of the patent schema")
    record_id = data.get("id")
    if not isinstance(record_id, str) or not record_id.strip():
        problem("id", "required: a non-empty string")
        record_id = ""
    elif len(record_id) > 200 or any(unicodedata.category(ch) == "Cc" for ch in record_id):
        problem("id", "at most 200 characters and no control characters")
    texts = {name: _text(data, name, problem) for name in ("title", "abstract", "claims", "pub_number")}
    ipc = []
    for index, code in enumerate(_string_list(data, "ipc", problem)):
        normal = normalise_ipc(code)
        if normal is None:
            problem(f"ipc[{index}]", f"{code!r} is not an IPC code (expected e.g. H04W4/12 or G06F)")
        elif normal not in ipc:
            ipc.append(normal)
    applicants = []
    for name in _string_list(data, "applicants", problem):
        cleaned = " ".join(unicodedata.normalize("NFKC", name).split())
        if cleaned and cleaned not in applicants:
            applicants.append(cleaned)
    app_date = _date(data.get("app_date"), "app_date", problem)
    country = _text(data, "country", problem)
    if country is not None:
        country = country.strip().upper()
        if not _COUNTRY.fullmatch(country):
            problem("country", f"{country!r} is not a two-letter office code")
    lang = _text(data, "lang", problem)
    if lang is not None:
        lang = lang.strip().lower()
        if not _LANG.fullmatch(lang):
            problem("lang", f"{lang!r} is not a language code such as zh or en")
    extra = data.get("extra")
    if extra is not None and not isinstance(extra, dict):
        problem("extra", f"expected an object or null, got {_type(extra)}")
        extra = None
    extra = extra or {}
    found = _Extra(extra, problem)
    if problems:
        return Parsed(problems=problems)
    pub_number = texts["pub_number"]
    country = country or _country_of(pub_number) or _country_of(record_id)
    row = Row(
        id=record_id.strip(),
        title=texts["title"],
        abstract=texts["abstract"],
        claims=texts["claims"],
        ipc=ipc,
        applicants=applicants,
        app_date=app_date,
        pub_date=found.date("pub_date"),
        priority_date=found.date("priority_date"),
        grant_date=found.date("grant_date"),
        lapse_date=found.date("lapse_date"),
        pub_number=pub_number,
        country=country,
        lang=lang or _guess_lang(texts),
        kind=found.kind() or _kind_of(pub_number or record_id),
        legal_status=found.legal_status(),
        region=found.region(),
        family_offices=None,
        family_foreign=None,
        family_foreign_granted=None,
        pledge_amount=found.amount("pledge_amount"),
        awards=found.string_list("awards"),
        national_awards=None,
        extra=extra or None,
        source=source,
        line=line,
    )
    row.family_offices, row.family_foreign, row.family_foreign_granted = found.family(country)
    if row.awards is not None:
        row.national_awards = [award for award in row.awards if _NATIONAL_AWARD.search(award)]
    if problems:
        return Parsed(problems=problems)
    return Parsed(row=row)


def read_jsonl(path: str, *, source: str | None = None) -> Iterator[tuple[int, int, Parsed]]:
    """Yield ``(line number, bytes read so far, parsed)`` for every non-blank line of a JSON-lines file."""
    name = source or str(path)
    read = 0
    with open(path, "rb") as file:
        for number, raw in enumerate(file, start=1):
            read += len(raw)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            yield number, read, parse_line(raw, source=name, line=number)


class _Extra:
    """Read the optional fields of ``extra``, reporting ill-typed ones as problems of ``extra.<name>``."""

    def __init__(self, extra: dict[str, Any], problem) -> None:
        self.extra = extra
        self.problem = problem
        self.values: dict[str, Any] = {}
        for name in ("pub_date", "grant_date", "priority_date", "lapse_date"):
            self.values[name] = _date(extra.get(name), f"extra.{name}", problem)
        self.values["pledge_amount"] = self._amount("pledge_amount")
        self.values["awards"] = self._string_list("awards")
        for name in ("family_numbers", "family_countries", "family_granted_countries"):
            self.values[name] = self._string_list(name)
        self.values["family_size"] = self._count("family_size")
        self.values["kind"] = self._choice("kind", _KIND_ALIASES, "invention, utility_model or design")
        self.values["legal_status"] = self._choice(
            "legal_status", _LEGAL_STATUS_ALIASES, "valid, pending, lapsed, invalidated or expired"
        )

    def date(self, name: str) -> str | None:
        return self.values[name]

    def amount(self, name: str) -> float | None:
        return self.values[name]

    def string_list(self, name: str) -> list[str] | None:
        return self.values[name]

    def kind(self) -> str | None:
        return self.values["kind"]

    def legal_status(self) -> str | None:
        return self.values["legal_status"]

    def region(self) -> str | None:
        for name in ("applicant_region", "region"):
            value = self.extra.get(name)
            if isinstance(value, str) and value.strip():
                return " ".join(unicodedata.normalize("NFKC", value).split())
        return None

    def family(self, country: str | None) -> tuple[list[str] | None, list[str] | None, list[str] | None]:
        """Return the family's offices, its foreign offices and the foreign offices where it is granted.

        Foreign means other than the record's own office and not WO. A member counts as granted when its
        kind code starts with B or C (grant publications in CN, EP, US, JP, KR, AU ...) or its office is
        listed in ``family_granted_countries``. None where the record does not say.
        """
        numbers = self.values["family_numbers"]
        countries = self.values["family_countries"]
        granted_named = self.values["family_granted_countries"]
        size = self.values["family_size"]
        offices: set[str] | None = None
        granted: set[str] | None = None
        if numbers is not None:
            offices, granted = set(), set()
            for number in numbers:
                match = _FAMILY_NUMBER.match(re.sub(r"\s+", "", number.upper()))
                if match:
                    offices.add(match.group(1))
                    if (match.group(2) or "")[:1] in ("B", "C"):
                        granted.add(match.group(1))
        if countries is not None:
            offices = (offices or set()) | {
                c.strip().upper() for c in countries if _COUNTRY.fullmatch(c.strip().upper())
            }
        if granted_named is not None:
            named = {c.strip().upper() for c in granted_named if _COUNTRY.fullmatch(c.strip().upper())}
            granted = (granted or set()) | named
            offices = (offices or set()) | named
        if offices is None and size == 1 and country:
            offices = {country}
        if offices is None:
            return None, None, None
        own = {country} if country else set()
        foreign = sorted(offices - own - _NOT_AN_OFFICE)
        foreign_granted = sorted((granted or set()) - own - _NOT_AN_OFFICE) if granted is not None else []
        return sorted(offices), foreign, foreign_granted

    def _string_list(self, name: str) -> list[str] | None:
        value = self.extra.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return [part for part in _SPLIT.split(value.strip()) if part]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return [item.strip() for item in value if item.strip()]
        self.problem(f"extra.{name}", f"expected a list of strings or a string, got {_type(value)}")
        return None

    def _amount(self, name: str) -> float | None:
        value = self.extra.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = float(value.replace(",", ""))
            except ValueError:
                value = None
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or value != value:
            self.problem(f"extra.{name}", "expected a non-negative amount in yuan")
            return None
        return float(value)

    def _count(self, name: str) -> int | None:
        value = self.extra.get(name)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdigit():
            return int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
        if isinstance(value, float) and value.is_integer() and value >= 0:
            return int(value)
        self.problem(f"extra.{name}", f"expected a whole number, got {value!r}")
        return None

    def _choice(self, name: str, aliases: dict[str, str | None], expected: str) -> str | None:
        value = self.extra.get(name)
        if value is None:
            return None
        key = value.strip().lower() if isinstance(value, str) else None
        if key not in aliases:
            self.problem(f"extra.{name}", f"{value!r} is not one of {expected}")
            return None
        return aliases[key]


def _text(data: dict[str, Any], name: str, problem) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        problem(name, f"expected a string or null, got {_type(value)}")
        return None
    return value.strip() or None


def _string_list(data: dict[str, Any], name: str, problem) -> list[str]:
    value = data.get(name)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        problem(name, f"expected a list of strings, got {_type(value)}")
        return []
    return value


def _date(value: Any, name: str, problem) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and _DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    problem(name, f"{value!r} is not a date written YYYY-MM-DD")
    return None


def _type(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


def _country_of(number: str | None) -> str | None:
    if number and _COUNTRY.fullmatch(number[:2].upper()) and number[2:3].isalnum():
        return number[:2].upper()
    return None


def _kind_of(number: str | None) -> str | None:
    """Return the kind of a CN document from its number (``huhang.identifiers``), else None."""
    if not number or not number.upper().startswith("CN"):
        return None
    try:
        return identifiers.parse_patent_publication_number(number).patent_kind
    except identifiers.IdentifierError:
        return None


def _guess_lang(texts: dict[str, str | None]) -> str | None:
    sample = " ".join(t for t in (texts["title"], texts["abstract"]) if t)[:500]
    if _CJK.search(sample):
        return "zh"
    if _LATIN.search(sample):
        return "en"
    return None
