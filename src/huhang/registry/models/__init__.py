from huhang.registry.models.entities import Entity, EntityKind, EntitySize
from huhang.registry.models.experts import Expert, ExpertKind
from huhang.registry.models.filings import Filing
from huhang.registry.models.jobs import ImportJob, ImportJobStatus
from huhang.registry.models.library import TradeSecretDesignation, TradeSecretDesignationKind
from huhang.registry.models.network import ServiceStation, StationKind, StationLevel
from huhang.registry.models.places import District, DistrictKind, Industry
from huhang.registry.models.rights import (
    Copyright,
    DataIP,
    GeographicalIndication,
    Patent,
    PatentKind,
    RightStatus,
    Trademark,
    TradeSecretAsset,
)

__all__ = [
    "Copyright",
    "DataIP",
    "District",
    "DistrictKind",
    "Entity",
    "EntityKind",
    "EntitySize",
    "Expert",
    "ExpertKind",
    "Filing",
    "GeographicalIndication",
    "ImportJob",
    "ImportJobStatus",
    "Industry",
    "Patent",
    "PatentKind",
    "RightStatus",
    "ServiceStation",
    "StationKind",
    "StationLevel",
    "TradeSecretAsset",
    "TradeSecretDesignation",
    "TradeSecretDesignationKind",
    "Trademark",
]
