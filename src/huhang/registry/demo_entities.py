"""Demo rights holders: enterprises, universities, institutes, other organisations and individuals.

Rows are produced one batch at a time and remembered only as a few bytes each in an :class:`EntityIndex`,
so a million entities fit in a few megabytes. The East Lake High-tech Zone gets the largest share, and
its enterprises lean to the optoelectronics, chip and software chains, as in the city's plans.
"""

from __future__ import annotations

import datetime as dt
import random
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from huhang.registry import demo_ids
from huhang.registry.demo_names import (
    CHAINS,
    COMPANY_FORMS,
    DEMO_SUFFIX,
    GENERAL_SECTIONS,
    GIVEN_CHARS,
    INSTITUTE_TYPES,
    PLACE_WORDS,
    PUBLIC_INSTITUTIONS,
    ROADS,
    SOCIAL_ORGANISATIONS,
    SURNAMES,
    TRADE_NAME_CHARS,
    UNIVERSITY_FIELDS,
    UNIVERSITY_TYPES,
)
from huhang.registry.demo_random import date_between, pick
from huhang.registry.models import Entity, EntityKind, EntitySize
from huhang.registry.reference import WUHAN_DISTRICTS, WUHAN_FUNCTIONAL_ZONES

KINDS: Final = (
    EntityKind.ENTERPRISE,
    EntityKind.UNIVERSITY,
    EntityKind.RESEARCH_INSTITUTE,
    EntityKind.PUBLIC_INSTITUTION,
    EntityKind.SOCIAL_ORGANISATION,
    EntityKind.INDIVIDUAL,
)
KIND_WEIGHTS: Final = (83.0, 0.5, 1.5, 1.0, 2.0, 12.0)
# The first rows cover every kind, so that even a tiny demo has a university, an association and a person.
OPENING_KINDS: Final = (0, 1, 1, 2, 2, 3, 4, 4, 5, 5)
SIZES: Final = ("", EntitySize.MICRO, EntitySize.SMALL, EntitySize.MEDIUM, EntitySize.LARGE)
ENTERPRISE_SIZE_WEIGHTS: Final = (0, 40, 35, 18, 7)
CHAIN_CODES: Final = tuple(code for code in CHAINS if code != "GENERAL")
GENERAL: Final = len(CHAIN_CODES)  # index of the general vocabulary in EntityIndex.chains

DISTRICT_WEIGHTS: Final = {
    "WH-EHT": 30,
    "WH-WEDZ": 10,
    "WH-CJXQ": 3,
    "WH-EHSA": 1,
    "420111": 8,
    "420106": 7,
    "420102": 6,
    "420103": 6,
    "420104": 4,
    "420105": 5,
    "420107": 3,
    "420112": 5,
    "420113": 1,
    "420114": 3,
    "420115": 5,
    "420116": 3,
    "420117": 2,
}
# Functional zones have no division code of their own: their entities carry the host district's.
ZONE_REGIONS: Final = {"WH-EHT": "420111", "WH-WEDZ": "420113", "WH-CJXQ": "420116", "WH-EHSA": "420106"}
# Share of enterprises in a key chain, and the chains' weights, by district code (default: "*").
CHAIN_SHARE: Final = {"WH-EHT": 0.8, "WH-WEDZ": 0.65, "*": 0.45}
CHAIN_WEIGHTS: Final = {
    "WH-EHT": {
        "KC-OPTO": 30,
        "KC-IC": 15,
        "KC-BIO": 15,
        "KC-AI": 18,
        "KC-BDS": 8,
        "KC-EQUIP": 4,
        "KC-AUTO": 3,
        "KC-MAT": 7,
    },
    "WH-WEDZ": {
        "KC-AUTO": 45,
        "KC-EQUIP": 20,
        "KC-MAT": 10,
        "KC-AI": 8,
        "KC-OPTO": 5,
        "KC-IC": 5,
        "KC-BIO": 5,
        "KC-BDS": 2,
    },
    "*": {
        "KC-AUTO": 12,
        "KC-EQUIP": 18,
        "KC-MAT": 15,
        "KC-BIO": 15,
        "KC-AI": 18,
        "KC-OPTO": 10,
        "KC-IC": 5,
        "KC-BDS": 7,
    },
}
ANCHOR_NAME: Final = "武汉星辰光电科技有限公司" + DEMO_SUFFIX


def region_of(district_code: str) -> str:
    """Return the six-digit division code identifiers carry for a district or functional zone."""
    return ZONE_REGIONS.get(district_code, district_code)


@dataclass
class EntityIndex:
    """What later sections need to know of each saved entity, a few bytes per row."""

    district_codes: list[str]
    ids: array = field(default_factory=lambda: array("q"))
    kinds: bytearray = field(default_factory=bytearray)
    chains: bytearray = field(default_factory=bytearray)
    sizes: bytearray = field(default_factory=bytearray)
    districts: bytearray = field(default_factory=bytearray)

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, pk: int, meta: tuple[int, int, int, int]) -> None:
        kind, chain, size, district = meta
        self.ids.append(pk)
        self.kinds.append(kind)
        self.chains.append(chain)
        self.sizes.append(size)
        self.districts.append(district)

    def kind(self, pos: int) -> str:
        return KINDS[self.kinds[pos]]

    def chain_code(self, pos: int) -> str:
        chain = self.chains[pos]
        return "GENERAL" if chain == GENERAL else CHAIN_CODES[chain]

    def pools(self) -> dict[str, array]:
        """Return the positions of the entities in each category (kinds, and enterprises by size)."""
        pools: dict[str, array] = {}
        for pos in range(len(self.ids)):
            kind = KINDS[self.kinds[pos]]
            key = f"enterprise_{SIZES[self.sizes[pos]]}" if kind == EntityKind.ENTERPRISE else str(kind)
            pools.setdefault(key, array("l")).append(pos)
        return pools


@dataclass(frozen=True)
class EntityContext:
    """Database ids of the reference rows entities point to."""

    district_ids: dict[str, int]  # by district code
    industry_ids: dict[str, int]  # by industry code


def entity_batches(
    rng: random.Random, *, count: int, context: EntityContext, batch_size: int, first_serial: int = 0
) -> Iterator[list[tuple[Entity, tuple[int, int, int, int]]]]:
    """Yield batches of unsaved demo entities, each with its index metadata.

    Identifiers derive from serial numbers ``first_serial`` onwards: two runs with serial ranges that do
    not overlap never share an identifier (the benchmarks use this to import rows beside demo data).
    """
    codes = list(DISTRICT_WEIGHTS)
    cum = _cumulative([DISTRICT_WEIGHTS[c] for c in codes])
    batch: list[tuple[Entity, tuple[int, int, int, int]]] = []
    for serial in range(first_serial, first_serial + count):
        kind = OPENING_KINDS[serial] if serial < len(OPENING_KINDS) else pick(rng, KIND_WEIGHTS)
        district = rng.choices(range(len(codes)), cum_weights=cum)[0]
        if serial == 0:  # the demo applicant's enterprise sits in the East Lake High-tech Zone
            district = codes.index("WH-EHT")
        batch.append(_entity(rng, serial, kind, codes, district, context))
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _entity(
    rng: random.Random, serial: int, kind: int, codes: list[str], district: int, context: EntityContext
) -> tuple[Entity, tuple[int, int, int, int]]:
    code = codes[district]
    region = region_of(code)
    size, chain, industry, established = 0, GENERAL, "", None
    kind_value = KINDS[kind]
    if kind_value == EntityKind.ENTERPRISE:
        size, chain, industry = _enterprise_profile(rng, code, serial)
        established = date_between(rng, dt.date(1993, 1, 1), dt.date(2025, 12, 31), skew=1.8)
        name = ANCHOR_NAME if serial == 0 else enterprise_name(rng, chain, size)
    elif kind_value == EntityKind.INDIVIDUAL:
        name = person_name(rng)
    else:
        chain = rng.randrange(len(CHAIN_CODES))
        industry, name, size = _institution_profile(rng, kind_value, chain)
        established = date_between(rng, dt.date(1950, 1, 1), dt.date(2015, 12, 31), skew=0.8)
    entity = Entity(
        kind=kind_value,
        name=name,
        district_id=context.district_ids[code],
        industry_id=context.industry_ids[industry] if industry else None,
        size=SIZES[size],
        address=f"武汉市{_district_label(code)}{rng.choice(ROADS)}{rng.randint(1, 999)}号",
        contact_name=person_name(rng, suffix=False),
        contact_phone=f"027-8{rng.randrange(10**7):07d}",
        established_on=established,
        is_demo=True,
    )
    if kind_value == EntityKind.INDIVIDUAL:
        entity.resident_id = demo_ids.resident_id(serial, region=region)
        entity.address, entity.contact_name = "", ""
    else:
        new_style = established is not None and established >= dt.date(2015, 10, 1)
        entity.uscc = demo_ids.uscc(
            serial, authority_category=_authority(kind_value), region=region, new_style=new_style
        )
    return entity, (kind, chain, size, district)


