"""The plan's indicators K1–K19 (KPIS.md), each declared once as data: names, unit, target and how it compares,
the plan's own words setting it, the formula in words, how it is measured and what its records are.

Every target below is quoted from 《武汉市国家知识产权保护示范区建设方案》 (targets for the end of 2025); a later
target is recorded as a :class:`~huhang.monitoring.models.TargetRevision` with its own source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from huhang.monitoring import measures

PLAN = "《武汉市国家知识产权保护示范区建设方案》（到2025年底）"


@dataclass(frozen=True)
class Indicator:
    """One indicator. ``comparison`` is how the value must stand to the target (``>=``, ``>`` or ``<=``);
    ``kind`` is ``flow`` (what happened in the period) or ``stock`` (what stands at its end); an ``additive`` flow
    grows through the period, so a running period is judged against the share of the target due by then."""

    id: str
    name_zh: str
    name_en: str
    unit_zh: str
    unit_en: str
    target: Decimal
    comparison: str
    plan_quote: str
    formula_zh: str
    formula_en: str
    measure: Callable
    kind: str
    records: str  # cases, patents, copyrights, stations, entities, answers, statistics
    additive: bool = False
    districts: bool = True
    decimals: int = 0

    @property
    def source(self) -> str:
        return f"{PLAN}：“{self.plan_quote}”"

    def meets(self, value: Decimal, target: Decimal | None = None) -> bool:
        target = self.target if target is None else target
        if self.comparison == ">":
            return value > target
        if self.comparison == "<=":
            return value <= target
        return value >= target


D = Decimal
INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "K1", "知识产权保护社会满意度", "Public satisfaction with IP protection", "分", "points", D("83.5"), ">=",
        "全市知识产权保护社会满意度在83.5分以上",
        "本期有效问卷得分的加权平均（满分100），并列样本量",
        "Weighted mean score of the period's valid survey answers (of 100), with the sample size",
        measures.satisfaction, "flow", "answers", decimals=2,
    ),
    Indicator(
        "K2", "每万人口高价值（发明）专利拥有量", "High-value invention patents per 10,000 residents", "件/万人",
        "per 10,000 residents", D("40"), ">",
        "每万人口高价值专利拥有量超过40件",
        "本地权利人持有的有效高价值发明专利数 ÷ 常住人口 × 10,000（高价值按国家知识产权局五类口径）",
        "Valid high-value invention patents held by local owners ÷ resident population × 10,000 "
        "(CNIPA's five categories)",
        measures.high_value_patents, "stock", "patents", districts=False, decimals=2,
    ),
    Indicator(
        "K3", "年度版权登记数", "Copyright registrations in the year", "件", "registrations", D("85000"), ">=",
        "年度版权登记数达到85000件",
        "本期登记的版权件数", "Copyrights registered in the period",
        measures.copyright_registrations, "flow", "copyrights", additive=True,
    ),
    Indicator(
        "K4", "专利密集型产业增加值占地区生产总值比重", "Value added of patent-intensive industries as a share of GDP",
        "%", "%", D("15"), ">=",
        "专利密集型产业增加值占地区生产总值比重达到15%",
        "专利密集型产业增加值 ÷ 地区生产总值 × 100%（两项均为注明来源的导入统计数据）",
        "Value added of patent-intensive industries ÷ GDP × 100 % (both imported statistics with their sources)",
        measures.patent_intensive_share, "stock", "statistics", districts=False, decimals=2,
    ),
    Indicator(
        "K5", "知识产权行政案件办理周期压减", "Reduction of the handling time of administrative IP cases", "%", "%",
        D("10"), ">=",
        "知识产权行政案件办理周期压减10%以上",
        "1 −（本期办结行政案件平均办理天数 ÷ 基期平均办理天数），"
        "办理天数自受理（立案）至办结，扣除中止等不计入期限的期间",
        "1 − (mean handling days of administrative cases closed in the period ÷ the baseline's mean); days from "
        "acceptance to closing, less suspended and other excluded periods",
        measures.handling_reduction, "flow", "cases", decimals=2,
    ),
    Indicator(
        "K6", "全年知识产权维权援助和调解案件", "Rights-assistance and mediation matters in the year", "件", "matters",
        D("3500"), ">",
        "全年知识产权维权援助和调解案件超过3500件",
        "本期受理的维权援助和调解案件数", "Rights-assistance and mediation matters accepted in the period",
        measures.assistance_and_mediation, "flow", "cases", additive=True,
    ),
    Indicator(
        "K7", "知识产权审判案件法定审限内结案率", "IP trials closed within the statutory time limit", "%", "%",
        D("95"), ">=",
        "知识产权审判案件法定审限内结案率不低于95%",
        "本期结案且在法定审限内（含依法延长、扣除中止等期间）结案的案件数 ÷ 本期结案数",
        "Court cases closed within their statutory limit (lawful extensions included, suspensions excluded) ÷ all "
        "closed in the period",
        measures.within_time_limit, "flow", "cases", decimals=2,
    ),
    Indicator(
        "K8", "全年平均结案时间", "Mean time to close a court case", "天", "days", D("100"), "<=",
        "全年平均结案时间压缩至100天以内",
        "本期结案的审判案件自立案至结案的平均自然日数，扣除中止等不计入审限的期间",
        "Mean natural days from filing to closing of the court cases closed in the period, less suspended time",
        measures.mean_closing_days, "flow", "cases", decimals=1,
    ),
    Indicator(
        "K9", "知识产权保护工作站", "IP protection workstations", "家", "stations", D("200"), ">",
        "知识产权保护工作站超过200家",
        "期末在运行的知识产权保护工作站数", "IP protection workstations open at the end of the period",
        measures.stations("protection_workstation"), "stock", "stations",
    ),
    Indicator(
        "K10", "商标品牌指导站", "Trademark brand guidance stations", "家", "stations", D("45"), ">=",
        "商标品牌指导站45家",
        "期末在运行的商标品牌指导站数", "Trademark brand guidance stations open at the end of the period",
        measures.stations("trademark_guidance"), "stock", "stations",
    ),
    Indicator(
        "K11", "商业秘密服务站", "Trade-secret service stations", "家", "stations", D("50"), ">=",
        "商业秘密服务站50家",
        "期末在运行的商业秘密服务站数", "Trade-secret service stations open at the end of the period",
        measures.stations("trade_secret"), "stock", "stations",
    ),
    Indicator(
        "K12", "版权服务中心", "Copyright service centres", "家", "centres", D("2"), ">=",
        "版权服务中心2家",
        "期末在运行的版权服务中心数", "Copyright service centres open at the end of the period",
        measures.stations("copyright_centre"), "stock", "stations",
    ),
    Indicator(
        "K13", "市级以上高价值专利培育中心", "High-value patent cultivation centres (city level or above)", "家",
        "centres", D("35"), ">=",
        "建成市级以上高价值专利培育中心35家",
        "期末在运行、认定级别为市级及以上的高价值专利培育中心数",
        "High-value patent cultivation centres recognised at city level or above and open at the end of the period",
        measures.stations("high_value_patent_centre", ("city", "provincial", "national")), "stock", "stations",
    ),
    Indicator(
        "K14", "武汉保护中心服务备案主体", "Entities filed with the Wuhan IP protection centre", "家", "entities",
        D("2400"), ">",
        "武汉保护中心服务备案主体突破2400家",
        "期末在保护中心备案有效的主体数",
        "Entities with a filing valid at the end of the period with the protection centre",
        measures.filed_entities, "stock", "entities",
    ),
    Indicator(
        "K15", "武汉快维中心服务备案主体增长量", "Growth of entities filed with the quick rights-protection centre",
        "%", "%", D("80"), ">",
        "武汉快维中心服务备案主体增长量超过80%",
        "（期末备案有效主体数 − 基期末备案有效主体数）÷ 基期末备案有效主体数",
        "(entities with a valid filing at the period's end − at the baseline day) ÷ at the baseline day",
        measures.filing_growth, "stock", "entities", decimals=2,
    ),
    Indicator(
        "K16", "商业秘密保护联系点企业", "Trade-secret protection contact-point enterprises", "家", "enterprises",
        D("3000"), ">=",
        "设立商业秘密保护联系点企业3000家",
        "期末有效的商业秘密保护联系点企业数", "Enterprises designated contact points at the end of the period",
        measures.designations("contact_point"), "stock", "entities",
    ),
    Indicator(
        "K17", "商业秘密保护示范点企业", "Trade-secret protection demonstration-point enterprises", "家",
        "enterprises", D("200"), ">=",
        "示范点企业200家",
        "期末有效的商业秘密保护示范点企业数", "Enterprises designated demonstration points at the end of the period",
        measures.designations("demonstration_point"), "stock", "entities",
    ),
    Indicator(
        "K18", "专家陪审员参审案件数", "Cases with an expert juror or technical investigator", "%", "%", D("20"), ">=",
        "专家陪审员参审案件数提升20%",
        "（本期有专家陪审员、技术调查官或咨询专家参与的案件数 − 基期数）÷ 基期数",
        "(cases an expert juror, technical investigator or expert adviser joined in the period − in the baseline) ÷ "
        "the baseline",
        measures.expert_participation_growth, "flow", "cases", decimals=2,
    ),
    Indicator(
        "K19", "专利纠纷案件行政调解全覆盖", "Administrative mediation offered in every patent dispute", "%", "%",
        D("100"), ">=",
        "实行专利纠纷案件行政调解100%全覆盖",
        "本期立案的专利纠纷案件（行政裁决与调解）中记录了调解（征询调解意愿或开始调解）的比例",
        "Share of the patent dispute cases (adjudication and mediation) opened in the period in which mediation was "
        "offered and recorded",
        measures.mediation_coverage, "flow", "cases", decimals=2,
    ),
)  # fmt: skip

BY_ID = {indicator.id: indicator for indicator in INDICATORS}


def indicator(code: str) -> Indicator:
    """Return indicator ``code`` (``K1`` … ``K19``, case-insensitive); raise ``KeyError`` naming the known ones."""
    try:
        return BY_ID[code.upper()]
    except KeyError:
        raise KeyError(f"no indicator {code!r}; known: {', '.join(BY_ID)}") from None
