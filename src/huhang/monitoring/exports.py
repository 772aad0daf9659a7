"""The dashboard as an XLSX workbook (an overview sheet, then one sheet per indicator with its records) and as a
printable PDF report in Chinese. Both read the same :func:`~huhang.monitoring.selectors.dashboard` figures the
page shows, so the numbers are the page's."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from huhang.monitoring import selectors
from huhang.monitoring.periods import Period
from huhang.monitoring.records import columns_for, prepare, rows_for

EXCEL_ROWS = 1_048_576  # rows of a worksheet; records beyond it are left out and the sheet says so
STATUS_FILL = {"met": "D9F2D9", "on_track": "DDEBF7", "at_risk": "FCE4D6", "no_data": "EDEDED"}


def _value_text(figure) -> str:
    if figure.value is None:
        return "无数据"
    return f"{figure.value:,.{figure.indicator.decimals}f}"


def _target_text(figure) -> str:
    sign = {">=": "≥", ">": "＞", "<=": "≤"}[figure.indicator.comparison]
    return f"{sign} {figure.target.value.normalize():,f}"


def dashboard_xlsx(period: Period, *, today: dt.date | None = None) -> bytes:
    """The workbook: sheet 总览 with every indicator, then a sheet per indicator with its records."""
    with translation.override("zh-hans"):
        figures = selectors.dashboard(period, today=today)
        book = Workbook(write_only=True)
        overview = book.create_sheet("总览")
        bold = Font(bold=True)

        def header(sheet, titles):
            cells = []
            for title in titles:
                cell = WriteOnlyCell(sheet, value=str(title))
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)

        overview.append([f"武汉市国家知识产权保护示范区指标监测（{period.label}，截至{figures[0].as_of.isoformat()}）"])
        header(overview, ["指标", "名称", "数值", "目标", "单位", "状态", "样本量", "说明", "计算公式", "目标来源"])
        for f in figures:
            status = WriteOnlyCell(overview, value=str(f.status.label))
            status.fill = PatternFill("solid", fgColor=STATUS_FILL[f.status.value])
            value = WriteOnlyCell(overview, value=None if f.value is None else float(f.value))
            if f.value is None:
                value.value = "无数据"
            else:
                value.number_format = "#,##0" + ("." + "0" * f.indicator.decimals if f.indicator.decimals else "")
            overview.append([
                f.indicator.id, f.indicator.name_zh, value, float(f.target.value), f.indicator.unit_zh, status,
                f.measurement.sample, f.measurement.missing or f.reason, f.indicator.formula_zh, f.target.source,
            ])  # fmt: skip
        for f in figures:
            _indicator_sheet(book, f)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


def _indicator_sheet(book: Workbook, figure) -> None:
    ind, m = figure.indicator, figure.measurement
    sheet = book.create_sheet(f"{ind.id} {ind.name_zh}"[:31])
    sheet.append([ind.id, ind.name_zh])
    sheet.append(["数值", _value_text(figure), ind.unit_zh])
    sheet.append(["目标", _target_text(figure), figure.target.source])
    sheet.append(["状态", str(figure.status.label), figure.reason])
    sheet.append(["计算公式", ind.formula_zh])
    if m.baseline:
        sheet.append(["基期", m.baseline])
    if m.missing:
        sheet.append(["无数据原因", m.missing])
    for s in m.inputs:
        sheet.append(["导入统计", s.name, s.period, float(s.value), s.unit, s.source_title, s.source_url])
    sheet.append([])
    if m.records is None:
        return
    columns = columns_for(ind.records)
    if not columns:
        return
    sheet.append([str(c) for c in columns] + ["链接"])
    limit = EXCEL_ROWS - 20
    records = prepare(ind.records, m.records)
    written = 0
    for chunk_start in range(0, limit, 5000):
        chunk = list(records[chunk_start : min(chunk_start + 5000, limit)])
        for row in rows_for(ind.records, chunk):
            sheet.append([_cell(c) for c in row.cells] + [row.url])
        written += len(chunk)
        if len(chunk) < 5000:
            break
    if written >= limit:
        sheet.append([f"仅列出前{limit:,}条记录（工作表行数上限）"])


def _cell(value):
    if isinstance(value, (dt.date, int, float)) or value is None:
        return value
    return str(value)


def dashboard_pdf(period: Period, *, today: dt.date | None = None, font_path=None) -> bytes:
    """A printable A4 report in Chinese: the overview table, then each indicator with its trend."""
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from huhang.documents import registered_font

    font = registered_font(font_path)
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    small = ParagraphStyle("small", parent=base, fontSize=7.5, leading=10)
    title = ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1, spaceAfter=4 * mm)
    heading = ParagraphStyle("heading", parent=base, fontSize=11, leading=16, spaceBefore=4 * mm, spaceAfter=2 * mm)

    with translation.override("zh-hans"):
        today = today or timezone.localdate()
        figures = selectors.dashboard(period, today=today)
        story = [
            Paragraph("武汉市国家知识产权保护示范区建设指标监测报告", title),
            Paragraph(
                f"统计期间：{period.label}　数据截至：{figures[0].as_of:%Y年%m月%d日}　生成日期：{today:%Y年%m月%d日}",
                base,
            ),
            Spacer(1, 4 * mm),
        ]
        rows = [[Paragraph(h, base) for h in ("指标", "名称", "数值", "目标", "状态", "样本量")]]
        for f in figures:
            rows.append([
                Paragraph(f.indicator.id, base), Paragraph(f.indicator.name_zh, base),
                Paragraph(f"{_value_text(f)} {f.indicator.unit_zh if f.value is not None else ''}", base),
                Paragraph(f"{_target_text(f)} {f.indicator.unit_zh}", base), Paragraph(str(f.status.label), base),
                Paragraph("" if f.measurement.sample is None else f"{f.measurement.sample:,}", base),
            ])  # fmt: skip
        table = Table(rows, colWidths=[12 * mm, 70 * mm, 30 * mm, 30 * mm, 16 * mm, 18 * mm], repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF7")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        for i, f in enumerate(figures, start=1):
            style.append(("BACKGROUND", (4, i), (4, i), colors.HexColor("#" + STATUS_FILL[f.status.value])))
        table.setStyle(TableStyle(style))
        story.append(table)
        for f in figures:
            ind, m = f.indicator, f.measurement
            block = [
                Paragraph(f"{ind.id}　{ind.name_zh}", heading),
                Paragraph(
                    f"数值：{_value_text(f)} {ind.unit_zh if f.value is not None else ''}　"
                    f"目标：{_target_text(f)} {ind.unit_zh}　状态：{f.status.label}（{f.reason}）",
                    base,
                ),
                Paragraph(f"计算公式：{ind.formula_zh}", small),
                Paragraph(f"目标来源：{f.target.source}", small),
            ]  # fmt: skip
            if m.baseline:
                block.append(Paragraph(f"基期：{m.baseline}", small))
            if m.missing:
                block.append(Paragraph(f"无数据原因：{m.missing}", small))
            for s in m.inputs:
                block.append(
                    Paragraph(
                        f"导入统计：{s.name}（{s.period}）{s.value.normalize():,f} {s.unit}，来源：{s.source_title}",
                        small,
                    )
                )
            points = [(month, value) for month, value in selectors.trend(ind, period, today=today)]
            known = [float(v) for _m, v in points if v is not None]
            if len(known) >= 2:
                drawing = Drawing(170 * mm, 45 * mm)
                chart = HorizontalLineChart()
                chart.x, chart.y, chart.width, chart.height = 12 * mm, 8 * mm, 150 * mm, 32 * mm
                chart.data = [[float(v) if v is not None else None for _m, v in points]]
                chart.categoryAxis.categoryNames = [month[2:] for month, _v in points]
                chart.categoryAxis.labels.fontName = font
                chart.categoryAxis.labels.fontSize = 6
                chart.valueAxis.labels.fontName = font
                chart.valueAxis.labels.fontSize = 6
                chart.valueAxis.valueMin = min(0, min(known))
                chart.valueAxis.valueMax = max([*known, float(f.target.value)]) * 1.1 or 1
                chart.lines[0].strokeColor = colors.HexColor("#2F5597")
                drawing.add(chart)
                drawing.add(String(12 * mm, 42 * mm, "逐月累计趋势", fontName=font, fontSize=7))
                block.append(drawing)
            story.append(KeepTogether(block))

        buffer = io.BytesIO()

        def footer(canvas, doc):
            canvas.setFont(font, 8)
            canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")

        SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
            title=f"指标监测报告 {period.code}", author="护航知识产权保护平台",
        ).build(story, onFirstPage=footer, onLaterPages=footer)  # fmt: skip
        return buffer.getvalue()
