"""Demo IP rights: patents, trademarks, copyrights, geographical indications, trade secrets, data IP.

Each generator yields batches of ``(unsaved record, owner entity ids)``. Titles are put together from the
vocabulary of the owner's industry chain, and dates stop at :data:`~huhang.registry.demo_random.AS_OF`.
"""

from __future__ import annotations

import datetime as dt
import random
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Final

from django.db.models import Model

from huhang.registry import demo_ids
from huhang.registry.demo_entities import CHAIN_CODES, EntityIndex
from huhang.registry.demo_names import (
    CHAINS,
    DEMO_SUFFIX,
    GOODS,
    TRADE_NAME_CHARS,
    TRADE_SECRET_MEASURES,
    WORK_SUBJECTS,
    ChainWords,
)
from huhang.registry.demo_random import AS_OF, add_years, date_between, date_in_year, pick, year_from
from huhang.registry.models import (
    Copyright,
    DataIP,
    GeographicalIndication,
    Patent,
    RightStatus,
    Trademark,
    TradeSecretAsset,
)
from huhang.registry.models.rights import CopyrightWorkKind
from huhang.registry.reference import KEY_INDUSTRY_CHAINS

Row = tuple[Model, list[int]]
NamesOf = Callable[[set[int]], dict[int, str]]

PATENT_KINDS: Final = (("1", 52), ("2", 33), ("3", 12), ("8", 2), ("9", 1))  # type digit, weight
PATENT_YEARS: Final = {year: 1 + (year - 2012) * 0.35 for year in range(2012, 2027)}
PATENT_OWNERS: Final = {
    "university": 20,
    "research_institute": 8,
    "enterprise_large": 22,
    "enterprise_medium": 20,
    "enterprise_small": 18,
    "enterprise_micro": 6,
    "individual": 4,
    "public_institution": 2,
}
TRADEMARK_OWNERS: Final = {
    "enterprise_large": 10,
    "enterprise_medium": 25,
    "enterprise_small": 35,
    "enterprise_micro": 25,
    "individual": 5,
    "social_organisation": 1,
}
SOFTWARE_OWNERS: Final = {
    "enterprise_large": 15,
    "enterprise_medium": 30,
    "enterprise_small": 35,
    "enterprise_micro": 15,
    "university": 5,
}
WORK_OWNERS: Final = {"individual": 40, "enterprise_small": 30, "enterprise_micro": 30}
SECRET_OWNERS: Final = {"enterprise_large": 30, "enterprise_medium": 45, "enterprise_small": 25}
DATA_OWNERS: Final = {"enterprise_large": 40, "enterprise_medium": 40, "research_institute": 20}
COPYRIGHT_YEARS: Final = {year: 1 + (year - 2016) * 0.3 for year in range(2016, 2027)}
WORK_KINDS: Final = (
    (CopyrightWorkKind.WRITTEN, "A", 15),
    (CopyrightWorkKind.MUSIC, "C", 8),
    (CopyrightWorkKind.ART, "F", 35),
    (CopyrightWorkKind.PHOTOGRAPHY, "G", 20),
    (CopyrightWorkKind.AUDIOVISUAL, "I", 10),
    (CopyrightWorkKind.DESIGN, "J", 10),
    (CopyrightWorkKind.OTHER, "L", 2),
)
UTILITY_PARTS: Final = ("固定装置", "散热结构", "连接组件", "防护罩", "检测工装", "安装支架")
DESIGN_VARIANTS: Final = ("", "", "（A型）", "（二代）", "（便携款）")
CHAIN_NAMES: Final = {code: zh for code, zh, _ in KEY_INDUSTRY_CHAINS}
BUSINESS_WORDS: Final = ("客户", "供应商", "价格", "渠道", "经营", "名录", "报价")


class OwnerPicker:
    """Pick owners: first a category with its weight, then an entity of that category uniformly."""

    def __init__(self, index: EntityIndex, pools: dict[str, array], weights: dict[str, float]) -> None:
        self.index = index
        self.pools = [pools[key] for key in weights if pools.get(key)]
        self.weights = [weights[key] for key in weights if pools.get(key)]
        if not self.pools:  # a tiny demo: anyone may own it
            self.pools, self.weights = [array("l", range(len(index)))], [1.0]

    def __call__(self, rng: random.Random) -> int:
        """Return the position of an entity in the index."""
        pool = self.pools[pick(rng, self.weights)]
        return pool[rng.randrange(len(pool))]


