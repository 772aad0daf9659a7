"""How one cell is read from an imported file and written to an exported one, for each kind of column.

A cell arrives as the file holds it: text from a CSV file; text, a number, a date or a datetime from an
XLSX workbook. ``parse`` turns it into the value of a model field (or raises :class:`CellError` naming
the problem); ``write`` turns a record's value back into a cell that ``parse`` accepts, so that an export
can be imported again.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _

from huhang.registry import access
from huhang.registry.models.rights import normalise_ipc
from huhang.registry.tabular.errors import CellError

# Text that Excel would run as a formula; exported CSV cells starting so get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@")
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_LAST_SERIAL = 2958465  # 9999-12-31

_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.0+)?")
_INTEGER = re.compile(r"第?\s*(\d+)\s*类?")
_LIST_SEPARATORS = re.compile(r"[;；,，、\n\r]+")
_NAME_SEPARATORS = re.compile(r"[;；\n\r]+")


def lookup_key(text: str) -> str:
    """Return ``text`` folded for matching names and codes: NFKC, case-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def identifier_key(text: str) -> str:
    """Return an identifier (USCC or resident ID number) as stored: NFKC, upper case, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).upper().split())


def cell_text(raw) -> str:
    """Return a cell as stripped text; whole numbers lose their ``.0``, a guarding apostrophe is dropped."""
    if raw is None:
        return ""
    if isinstance(raw, datetime):
        return raw.date().isoformat() if raw.time() == datetime.min.time() else raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    text = str(raw).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def is_blank(raw) -> bool:
    return cell_text(raw) == ""


def in_english() -> bool:
    return (translation.get_language() or "").startswith("en")


def listed(items) -> str:
    """Join ``items`` as a list in the active language: 甲、乙 or A, B."""
    return (", " if in_english() else "、").join(str(item) for item in items)


class ExportContext:
    """Who receives an export (for masking) and in which language it is written."""

    def __init__(self, *, user, english: bool) -> None:
        self.user = user
        self.english = english


class Cell:
    """A column holding text: the base of every kind of cell."""

    width = 24
    refers_to_entities = False

    def parse(self, raw, ctx):
        return cell_text(raw)

    def write(self, record, field: str, ctx: ExportContext):
        return self.format(getattr(record, field), ctx)

    def format(self, value, ctx: ExportContext):
        return "" if value is None else value

    def identifiers(self, raw) -> list[str]:
        """Return the entity identifiers this cell refers to (only entity references have any)."""
        return []


class Text(Cell):
    def __init__(self, width: int = 24) -> None:
        self.width = width


class Identifier(Cell):
    """A code such as a USCC or a patent number: NFKC, upper case, spaces removed.

    A long code that Excel stored as a number has lost its last digits, so it is refused.
    """

    width = 22

    def parse(self, raw, ctx):
        if isinstance(raw, float | int) and not isinstance(raw, bool) and abs(raw) >= 1e15:
            raise CellError(
                _(
                    "Excel stored this number as a number and kept only 15 digits: format the column as "
                    "text and type the number again."
                )
            )
        return identifier_key(cell_text(raw))


class ResidentId(Identifier):
    """The resident ID number of an individual: exported masked unless the user may see it."""

    def parse(self, raw, ctx):
        number = super().parse(raw, ctx)
        if "*" in number:
            raise CellError(_("%(value)s is masked: give the full resident ID number.") % {"value": number})
        return number

    def write(self, record, field: str, ctx: ExportContext):
        return access.shown_identifier(ctx.user, record) if record.is_individual else ""


class Integer(Cell):
    """A whole number; ``第9类`` is read as 9."""

    width = 10

    def parse(self, raw, ctx):
        if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
            return int(raw)
        text = cell_text(raw)
        match = _INTEGER.fullmatch(unicodedata.normalize("NFKC", text))
        if match is None:
            raise CellError(_("Not a whole number: %(value)s") % {"value": text})
        return int(match.group(1))


class Date(Cell):
    """A date: 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日, 20240105, or an Excel date or serial number."""

    width = 12

    def parse(self, raw, ctx):
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            return _excel_serial(raw)
        text = unicodedata.normalize("NFKC", cell_text(raw))
        if _SERIAL_TEXT.fullmatch(text):
            return _excel_serial(float(text))
        match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
        if match is None:
            raise CellError(
                _("Not a date: %(value)s. Write dates as 2024-01-05, 2024/1/5 or 2024年1月5日.") % {"value": text}
            )
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            raise CellError(_("%(value)s is not a real date.") % {"value": text}) from None


def _excel_serial(number: float) -> date:
    if not 1 <= number <= EXCEL_LAST_SERIAL:
        raise CellError(_("%(value)s is not an Excel date.") % {"value": cell_text(number)})
    return EXCEL_EPOCH + timedelta(days=int(number))


class Choice(Cell):
    """One of a field's choices, by its stored value or its Chinese or English label."""

    width = 16

    def __init__(self, choices: type[TextChoices], labels_zh: dict[str, str]) -> None:
        missing = set(choices.values) - set(labels_zh)
        if missing:
            raise ValueError(f"no Chinese label for {sorted(missing)} of {choices.__name__}")
        self.choices = choices
        self.labels_zh = labels_zh
        self._labels: dict[tuple[str, bool], str] = {}  # the catalogue is loaded once per process

    def label(self, value: str, *, english: bool) -> str:
        key = (value, english)
        if key not in self._labels:
            self._labels[key] = self._label(value, english=english)
        return self._labels[key]

    def _label(self, value: str, *, english: bool) -> str:
        with translation.override("en"):
            label_en = str(self.choices(value).label)
        if english:
            return label_en
        with translation.override("zh-hans"):
            catalogue = str(self.choices(value).label)
        return catalogue if catalogue != label_en else self.labels_zh[value]

    def keys(self) -> dict[str, str]:
        """Return every accepted spelling (folded) mapped to its stored value."""
        keys = {}
        for value in self.choices.values:
            for name in (value, self.labels_zh[value], self.label(value, english=True)):
                keys[lookup_key(name)] = value
            keys[lookup_key(self.label(value, english=False))] = value
        return keys

    def parse(self, raw, ctx):
        text = cell_text(raw)
        keys = ctx.choice_keys(self)
        try:
            return keys[lookup_key(text)]
        except KeyError:
            expected = listed(self.label(v, english=in_english()) for v in self.choices.values)
            raise CellError(
                _("Unknown value %(value)s: expected one of %(expected)s.")
                % {
                    "value": text,
                    "expected": expected,
                }
            ) from None

    def format(self, value, ctx: ExportContext):
        return self.label(value, english=ctx.english) if value else ""


class Place(Cell):
    """A district or an industry, by its code or its Chinese or English name."""

    width = 18

    def __init__(self, table: str) -> None:
        self.table = table

    def parse(self, raw, ctx):
        text = cell_text(raw)
        found = ctx.places(self.table).get(lookup_key(text))
        if found is None:
            message = {
                "districts": _("Unknown district %(value)s: give its code or its Chinese or English name."),
                "industries": _("Unknown industry %(value)s: give its code or its Chinese or English name."),
            }[self.table]
            raise CellError(message % {"value": text})
        return found

    def format(self, value, ctx: ExportContext):
        if value is None:
            return ""
        return value.name_en if ctx.english else value.name_zh


class Centre(Cell):
    """The protection or quick-rights centre keeping a filing, by its Chinese or English name."""

    width = 26

    def parse(self, raw, ctx):
        text = cell_text(raw)
        found = ctx.centres().get(lookup_key(text))
        if found is None:
            raise CellError(_("Unknown centre %(value)s: give the name of an organisation.") % {"value": text})
        return found

    def format(self, value, ctx: ExportContext):
        if value is None:
            return ""
        return (value.name_en or value.name) if ctx.english else value.name


class EntityRef(Cell):
    """An entity of the registry, by its USCC or its resident ID number."""

    width = 22
    refers_to_entities = True

    def identifiers(self, raw) -> list[str]:
        return [identifier_key(cell_text(raw))] if not is_blank(raw) else []

    def parse(self, raw, ctx):
        return ctx.entity(identifier_key(cell_text(raw)))

    def format(self, value, ctx: ExportContext):
        return access.shown_identifier(ctx.user, value) if value is not None else ""


class Owners(Cell):
    """Several entities, by USCC or resident ID number, separated by ; , ， 、 or new lines."""

    width = 40
    refers_to_entities = True

    def identifiers(self, raw) -> list[str]:
        found = []
        for part in _LIST_SEPARATORS.split(cell_text(raw)):
            key = identifier_key(part)
            if key and key not in found:
                found.append(key)
        return found

    def parse(self, raw, ctx):
        return [ctx.entity(key) for key in self.identifiers(raw)]

    def write(self, record, field: str, ctx: ExportContext):
        return "; ".join(access.shown_identifier(ctx.user, owner) for owner in getattr(record, field).all())


class CodeList(Cell):
    """IPC codes separated by ; or , (also ； ， 、 or new lines), written as H04W4/12."""

    width = 30

    def parse(self, raw, ctx):
        return [normalise_ipc(part) for part in _LIST_SEPARATORS.split(cell_text(raw)) if part.strip()]

    def format(self, value, ctx: ExportContext):
        return "; ".join(value or [])


class NameList(Cell):
    """Names separated by ; or new lines (commas stay: names such as "Acme, Inc." contain them)."""

    width = 40

    def parse(self, raw, ctx):
        return [part.strip() for part in _NAME_SEPARATORS.split(cell_text(raw)) if part.strip()]

    def format(self, value, ctx: ExportContext):
        return "; ".join(value or [])


class Shown(Cell):
    """A column written for people reading the export (e.g. an entity's name); ignored on import."""

    def __init__(self, getter, width: int = 30) -> None:
        self.getter = getter
        self.width = width

    def parse(self, raw, ctx):
        return None

    def write(self, record, field: str, ctx: ExportContext):
        return self.getter(record)
