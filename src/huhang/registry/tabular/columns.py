"""The columns of each kind of record that can be imported and exported.

A column has a Chinese header and an English header: both are accepted on import (also the field name,
case and spaces ignored, a trailing ``*`` or "（必填）" dropped); exports are written with the Chinese
headers, or the English ones when the active language is English. Each kind's slug is the one its pages
use (``registry.resources``).
"""

from dataclasses import dataclass, field

from django.db.models import Model
from django.utils.translation import gettext as _

from huhang.registry import models as m
from huhang.registry.models.rights import CopyrightWorkKind
from huhang.registry.tabular.cells import (
    Cell,
    Centre,
    Choice,
    CodeList,
    Date,
    EntityRef,
    Identifier,
    Integer,
    NameList,
    Owners,
    Place,
    ResidentId,
    Shown,
    Text,
    lookup_key,
)
from huhang.registry.tabular.errors import UnknownKind

_REQUIRED_MARKS = ("*", "＊", "(必填)", "(required)")


def header_key(header: str) -> str:
    """Return a header folded for matching: see :func:`lookup_key`, without required-column marks."""
    key = lookup_key(header)
    changed = True
    while changed:
        changed = False
        for mark in _REQUIRED_MARKS:
            if key.endswith(mark) or key.startswith(mark):
                key = key.removesuffix(mark).removeprefix(mark)
                changed = True
    return key


@dataclass(frozen=True)
class Column:
    field: str
    zh: str
    en: str
    cell: Cell = field(default_factory=Text)
    required: bool = False
    aliases: tuple[str, ...] = ()

    def header(self, *, english: bool) -> str:
        return self.en if english else self.zh

    @property
    def keys(self) -> set[str]:
        return {header_key(name) for name in (self.zh, self.en, self.field, *self.aliases)}

    @property
    def is_shown_only(self) -> bool:
        return isinstance(self.cell, Shown)

    @property
    def is_many(self) -> bool:
        return isinstance(self.cell, Owners)


@dataclass(frozen=True)
class KindSpec:
    slug: str
    model: type[Model]
    columns: tuple[Column, ...]
    # Groups of columns of which a file must have at least one (e.g. a USCC or a resident ID number).
    one_of: tuple[tuple[str, ...], ...] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    def match(self, header: str) -> Column | None:
        key = header_key(header)
        return next((c for c in self.columns if key in c.keys), None)


# Chinese labels of the choices as users write them. The catalogue's translation of each label is
# accepted too and preferred on export; these keep the columns readable and importable without it.
ENTITY_KIND_ZH = {
    "enterprise": "企业",
    "university": "高校",
    "research_institute": "科研院所",
    "public_institution": "事业单位",
    "social_organisation": "社会组织",
    "individual": "个人",
}
ENTITY_SIZE_ZH = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"}
RIGHT_STATUS_ZH = {
    "pending": "审查中",
    "valid": "有效",
    "lapsed": "失效",
    "invalidated": "被宣告无效",
    "expired": "期满终止",
    "unknown": "未知",
}
PATENT_KIND_ZH = {
    "invention": "发明",
    "utility_model": "实用新型",
    "design": "外观设计",
    "pct_invention": "PCT发明（进入中国国家阶段）",
    "pct_utility_model": "PCT实用新型（进入中国国家阶段）",
}
WORK_KIND_ZH = {
    "written": "文字作品",
    "art": "美术作品",
    "photography": "摄影作品",
    "audiovisual": "视听作品",
    "music": "音乐作品",
    "design": "图形作品和模型作品",
    "software": "计算机软件",
    "other": "其他作品",
}
GI_SCHEME_ZH = {
    "product": "地理标志产品保护",
    "collective_mark": "集体商标或证明商标",
    "agricultural": "农产品地理标志",
}
SECRET_CATEGORY_ZH = {"technical": "技术信息", "business": "经营信息"}
STATION_KIND_ZH = {
    "protection_workstation": "知识产权保护工作站",
    "trademark_guidance": "商标品牌指导站",
    "trade_secret": "商业秘密保护服务站",
    "copyright_centre": "版权服务中心",
    "high_value_patent_centre": "高价值专利培育中心",
}
STATION_LEVEL_ZH = {"national": "国家级", "provincial": "省级", "city": "市级", "district": "区级"}
DESIGNATION_KIND_ZH = {"contact_point": "商业秘密保护联系点", "demonstration_point": "商业秘密保护示范点"}
EXPERT_KIND_ZH = {"technical_investigator": "技术调查官", "expert_juror": "专家陪审员"}


def _owner_names(record) -> str:
    return "; ".join(owner.name for owner in record.owners.all())


def _status() -> Column:
    return Column("status", "法律状态", "Status", Choice(m.RightStatus, RIGHT_STATUS_ZH), aliases=("状态",))