def _words(index: EntityIndex, pos: int, rng: random.Random) -> tuple[str, ChainWords]:
    """Return the chain code and vocabulary a right of entity ``pos`` is about."""
    code = index.chain_code(pos)
    if code == "GENERAL" and rng.random() < 0.3:
        code = rng.choice(CHAIN_CODES)
    return code, CHAINS[code]


def _owners(rng: random.Random, index: EntityIndex, first: int, picker: OwnerPicker, share: float) -> list[int]:
    """Return the entity ids of ``first`` and, with probability ``share``, one co-owner."""
    owners = [index.ids[first]]
    if rng.random() < share:
        other = index.ids[picker(rng)]
        if other != owners[0]:
            owners.append(other)
    return owners


def _batches(rows: Iterator[Row], batch_size: int) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def patent_batches(
    rng: random.Random,
    index: EntityIndex,
    pools: dict[str, array],
    *,
    count: int,
    names_of: NamesOf,
    batch_size: int,
    anchor_share: int = 5,
) -> Iterator[list[Row]]:
    """Yield batches of patents; the first ``anchor_share`` belong to the demo enterprise (entity 0)."""
    picker = OwnerPicker(index, pools, PATENT_OWNERS)
    serials: Counter[tuple[int, str]] = Counter()
    publications: Counter[str] = Counter()

    def rows() -> Iterator[Row]:
        for number in range(count):
            first = 0 if number < anchor_share else picker(rng)
            yield _patent(rng, index, first, picker, serials, publications)

    for batch in _batches(rows(), batch_size):
        names = names_of({pk for _, owners in batch for pk in owners})
        for patent, owners in batch:
            patent.applicant_names = [names[pk] for pk in owners if pk in names]
        yield batch


def _patent(
    rng: random.Random,
    index: EntityIndex,
    first: int,
    picker: OwnerPicker,
    serials: Counter[tuple[int, str]],
    publications: Counter[str],
) -> Row:
    code, words = _words(index, first, rng)
    type_digit = PATENT_KINDS[pick(rng, [w for _, w in PATENT_KINDS])][0]
    year = year_from(rng, PATENT_YEARS)
    filed = date_in_year(rng, year)
    serial = serials[year, type_digit]
    serials[year, type_digit] += 1
    invention = type_digit in "18"
    lag = {"1": (600, 1100), "8": (700, 1200), "2": (150, 330), "9": (200, 400), "3": (100, 250)}[type_digit]
    granted = filed + dt.timedelta(days=rng.randint(*lag))
    if invention and rng.random() < 0.25:  # refused or withdrawn after publication
        granted = dt.date.max
    status = _patent_status(rng, type_digit, filed, granted)
    publication = _publication(publications, type_digit, filed, granted)
    title = _patent_title(rng, words, type_digit)
    ipc = [] if type_digit == "3" else rng.sample(words.ipc, k=min(len(words.ipc), rng.choice((1, 1, 2, 3))))
    patent = Patent(
        application_number=demo_ids.patent_application_number(serial, year=year, type_digit=type_digit),
        publication_number=publication,
        kind={
            "1": "invention",
            "2": "utility_model",
            "3": "design",
            "8": "pct_invention",
            "9": "pct_utility_model",
        }[type_digit],
        title=title,
        status=status,
        application_date=filed,
        grant_date=granted if granted <= AS_OF else None,
        ipc_main=ipc[0] if ipc else "",
        ipc_codes=ipc,
        abstract=_abstract(title, type_digit, code),
        is_demo=True,
    )
    return patent, _owners(rng, index, first, picker, 0.08)


def _patent_status(rng: random.Random, type_digit: str, filed: dt.date, granted: dt.date) -> str:
    if granted == dt.date.max:
        return RightStatus.LAPSED if filed.year < 2024 else RightStatus.PENDING
    if granted > AS_OF:
        return RightStatus.PENDING
    term = {"1": 20, "8": 20, "2": 10, "9": 10, "3": 15 if filed.year >= 2021 else 10}[type_digit]
    if add_years(filed, term) <= AS_OF:
        return RightStatus.EXPIRED
    roll = rng.random()
    if roll < 0.01:
        return RightStatus.INVALIDATED
    if roll < 0.01 + 0.02 * (AS_OF.year - granted.year):  # unpaid annuities, more often the older
        return RightStatus.LAPSED
    return RightStatus.VALID


