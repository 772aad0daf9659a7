"""The values a document is rendered from (:class:`DocumentContext`) and the declaration of a kind."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Party:
    """A party to a case as it appears on a document.

    ``role`` is a key of ``ROLE_LABELS`` (``applicant`` 请求人, ``respondent`` 被请求人, ``third_party`` 第三人,
    ``complainant`` 投诉人 …; a kind may relabel a role, e.g. 当事人); a document shows the roles of its kind's
    ``party_roles`` (a role not in ``ROLE_LABELS`` is printed as given). ``id_label`` is printed as
    given (mask it before when needed); ``representative`` may hold several lines (法定代表人, 委托代理人).
    """

    role: str
    name: str
    id_label: str = ""
    address: str = ""
    representative: str = ""


@dataclass(frozen=True)
class DocumentContext:
    """Everything one document is rendered from.

    ``fields`` holds the kind's own values: ``datetime.date`` for dates (names ending in ``_on``), ``int``
    for periods (``_days``), ``Decimal`` or ``int`` for money (``_amount``), ``str`` for text (a newline
    starts a new paragraph), a sequence of ``str`` for lists (numbered 一、二、… when alone on a line,
    joined with 、 inside a sentence), a choice code for fields with choices.
    """

    kind: str
    number: str
    case_number: str
    case_title: str
    authority: str
    issued_on: datetime.date
    parties: tuple[Party, ...]
    addressee: str = ""
    fields: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parties", tuple(self.parties))
        object.__setattr__(self, "fields", _frozen(self.fields))


@dataclass(frozen=True)
class Choice:
    """One allowed value of a choice field: the text printed for ``$field``, the provision printed for
    ``$field_citation`` and a further sentence for ``$field_note`` (each may use placeholders; an optional
    field used there is required once the choice is made)."""

    text: str
    citation: str = ""
    note: str = ""


@dataclass(frozen=True)
class Minimum:
    """A statutory minimum of a number field, e.g. the 15-day evidence period of S1 Art. 54."""

    value: int
    citation: str


@dataclass(frozen=True)
class Restriction:
    """A field value that a rule forbids when another text field contains any of ``when_contains``,
    e.g. electronic service of a 裁决书 (S3)."""

    field: str
    value: str
    other: str
    when_contains: tuple[str, ...]
    reason: str
    reason_zh: str


@dataclass(frozen=True)
class DocumentKind:
    """The declaration of one kind of document (文书).

    ``body`` is the template text (``templates/<code>.txt``; syntax in ``docs/documents.md``).
    ``required`` fields must be given and not empty; ``optional`` ones may be left out — a template line
    that uses an absent optional field is dropped — and ``defaults`` fill optional fields the context
    leaves out. ``served``: the document is served on a party (送达), so a 送达回证 follows it.
    ``addressed_to``: the role whose names make the salutation when the context gives no ``addressee``
    (``"parties"`` = every party shown; ``None`` = no salutation). ``citation`` is the provision the
    document rests on (``$citation``; a context field ``citation`` overrides it).
    """

    code: str
    title_zh: str
    title_en: str
    citation: str
    body: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    served: bool = True
    addressed_to: str | None = None
    party_roles: tuple[str, ...] = ("applicant", "respondent", "third_party")
    role_labels: Mapping[str, str] = field(default_factory=dict)
    defaults: Mapping[str, object] = field(default_factory=dict)
    choices: Mapping[str, Mapping[str, Choice]] = field(default_factory=dict)
    minimums: Mapping[str, Minimum] = field(default_factory=dict)
    restrictions: tuple[Restriction, ...] = ()
    closing: bool = True
    produced_by: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "role_labels", _frozen(self.role_labels))
        object.__setattr__(self, "defaults", _frozen(self.defaults))
        object.__setattr__(self, "choices", _frozen({k: _frozen(v) for k, v in self.choices.items()}))
        object.__setattr__(self, "minimums", _frozen(self.minimums))
