"""Judicial IP cases imported from the courts 法院知识产权案件, for the 审限 indicators (K7, K8).

Sources (LEGAL.md §4): 《民事诉讼法》(2023) Arts. 152 (普通程序 6 m, +6 m by the court president, more by the
higher court), 164 (简易程序 3 m, +1 m), 168 (小额诉讼 2 m, +1 m), 183 (appeal: 3 m against a judgment, 30 d
against a ruling), 287 (foreign-related cases not bound by Arts. 152, 183); 民诉法解释 Arts. 243 (审限 runs
from 立案 to 宣判 / 调解书送达, excluding 公告, 鉴定, 和解, 管辖异议) and 258 (简易 extensions cumulative ≤ 4 m;
after conversion to 普通程序 the limit counts from the original 立案).

Court staff record the steps with role ``partner`` (the data is imported); extensions are approved by
``court_president`` (本院院长) or ``higher_court`` (上级人民法院). Whether 中止诉讼 time is excluded from the 审限
is not in LEGAL.md (parameter ``exclude_suspension``); whether approved extensions count as "within the
statutory limit" for K7 is unconfirmed (parameter ``extensions_count_as_in_limit``, read by
:func:`.judicial_outcome.trial_outcome`). The filing event may carry ``foreign_related`` (bool).
"""

from __future__ import annotations

from huhang.workdays import RollOver

from .._definition import Clock, Extension, Limit, Procedure, State, Transition
from .common import excluded_steps, suspension

CPL = "《中华人民共和国民事诉讼法》"
SPC = "《最高人民法院关于适用〈中华人民共和国民事诉讼法〉的解释》"
CPL_152, CPL_164, CPL_168 = f"{CPL}第一百五十二条", f"{CPL}第一百六十四条", f"{CPL}第一百六十八条"
CPL_183, CPL_287 = f"{CPL}第一百八十三条", f"{CPL}第二百八十七条"
SPC_243, SPC_258 = f"{SPC}第二百四十三条", f"{SPC}第二百五十八条"
#: 中止诉讼 (CPL Art. 153 in the 2021/2023 numbering) and its exclusion from the 审限 are not in LEGAL.md.
CPL_153 = f"{CPL}第一百五十三条（待核）"
SUSPENSION_EXCLUDED = "中止诉讼期间不计入审理期限（待核；参数 exclude_suspension）"

ROLES = ("partner", "court_president", "higher_court", "supervisor", "admin")
ACTIVE = ("ordinary", "summary", "small_claims", "appeal")
CLOSING_ACTIONS = ("close_by_judgment", "close_by_mediation", "close_by_withdrawal", "close_by_ruling")
#: Clocks holding the 审限 of each track; exactly one is stopped by the closing step.
TRIAL_CLOCKS = ("ordinary", "summary", "small_claims", "appeal_judgment", "appeal_ruling")
EXCLUDED = ("announcement", "appraisal", "settlement", "jurisdiction_objection")
NOT_FOREIGN = (("foreign_related", True),)


