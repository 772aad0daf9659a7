"""Official case documents (文书) in Chinese, filled in from templates, as DOCX and PDF.

Plain Python: this package never imports Django. A :class:`DocumentContext` names a kind (a key of
:data:`KINDS`, the document codes of ``huhang.procedures.definitions``) and carries the case's values;
:func:`render_docx` and :func:`render_pdf` fill the kind's template (``templates/<code>.txt``) and lay it
out on A4 in the style of GB/T 9704. Kinds, citations, template syntax and fonts: ``docs/documents.md``.

>>> import datetime as dt
>>> ctx = DocumentContext(
...     kind="suspension_notice", number="武知保裁字〔2026〕第12号", case_number="（2026）鄂01知裁3号",
...     case_title="甲公司与乙公司专利侵权纠纷案", authority="武汉市知识产权局", issued_on=dt.date(2026, 11, 21),
...     parties=(Party("applicant", "甲公司"), Party("respondent", "乙公司")),
...     fields={"reason": "涉案实用新型专利权被请求宣告无效并已被受理"})
>>> missing_fields(ctx)
('suspended_on',)
>>> render_pdf(ctx)
Traceback (most recent call last):
...
huhang.documents._errors.MissingField: cannot render suspension_notice: missing suspended_on

Exceptions::

    DocumentError (ValueError)      .message, .message_zh, .code
    ├── UnknownKind                 ctx.kind is not a key of KINDS (.kind, .known)
    ├── MissingField                values missing, all listed (.fields)
    ├── InvalidField                wrong type, unknown choice, below a statutory minimum (.problems)
    └── FontNotFound                no TrueType CJK font to embed in a PDF
"""

from ._compose import missing_fields
from ._docx import render_docx
from ._errors import DocumentError, FontNotFound, InvalidField, MissingField, UnknownKind
from ._fonts import registered_font
from ._format import chinese_date
from ._model import Choice, DocumentContext, DocumentKind, Minimum, Party, Restriction
from ._pdf import render_pdf
from .kinds import KINDS, ROLE_LABELS

__all__ = [
    "KINDS",
    "ROLE_LABELS",
    "Choice",
    "DocumentContext",
    "DocumentError",
    "DocumentKind",
    "FontNotFound",
    "InvalidField",
    "Minimum",
    "MissingField",
    "Party",
    "Restriction",
    "UnknownKind",
    "chinese_date",
    "missing_fields",
    "registered_font",
    "render_docx",
    "render_pdf",
]
