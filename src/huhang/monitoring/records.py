"""The records behind a figure, as rows for the drill-down table and the XLSX export: the columns of each kind of
record, and each row's cells with the link to the record itself."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Row:
    cells: list
    url: str


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _yes_no(value) -> str:
    return "—" if value is None else ("是" if value else "否")


def _case(case) -> Row:
    return Row(
        [case.number, case.title, case.state_name_zh, case.opened_on, case.accepted_on, case.closed_on,
         case.handling_days, _yes_no(case.within_limit), _yes_no(case.mediation_offered)],
        _url("cases:detail", case.pk),
    )  # fmt: skip


def _patent(patent) -> Row:
    # Reasons as written by huhang.patents.services.registry_classify: {"category", "status", "label_zh",
    # "label_en", "reason_zh", "reason_en"}; shown in the page's language, the label before its reason.
    from django.utils.translation import get_language

    suffix = "en" if (get_language() or "").startswith("en") else "zh"

    def text(reason) -> str:
        if not isinstance(reason, dict):
            return str(reason)
        label = reason.get(f"label_{suffix}") or reason.get("category", "")
        why = reason.get(f"reason_{suffix}") or ""
        return f"{label}：{why}" if why else str(label)

    reasons = "；".join(text(r) for r in patent.high_value_reasons)
    return Row(
        [patent.publication_number or patent.application_number, patent.title, patent.grant_date, reasons],
        _url("registry:detail", "patents", patent.pk),
    )


def _copyright(row) -> Row:
    return Row([row.registration_number, row.title, row.registered_on], _url("registry:detail", "copyrights", row.pk))


def _station(row) -> Row:
    return Row(
        [row.name, row.get_kind_display(), row.get_level_display(), row.district or "—", row.opened_on],
        _url("registry:detail", "stations", row.pk),
    )


def _entity(row) -> Row:
    return Row([row.name, row.uscc or "—", row.district or "—"], _url("registry:detail", "entities", row.pk))


def _answer(row) -> Row:
    return Row(
        [row.pk, row.submitted_on, row.get_channel_display(), round(row.score, 2)],
        _url("surveys:answer-detail", row.pk),
    )


KINDS = {
    "cases": (
        [_("Case number"), _("Title"), _("State"), _("Opened on"), _("Accepted on"), _("Closed on"),
         _("Handling days"), _("Within the limits"), _("Mediation offered")],
        _case, ("organisation",),
    ),
    "patents": ([_("Number"), _("Title"), _("Grant date"), _("High-value categories")], _patent, ()),
    "copyrights": ([_("Registration number"), _("Title"), _("Registered on")], _copyright, ()),
    "stations": ([_("Name"), _("Kind"), _("Level"), _("District"), _("Opened on")], _station, ("district",)),
    "entities": ([_("Name"), _("Unified social credit code"), _("District")], _entity, ("district",)),
    "answers": ([_("Answer"), _("Submitted on"), _("Channel"), _("Score")], _answer, ()),
    "statistics": ([], None, ()),
}  # fmt: skip


def columns_for(kind: str) -> list:
    return KINDS[kind][0]


def prepare(kind: str, records):
    """``records`` ordered and with what their rows show joined in, ready to be paginated."""
    related = KINDS[kind][2]
    records = records.order_by("pk")
    return records.select_related(*related) if related else records


def rows_for(kind: str, records: Iterable) -> list[Row]:
    make = KINDS[kind][1]
    return [] if make is None else [make(record) for record in records]
