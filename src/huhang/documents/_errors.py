"""Exceptions raised by :mod:`huhang.documents`.

Every error carries an English message (``str(error)``, also ``.message``), a Chinese ``.message_zh`` and a
stable ``.code`` that an API layer can return as-is.
"""

from __future__ import annotations

from collections.abc import Iterable


class DocumentError(ValueError):
    """Base class of every error raised by :mod:`huhang.documents`."""

    code = "document_error"

    def __init__(self, message: str, message_zh: str = "") -> None:
        self.message = message
        self.message_zh = message_zh or message
        super().__init__(message)


class UnknownKind(DocumentError):
    """The context names a document kind that :data:`~huhang.documents.KINDS` does not define."""

    code = "unknown_document_kind"

    def __init__(self, kind: str, known: Iterable[str]) -> None:
        self.kind = kind
        self.known = tuple(known)
        super().__init__(
            f"unknown document kind {kind!r}; known kinds: {', '.join(self.known)}",
            f"未知的文书种类“{kind}”；可用的文书种类：{'、'.join(self.known)}",
        )


class MissingField(DocumentError):
    """Values the document needs are missing; ``fields`` lists every one of them: context attributes first,
    then the kind's required fields in declaration order, then what the template needs besides.

    Names are field names of ``DocumentContext.fields``, attributes of the context (``number``,
    ``addressee`` …), or ``parties[<role>]`` when the template names a party role the context lacks.
    """

    code = "missing_document_field"

    def __init__(self, kind: str, fields: Iterable[str], labels_zh: Iterable[str]) -> None:
        self.kind = kind
        self.fields = tuple(fields)
        listed_zh = "、".join(f"{label}（{name}）" for name, label in zip(self.fields, labels_zh, strict=True))
        super().__init__(
            f"cannot render {kind}: missing {', '.join(self.fields)}",
            f"无法生成文书（{kind}），缺少：{listed_zh}",
        )


class InvalidField(DocumentError):
    """Values are present but unusable: wrong type, not an allowed choice, or below a statutory minimum;
    ``problems`` lists every one (English), ``problems_zh`` the same in Chinese."""

    code = "invalid_document_field"

    def __init__(self, kind: str, problems: Iterable[str], problems_zh: Iterable[str]) -> None:
        self.kind = kind
        self.problems = tuple(problems)
        self.problems_zh = tuple(problems_zh)
        super().__init__(
            f"cannot render {kind}: {'; '.join(self.problems)}",
            f"无法生成文书（{kind}）：{'；'.join(self.problems_zh)}",
        )


class FontNotFound(DocumentError):
    """No TrueType CJK font to embed in a PDF."""

    code = "pdf_font_not_found"
