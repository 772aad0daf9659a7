"""The landscape (专利导航) as an XLSX workbook and as a PDF report in Chinese, and the infringement-risk report
as a PDF in Chinese. PDFs embed the platform's TrueType CJK font (:func:`huhang.documents.registered_font`) and
draw their charts with reportlab's own graphics; the numbers are those of the page (the same selectors)."""

from __future__ import annotations

import datetime as dt
import io
import math
from xml.sax.saxutils import escape

from django.utils import translation

from huhang.analytics.explain import STATUS_NAMES
from huhang.patents.risk import RiskReport
from huhang.patents.selectors import LandscapeData, landscape_notes
from huhang.registry.tabular.exporting import Sheet, write_xlsx

STATUS_ZH = {None: "未知", "valid": "有效", "pending": "审中", "lapsed": "失效", "invalidated": "无效",
             "expired": "届满"}  # fmt: skip
LEVEL_ZH = {"high": "较高", "medium": "中等", "low": "较低"}
LEVEL_COLOUR = {"high": "#9C0006", "medium": "#C55A11", "low": "#5B6770"}
BASIS_ZH = {"publication": "公开（公告）年", "application": "申请年", "priority": "优先权年"}
LEVEL_NAME_ZH = {"section": "部", "class": "大类", "subclass": "小类", "main_group": "大组", "subgroup": "小组"}
FIELD_ZH = {"title": "标题", "abstract": "摘要", "claims": "权利要求"}
HIGHLIGHT = "#C00000"
CHART_YEARS = 30  # year charts of the PDF show at most the last 30 years (the tables and the workbook have all)
SERIES_COLOURS = ("#2F5597", "#C55A11", "#548235", "#7030A0", "#BF9000", "#0B5CAD")


def filters_text(data: LandscapeData) -> str:
    """The corpus filter, in Chinese, for titles of the exports."""
    q = data.query
    parts = []
    if q.ipc:
        parts.append(f"IPC {q.ipc}")
    if q.sei_code:
        parts.append(f"战略性新兴产业 {q.sei_code}")
    if q.year_from or q.year_to:
        parts.append(f"{BASIS_ZH[q.year_basis]} {q.year_from or '…'}–{q.year_to or '…'}")
    if q.applicant:
        parts.append(f"申请人 {q.applicant}")
    return "；".join(parts) or "全部专利"


def industry_rows(data: LandscapeData) -> list[dict]:
    if data.industries is None:
        return []
    return [row for row in data.industries.rows if row["patents"] or row["possible"]]


# ------------------------------------------------------------------------------------------------ XLSX