def judicial_case(
    *,
    exclude_suspension: bool = True,
    extensions_count_as_in_limit: bool = True,
    roll: RollOver = RollOver.REST_DAYS,
) -> Procedure:
    """Return the procedure of an imported court case (first instance or appeal).

    Args:
        exclude_suspension: whether 中止诉讼 time is left out of the 审限 (not in LEGAL.md; default yes).
        extensions_count_as_in_limit: whether a case closed within an approved extension counts as closed
            within the statutory limit (法定审限) for K7 — else only the unextended limit (正常审限) counts
            (LEGAL.md §4, unconfirmed; default yes). Recorded for :func:`.judicial_outcome.trial_outcome`.
        roll: whether weekends move the last day of a period (CPL Art. 85; LEGAL.md §7).
    """
    states = (
        State("new", "未立案", name="not yet filed"),
        State("ordinary", "普通程序审理中", name="first instance, ordinary procedure"),
        State("summary", "简易程序审理中", name="first instance, summary procedure"),
        State("small_claims", "小额诉讼审理中", name="small-claims procedure"),
        State("appeal", "二审审理中", name="appeal"),
        State("suspended", "中止诉讼", name="suspended"),
        State("judged", "判决结案", terminal=True, name="closed by judgment"),
        State("mediated", "调解结案", terminal=True, name="closed by mediation"),
        State("withdrawn", "撤诉结案", terminal=True, name="closed by withdrawal"),
        State("ruled", "裁定结案", terminal=True, name="closed by ruling"),
    )
    court, president = ("partner",), ("court_president",)
    suspend, resume, suspended = suspension(ACTIVE, court, citation=CPL_153, excluded_by=SUSPENSION_EXCLUDED)
    excluded = [
        excluded_steps(code, name_zh, name=name, start_zh=a, end_zh=b, states=ACTIVE, roles=court, citation=SPC_243)
        for code, name_zh, name, a, b in (
            ("announcement", "公告", "public announcement", "公告开始", "公告期满"),
            ("appraisal", "鉴定", "appraisal", "鉴定开始", "鉴定结束"),
            ("settlement", "和解", "settlement talks", "当事人开始和解", "和解结束"),
            ("jurisdiction_objection", "管辖异议", "jurisdiction objection", "提出管辖异议", "管辖异议处理完毕"),
        )
    ]
    foreign = (("foreign_related", (True, False)),)

    def file(action: str, to_state: str, name_zh: str, citation: str, **kw: object) -> Transition:
        return Transition(
            action, ("new",), to_state, court, name_zh, produces=("filing_record",), citation=citation, **kw
        )

    def close(action: str, to_state: str, name_zh: str, document: str, states: tuple[str, ...] = ACTIVE) -> Transition:
        return Transition(action, states, to_state, court, name_zh, produces=(document,), citation=SPC_243)

    transitions = (
        file("file_ordinary", "ordinary", "立案（普通程序）", f"{CPL_152}；{CPL_287}", payload_choices=foreign),
        file("file_summary", "summary", "立案（简易程序）", CPL_164),
        file("file_small_claims", "small_claims", "立案（小额诉讼程序）", CPL_168),
        file(
            "file_appeal",
            "appeal",
            "二审立案",
            f"{CPL_183}；{CPL_287}",
            payload_required=("against",),
            payload_choices=(("against", ("judgment", "ruling")), *foreign),
        ),
        Transition(
            "convert_to_ordinary",
            ("summary",),
            "ordinary",
            court,
            "裁定转为普通程序",
            produces=("conversion_ruling",),
            citation=SPC_258,
        ),
        Transition("extend_ordinary", ("ordinary",), None, president, "延长审理期限（院长批准）", citation=CPL_152),
        Transition(
            "extend_ordinary_further",
            ("ordinary",),
            None,
            ("higher_court",),
            "再延长审理期限（上级法院批准）",
            citation=CPL_152,
        ),
        Transition(
            "extend_summary", ("summary",), None, president, "延长简易程序审理期限", citation=f"{CPL_164}；{SPC_258}"
        ),
        Transition("extend_small_claims", ("small_claims",), None, president, "延长小额诉讼审理期限", citation=CPL_168),
        Transition("extend_appeal", ("appeal",), None, president, "延长二审审理期限", citation=CPL_183),
        *(step for steps in excluded for step in steps[:2]),
        suspend,
        resume,
        close("close_by_judgment", "judged", "宣告判决", "judgment"),
        close("close_by_mediation", "mediated", "调解书送达", "mediation_statement"),
        close("close_by_withdrawal", "withdrawn", "裁定准予撤诉", "withdrawal_ruling"),
        close("close_by_ruling", "ruled", "裁定结案（驳回起诉、终结诉讼等）", "ruling", (*ACTIVE, "suspended")),
    )
    excludes = (*EXCLUDED, "suspension") if exclude_suspension else EXCLUDED

    def trial_clock(
        code: str,
        name_zh: str,
        name: str,
        starts_on: tuple[str, ...],
        limit: Limit,
        citation: str,
        citation_en: str,
        **kw: object,
    ) -> Clock:
        stops = CLOSING_ACTIONS if code != "summary" else ("convert_to_ordinary", *CLOSING_ACTIONS)
        return Clock(
            code,
            name_zh,
            starts_on,
            stops,
            limit,
            citation,
            name=name,
            citation_en=citation_en,
            excludes=excludes,
            **kw,
        )

    clocks = (
        trial_clock(
            "ordinary",
            "普通程序审理期限",
            "first instance, ordinary procedure",
            ("file_ordinary", "convert_to_ordinary"),
            Limit(months=6),
            f"{CPL_152}；{SPC_243}；{SPC_258}",
            "CPL (2023) Art. 152; SPC CPL interpretation Arts. 243, 258",
            counts_from=("file_ordinary", "file_summary"),
            unless=NOT_FOREIGN,
            extensions=(
                Extension(
                    "ordinary_6m",
                    "extend_ordinary",
                    "court_president",
                    Limit(months=6),
                    CPL_152,
                    "审理期限延长六个月（本院院长批准）",
                ),
                Extension(
                    "ordinary_further",
                    "extend_ordinary_further",
                    "higher_court",
                    None,
                    CPL_152,
                    "审理期限再延长（上级人民法院批准）",
                    max_times=None,
                    requires=("ordinary_6m",),
                ),
            ),
        ),
        trial_clock(
            "summary",
            "简易程序审理期限",
            "first instance, summary procedure",
            ("file_summary",),
            Limit(months=3),
            f"{CPL_164}；{SPC_243}",
            "CPL (2023) Art. 164; SPC CPL interpretation Arts. 243, 258",
            extensions=(
                Extension(
                    "summary_extension",
                    "extend_summary",
                    "court_president",
                    Limit(months=1),
                    f"{CPL_164}；{SPC_258}",
                    "简易程序审理期限延长（本院院长批准，累计不超过四个月）",
                    max_times=None,
                    max_total=1,
                ),
            ),
        ),
        trial_clock(
            "small_claims",
            "小额诉讼审理期限",
            "small-claims procedure",
            ("file_small_claims",),
            Limit(months=2),
            f"{CPL_168}；{SPC_243}",
            "CPL (2023) Art. 168; SPC CPL interpretation Art. 243",
            extensions=(
                Extension(
                    "small_claims_1m",
                    "extend_small_claims",
                    "court_president",
                    Limit(months=1),
                    CPL_168,
                    "小额诉讼审理期限延长一个月（本院院长批准）",
                ),
            ),
        ),
        trial_clock(
            "appeal_judgment",
            "二审审理期限（对判决的上诉）",
            "appeal against a judgment",
            ("file_appeal",),
            Limit(months=3),
            f"{CPL_183}；{SPC_243}",
            "CPL (2023) Art. 183; SPC CPL interpretation Art. 243",
            only_if=(("against", "judgment"),),
            unless=NOT_FOREIGN,
            extensions=(
                Extension(
                    "appeal_extension",
                    "extend_appeal",
                    "court_president",
                    None,
                    CPL_183,
                    "二审审理期限延长（本院院长批准）",
                    max_times=None,
                ),
            ),
        ),
        trial_clock(
            "appeal_ruling",
            "二审审理期限（对裁定的上诉）",
            "appeal against a ruling",
            ("file_appeal",),
            Limit(days=30),
            f"{CPL_183}；{SPC_243}",
            "CPL (2023) Art. 183; SPC CPL interpretation Art. 243",
            only_if=(("against", "ruling"),),
            unless=NOT_FOREIGN,
        ),
    )
    return Procedure(
        code="judicial_case",
        name="Judicial IP case (imported from a court)",
        name_zh="法院知识产权案件（导入）",
        profile="CPL-2023",
        states=states,
        transitions=transitions,
        initial_state="new",
        clocks=clocks,
        periods=(*(steps[2] for steps in excluded), suspended),
        roles=ROLES,
        parameters=(
            ("exclude_suspension", exclude_suspension),
            ("extensions_count_as_in_limit", extensions_count_as_in_limit),
            ("roll", roll.value),
        ),
        roll=roll,
        category="judicial",
        acceptance=("file_ordinary", "file_summary", "file_small_claims", "file_appeal"),
    )


#: The procedure with the documented defaults.
JUDICIAL_CASE = judicial_case()