def _publication(publications: Counter[str], type_digit: str, filed: dt.date, granted: dt.date) -> str | None:
    """Return the latest publication of the application as of AS_OF, or None if not yet published."""
    first_digit = {"1": "1", "8": "1", "2": "2", "9": "2", "3": "3"}[type_digit]
    if first_digit == "1":
        if granted <= AS_OF:
            kind_code = "B"
        elif filed + dt.timedelta(days=548) <= AS_OF:
            kind_code = "A"
        else:
            return None
    elif granted <= AS_OF:
        kind_code = "U" if first_digit == "2" else "S"
    else:
        return None
    serial = publications[first_digit]
    publications[first_digit] += 1
    return demo_ids.patent_publication_number(serial, first_digit=first_digit, kind_code=kind_code)


def _patent_title(rng: random.Random, words: ChainWords, type_digit: str) -> str:
    obj, mod = rng.choice(words.objects), rng.choice(words.modifiers)
    if type_digit == "3":
        return rng.choice(words.designs) + rng.choice(DESIGN_VARIANTS)
    if type_digit in "29":
        return rng.choice((f"一种{mod}{obj}", f"一种用于{obj}的{rng.choice(UTILITY_PARTS)}"))
    process = rng.choice(words.processes)
    return rng.choice(
        (
            f"一种{mod}{obj}",
            f"一种{mod}{obj}及其{process}方法",
            f"{obj}的{process}方法及系统",
            f"基于{mod}{rng.choice(words.objects)}的{obj}{process}方法",
        )
    )


def _abstract(title: str, type_digit: str, chain: str) -> str:
    if type_digit == "3":
        return ""
    what = "发明" if type_digit in "18" else "实用新型"
    field = CHAIN_NAMES.get(chain, "通用制造")
    return f"本{what}涉及{field}技术领域，公开了{title.removeprefix('一种')}。（演示数据，非真实专利文献）"


def trademark_batches(
    rng: random.Random, index: EntityIndex, pools: dict[str, array], *, count: int, batch_size: int
) -> Iterator[list[Row]]:
    """Yield batches of registered trademarks with 8-digit registration numbers."""
    picker = OwnerPicker(index, pools, TRADEMARK_OWNERS)

    def rows() -> Iterator[Row]:
        for number in range(count):
            first = 0 if number < 2 else picker(rng)
            _, words = _words(index, first, rng)
            nice = rng.choice(words.nice)
            registered = date_between(rng, dt.date(2008, 1, 1), AS_OF, skew=1.6)
            expires = add_years(registered, 10) - dt.timedelta(days=1)
            mark = rng.choice(TRADE_NAME_CHARS) + rng.choice(TRADE_NAME_CHARS)
            yield (
                Trademark(
                    registration_number=str(10_000_000 + demo_ids.scramble(number, 90_000_000, salt=11)),
                    title=mark if rng.random() < 0.8 else f"{mark}及图",
                    nice_class=nice,
                    goods=GOODS[nice],
                    registered_on=registered,
                    expires_on=expires,
                    status=RightStatus.EXPIRED if expires < AS_OF else RightStatus.VALID,
                    is_demo=True,
                ),
                [index.ids[first]],
            )

    return _batches(rows(), batch_size)


def copyright_batches(
    rng: random.Random, index: EntityIndex, pools: dict[str, array], *, count: int, batch_size: int
) -> Iterator[list[Row]]:
    """Yield batches of copyright registrations: about two thirds software, the rest works (K3)."""
    software_owner = OwnerPicker(index, pools, SOFTWARE_OWNERS)
    work_owner = OwnerPicker(index, pools, WORK_OWNERS)
    serials: Counter[tuple[int, bool]] = Counter()

    def rows() -> Iterator[Row]:
        for number in range(count):
            year = year_from(rng, COPYRIGHT_YEARS)
            registered = date_in_year(rng, year)
            software = rng.random() < 0.65
            serial = serials[year, software]
            serials[year, software] += 1
            first = 0 if number < 1 else software_owner(rng) if software else work_owner(rng)
            _, words = _words(index, first, rng)
            brand = rng.choice(TRADE_NAME_CHARS) + rng.choice(TRADE_NAME_CHARS)
            if software:
                kind, title = (
                    CopyrightWorkKind.SOFTWARE,
                    f"{brand}{rng.choice(words.software)}V{rng.randint(1, 5)}.0",
                )
                number = f"{year}SR{demo_ids.scramble(serial, 10**7, salt=year):07d}"
            else:
                kind, letter, _w = WORK_KINDS[pick(rng, [w for *_, w in WORK_KINDS])]
                title = _work_title(rng, kind, brand)
                number = f"鄂作登字-{year}-{letter}-{demo_ids.scramble(serial, 10**8, salt=year + 100):08d}"
            completed = registered - dt.timedelta(days=rng.randint(20, 400))
            record = Copyright(
                registration_number=number,
                work_kind=kind,
                title=title,
                registered_on=registered,
                completed_on=completed,
                is_demo=True,
            )
            yield record, [index.ids[first]]

    return _batches(rows(), batch_size)