def landscape_xlsx(data: LandscapeData) -> bytes:
    """The workbook: 概况 (filter, totals, notes), then one sheet per breakdown.

    Written by the registry's workbook writer (:func:`~huhang.registry.tabular.exporting.write_xlsx`): bold frozen
    headers, and names from the data (applicants, regions) kept as text, never run as formulas.
    """
    with translation.override("zh-hans"):
        notes = landscape_notes(data)
    level = LEVEL_NAME_ZH[data.query.level]
    basis = BASIS_ZH[data.query.year_basis]
    overview = [
        ["范围", filters_text(data)],
        ["年份口径", basis],
        ["范围内专利", data.total],
        ["分析库专利总数", data.store_total],
        ["生成日期", dt.date.today().isoformat()],
        *[["说明", note] for note in notes],
    ]
    sheets = [
        Sheet("概况", ["专利导航分析"], overview, [16, 80]),
        Sheet(
            f"IPC{level}",
            ["IPC", "名称", "名称语言", "专利数", "占比"],
            [[r["code"], r["title"], r["title_lang"], r["patents"], r["share"]] for r in data.by_ipc.rows],
            [12, 50, 10, 10, 10],
        ),
        Sheet(
            "IPC趋势",
            ["IPC", "名称", "年份", "专利数"],
            [[r["key"], r["label"], r["year"], r["patents"]] for r in data.ipc_trend.rows],
            [12, 50, 8, 10],
        ),
        Sheet(
            "主要申请人",
            ["申请人", "专利数", "占比", "最早年份", "最近年份"],
            [[r["applicant"], r["patents"], r["share"], r["first_year"], r["last_year"]] for r in data.applicants.rows],
            [40, 10, 10, 10, 10],
        ),
        Sheet(
            "增长最快",
            ["IPC", "名称", "前期", "近期", "增量", "增长率"],
            [[r["code"], r["title"], r["previous"], r["recent"], r["increase"], r["growth"]] for r in data.growth.rows],
            [12, 50, 8, 8, 8, 10],
        ),
        Sheet("年度", [basis, "专利数"], [[r["year"], r["patents"]] for r in data.by_year.rows], [16, 10]),
        Sheet(
            "地区",
            ["申请人地区", "专利数", "占比"],
            [[r["region"], r["patents"], r["share"]] for r in data.regions.rows],
            [24, 10, 10],
        ),
        Sheet(
            "受理局",
            ["受理局", "专利数", "占比"],
            [[r["country"], r["patents"], r["share"]] for r in data.countries.rows],
            [10, 10, 10],
        ),
        Sheet(
            "战略性新兴产业",
            ["代码", "产业", "所属", "专利数", "可能属于"],
            [[r["sei_code"], r["name_zh"], r["top_name_zh"], r["patents"], r["possible"]] for r in industry_rows(data)],
            [10, 40, 30, 10, 10],
        ),
    ]
    buffer = io.BytesIO()
    write_xlsx(buffer, *sheets)
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------------ PDF helpers


