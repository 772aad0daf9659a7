"""Demo filings, service network, trade-secret library and expert pool: the records behind K9–K17.

Filings with the quick-rights centre grow fastest in 2025, so that K15 (growth of filed entities) has a
real baseline and a real rise; some filings, stations and designations end, so "active on a day" differs
from "ever created".
"""

from __future__ import annotations

import datetime as dt
import random
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

from huhang.registry.demo_entities import CHAIN_CODES, GENERAL, EntityIndex, person_name
from huhang.registry.demo_names import CHAINS, DEMO_SUFFIX, PLACE_WORDS, PROFESSIONAL_TITLES, ROADS
from huhang.registry.demo_random import AS_OF, add_years, date_between, date_in_year, pick, year_from
from huhang.registry.models import (
    EntityKind,
    Expert,
    ExpertKind,
    Filing,
    ServiceStation,
    StationKind,
    StationLevel,
    TradeSecretDesignation,
    TradeSecretDesignationKind,
)
from huhang.registry.reference import KEY_INDUSTRY_CHAINS, WUHAN_DISTRICTS, WUHAN_FUNCTIONAL_ZONES

PROTECTION_YEARS: Final = {2021: 10, 2022: 14, 2023: 18, 2024: 22, 2025: 24, 2026: 12}
QUICK_YEARS: Final = {2022: 8, 2023: 12, 2024: 20, 2025: 42, 2026: 18}
DESIGNATION_YEARS: Final = {2020: 6, 2021: 10, 2022: 14, 2023: 18, 2024: 22, 2025: 22, 2026: 8}
STATION_YEARS: Final = {2019: 8, 2020: 10, 2021: 12, 2022: 14, 2023: 16, 2024: 18, 2025: 22, 2026: 10}
DESIGNATED_BY: Final = "武汉市市场监督管理局（知识产权局）"
CHAIN_NAMES: Final = {code: zh for code, zh, _ in KEY_INDUSTRY_CHAINS}
DISTRICT_NAMES: Final = {code: zh for code, zh, _ in (*WUHAN_DISTRICTS, *WUHAN_FUNCTIONAL_ZONES)}


@dataclass(frozen=True)
class StationPlan:
    """How many stations of a kind the full network has, its name ending and the weights of its levels."""

    kind: str
    full_count: int
    ending: str
    levels: dict[str, int]


# At full size the network resembles the plan's targets (K9 > 200, K10 45, K11 50, K12 2, K13 35).
STATION_PLANS: Final = (
    StationPlan(
        StationKind.PROTECTION_WORKSTATION,
        236,
        "知识产权保护工作站",
        {StationLevel.CITY: 30, StationLevel.DISTRICT: 70},
    ),
    StationPlan(
        StationKind.TRADEMARK_GUIDANCE,
        50,
        "商标品牌指导站",
        {StationLevel.PROVINCIAL: 10, StationLevel.CITY: 60, StationLevel.DISTRICT: 30},
    ),
    StationPlan(
        StationKind.TRADE_SECRET,
        56,
        "商业秘密保护服务站",
        {StationLevel.PROVINCIAL: 10, StationLevel.CITY: 50, StationLevel.DISTRICT: 40},
    ),
    StationPlan(
        StationKind.COPYRIGHT_CENTRE, 3, "版权服务中心", {StationLevel.PROVINCIAL: 1, StationLevel.CITY: 2}
    ),
    StationPlan(
        StationKind.HIGH_VALUE_PATENT_CENTRE,
        41,
        "高价值专利培育中心",
        {
            StationLevel.NATIONAL: 5,
            StationLevel.PROVINCIAL: 25,
            StationLevel.CITY: 55,
            StationLevel.DISTRICT: 15,
        },
    ),
)
FULL_NETWORK_SCALE: Final = 600


def station_counts(scale: int) -> dict[str, int]:
    """Return the number of stations per kind: the full network from ``FULL_NETWORK_SCALE`` up, less below."""
    share = min(1.0, scale / FULL_NETWORK_SCALE)
    return {plan.kind: max(1, round(plan.full_count * share)) for plan in STATION_PLANS}