def _work_title(rng: random.Random, kind: str, brand: str) -> str:
    subject = rng.choice(WORK_SUBJECTS)
    return {
        CopyrightWorkKind.WRITTEN: f"《{subject}》",
        CopyrightWorkKind.MUSIC: f"《{subject}》（歌曲）",
        CopyrightWorkKind.ART: f"{subject}系列插画",
        CopyrightWorkKind.PHOTOGRAPHY: f"《{subject}》摄影作品",
        CopyrightWorkKind.AUDIOVISUAL: f"{subject}宣传片",
        CopyrightWorkKind.DESIGN: f"{brand}品牌标识",
    }.get(kind, f"{subject}文创作品")


def trade_secret_batches(
    rng: random.Random, index: EntityIndex, pools: dict[str, array], *, count: int, batch_size: int
) -> Iterator[list[Row]]:
    """Yield batches of trade-secret assets: what kind of information and how it is kept, never what it is."""
    picker = OwnerPicker(index, pools, SECRET_OWNERS)

    def rows() -> Iterator[Row]:
        for number in range(count):
            first = 0 if number < 1 else picker(rng)
            _, words = _words(index, first, rng)
            title = rng.choice(words.secrets)
            business = any(word in title for word in BUSINESS_WORDS)
            yield (
                TradeSecretAsset(
                    title=title,
                    category=TradeSecretAsset.Category.BUSINESS if business else TradeSecretAsset.Category.TECHNICAL,
                    protective_measures=rng.choice(TRADE_SECRET_MEASURES),
                    identified_on=date_between(rng, dt.date(2018, 1, 1), AS_OF, skew=1.5),
                    is_demo=True,
                ),
                [index.ids[first]],
            )

    return _batches(rows(), batch_size)


def data_ip_batches(
    rng: random.Random, index: EntityIndex, pools: dict[str, array], *, count: int, batch_size: int
) -> Iterator[list[Row]]:
    """Yield batches of data-IP registrations (pilots since 2023)."""
    picker = OwnerPicker(index, pools, DATA_OWNERS)

    def rows() -> Iterator[Row]:
        for number in range(count):
            first = 0 if number < 1 else picker(rng)
            _, words = _words(index, first, rng)
            registered = date_between(rng, dt.date(2023, 6, 1), AS_OF, skew=1.4)
            yield (
                DataIP(
                    registration_number=f"鄂数知登字-{registered.year}-{number + 1:06d}",
                    title=rng.choice(words.datasets),
                    data_description="数据来源、字段、规模与更新频率的说明；个人信息已去标识化。（演示）",
                    registered_on=registered,
                    is_demo=True,
                ),
                [index.ids[first]],
            )

    return _batches(rows(), batch_size)


GEOGRAPHICAL_INDICATIONS: Final = (
    (
        "木兰晴川白茶" + DEMO_SUFFIX,
        "白茶",
        "武汉市黄陂区木兰山周边（演示）",
        "agricultural",
        dt.date(2019, 9, 12),
    ),
    (
        "梁子湖金湾藕带" + DEMO_SUFFIX,
        "藕带",
        "武汉市江夏区梁子湖沿岸（演示）",
        "collective_mark",
        dt.date(2022, 4, 26),
    ),
)


def geographical_indications(index: EntityIndex, pools: dict[str, array]) -> list[Row]:
    """Return the two synthetic GIs, each owned by an association when the demo has one."""
    associations = pools.get("social_organisation") or array("l")
    rows: list[Row] = []
    for number, (title, product, region, scheme, protected) in enumerate(GEOGRAPHICAL_INDICATIONS):
        owners = [index.ids[associations[number % len(associations)]]] if associations else []
        gi = GeographicalIndication(
            title=title,
            product=product,
            region=region,
            scheme=scheme,
            protected_on=protected,
            announcement_number=f"演示公告第{number + 1}号",
            is_demo=True,
        )
        rows.append((gi, owners))
    return rows