class _Pdf:
    """Styles and flowables shared by the two reports."""

    def __init__(self, font_path=None) -> None:
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm

        from huhang.documents import registered_font

        self.mm = mm
        self.font = registered_font(font_path)
        self.base = ParagraphStyle("base", fontName=self.font, fontSize=9, leading=13.5, wordWrap="CJK")
        self.small = ParagraphStyle("small", parent=self.base, fontSize=7.5, leading=10.5)
        self.cell = ParagraphStyle("cell", parent=self.base, fontSize=8, leading=11)
        self.title = ParagraphStyle("title", parent=self.base, fontSize=17, leading=24, alignment=1, spaceAfter=3 * mm)
        self.heading = ParagraphStyle(
            "heading", parent=self.base, fontSize=12, leading=17, spaceBefore=5 * mm, spaceAfter=2 * mm
        )
        self.subheading = ParagraphStyle(
            "subheading", parent=self.base, fontSize=10, leading=14, spaceBefore=3 * mm, spaceAfter=1.5 * mm
        )
        self.note = ParagraphStyle(
            "note", parent=self.base, fontSize=8.5, leading=12.5, backColor="#FFF8E1", borderColor="#F0D48A",
            borderWidth=0.5, borderPadding=5, spaceBefore=2 * mm, spaceAfter=4 * mm,
        )  # fmt: skip

    def p(self, text: str, style=None):
        from reportlab.platypus import Paragraph

        return Paragraph(text, style or self.base)

    def table(self, headers: list[str], rows: list[list], widths: list[float], *, numeric: tuple[int, ...] = ()):
        from reportlab.lib import colors
        from reportlab.platypus import Table, TableStyle

        body = [[self.p(escape(str(h)), self.cell) for h in headers]]
        for row in rows:
            body.append([c if not isinstance(c, str | int | float) and c is not None else
                         self.p(escape(_text(c)), self.cell) for c in row])  # fmt: skip
        table = Table(body, colWidths=[w * self.mm for w in widths], repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#B0B8C0")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF7")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        for column in numeric:
            style.append(("ALIGN", (column, 1), (column, -1), "RIGHT"))
        table.setStyle(TableStyle(style))
        return table

    def build(self, story, *, title: str) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.platypus import SimpleDocTemplate

        mm = self.mm
        buffer = io.BytesIO()

        def footer(canvas, doc):
            canvas.setFont(self.font, 8)
            canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
            canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, "护航知识产权保护平台")

        SimpleDocTemplate(
            buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=18 * mm,
            title=title, author="护航知识产权保护平台",
        ).build(story, onFirstPage=footer, onLaterPages=footer)  # fmt: skip
        return buffer.getvalue()

    # charts --------------------------------------------------------------------------------------

    def bars(self, labels: list[str], values: list[int], *, width_mm: float = 180, caption: str = ""):
        """Horizontal bars, largest on top, one label per bar."""
        from reportlab.graphics.charts.barcharts import HorizontalBarChart
        from reportlab.graphics.shapes import Drawing, String
        from reportlab.lib import colors

        mm = self.mm
        n = len(values)
        height = (8 + 6 * n) * mm
        drawing = Drawing(width_mm * mm, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = 48 * mm, 5 * mm
        chart.width, chart.height = (width_mm - 60) * mm, 6 * n * mm - 2 * mm
        chart.data = [list(reversed(values))]
        chart.categoryAxis.categoryNames = [label[:22] for label in reversed(labels)]
        chart.categoryAxis.labels.fontName = self.font
        chart.categoryAxis.labels.fontSize = 7
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.valueAxis.labels.fontName = self.font
        chart.valueAxis.labels.fontSize = 6.5
        chart.valueAxis.valueMin = 0
        chart.valueAxis.forceZero = True
        chart.bars[0].fillColor = colors.HexColor(SERIES_COLOURS[0])
        chart.bars[0].strokeColor = None
        chart.barLabelFormat = "%d"
        chart.barLabels.fontName = self.font
        chart.barLabels.fontSize = 6.5
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 2
        drawing.add(chart)
        if caption:
            drawing.add(String(0, height - 3 * mm, caption, fontName=self.font, fontSize=8))
        return drawing

    def lines(self, years: list[int], series: list[tuple[str, list[float | None]]], *, caption: str = ""):
        """Lines over years, with a legend when there is more than one series."""
        from reportlab.graphics.charts.legends import Legend
        from reportlab.graphics.charts.linecharts import HorizontalLineChart
        from reportlab.graphics.shapes import Drawing, String
        from reportlab.lib import colors

        mm = self.mm
        rows = len(series) if len(series) > 1 else 0
        legend_height = rows * 5 * mm
        drawing = Drawing(180 * mm, legend_height + 60 * mm)
        chart = HorizontalLineChart()
        chart.x, chart.y = 14 * mm, legend_height + 9 * mm
        chart.width, chart.height = 160 * mm, 42 * mm
        chart.data = [values for _label, values in series]
        step = max(1, math.ceil(len(years) / 16))
        chart.categoryAxis.categoryNames = [str(y) if i % step == 0 else "" for i, y in enumerate(years)]
        chart.categoryAxis.labels.fontName = self.font
        chart.categoryAxis.labels.fontSize = 6.5
        chart.valueAxis.labels.fontName = self.font
        chart.valueAxis.labels.fontSize = 6.5
        chart.valueAxis.valueMin = 0
        chart.valueAxis.forceZero = True
        for i in range(len(series)):
            chart.lines[i].strokeColor = colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)])
            chart.lines[i].strokeWidth = 1.4
        drawing.add(chart)
        if rows:
            legend = Legend()
            legend.x, legend.y = 14 * mm, legend_height
            legend.deltay, legend.dy, legend.dx = 5 * mm, 3 * mm, 6 * mm
            legend.fontName = self.font
            legend.fontSize = 7
            legend.alignment = "right"
            legend.columnMaximum = rows
            legend.colorNamePairs = [
                (
                    colors.HexColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]),
                    label[:48] + ("…" if len(label) > 48 else ""),
                )
                for i, (label, _values) in enumerate(series)
            ]
            drawing.add(legend)
        if caption:
            drawing.add(String(0, drawing.height - 3 * mm, caption, fontName=self.font, fontSize=8))
        return drawing