def _owners(zh: str) -> tuple[Column, Column]:
    return (
        Column("owners", f"{zh}证件号码", "Owner identifiers", Owners(), aliases=("权利人证件号码",)),
        Column("owner_names", f"{zh}名称", "Owner names", Shown(_owner_names, width=40)),
    )


def _entity(zh: str, en: str, *, required: bool, name_zh: str, name_en: str, field_name: str = "entity"):
    return (
        Column(field_name, f"{zh}证件号码", f"{en} identifier", EntityRef(), required=required),
        Column(
            f"{field_name}_name",
            name_zh,
            name_en,
            Shown(lambda r: getattr(r, field_name).name if getattr(r, field_name) else ""),
        ),
    )


_RIGHTS_PREFETCH = ("owners",)

KINDS: dict[str, KindSpec] = {
    spec.slug: spec
    for spec in [
        KindSpec(
            "entities",
            m.Entity,
            (
                Column("kind", "主体类型", "Kind", Choice(m.EntityKind, ENTITY_KIND_ZH), required=True),
                Column("name", "名称", "Name", Text(36), required=True, aliases=("主体名称",)),
                Column("uscc", "统一社会信用代码", "Unified social credit code", Identifier(), aliases=("USCC",)),
                Column(
                    "resident_id",
                    "身份证号码",
                    "Resident ID number",
                    ResidentId(),
                    aliases=("居民身份证号码",),
                ),
                Column("district", "所在区", "District", Place("districts")),
                Column("industry", "行业", "Industry", Place("industries")),
                Column("size", "企业规模", "Size", Choice(m.EntitySize, ENTITY_SIZE_ZH)),
                Column("address", "地址", "Address", Text(36)),
                Column("contact_name", "联系人", "Contact person"),
                Column("contact_phone", "联系电话", "Contact phone"),
                Column("established_on", "成立日期", "Established on", Date()),
            ),
            one_of=(("uscc", "resident_id"),),
            select_related=("district", "industry"),
        ),
        KindSpec(
            "patents",
            m.Patent,
            (
                Column("title", "专利名称", "Title", Text(40), required=True, aliases=("名称", "发明名称")),
                Column("application_number", "申请号", "Application number", Identifier(), aliases=("专利号",)),
                Column(
                    "publication_number",
                    "公开（公告）号",
                    "Publication number",
                    Identifier(),
                    aliases=("公布号", "公开号", "公告号"),
                ),
                Column("kind", "专利类型", "Patent kind", Choice(m.PatentKind, PATENT_KIND_ZH)),
                _status(),
                Column("country", "受理局", "Office", Text(8)),
                Column("application_date", "申请日", "Application date", Date()),
                Column("grant_date", "授权日", "Grant date", Date()),
                Column("ipc_codes", "IPC分类号", "IPC codes", CodeList(), aliases=("IPC",)),
                Column(
                    "applicant_names",
                    "申请（专利权）人",
                    "Applicants as published",
                    NameList(),
                    aliases=("申请人",),
                ),
                Column("abstract", "摘要", "Abstract", Text(60)),
                *_owners("权利人"),
            ),
            one_of=(("application_number", "publication_number"),),
            prefetch_related=_RIGHTS_PREFETCH,
        ),
        KindSpec(
            "trademarks",
            m.Trademark,
            (
                Column("title", "商标名称", "Trademark", Text(30), required=True, aliases=("商标",)),
                Column("registration_number", "注册号", "Registration number", Identifier(), required=True),
                Column("nice_class", "国际分类", "Nice class", Integer(), required=True, aliases=("类别",)),
                Column("goods", "商品/服务项目", "Goods and services", Text(40)),
                _status(),
                Column("registered_on", "注册日期", "Registered on", Date()),
                Column("expires_on", "有效期至", "Expires on", Date()),
                *_owners("注册人"),
            ),
            prefetch_related=_RIGHTS_PREFETCH,
        ),
        KindSpec(
            "copyrights",
            m.Copyright,
            (
                Column("title", "作品名称", "Title", Text(36), required=True, aliases=("软件名称",)),
                Column("registration_number", "登记号", "Registration number", Identifier(), required=True),
                Column(
                    "work_kind",
                    "作品类别",
                    "Kind of work",
                    Choice(CopyrightWorkKind, WORK_KIND_ZH),
                    required=True,
                ),
                _status(),
                Column("registered_on", "登记日期", "Registered on", Date()),
                Column("completed_on", "创作完成日期", "Completed on", Date()),
                *_owners("著作权人"),
            ),
            prefetch_related=_RIGHTS_PREFETCH,
        ),
        KindSpec(
            "geographical-indications",
            m.GeographicalIndication,
            (
                Column("title", "地理标志名称", "Title", Text(30), required=True),
                Column("product", "产品", "Product", required=True),
                Column("region", "保护范围", "Protected region", Text(40), required=True),
                Column(
                    "scheme",
                    "保护类型",
                    "Scheme",
                    Choice(m.GeographicalIndication.Scheme, GI_SCHEME_ZH),
                    required=True,
                ),
                Column("announcement_number", "公告号", "Announcement number"),
                Column("protected_on", "保护日期", "Protected on", Date()),
                _status(),
                *_owners("权利人"),
            ),
            prefetch_related=_RIGHTS_PREFETCH,
        ),
        KindSpec(
            "trade-secrets",
            m.TradeSecretAsset,
            (
                Column("title", "商业秘密名称", "Title", Text(30), required=True),
                Column(
                    "category",
                    "类别",
                    "Category",
                    Choice(m.TradeSecretAsset.Category, SECRET_CATEGORY_ZH),
                    required=True,
                ),
                Column("protective_measures", "保密措施", "Protective measures", Text(40), required=True),
                Column("identified_on", "认定日期", "Identified on", Date()),
                _status(),
                *_owners("权利人"),
            ),
            prefetch_related=_RIGHTS_PREFETCH,
        ),
        KindSpec(
            "data-ip",
            m.DataIP,
            (
                Column("title", "数据名称", "Title", Text(30), required=True),
                Column("registration_number", "登记号", "Registration number", Identifier(), required=True),
                Column("data_description", "数据说明", "Description of the data set", Text(40)),
                Column("registered_on", "登记日期", "Registered on", Date()),
                _status(),
                *_owners("权利人"),
            ),
            prefetch_related=_RIGHTS_PREFETCH,
        ),
        KindSpec(
            "filings",
            m.Filing,
            (
                *_entity("主体", "Entity", required=True, name_zh="主体名称", name_en="Entity name"),
                Column("centre", "备案机构", "Centre", Centre(), required=True),
                Column("reference", "备案编号", "Filing reference"),
                Column("fields", "技术领域", "Technical fields", Text(30)),
                Column("valid_from", "生效日期", "Valid from", Date(), required=True),
                Column("valid_to", "失效日期", "Valid until", Date()),
            ),
            select_related=("entity", "centre"),
        ),
        KindSpec(
            "stations",
            m.ServiceStation,
            (
                Column("kind", "站点类型", "Kind", Choice(m.StationKind, STATION_KIND_ZH), required=True),
                Column("name", "名称", "Name", Text(36), required=True),
                Column(
                    "level",
                    "认定级别",
                    "Recognised level",
                    Choice(m.StationLevel, STATION_LEVEL_ZH),
                    required=True,
                ),
                Column("district", "所在区", "District", Place("districts")),
                Column("address", "地址", "Address", Text(36)),
                *_entity(
                    "依托单位",
                    "Host organisation",
                    required=False,
                    name_zh="依托单位名称",
                    name_en="Host organisation name",
                    field_name="host",
                ),
                Column("opened_on", "设立日期", "Opened on", Date(), required=True),
                Column("closed_on", "撤销日期", "Closed on", Date()),
            ),
            select_related=("district", "host"),
        ),
        KindSpec(
            "trade-secret-library",
            m.TradeSecretDesignation,
            (
                *_entity("企业", "Enterprise", required=True, name_zh="企业名称", name_en="Enterprise name"),
                Column(
                    "kind",
                    "认定类型",
                    "Designation",
                    Choice(m.TradeSecretDesignationKind, DESIGNATION_KIND_ZH),
                    required=True,
                ),
                Column("designated_on", "认定日期", "Designated on", Date(), required=True),
                Column("revoked_on", "撤销日期", "Revoked on", Date()),
                Column("designated_by", "认定机关", "Designated by"),
            ),
            select_related=("entity",),
        ),
        KindSpec(
            "experts",
            m.Expert,
            (
                Column("name", "姓名", "Name", Text(14), required=True),
                Column("kind", "类别", "Kind", Choice(m.ExpertKind, EXPERT_KIND_ZH), required=True),
                Column("fields", "专业领域", "Fields", Text(30), required=True),
                Column("employer", "工作单位", "Employer", Text(30)),
                Column("professional_title", "职称", "Professional title"),
                Column("phone", "联系电话", "Phone"),
                Column("appointed_on", "聘任日期", "Appointed on", Date(), required=True),
                Column("retired_on", "解聘日期", "Retired on", Date()),
            ),
        ),
    ]
}


def spec_for(kind: str) -> KindSpec:
    """Return the columns of ``kind`` (a slug such as ``entities``), or raise UnknownKind."""
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownKind(
            _("Unknown kind of record %(kind)s: expected one of %(kinds)s.") % {"kind": kind, "kinds": ", ".join(KINDS)}
        ) from None