def _enterprise_profile(rng: random.Random, code: str, serial: int) -> tuple[int, int, str]:
    """Return (size index, chain index, industry code) of an enterprise in district ``code``."""
    if serial == 0:
        return SIZES.index(EntitySize.MEDIUM), CHAIN_CODES.index("KC-OPTO"), "KC-OPTO"
    size = pick(rng, ENTERPRISE_SIZE_WEIGHTS)
    if rng.random() < CHAIN_SHARE.get(code, CHAIN_SHARE["*"]):
        weights = CHAIN_WEIGHTS.get(code, CHAIN_WEIGHTS["*"])
        chain_code = rng.choices(list(weights), weights=list(weights.values()))[0]
        return size, CHAIN_CODES.index(chain_code), chain_code
    section = rng.choices([s for s, _ in GENERAL_SECTIONS], weights=[w for _, w in GENERAL_SECTIONS])[0]
    return size, GENERAL, section


def _institution_profile(rng: random.Random, kind: str, chain: int) -> tuple[str, str, int]:
    """Return (industry code, name, size index) of a non-enterprise organisation."""
    place = rng.choice(PLACE_WORDS)
    chain_code = CHAIN_CODES[chain]
    if kind == EntityKind.UNIVERSITY:
        name = f"{place}{rng.choice(UNIVERSITY_FIELDS)}{rng.choice(UNIVERSITY_TYPES)}"
        return "P", name + DEMO_SUFFIX, SIZES.index(EntitySize.LARGE)
    if kind == EntityKind.RESEARCH_INSTITUTE:
        topic = rng.choice(CHAINS[chain_code].business).removesuffix("科技").removesuffix("技术")
        return chain_code, f"武汉{place}{topic}{rng.choice(INSTITUTE_TYPES)}{DEMO_SUFFIX}", 0
    if kind == EntityKind.PUBLIC_INSTITUTION:
        return "M", f"武汉市{place}{rng.choice(PUBLIC_INSTITUTIONS)}{DEMO_SUFFIX}", 0
    topic = rng.choice(CHAINS[chain_code].business).removesuffix("科技").removesuffix("技术")
    return "S", f"武汉市{topic}{rng.choice(SOCIAL_ORGANISATIONS)}{DEMO_SUFFIX}", 0


def enterprise_name(rng: random.Random, chain: int, size: int) -> str:
    """Return a name such as 武汉瑞芯光通信技术有限公司（演示）."""
    words = CHAINS["GENERAL" if chain == GENERAL else CHAIN_CODES[chain]]
    trade_name = rng.choice(TRADE_NAME_CHARS) + rng.choice(TRADE_NAME_CHARS)
    forms, weights = zip(*COMPANY_FORMS, strict=True)
    form = "股份有限公司" if SIZES[size] == EntitySize.LARGE else rng.choices(forms, weights=weights)[0]
    prefix = "湖北" if rng.random() < 0.08 else "武汉"
    return f"{prefix}{trade_name}{rng.choice(words.business)}{form}{DEMO_SUFFIX}"


def person_name(rng: random.Random, *, suffix: bool = True) -> str:
    """Return a Chinese personal name, followed by the demo suffix unless ``suffix`` is False."""
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given + (DEMO_SUFFIX if suffix else "")


def _authority(kind: str) -> str:
    """Return USCC positions 1–2: registration authority and category of an organisation of ``kind``."""
    if kind == EntityKind.ENTERPRISE:
        return "91"
    if kind == EntityKind.SOCIAL_ORGANISATION:
        return "51"
    return "12"


_DISTRICT_LABELS: Final = {code: zh for code, zh, _ in (*WUHAN_DISTRICTS, *WUHAN_FUNCTIONAL_ZONES)}


def _district_label(code: str) -> str:
    return _DISTRICT_LABELS[code]


def _cumulative(weights: list[int]) -> list[int]:
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out
