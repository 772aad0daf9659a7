"""Reasons of the high-value classification as sentences, in English and Chinese.

Each :class:`~huhang.analytics.high_value.Finding` has a code and particulars; this module turns them into
a sentence. The codes are stable (the platform's pages may translate them their own way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huhang.analytics.high_value import Finding

CATEGORY_NAMES = {
    "eligible": ("valid invention patent", "有效发明专利"),
    "sei": ("strategic emerging industry", "战略性新兴产业的发明专利"),
    "family": ("family member granted abroad", "在海外有同族专利权"),
    "maintained": ("maintained over 10 years", "维持年限超过10年"),
    "pledge": ("high pledge financing", "实现较高质押融资金额"),
    "award": ("national award", "获得国家科学技术奖或中国专利奖"),
}
STATUS_NAMES = {"yes": ("yes", "是"), "no": ("no", "否"), "unknown": ("unknown", "未知")}

_KINDS_ZH = {"utility_model": "实用新型", "design": "外观设计", "invention": "发明"}
_STATUS_ZH = {"valid": "有效", "pending": "审中", "lapsed": "失效", "invalidated": "无效", "expired": "届满"}

_TEMPLATES: dict[str, tuple[str, str]] = {
    "office_cn": ("published by CNIPA (CN)", "中国国家知识产权局公布（CN）"),
    "office_foreign": ("published by {office}, not by CNIPA", "由 {office} 公布，非中国专利"),
    "office_unknown": ("the office is not in the record", "记录未载明受理局"),
    "kind_invention": ("an invention patent", "发明专利"),
    "kind_other": ("a {kind}, not an invention patent", "{kind_zh}，非发明专利"),
    "kind_unknown": ("the kind of patent is not in the record", "记录未载明专利类型"),
    "status_valid": ("in force", "有效"),
    "status_not_valid": ("legal status {legal_status}", "法律状态：{legal_status_zh}"),
    "term_ended": (
        "filed {app_date}: the 20-year term ended on {ended}",
        "申请日 {app_date}，20 年保护期已于 {ended} 届满",
    ),
    "status_unknown": ("the legal status is not in the record", "记录未载明法律状态"),
    "no_ipc": ("no IPC code in the record", "记录无 IPC 分类号"),
    "no_concordance": (
        "none of its IPC codes ({ipc_list}) is in the SEI 2021 concordance",
        "其 IPC 分类号（{ipc_list}）均不在《战略性新兴产业分类与国际专利分类参照关系表（2021）》中",
    ),
    "sei_ipc": (
        "{ipc} → {sei_code} {sei_name} (rule {rule}, no keyword condition)",
        "{ipc} → {sei_code} {sei_name}（规则 {rule}，无关键词条件）",
    ),
    "sei_keyword_found": (
        "{ipc} → {sei_code} {sei_name} (rule {rule}): keyword “{term}” found",
        "{ipc} → {sei_code} {sei_name}（规则 {rule}）：含关键词“{term}”",
    ),
    "sei_keyword_absent": (
        "{ipc} → {sei_code} {sei_name} (rule {rule}) only with keywords ({keywords}); none found in the text",
        "{ipc} → {sei_code} {sei_name}（规则 {rule}）须含关键词（{keywords}），文本中未见",
    ),
    "sei_title_only": (
        "{ipc} → {sei_code} {sei_name} (rule {rule}) only with keywords ({keywords}); not in the title, and the "
        "record has no abstract or claims to check",
        "{ipc} → {sei_code} {sei_name}（规则 {rule}）须含关键词（{keywords}）；标题中未见，记录无摘要或权利要求可查",
    ),
    "sei_not_chinese": (
        "{ipc} → {sei_code} {sei_name} (rule {rule}) only with Chinese keywords ({keywords}); the text is not Chinese",
        "{ipc} → {sei_code} {sei_name}（规则 {rule}）须含中文关键词（{keywords}）；文本非中文",
    ),
    "sei_no_terms": (
        "{ipc} → {sei_code} {sei_name} (rule {rule}) only with a keyword condition that names no usable term "
        "(“{keywords}”)",
        "{ipc} → {sei_code} {sei_name}（规则 {rule}）的关键词条件（“{keywords}”）无可用词语",
    ),
    "sei_excluded": (
        "{ipc} → {sei_code} {sei_name} (rule {rule}) excluded: “{term}” found",
        "{ipc} → {sei_code} {sei_name}（规则 {rule}）被排除：含“{term}”",
    ),
    "sei_not_excluded": (
        "{ipc} → {sei_code} {sei_name} (rule {rule}); the exclusion ({keywords}) does not apply",
        "{ipc} → {sei_code} {sei_name}（规则 {rule}）；排除条件（{keywords}）不适用",
    ),
    "sei_coarse_ipc": (
        "{ipc} is given only at that level; {rows} concordance rows lie below it",
        "{ipc} 仅给出到该层级，其下有 {rows} 条参照关系",
    ),
    "family_unknown": ("the record has no family data", "记录无同族信息"),
    "family_domestic": ("the family has no member abroad ({office_list})", "同族无海外成员（{office_list}）"),
    "family_granted_abroad": ("family members granted in {office_list}", "同族在 {office_list} 获得授权"),
    "family_abroad_not_granted": (
        "family members in {office_list}, none shown granted",
        "同族在 {office_list} 有申请，未见授权",
    ),
    "maintained_not_in_force": ("not in force ({legal_status})", "未维持有效（{legal_status_zh}）"),
    "maintained_no_date": ("the filing date is not in the record", "记录未载明申请日"),
    "maintained_under_10": (
        "filed {app_date}: {years} years by {as_of}, not over 10",
        "申请日 {app_date}，至 {as_of} 为 {years} 年，未超过 10 年",
    ),
    "maintained_over_10": (
        "filed {app_date} and in force: {years} years by {as_of}",
        "申请日 {app_date}，维持有效，至 {as_of} 已 {years} 年",
    ),
    "maintained_status_unknown": (
        "filed {app_date} ({years} years by {as_of}), but whether it is still in force is not in the record",
        "申请日 {app_date}（至 {as_of} 为 {years} 年），但记录未载明是否仍有效",
    ),
    "pledge_unknown": ("the record has no pledge data", "记录无质押信息"),
    "pledge_none": ("not pledged", "未质押"),
    "pledge_no_threshold": (
        "pledged for {amount} yuan; no threshold is configured (CNIPA has published none)",
        "质押融资 {amount} 元；未设定金额标准（国家知识产权局未公布）",
    ),
    "pledge_above": ("pledged for {amount} yuan, above {threshold}", "质押融资 {amount} 元，高于 {threshold} 元"),
    "pledge_below": ("pledged for {amount} yuan, not above {threshold}", "质押融资 {amount} 元，未高于 {threshold} 元"),
    "award_unknown": ("the record has no award data", "记录无获奖信息"),
    "award_national": ("awarded: {award_list}", "获奖：{award_list}"),
    "award_not_national": ("awards not national: {award_list}", "所获奖项非国家级：{award_list}"),
    "award_none": ("no award", "未获奖"),
}


def render(finding: Finding, lang: str = "en") -> str:
    """Return the finding as a sentence in ``lang`` (``en`` or ``zh``)."""
    en, zh = _TEMPLATES.get(finding.code, (finding.code, finding.code))
    values: dict[str, Any] = {key: "" if value is None else value for key, value in finding.details.items()}
    values.setdefault("sei_name", "")
    values["ipc_list"] = (
        ", ".join(finding.details.get("ipc") or []) if isinstance(finding.details.get("ipc"), list) else ""
    )
    values["office_list"] = ", ".join(finding.details.get("offices") or [])
    values["award_list"] = "; ".join(finding.details.get("awards") or [])
    values["kind_zh"] = _KINDS_ZH.get(finding.details.get("kind", ""), finding.details.get("kind", ""))
    values["legal_status_zh"] = _STATUS_ZH.get(
        finding.details.get("legal_status", ""), finding.details.get("legal_status", "")
    )
    for key in ("amount", "threshold"):
        if isinstance(values.get(key), float):
            values[key] = f"{values[key]:,.0f}"
    if isinstance(values.get("kind"), str):
        values["kind"] = values["kind"].replace("_", " ")
    return (zh if lang == "zh" else en).format_map(_Default(values))


class _Default(dict):
    def __missing__(self, key: str) -> str:
        return "?"
