"""Importing judicial IP cases from a court's export (CSV or XLSX, Chinese headers), so that K7 (法定审限内结案率)
and K8 (average closing time) are computed from the platform's own records.

One row is one case: its court number, title, procedure, filing date, approved extension, suspension and
closing. Each row becomes a ``judicial_case`` whose steps are recorded as taken by the importing court user
(role ``partner``; an extension as recorded on the court president's approval). All or nothing: every row is
checked against the procedure first, and every bad row is reported with its row number and reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from huhang import procedures as engine
from huhang.cases import access, services
from huhang.cases.catalogue import procedure_for
from huhang.cases.models import Case, PartyRole
from huhang.registry.tabular.cells import Date, cell_text, is_blank
from huhang.registry.tabular.errors import CellError
from huhang.registry.tabular.reading import read_raw

COLUMNS = {
    "案号": "number",
    "案件名称": "title",
    "程序": "procedure",
    "立案日期": "filed_on",
    "延长审限（月）": "extension_months",
    "延长批准日期": "extended_on",
    "中止日期": "suspended_on",
    "恢复日期": "resumed_on",
    "结案方式": "closing",
    "结案日期": "closed_on",
    "涉外": "foreign",
    "原告": "plaintiff",
    "被告": "defendant",
}
REQUIRED = ("number", "title", "procedure", "filed_on")
PROCEDURES = {"普通程序": "file_ordinary", "简易程序": "file_summary", "小额诉讼": "file_small_claims",
              "小额诉讼程序": "file_small_claims", "二审": "file_appeal"}  # fmt: skip
EXTENSIONS = {"file_ordinary": "extend_ordinary", "file_summary": "extend_summary",
              "file_small_claims": "extend_small_claims", "file_appeal": "extend_appeal"}  # fmt: skip
CLOSINGS = {"判决": "close_by_judgment", "调解": "close_by_mediation", "撤诉": "close_by_withdrawal",
            "裁定": "close_by_ruling"}  # fmt: skip
YES_NO = {"是": True, "否": False, "": False}


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


class CourtImportError(ValidationError):
    """The file was refused; ``problems`` lists every bad row."""

    def __init__(self, problems: list[RowProblem]):
        self.problems = problems
        super().__init__([f"第{p.row}行：{p.message}" if p.row else p.message for p in problems])


def _date(value, header: str) -> dt.date | None:
    """A date cell as the registry imports read it (2025-03-03, 2025/3/3, 2025年3月3日, an Excel date)."""
    if is_blank(value):
        return None
    try:
        return Date().parse(value, None)
    except CellError:
        raise ValueError(
            _("%(header)s: %(value)s is not a date (YYYY-MM-DD).") % {"header": header, "value": value}
        ) from None


def _plan(record: dict) -> tuple[list[tuple[str, dt.date, str, dict]], dict]:
    """The steps of one row, in order: ``(action, date, role, payload)``; raises ValueError on a bad row."""
    missing = [header for header, key in COLUMNS.items() if key in REQUIRED and not cell_text(record.get(key))]
    if missing:
        raise ValueError(_("missing %(columns)s.") % {"columns": "、".join(missing)})
    opening = PROCEDURES.get(cell_text(record["procedure"]))
    if opening is None:
        raise ValueError(_("程序 must be one of %(choices)s.") % {"choices": "、".join(PROCEDURES)})
    foreign = YES_NO.get(cell_text(record.get("foreign")))
    if foreign is None:
        raise ValueError(_("涉外 must be 是 or 否."))
    filed = _date(record["filed_on"], "立案日期")
    payload = {"foreign_related": True} if foreign and opening in ("file_ordinary", "file_appeal") else {}
    if opening == "file_appeal":
        payload["against"] = "judgment"
    steps = [(opening, filed, "partner", payload)]
    extension = cell_text(record.get("extension_months"))
    if extension:
        if not extension.isdigit() or int(extension) < 1:
            raise ValueError(_("延长审限（月） must be a whole number of months."))
        extended_on = _date(record.get("extended_on"), "延长批准日期")
        if extended_on is None:
            raise ValueError(_("an extension needs its 延长批准日期."))
        steps.append((EXTENSIONS[opening], extended_on, "court_president", {"amount": int(extension)}))
    suspended, resumed = _date(record.get("suspended_on"), "中止日期"), _date(record.get("resumed_on"), "恢复日期")
    if resumed and not suspended:
        raise ValueError(_("恢复日期 without 中止日期."))
    if suspended:
        steps.append(("suspend", suspended, "partner", {"reason": "法院数据导入"}))
    if resumed:
        steps.append(("resume", resumed, "partner", {}))
    closing_text, closed = cell_text(record.get("closing")), _date(record.get("closed_on"), "结案日期")
    if bool(closing_text) != bool(closed):
        raise ValueError(_("结案方式 and 结案日期 go together."))
    if closing_text:
        if closing_text not in CLOSINGS:
            raise ValueError(_("结案方式 must be one of %(choices)s.") % {"choices": "、".join(CLOSINGS)})
        steps.append((CLOSINGS[closing_text], closed, "partner", {}))
    steps.sort(key=lambda s: s[1])
    return steps, {"plaintiff": cell_text(record.get("plaintiff")), "defendant": cell_text(record.get("defendant"))}


def court_cases_import(*, actor, source, progress: Callable[[int, int], None] | None = None) -> int:
    """Import the court cases of ``source`` (a path or an uploaded file) for ``actor``'s court; return the count."""
    if actor.role != "partner" or actor.organisation is None or actor.organisation.kind != "court":
        raise PermissionDenied(_("Only a court's user imports court cases."))
    raw = read_raw(source)
    keys = [COLUMNS.get(h.strip()) for h in raw.headers]
    absent = [h for h, k in COLUMNS.items() if k in REQUIRED and k not in keys]
    if absent:
        raise CourtImportError([RowProblem(1, _("missing column %(columns)s.") % {"columns": "、".join(absent)})])
    procedure = procedure_for("judicial_case")
    plans, problems = [], []
    numbers = set(Case.objects.filter(procedure="judicial_case").values_list("number", flat=True))
    for number, cells in raw.rows:
        record = {k: v for k, v in zip(keys, cells, strict=False) if k}
        try:
            steps, names = _plan(record)
            history = [engine.Event(a, at, role, payload) for a, at, role, payload in steps]
            engine.replay(procedure, history)
            case_number = cell_text(record["number"])
            if case_number in numbers:
                raise ValueError(
                    _("case %(number)s is already on the platform (or twice in the file).") % {"number": case_number}
                )
            numbers.add(case_number)
        except engine.ProcedureError as exc:
            problems.append(RowProblem(number, exc.message_zh))
        except ValueError as exc:
            problems.append(RowProblem(number, str(exc)))
        else:
            plans.append((case_number, cell_text(record["title"]), steps, names))
    if problems:
        raise CourtImportError(problems)
    with transaction.atomic():
        for done, (case_number, title, steps, names) in enumerate(plans, start=1):
            _create(actor, case_number, title, steps, names)
            if progress is not None:
                progress(done, len(plans))
    return len(plans)


def _create(actor, number: str, title: str, steps, names: dict) -> Case:
    parties = [
        services.PartySpec(PartyRole.APPLICANT, names["plaintiff"] or "原告"),
        services.PartySpec(PartyRole.RESPONDENT, names["defendant"] or "被告"),
    ]
    (action, at, _role, payload), rest = steps[0], steps[1:]
    case = services.case_open(
        actor=actor,
        procedure_code="judicial_case",
        title=title,
        organisation=actor.organisation,
        parties=parties,
        action=action,
        at=at,
        payload=payload,
        number=number,
        note="法院数据导入",
    )
    for action, at, role, payload in rest:
        note = "法院数据导入；院长批准延长" if role in access.RECORDED_ROLES else "法院数据导入"
        services.case_act(actor=actor, case=case, action=action, at=at, payload=payload, acting_as=role, note=note)
    return case