def _period(rng: random.Random, start: dt.date, *, end_share: float, min_days: int = 90) -> dt.date | None:
    """Return an end date after ``start`` and not after AS_OF with probability ``end_share``, else None."""
    if rng.random() >= end_share or (AS_OF - start).days <= min_days:
        return None
    return start + dt.timedelta(days=rng.randint(min_days, (AS_OF - start).days))


def filing_batches(
    rng: random.Random, index: EntityIndex, *, centres: dict[str, int], batch_size: int
) -> Iterator[list[Filing]]:
    """Yield batches of filings with the protection centre (K14) and the quick-rights centre (K15)."""
    references: Counter[tuple[str, int]] = Counter()
    batch: list[Filing] = []
    for pos in range(len(index)):
        kind, chain = index.kind(pos), index.chains[pos]
        for centre, share in (
            ("protection_centre", _protection_share(kind, chain)),
            ("quick_rights_centre", _quick_share(kind, chain)),
        ):
            if pos == 0 and centre == "protection_centre":
                share = 1.0  # the demo applicant's enterprise is filed
            if rng.random() >= share:
                continue
            batch.extend(_filings(rng, index, pos, centre, centres[centre], references))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _protection_share(kind: str, chain: int) -> float:
    if kind == EntityKind.ENTERPRISE:
        return 0.45 if chain != GENERAL else 0.12
    if kind in (EntityKind.UNIVERSITY, EntityKind.RESEARCH_INSTITUTE):
        return 0.6
    return 0.03


def _quick_share(kind: str, chain: int) -> float:
    if kind == EntityKind.ENTERPRISE:
        return 0.15 if chain != GENERAL else 0.28
    return 0.02 if kind == EntityKind.INDIVIDUAL else 0.0


def _filings(
    rng: random.Random,
    index: EntityIndex,
    pos: int,
    centre: str,
    centre_id: int,
    references: Counter[tuple[str, int]],
) -> list[Filing]:
    """Return one entity's filings with one centre: one interval, sometimes ended, sometimes renewed."""
    protection = centre == "protection_centre"
    start = date_in_year(rng, year_from(rng, PROTECTION_YEARS if protection else QUICK_YEARS))
    if protection:  # filed for three years, then renewed or not
        end = add_years(start, 3)
        end = end if end <= AS_OF else None
        renewed = end is not None and rng.random() < 0.6
    else:
        end = _period(rng, start, end_share=0.2, min_days=120)
        renewed = end is not None and rng.random() < 0.3
    fields = CHAIN_NAMES.get(index.chain_code(pos), "")
    filings = [_filing(index, pos, centre, centre_id, start, end, fields, references)]
    if renewed and end is not None and end < AS_OF:
        filings.append(_filing(index, pos, centre, centre_id, end, None, fields, references))
    return filings


def _filing(
    index: EntityIndex,
    pos: int,
    centre: str,
    centre_id: int,
    start: dt.date,
    end: dt.date | None,
    fields: str,
    references: Counter[tuple[str, int]],
) -> Filing:
    prefix = "WHBH" if centre == "protection_centre" else "WHKW"
    references[prefix, start.year] += 1
    return Filing(
        entity_id=index.ids[pos],
        centre_id=centre_id,
        reference=f"{prefix}-{start.year}-{references[prefix, start.year]:05d}",
        fields=fields,
        valid_from=start,
        valid_to=end,
        is_demo=True,
    )


def designation_batches(rng: random.Random, index: EntityIndex, *, batch_size: int) -> Iterator[list]:
    """Yield batches of trade-secret contact points (K16) and demonstration points (K17)."""
    batch: list[TradeSecretDesignation] = []
    for pos in range(len(index)):
        if index.kind(pos) != EntityKind.ENTERPRISE:
            continue
        share = 0.3 if index.chains[pos] != GENERAL else 0.12
        if pos != 0 and rng.random() >= share:
            continue
        designated = date_in_year(rng, year_from(rng, DESIGNATION_YEARS))
        batch.append(_designation(rng, index, pos, TradeSecretDesignationKind.CONTACT_POINT, designated))
        size = index.sizes[pos]  # 3 medium, 4 large
        if rng.random() < (0.25 if size >= 3 else 0.04) and designated < dt.date(2026, 1, 1):
            later = date_between(rng, designated + dt.timedelta(days=60), AS_OF)
            batch.append(_designation(rng, index, pos, TradeSecretDesignationKind.DEMONSTRATION_POINT, later))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _designation(rng: random.Random, index: EntityIndex, pos: int, kind: str, day: dt.date):
    return TradeSecretDesignation(
        entity_id=index.ids[pos],
        kind=kind,
        designated_on=day,
        revoked_on=_period(rng, day, end_share=0.05, min_days=180),
        designated_by=DESIGNATED_BY,
        is_demo=True,
    )


