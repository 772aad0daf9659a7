"""Generate a reproducible, clearly synthetic demo data set: ``generate_demo_data(scale=600)``.

The same ``seed`` and ``scale`` always give the same records (names, identifiers, dates, links); only
database ids and creation timestamps differ. Every record is marked ``is_demo``, every invented name ends
with "（演示）", and every identifier is valid (check characters from :mod:`huhang.identifiers`).

At ``scale=N`` there are about N entities, 2N patents, N/2 trademarks, 3N/4 copyrights, N/10 trade
secrets, N/50 data-IP registrations, N/2 filings, 0.2N trade-secret designations, N/25 experts, and the
service network (full size, about 390 stations, from N = 600). With ``entities_only`` only the
organisations, the demo users and the entities are written: the benchmarks' million-row mode.

Records are written with ``bulk_create`` in batches, so memory stays bounded; each record also gets its
first history version (reason "演示数据"), except in ``entities_only`` mode, which writes no history.
Everything happens in one transaction: a failure leaves nothing behind.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Model

from huhang.accounts.models import User
from huhang.registry import demo_accounts, demo_network, demo_rights
from huhang.registry.demo_accounts import DemoAccount
from huhang.registry.demo_entities import DISTRICT_WEIGHTS, EntityContext, EntityIndex, entity_batches
from huhang.registry.demo_random import section_rng
from huhang.registry.models import (
    Copyright,
    DataIP,
    District,
    Entity,
    Expert,
    Filing,
    GeographicalIndication,
    Industry,
    Patent,
    ServiceStation,
    Trademark,
    TradeSecretAsset,
    TradeSecretDesignation,
)
from huhang.registry.reference import load_reference_rows

DEMO_PASSWORD = "huhang-demo-2025"  # noqa: S105 (documented, for demo instances only)
"""The password of the demo users unless the caller gives another."""
DEFAULT_SCALE = 600
BATCH_SIZE = 2000
HISTORY_REASON = "演示数据"

Progress = Callable[[int, int], None]

__all__ = [
    "DEFAULT_SCALE",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoDataExists",
    "DemoPlan",
    "DemoSummary",
    "demo_data_present",
    "generate_demo_data",
]


class DemoDataExists(Exception):
    """Demo data (or a demo user) is already in the database."""


@dataclass(frozen=True)
class DemoPlan:
    """How many records of each kind a scale asks for (filings and designations are expected values)."""

    entities: int
    patents: int = 0
    trademarks: int = 0
    copyrights: int = 0
    trade_secrets: int = 0
    data_ip: int = 0
    experts: int = 0
    stations: int = 0
    filings: int = 0
    designations: int = 0

    @classmethod
    def for_scale(cls, scale: int, *, entities_only: bool = False) -> DemoPlan:
        if entities_only:
            return cls(entities=scale)
        return cls(
            entities=scale,
            patents=2 * scale,
            trademarks=scale // 2,
            copyrights=3 * scale // 4,
            trade_secrets=max(1, scale // 10),
            data_ip=max(2, scale // 50),
            experts=max(8, scale // 25),
            stations=sum(demo_network.station_counts(scale).values()),
            filings=scale // 2,
            designations=scale // 5,
        )

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass
class DemoSummary:
    """What one run created."""

    scale: int
    seed: int
    counts: dict[str, int] = field(default_factory=dict)  # by model label, e.g. "registry.patent"
    accounts: list[DemoAccount] = field(default_factory=list)
    seconds: float = 0.0


class _Writer:
    """Write batches of records with their owners and first history versions, and report progress."""

    def __init__(self, *, history: bool, progress: Progress | None, total: int) -> None:
        self.history, self.progress, self.total = history, progress, total
        self.done = 0
        self.counts: dict[str, int] = {}

    def save(self, model: type[Model], objs: list[Model], owners: Sequence[list[int]] | None = None) -> list:
        if not objs:
            return objs
        saved = model.objects.bulk_create(objs, batch_size=len(objs))
        if self.history:
            model.history.bulk_history_create(saved, default_change_reason=HISTORY_REASON)
        if owners is not None:
            self._save_owners(model, saved, owners)
        label = model._meta.label_lower
        self.counts[label] = self.counts.get(label, 0) + len(saved)
        self.tick(len(saved))
        return saved

    def save_rows(self, model: type[Model], batches: Iterable[list[demo_rights.Row]]) -> None:
        for batch in batches:
            self.save(model, [obj for obj, _ in batch], [owners for _, owners in batch])

    def _save_owners(self, model: type[Model], saved: list[Model], owners: Sequence[list[int]]) -> None:
        m2m = model._meta.get_field("owners")
        through = m2m.remote_field.through
        mine, theirs = m2m.m2m_field_name() + "_id", m2m.m2m_reverse_field_name() + "_id"
        links = [
            through(**{mine: obj.pk, theirs: pk})
            for obj, ids in zip(saved, owners, strict=True)
            for pk in ids
        ]
        through.objects.bulk_create(links, batch_size=len(links) or None)

    def tick(self, count: int) -> None:
        self.done += count
        self.total = max(self.total, self.done)
        if self.progress is not None:
            self.progress(self.done, self.total)


def demo_data_present() -> bool:
    """Tell whether demo entities or demo users exist."""
    return (
        Entity.objects.filter(is_demo=True).exists()
        or User.objects.filter(username__in=demo_accounts.USERNAMES).exists()
    )


def generate_demo_data(
    *,
    scale: int = DEFAULT_SCALE,
    seed: int = 2025,
    password: str = DEMO_PASSWORD,
    entities_only: bool = False,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
) -> DemoSummary:
    """Create the demo data set for ``scale`` and ``seed`` and return what was created.

    ``progress(done, total)`` is called after every batch. Raises DemoDataExists if demo data is already
    there, and ValueError for a scale below 1.
    """
    if scale < 1:
        raise ValueError("The scale must be at least 1.")
    started = time.perf_counter()
    plan = DemoPlan.for_scale(scale, entities_only=entities_only)
    writer = _Writer(history=not entities_only, progress=progress, total=plan.total)
    with transaction.atomic():
        if demo_data_present():
            raise DemoDataExists("Demo data is already loaded.")
        load_reference_rows(District, Industry)
        organisations = demo_accounts.organisations_create()
        index = _entities_create(writer, seed=seed, count=plan.entities, batch_size=batch_size)
        if not entities_only:
            _rights_create(writer, index, plan, seed=seed, batch_size=batch_size)
            _network_create(writer, index, plan, organisations, seed=seed, scale=scale, batch_size=batch_size)
        accounts = demo_accounts.users_create(
            organisations=organisations, entity=Entity.objects.get(pk=index.ids[0]), password=password
        )
    writer.counts["accounts.user"] = len(accounts)
    if progress is not None:
        progress(writer.done, writer.done)
    return DemoSummary(
        scale=scale, seed=seed, counts=writer.counts, accounts=accounts, seconds=time.perf_counter() - started
    )


def _entities_create(writer: _Writer, *, seed: int, count: int, batch_size: int) -> EntityIndex:
    context = EntityContext(
        district_ids=dict(District.objects.values_list("code", "pk")),
        industry_ids=dict(Industry.objects.values_list("code", "pk")),
    )
    index = EntityIndex(district_codes=list(DISTRICT_WEIGHTS))
    for batch in entity_batches(
        section_rng(seed, "entities"), count=count, context=context, batch_size=batch_size
    ):
        saved = writer.save(Entity, [entity for entity, _ in batch])
        for entity, (_, meta) in zip(saved, batch, strict=True):
            index.add(entity.pk, meta)
    return index


def _names_of(ids: set[int]) -> dict[int, str]:
    return dict(Entity.objects.filter(pk__in=ids).values_list("pk", "name"))


def _rights_create(
    writer: _Writer, index: EntityIndex, plan: DemoPlan, *, seed: int, batch_size: int
) -> None:
    pools = index.pools()
    common = {"batch_size": batch_size}
    writer.save_rows(
        Patent,
        demo_rights.patent_batches(
            section_rng(seed, "patents"), index, pools, count=plan.patents, names_of=_names_of, **common
        ),
    )
    for model, make, count, section in (
        (Trademark, demo_rights.trademark_batches, plan.trademarks, "trademarks"),
        (Copyright, demo_rights.copyright_batches, plan.copyrights, "copyrights"),
        (TradeSecretAsset, demo_rights.trade_secret_batches, plan.trade_secrets, "trade_secrets"),
        (DataIP, demo_rights.data_ip_batches, plan.data_ip, "data_ip"),
    ):
        writer.save_rows(model, make(section_rng(seed, section), index, pools, count=count, **common))
    writer.save_rows(GeographicalIndication, [demo_rights.geographical_indications(index, pools)])


def _network_create(
    writer: _Writer,
    index: EntityIndex,
    plan: DemoPlan,
    organisations: dict,
    *,
    seed: int,
    scale: int,
    batch_size: int,
) -> None:
    centres = {
        "protection_centre": organisations[demo_accounts.PROTECTION_CENTRE].pk,
        "quick_rights_centre": organisations[demo_accounts.QUICK_RIGHTS_CENTRE].pk,
    }
    for batch in demo_network.filing_batches(
        section_rng(seed, "filings"), index, centres=centres, batch_size=batch_size
    ):
        writer.save(Filing, batch)
    for batch in demo_network.designation_batches(
        section_rng(seed, "designations"), index, batch_size=batch_size
    ):
        writer.save(TradeSecretDesignation, batch)
    pools = index.pools()
    district_ids = dict(District.objects.values_list("code", "pk"))
    writer.save(
        ServiceStation,
        demo_network.stations(
            section_rng(seed, "stations"),
            index,
            pools,
            scale=scale,
            district_ids=district_ids,
            host_names=_names_of,
        ),
    )
    employer_ids = {
        index.ids[pos] for key in ("university", "research_institute") for pos in pools.get(key, ())[:200]
    }
    employers = sorted(_names_of(employer_ids).values())
    for batch in demo_network.expert_batches(
        section_rng(seed, "experts"), count=plan.experts, employers=employers, batch_size=batch_size
    ):
        writer.save(Expert, batch)
