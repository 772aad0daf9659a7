"""Read paths of the registry that more than one page or API uses."""

import datetime as dt

from django.db.models import QuerySet

from huhang.registry.models import Entity, Filing, ServiceStation, TradeSecretDesignation


def entities_filed_with(*, centre_kind: str, on: dt.date) -> QuerySet[Entity]:
    """Entities with a filing active on ``on`` at a centre of ``centre_kind`` (K14, K15)."""
    filings = Filing.objects.filter(Filing.active_on_q(on), centre__kind=centre_kind)
    return Entity.objects.filter(pk__in=filings.values("entity_id"))


def stations_open_on(*, kind: str, on: dt.date, levels: list[str] | None = None) -> QuerySet[ServiceStation]:
    """Stations of ``kind`` open on ``on`` (K9–K13), optionally only those recognised at ``levels``."""
    qs = ServiceStation.objects.filter(ServiceStation.active_on_q(on), kind=kind)
    return qs.filter(level__in=levels) if levels else qs


def designations_active_on(*, kind: str, on: dt.date) -> QuerySet[TradeSecretDesignation]:
    """Trade-secret library designations of ``kind`` in force on ``on`` (K16, K17)."""
    return TradeSecretDesignation.objects.filter(TradeSecretDesignation.active_on_q(on), kind=kind)