HOST_POOLS: Final = (
    "enterprise_large",
    "enterprise_medium",
    "university",
    "research_institute",
    "social_organisation",
    "public_institution",
)


def stations(
    rng: random.Random,
    index: EntityIndex,
    pools: dict[str, array],
    *,
    scale: int,
    district_ids: dict[str, int],
    host_names: Callable[[set[int]], dict[int, str]],
) -> list[ServiceStation]:
    """Return the service network (K9–K13), its stations opened 2019–2026 and a few closed.

    Most stations are hosted by a larger enterprise, a university, an institute or an association.
    """
    counts = station_counts(scale)
    hosts = [pos for key in HOST_POOLS for pos in pools.get(key, ())]
    chosen: list[tuple[StationPlan, int | None]] = []
    for plan in STATION_PLANS:
        for _ in range(counts[plan.kind]):
            chosen.append((plan, rng.choice(hosts) if hosts and rng.random() < 0.85 else None))
    names = host_names({index.ids[pos] for _, pos in chosen if pos is not None})
    taken: set[tuple[str, str]] = set()
    result = []
    for plan, pos in chosen:
        code = (
            index.district_codes[index.districts[pos]]
            if pos is not None
            else rng.choice(list(DISTRICT_NAMES))
        )
        host = (
            names[index.ids[pos]]
            if pos is not None
            else f"{DISTRICT_NAMES[code]}{rng.choice(PLACE_WORDS)}产业园"
        )
        opened = date_in_year(rng, year_from(rng, STATION_YEARS))
        result.append(
            ServiceStation(
                kind=plan.kind,
                name=_station_name(plan, _short(host), taken),
                address=f"武汉市{DISTRICT_NAMES[code]}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
                district_id=district_ids[code],
                host_id=index.ids[pos] if pos is not None else None,
                level=list(plan.levels)[pick(rng, list(plan.levels.values()))],
                opened_on=opened,
                closed_on=_period(rng, opened, end_share=0.07, min_days=180),
                is_demo=True,
            )
        )
    return result


def _short(name: str) -> str:
    """Return an organisation's name without the demo suffix, city prefix and company form."""
    name = name.removesuffix(DEMO_SUFFIX)
    for form in ("股份有限公司", "有限责任公司", "有限公司"):
        name = name.removesuffix(form)
    return name.removeprefix("武汉市").removeprefix("武汉").removeprefix("湖北") or name


def _station_name(plan: StationPlan, host: str, taken: set[tuple[str, str]]) -> str:
    name, number = f"{host}{plan.ending}{DEMO_SUFFIX}", 1
    while (plan.kind, name) in taken:
        number += 1
        name = f"{host}{plan.ending}（{number}）{DEMO_SUFFIX}"
    taken.add((plan.kind, name))
    return name


def expert_batches(
    rng: random.Random, *, count: int, employers: list[str], batch_size: int
) -> Iterator[list[Expert]]:
    """Yield batches of the expert pool: technical investigators and expert jurors."""
    batch: list[Expert] = []
    for _ in range(count):
        chain = rng.choice(CHAIN_CODES)
        appointed = date_between(rng, dt.date(2019, 1, 1), AS_OF, skew=1.3)
        batch.append(
            Expert(
                name=person_name(rng),
                kind=ExpertKind.TECHNICAL_INVESTIGATOR if rng.random() < 0.55 else ExpertKind.EXPERT_JUROR,
                fields=CHAINS[chain].expert_fields,
                employer=rng.choice(employers) if employers else "",
                professional_title=rng.choice(PROFESSIONAL_TITLES),
                phone=f"027-8{rng.randrange(10**7):07d}",
                appointed_on=appointed,
                retired_on=_period(rng, appointed, end_share=0.1, min_days=365),
                is_demo=True,
            )
        )
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch
