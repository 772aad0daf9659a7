"""Fill a kind's template from a context: the format-neutral document that both renderers lay out.

Template syntax (one line of the template = one paragraph; ``docs/documents.md`` has the full rules):

* ``$name`` / ``${name}`` — a value (``string.Template``); ``${name_zh}`` the Chinese numeral of a number
  field (大写 for money), ``${name_citation}`` / ``${name_note}`` the citation / note of a choice field;
* a line using an absent optional field is left out; a line that renders empty is left out;
* a line that is only ``$name`` of a list becomes numbered paragraphs 一、二、… (each ending with 。);
  inside a sentence a list is joined with 、; a newline in a value starts a new paragraph;
* ``#、`` at the start of a line is replaced by the next Chinese ordinal (一、二、…) of a run of such lines;
* ``label｜value`` is a table row (absent optional fields stay blank there, to be filled in by hand);
* ``@parties`` places the parties block, ``@signatures`` the parties' signature spaces;
* ``//`` starts a comment line; the two characters ``\\n`` are a line break inside a table cell, and a
  cell line starting with ``>`` is aligned right.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from string import Template

from ._errors import InvalidField, MissingField, UnknownKind
from ._format import chinese_date, chinese_money, chinese_numeral, chinese_time, grouped
from ._model import DocumentContext, DocumentKind
from .kinds import COMMON_PLACEHOLDERS, FIELD_LABELS_ZH, KINDS, ROLE_LABELS

SEAL = "（印章）"
#: At the start of a line of a table cell: align that line right (e.g. the date under a signature).
RIGHT = ">"
_ORDINAL = "#、"
_SENTENCE_ENDS = tuple("。；：！？.;:!?")
_ALONE = re.compile(r"^\$(?:\{(\w+)\}|(\w+))$")


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; ``indent``: first line indented two characters."""

    text: str
    indent: bool = True


@dataclass(frozen=True)
class Rows:
    """A two-column table of ``(label, value)`` rows; values may contain line breaks."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Signatures:
    """Signature spaces, one cell per party (label, name, 签名或者盖章, date line)."""

    cells: tuple[str, ...]


Block = Paragraph | Rows | Signatures


@dataclass(frozen=True)
class Composed:
    """A filled-in document, ready to be laid out."""

    kind: DocumentKind
    authority: str
    title: str
    number: str
    salutation: str
    blocks: tuple[Block, ...]
    closing: tuple[str, str] | None  # (authority, date) or None
    case_number: str


class _Absent(Exception):
    """An optional field the context leaves out: the line that uses it is dropped."""


def _is_empty(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, Sequence):
        return not any(not _is_empty(item) for item in value)
    return False


def in_pairs(items: Sequence, blank) -> list[list]:
    """Return ``items`` as rows of two, the last row padded with ``blank`` (signature spaces side by side)."""
    return [[*items[i : i + 2], blank][:2] for i in range(0, len(items), 2)]


def _sentence(text: str) -> str:
    """Return ``text`` ending with a full stop unless it already ends with a sentence mark."""
    return text if text.endswith(_SENTENCE_ENDS) else text + "。"


def _ordinal(n: int) -> str:
    return chinese_numeral(n) + "、"


class _Filler:
    """Resolve placeholders for one context, collecting every missing name and every problem."""

    def __init__(self, ctx: DocumentContext, kind: DocumentKind) -> None:
        self.ctx = ctx
        self.kind = kind
        given = {name: value for name, value in ctx.fields.items() if not _is_empty(value)}
        self.fields = {**kind.defaults, **given}
        self.declared = set(kind.required) | set(kind.optional) | set(kind.defaults)
        self.labels = {**ROLE_LABELS, **kind.role_labels}
        self.missing: list[str] = []
        self.problems: list[str] = []
        self.problems_zh: list[str] = []

    # -- bookkeeping -------------------------------------------------------------------------------

    def need(self, name: str) -> None:
        if name not in self.missing:
            self.missing.append(name)

    def problem(self, english: str, chinese: str) -> None:
        if english not in self.problems:
            self.problems.append(english)
            self.problems_zh.append(chinese)

    # -- parties -----------------------------------------------------------------------------------

    def shown_parties(self):
        roles = self.kind.party_roles
        return sorted(
            (party for party in self.ctx.parties if party.role in roles), key=lambda party: roles.index(party.role)
        )

    def label(self, role: str) -> str:
        return self.labels.get(role, role)

    def names(self, role: str) -> str:
        return "、".join(party.name for party in self.ctx.parties if party.role == role)

    def addressee(self) -> str:
        if self.ctx.addressee.strip():
            return self.ctx.addressee.strip()
        target = self.kind.addressed_to
        if target == "parties":
            return "、".join(party.name for party in self.shown_parties())
        return self.names(target) if target else ""

    # -- values ------------------------------------------------------------------------------------

    def common(self, name: str) -> str:
        if name == "issued_on":
            return chinese_date(self.ctx.issued_on) if isinstance(self.ctx.issued_on, datetime.date) else ""
        if name == "addressee":
            text = self.addressee()
        elif name == "title":
            text = self.kind.title_zh
        elif name == "citation":
            text = str(self.fields.get("citation") or self.kind.citation)
        else:
            text = str(getattr(self.ctx, name) or "").strip()
        if not text:
            self.need(name)
        return text

    def value(self, name: str, *, in_choice: bool = False) -> str | list[str]:
        """Return the text (or list) for placeholder ``name``; raise :class:`_Absent` to drop the line."""
        if name in COMMON_PLACEHOLDERS:
            return self.common(name)
        if name in self.labels:
            names = self.names(name)
            if not names:
                self.need(f"parties[{name}]")
            return names
        base, _, suffix = name.rpartition("_")
        if suffix in ("citation", "note") and base in self.kind.choices:
            choice = self.choice(base, in_choice=in_choice)
            if choice is None:
                return ""
            text = choice.citation if suffix == "citation" else choice.note
            return self.fill(text, in_choice=True)
        if suffix == "zh" and base in self.declared | set(self.fields):
            number = self.raw(base, in_choice=in_choice)
            if number is None:
                return ""
            if not self.format(base, number):  # a type problem is already recorded
                return ""
            if isinstance(number, Decimal):
                return chinese_money(number)
            if isinstance(number, int) and not isinstance(number, bool) and number >= 0:
                return chinese_numeral(number)
            self.problem(f"{base} is not a number", f"{self.zh(base)}应当为数字")
            return ""
        if name in self.kind.choices:
            choice = self.choice(name, in_choice=in_choice)
            return "" if choice is None else self.fill(choice.text, in_choice=True)
        raw = self.raw(name, in_choice=in_choice)
        return "" if raw is None else self.format(name, raw)

    def raw(self, name: str, *, in_choice: bool) -> object:
        if name in self.fields:
            return self.fields[name]
        if name in self.kind.optional and not in_choice:
            raise _Absent(name)
        self.need(name)
        return None

    def choice(self, name: str, *, in_choice: bool):
        code = self.raw(name, in_choice=in_choice)
        if code is None:
            return None
        choices = self.kind.choices[name]
        if code not in choices:
            allowed = ", ".join(choices)
            self.problem(f"{name} must be one of {allowed}, not {code!r}", f"{self.zh(name)}应当为以下之一：{allowed}")
            return None
        return choices[code]

    def format(self, name: str, value: object) -> str | list[str]:
        kind_of = self.expected_type(name)
        if kind_of == "date" and not isinstance(value, datetime.date):
            self.problem(f"{name} must be a date", f"{self.zh(name)}应当为日期")
            return ""
        if kind_of == "int" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            self.problem(f"{name} must be a whole number of days", f"{self.zh(name)}应当为天数（整数）")
            return ""
        if kind_of == "money" and (not isinstance(value, int | Decimal) or isinstance(value, bool)):
            self.problem(f"{name} must be a Decimal amount", f"{self.zh(name)}应当为金额")
            return ""
        if isinstance(value, datetime.date):
            return chinese_date(value)
        if isinstance(value, datetime.time):
            return chinese_time(value)
        if isinstance(value, bool):
            self.problem(f"{name} must not be a bool", f"{self.zh(name)}不能为是/否值")
            return ""
        if isinstance(value, Decimal) or kind_of == "money":
            return grouped(Decimal(value))
        if isinstance(value, int):
            return grouped(value)
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
            return [item.strip() for item in value if item.strip()]
        self.problem(f"{name} has an unsupported type {type(value).__name__}", f"{self.zh(name)}的类型不受支持")
        return ""

    @staticmethod
    def expected_type(name: str) -> str:
        if name.endswith("_on"):
            return "date"
        if name.endswith("_days"):
            return "int"
        if name.endswith("_amount"):
            return "money"
        return ""

    def zh(self, name: str) -> str:
        if name.startswith("parties[") and name.endswith("]"):
            return self.label(name[len("parties[") : -1])
        return FIELD_LABELS_ZH.get(name, name)

    def fill(self, text: str, *, in_choice: bool = False) -> str:
        """Substitute every placeholder of ``text``; lists are joined with 、."""
        template = Template(text.replace("\\n", "\n"))
        values = {}
        for name in template.get_identifiers():
            value = self.value(name, in_choice=in_choice)
            values[name] = "、".join(value) if isinstance(value, list) else value
        return template.substitute(values)

    # -- checks ------------------------------------------------------------------------------------

    def check(self) -> None:
        for name in ("number", "case_number", "case_title", "authority"):
            self.common(name)
        if not isinstance(self.ctx.issued_on, datetime.date):
            self.problem("issued_on must be a date", "成文日期应当为日期")
        for name in self.kind.required:
            if name not in self.fields:
                self.need(name)
        for name, minimum in self.kind.minimums.items():
            value = self.fields.get(name)
            if isinstance(value, int) and not isinstance(value, bool) and value < minimum.value:
                self.problem(
                    f"{name} must be at least {minimum.value} ({minimum.citation})",
                    f"{self.zh(name)}不得少于{minimum.value}日（{minimum.citation}）",
                )
        for rule in self.kind.restrictions:
            other = str(self.fields.get(rule.other, ""))
            if self.fields.get(rule.field) == rule.value and any(word in other for word in rule.when_contains):
                self.problem(rule.reason, rule.reason_zh)


def kind_of(ctx: DocumentContext) -> DocumentKind:
    """Return the declaration of ``ctx.kind``; raise :class:`UnknownKind` if there is none."""
    try:
        return KINDS[ctx.kind]
    except (KeyError, TypeError):
        raise UnknownKind(str(ctx.kind), KINDS) from None


def _party_paragraphs(filler: _Filler) -> list[Block]:
    out: list[Block] = []
    for party in filler.shown_parties():
        line = f"{filler.label(party.role)}：{party.name}"
        if party.address.strip():
            line += f"，地址：{party.address.strip()}"
        out.append(Paragraph(line + "。"))
        for extra in (party.id_label, *party.representative.splitlines()):
            if extra.strip():
                out.append(Paragraph(extra.strip()))
    if not out:
        filler.need(f"parties[{filler.kind.party_roles[0]}]")
    return out


def _signature_cells(filler: _Filler) -> Signatures:
    cells = tuple(
        f"{filler.label(party.role)}：{party.name}\n（签名或者盖章）\n\n{RIGHT}年　　月　　日"
        for party in filler.shown_parties()
    )
    return Signatures(cells)


def _body(filler: _Filler) -> list[Block]:
    blocks: list[Block] = []
    rows: list[tuple[str, str]] = []
    counter = 0
    for raw_line in filler.kind.body.splitlines():
        line = raw_line.strip()
        if not line or line.startswith("//"):
            continue
        if "｜" in line:
            label, _, value = line.partition("｜")
            try:
                rows.append((label.strip(), filler.fill(value)))
            except _Absent:
                rows.append((label.strip(), ""))
            continue
        if rows:
            blocks.append(Rows(tuple(rows)))
            rows = []
        numbered = line.startswith(_ORDINAL)
        counter = counter + 1 if numbered else 0
        if line == "@parties":
            blocks.extend(_party_paragraphs(filler))
            continue
        if line == "@signatures":
            blocks.append(_signature_cells(filler))
            continue
        alone = _ALONE.match(line)
        try:
            if alone:
                value = filler.value(alone.group(1) or alone.group(2))
                if isinstance(value, list):
                    blocks.extend(Paragraph(_ordinal(i) + _sentence(item)) for i, item in enumerate(value, 1))
                    continue
                text = value
            else:
                text = filler.fill(line[len(_ORDINAL) :] if numbered else line)
        except _Absent:
            counter -= numbered
            continue
        pieces = [piece.strip() for piece in text.split("\n") if piece.strip()]
        if not pieces:
            counter -= numbered
            continue
        if numbered:
            pieces[0] = _ordinal(counter) + pieces[0]
        blocks.extend(Paragraph(piece) for piece in pieces)
    if rows:
        blocks.append(Rows(tuple(rows)))
    return blocks


def _compose(ctx: DocumentContext) -> tuple[Composed, _Filler]:
    kind = kind_of(ctx)
    filler = _Filler(ctx, kind)
    filler.check()
    salutation = ""
    if kind.addressed_to:
        salutation = filler.common("addressee")
    blocks = _body(filler)
    closing = None
    if kind.closing:
        closing = (filler.common("authority"), filler.common("issued_on"))
    composed = Composed(
        kind=kind,
        authority=str(ctx.authority).strip(),
        title=kind.title_zh,
        number=str(ctx.number).strip(),
        salutation=f"{salutation}：" if salutation else "",
        blocks=tuple(blocks),
        closing=closing,
        case_number=str(ctx.case_number).strip(),
    )
    return composed, filler


def missing_fields(ctx: DocumentContext) -> tuple[str, ...]:
    """Return the names of every value ``ctx`` lacks for its kind (empty when complete), in the order of
    :attr:`MissingField.fields`.

    Raises:
        UnknownKind: ``ctx.kind`` is not a key of ``KINDS``.
    """
    return tuple(_compose(ctx)[1].missing)


def compose(ctx: DocumentContext) -> Composed:
    """Return the filled-in document of ``ctx``.

    Raises:
        UnknownKind: ``ctx.kind`` is not a key of ``KINDS``.
        MissingField: values are missing (all of them are listed).
        InvalidField: values have the wrong type, are not an allowed choice, or break a statutory rule.
    """
    composed, filler = _compose(ctx)
    if filler.missing:
        raise MissingField(ctx.kind, filler.missing, [filler.zh(name) for name in filler.missing])
    if filler.problems:
        raise InvalidField(ctx.kind, filler.problems, filler.problems_zh)
    return composed