def _text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1%}" if value <= 1.0 else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _title(row: dict, key: str = "title") -> str:
    title = row.get(key) or "—"
    return f"{title}（英文名称）" if row.get("title_lang") == "en" else title


def trend_series(landscape) -> tuple[list[int], list[tuple[str, list[int | None]]]]:
    """Years and one series per key of a trend landscape, zero where a key has no patent that year."""
    years = sorted({row["year"] for row in landscape.rows})
    if not years:
        return [], []
    years = list(range(years[0], years[-1] + 1))
    series: dict[str, tuple[str, dict[int, int]]] = {}
    for row in landscape.rows:
        label = f"{row['key']} {row['label'] or ''}".strip()
        series.setdefault(row["key"], (label, {}))[1][row["year"]] = row["patents"]
    return years, [(label, [counts.get(y, 0) for y in years]) for label, counts in series.values()]


# ------------------------------------------------------------------------------------------------ landscape PDF


def landscape_pdf(data: LandscapeData, *, today: dt.date | None = None, font_path=None) -> bytes:
    """The navigation report in Chinese: filter, totals, charts and tables of each breakdown, notes."""
    from reportlab.platypus import KeepTogether, Spacer

    today = today or dt.date.today()
    pdf = _Pdf(font_path)
    mm = pdf.mm
    q = data.query
    with translation.override("zh-hans"):
        notes = landscape_notes(data)
    level = LEVEL_NAME_ZH[q.level]
    story = [
        pdf.p("专利导航分析报告", pdf.title),
        pdf.p(
            escape(
                f"分析范围：{filters_text(data)}　年份口径：{BASIS_ZH[q.year_basis]}　生成日期：{today:%Y年%m月%d日}"
            )
        ),
        pdf.p(escape(f"范围内专利 {data.total:,} 件（分析库共 {data.store_total:,} 件）。")),
        Spacer(1, 2 * mm),
    ]
    if data.by_year.rows:
        years = [r["year"] for r in data.by_year.rows]
        span = list(range(max(years[0], years[-1] - CHART_YEARS + 1), years[-1] + 1))
        counts = {r["year"]: r["patents"] for r in data.by_year.rows}
        caption = f"按{BASIS_ZH[q.year_basis]}统计的专利数" + ("" if span[0] == years[0] else f"（{span[0]} 年以来）")
        chart = pdf.lines(span, [("专利数", [counts.get(y, 0) for y in span])], caption=caption)
        story.append(KeepTogether([pdf.p("一、年度趋势", pdf.heading), chart]))
    heading = pdf.p(f"二、IPC 分布（{level}）", pdf.heading)
    if data.by_ipc.rows:
        top = data.by_ipc.rows[:12]
        story.append(KeepTogether([heading, pdf.bars([r["code"] for r in top], [r["patents"] for r in top],
                                                     caption=f"专利数最多的 IPC {level}")]))  # fmt: skip
        story.append(pdf.table(
            ["IPC", "名称", "专利数", "占比"],
            [[r["code"], _title(r), r["patents"], _pct(r["share"])] for r in data.by_ipc.rows],
            [22, 118, 20, 20], numeric=(2, 3),
        ))  # fmt: skip
    else:
        story += [heading, pdf.p("范围内的专利没有该层级的 IPC 分类号。")]
    years, series = trend_series(data.ipc_trend)
    if series:
        keep = max(0, len(years) - CHART_YEARS)
        caption = "" if not keep else f"{years[keep]} 年以来"
        series = [(label, values[keep:]) for label, values in series]
        story.append(KeepTogether([pdf.p(f"三、主要 IPC {level}的年度趋势", pdf.heading),
                                   pdf.lines(years[keep:], series, caption=caption)]))  # fmt: skip
    heading = pdf.p("四、主要申请人", pdf.heading)
    if data.applicants.rows:
        top = data.applicants.rows[:12]
        story.append(KeepTogether([heading, pdf.bars([r["applicant"] for r in top], [r["patents"] for r in top],
                                                     caption="专利数最多的申请人")]))  # fmt: skip
        story.append(pdf.table(
            ["申请人", "专利数", "占比", "最早年份", "最近年份"],
            [[r["applicant"], r["patents"], _pct(r["share"]), _year(r["first_year"]), _year(r["last_year"])]
             for r in data.applicants.rows],
            [100, 20, 20, 20, 20], numeric=(1, 2),
        ))  # fmt: skip
    else:
        story += [heading, pdf.p("范围内的专利未载明申请人。")]
    story.append(pdf.p("五、增长最快的 IPC 分组", pdf.heading))
    if data.growth.rows:
        story.append(pdf.table(
            ["IPC", "名称", "前期", "近期", "增量", "增长率"],
            [[r["code"], r["title"] or "—", r["previous"], r["recent"], r["increase"], _pct(r["growth"])]
             for r in data.growth.rows],
            [22, 88, 16, 16, 16, 22], numeric=(2, 3, 4, 5),
        ))  # fmt: skip
    else:
        story.append(pdf.p("前期专利数达到计算标准的分组中，没有增长的分组。"))
    regional = []
    if data.regions.rows:
        regional.append(pdf.table(["申请人地区", "专利数", "占比"],
                                  [[r["region"], r["patents"], _pct(r["share"])] for r in data.regions.rows],
                                  [120, 30, 30], numeric=(1, 2)))  # fmt: skip
    if data.countries.rows:
        regional += [Spacer(1, 3 * mm), pdf.table(["受理局", "专利数", "占比"],
                     [[r["country"], r["patents"], _pct(r["share"])] for r in data.countries.rows],
                     [120, 30, 30], numeric=(1, 2))]  # fmt: skip
    if regional:
        story += [pdf.p("六、地区与受理局", pdf.heading), *regional]
    industries = industry_rows(data)
    story.append(pdf.p("七、战略性新兴产业（2021）", pdf.heading))
    if data.industries is None:
        story.append(pdf.p("专利尚未分类，暂无产业分布。"))
    elif industries:
        chart_rows = [r for r in industries if r["patents"]][:12]
        if chart_rows:
            story.append(pdf.bars([f"{r['sei_code']} {r['name_zh']}" for r in chart_rows],
                                  [r["patents"] for r in chart_rows], caption="属于各产业的专利数"))  # fmt: skip
        story.append(pdf.table(
            ["代码", "产业", "专利数", "可能属于"],
            [[r["sei_code"], r["name_zh"], r["patents"], r["possible"]] for r in industries],
            [18, 122, 20, 20], numeric=(2, 3),
        ))  # fmt: skip
    else:
        story.append(pdf.p("范围内没有专利属于或可能属于战略性新兴产业。"))
    possible = "“可能属于”指 IPC 分类号对应该产业、但关键词条件无法判断（如仅有标题或非中文文本）的专利。"
    notes_block = [pdf.p("说明", pdf.heading), *[pdf.p("· " + escape(n), pdf.small) for n in notes]]
    story.append(KeepTogether([*notes_block, pdf.p(possible, pdf.small)]))
    return pdf.build(story, title=f"专利导航分析报告 {filters_text(data)}")


def _year(value) -> str:
    return "—" if value is None else str(value)


# ------------------------------------------------------------------------------------------------ risk PDF


def _status_cell(pdf: _Pdf, status: str | None):
    if status is None:
        return pdf.p('<font color="#9C5700">未知</font>', pdf.cell)
    return STATUS_ZH.get(status, status)


def _marked(passage) -> str:
    """A passage as reportlab markup: the matching words bold and red."""
    out = []
    for segment in passage.segments:
        text = escape(segment.text)
        out.append(f'<font color="{HIGHLIGHT}"><b>{text}</b></font>' if segment.marked else text)
    return "".join(out)


def risk_pdf(report: RiskReport, *, font_path=None) -> bytes:
    """The infringement-risk report in Chinese, matching passages highlighted."""
    from reportlab.platypus import KeepTogether, Spacer

    pdf = _Pdf(font_path)
    mm = pdf.mm
    company = report.company or "（未填写企业名称）"
    story = [
        pdf.p("专利侵权风险分析报告", pdf.title),
        pdf.p(escape(f"企业：{company}　生成日期：{report.prepared_on:%Y年%m月%d日}")),
        pdf.p(escape(
            f"比对范围：分析库中 {report.documents:,} 件专利，排除该企业自有专利 {report.own_patents:,} 件，"
            "以及记录显示不再有效（审中、失效、无效、届满，或申请日起满 20 年）的专利；"
            f"每项产品列出相似度最高的 {report.top} 件。"
        )),
        pdf.p(
            "<b>法律状态：</b>" + escape(
                f"所列专利中有 {report.status_unknown:,} 件的记录未载明法律状态，表中标为“法律状态未知”；"
                "其是否有效、保护范围如何，须向国家知识产权局核实后方可判断。"
            ) + "<br/><b>性质：</b>" + escape(
                "本报告依据标题、摘要和权利要求的文本相似度检索生成，仅供排查参考，不构成侵权判定或法律意见。"
                "“覆盖率”为产品描述中的词语（按逆文档频率加权）在专利文本中出现的比例；"
                "“关注程度”据此分为较高（≥60%）、中等（≥35%）、较低。"
            ),
            pdf.note,
        ),
    ]  # fmt: skip
    if report.stale_index:
        story.append(pdf.p("注意：检索索引早于最近一次数据载入，新载入的专利未参与比对。", pdf.small))
    for product in report.products:
        story.append(pdf.p(f"产品（权利要求）{product.number}", pdf.heading))
        story.append(pdf.p(escape(product.text), pdf.base))
        story.append(Spacer(1, 2 * mm))
        if not product.hits:
            story.append(pdf.p("未检索到相似专利。"))
            continue
        rows = []
        for rank, hit in enumerate(product.hits, start=1):
            level = pdf.p(f'<font color="{LEVEL_COLOUR[hit.level]}">{LEVEL_ZH[hit.level]}</font>', pdf.cell)
            applicants = "；".join(hit.applicants[:3]) or "—"
            status = _status_cell(pdf, hit.legal_status)
            rows.append(
                [rank, hit.id, hit.title or "—", applicants, status, f"{hit.score:.2f}", _pct(hit.coverage), level]
            )
        story.append(pdf.table(["序号", "公开号", "标题", "申请人", "法律状态", "得分", "覆盖率", "关注程度"], rows,
                               [11, 27, 46, 33, 16, 13, 17, 17], numeric=(0, 5, 6)))  # fmt: skip
        for rank, hit in enumerate(product.hits, start=1):
            block = [pdf.p("相似段落（红色粗体为与产品描述相同的词语）", pdf.subheading)] if rank == 1 else []
            block.append(pdf.p(escape(f"{rank}. {hit.id}　{hit.title or ''}"), pdf.cell))
            for passage in hit.passages:
                block.append(pdf.p(f"{FIELD_ZH.get(passage.field, passage.field)}：{_marked(passage)}", pdf.small))
            story.append(KeepTogether([*block, Spacer(1, 1.5 * mm)]))
    story.append(pdf.p("说明", pdf.heading))
    story.append(pdf.p(escape(
        "相似度得分为 BM25 检索得分（中文按 jieba 分词，英文词干化），仅在同一产品的结果之间可比。"
        f"“{STATUS_NAMES['unknown'][1]}”表示数据未载明，并非“否”。"
    ), pdf.small))  # fmt: skip
    return pdf.build(story, title=f"专利侵权风险分析报告 {company}")
