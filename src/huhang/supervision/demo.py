"""Demo supervision data, written through the services as the demo users of ``huhang demo-data``.

Illustrative only: the source texts name no responsible department for any item, so the departments, their
assignments, milestones, reports and notes below are invented for the demo, and every row is marked
``is_demo`` (the pages badge them). The same run date gives the same rows: due dates count from that day, so
the demo always shows milestones done, overdue and due soon.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from huhang.accounts.models import Organisation, User
from huhang.supervision import services
from huhang.supervision.models import Department, NoteKind, ReportStatus, WorkItem

SUPERVISOR = "demo_supervisor"

# Departments, each the demo organisation of the same name (from ``huhang demo-data``).
BUREAU = "武汉市市场监督管理局（知识产权局）"
CENTRE = "中国（武汉）知识产权保护中心"
QUICK = "武汉市知识产权快速维权中心"
TRIBUNAL = "武汉知识产权法庭"
CUSTOMS = "武汉海关"
POLICE = "武汉市公安局"
DEPARTMENTS = (BUREAU, CENTRE, QUICK, TRIBUNAL, CUSTOMS, POLICE)

# item code: (lead, other departments, [(milestone title, due in days from the run date)])
ASSIGNMENTS: dict[str, tuple[str, tuple[str, ...], tuple[tuple[str, int], ...]]] = {
    "DZ-2.3": (TRIBUNAL, (CENTRE,), (("技术事实查明工作细则（演示）", -45), ("专家陪审员参审案件统计（演示）", 20))),
    "DZ-3.1": (BUREAU, (TRIBUNAL, POLICE), (("建立行政司法信息通报台账（演示）", -20), ("召开协作会商会（演示）", 40))),
    "DZ-3.2": (QUICK, (CENTRE,), (("调解协议司法确认流程上线（演示）", -10), ("繁简分流规则试运行（演示）", 25))),
    "DZ-3.3": (CENTRE, (QUICK,), (("技术调查中心选址方案（演示）", -30), ("集中预审服务清单发布（演示）", 15))),
    "DZ-4.3": (BUREAU, (CENTRE, CUSTOMS), (("区块链保护平台上线（演示）", -60), ("智慧确权线上受理（演示）", 50))),
    "DZ-7.3": (BUREAU, (POLICE,), (("专项行动方案印发（演示）", -15),)),
    "DZ-7.4": (CENTRE, (BUREAU,), (("行政裁决规范化试点方案（演示）", -40), ("书面审理首案办结（演示）", -5))),
    "DZ-7.6": (QUICK, (CENTRE,), (("都市圈案件通报制度草案（演示）", 10),)),
    "FY-3.3": (CENTRE, (QUICK,), (("保护中心备案服务扩容（演示）", -90),)),
    "FY-3.4": (QUICK, (TRIBUNAL,), (("多元调解组织名册（演示）", -25),)),
    "FY-4.5": (BUREAU, (), ()),
    "FY-5.5": (CENTRE, (), (("云端服务大厅上线（演示）", 30),)),
}


@dataclass(frozen=True)
class Report:
    item: str
    username: str
    status: str
    percent: int | None
    text: str
    completes: int | None = None  # index of the milestone it completes
    attachment: tuple[str, bytes] | None = None
    reply: bool = False  # answers the item's latest supervision note


def _material(title: str) -> bytes:
    return f"{title}\n演示材料，非真实工作记录。\n".encode()


REPORTS = (
    Report(
        "DZ-3.3",
        "demo_handler",
        ReportStatus.IN_PROGRESS,
        40,
        "已完成技术调查中心选址比选，形成方案报市局审定。（演示）",
        completes=0,
        attachment=("选址方案（演示）.txt", _material("技术调查中心选址方案")),
    ),
    Report("DZ-7.4", "demo_handler", ReportStatus.IN_PROGRESS, 60, "试点方案已印发，首批案件已受理。（演示）", 0),
    Report(
        "DZ-7.4",
        "demo_handler",
        ReportStatus.IN_PROGRESS,
        90,
        "书面审理首案已办结，裁决书已送达。（演示）",
        completes=1,
        attachment=("首案办结情况（演示）.txt", _material("书面审理首案办结情况")),
    ),
    Report("DZ-7.4", "demo_handler", ReportStatus.DONE, 100, "示范工程各项节点均已完成，转入常态化运行。（演示）"),
    Report(
        "DZ-3.2",
        "demo_quick_handler",
        ReportStatus.BLOCKED,
        30,
        "司法确认流程需与法院系统对接，接口尚未开通。（演示）",
        reply=True,
    ),
    Report("DZ-2.3", "demo_partner", ReportStatus.IN_PROGRESS, 50, "技术事实查明工作细则已起草，征求意见中。（演示）"),
    Report("FY-3.3", "demo_handler", ReportStatus.DONE, 100, "保护中心备案服务扩容完成，规划任务办结。（演示）", 0),
)

NOTES = (
    ("DZ-3.2", QUICK, NoteKind.URGING, "调解协议司法确认流程逾期未上线，请说明原因并报送整改计划。（演示）", 7),
    ("DZ-4.3", None, NoteKind.REMINDER, "请各责任单位于联席会议前报送平台建设进展。（演示）", 14),
)


class DemoPrerequisiteMissing(Exception):
    """The work items or the demo accounts are not there yet."""


def demo_present() -> bool:
    return Department.objects.filter(is_demo=True).exists()


@transaction.atomic
def generate_demo_supervision(today: dt.date | None = None) -> dict:
    """Write the demo departments, assignments, milestones, notes and reports; return how many of each."""
    today = today or timezone.localdate()
    items = WorkItem.objects.in_bulk(ASSIGNMENTS.keys(), field_name="code")
    missing = sorted(set(ASSIGNMENTS) - set(items))
    if missing:
        raise DemoPrerequisiteMissing(f"work items {', '.join(missing)} are not loaded: run `huhang supervision load`")
    users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    if SUPERVISOR not in users:
        raise DemoPrerequisiteMissing("no demo accounts: run `huhang demo-data` first")
    supervisor = users[SUPERVISOR]
    organisations = Organisation.objects.in_bulk(DEPARTMENTS, field_name="name")
    departments = {}
    for name in DEPARTMENTS:
        department = Department.objects.filter(name=name).first()
        if department is None:
            organisation = organisations.get(name)
            department = services.department_create(
                actor=supervisor,
                name=name,
                name_en=organisation.name_en if organisation else "",
                organisation=organisation,
                demo=True,
            )
        departments[name] = department
    milestones = {}
    for code, (lead, others, planned) in ASSIGNMENTS.items():
        item = items[code]
        services.item_assign(
            actor=supervisor,
            item=item,
            departments=[departments[lead], *(departments[o] for o in others)],
            lead=departments[lead],
            demo=True,
        )
        milestones[code] = [
            services.milestone_set(
                actor=supervisor, item=item, title=title, due_on=today + dt.timedelta(days=days), demo=True
            )
            for title, days in planned
        ]
    notes = {}
    for code, department, kind, text, days in NOTES:
        notes[code] = services.note_issue(
            actor=supervisor,
            item=items[code],
            kind=kind,
            text=text,
            reply_due_on=today + dt.timedelta(days=days),
            department=departments[department] if department else None,
            demo=True,
        )
    reports = 0
    for report in REPORTS:
        item = items[report.item]
        for milestone in milestones[report.item]:
            milestone.refresh_from_db()
        uploads = [SimpleUploadedFile(report.attachment[0], report.attachment[1])] if report.attachment else []
        services.progress_report(
            actor=users[report.username],
            item=item,
            text=report.text,
            status=report.status,
            percent=report.percent,
            completes=milestones[report.item][report.completes] if report.completes is not None else None,
            in_reply_to=notes.get(report.item) if report.reply else None,
            uploads=uploads,
            demo=True,
        )
        reports += 1
    return {
        "departments": len(departments),
        "items": len(ASSIGNMENTS),
        "milestones": sum(len(m) for m in milestones.values()),
        "notes": len(notes),
        "reports": reports,
    }
