"""Registry patents as records of the analytics schema, so that they load into the analytical store.

A registry patent's record id is its publication number, else its application number: a registry patent
published as a number already loaded from a file updates that record rather than adding a second one. What
the registry knows and the files do not (legal status, kind, the owners' district) goes into ``extra``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from huhang.registry.models import Patent
from huhang.registry.models.rights import RightStatus


def registry_patent_count() -> int:
    """Return the number of patents in the registry."""
    return Patent.objects.count()


def registry_records() -> Iterator[dict[str, Any]]:
    """Yield every registry patent as a record dict (see :mod:`huhang.analytics.records`)."""
    patents = Patent.objects.prefetch_related("owners", "owners__district").order_by("pk")
    for patent in patents.iterator(chunk_size=2000):
        yield patent_record(patent)


def local_patent_ids() -> list[str]:
    """Record ids of the registry patents that have at least one owner (the city's own rights holders)."""
    rows = (
        Patent.objects.filter(owners__isnull=False).distinct().values_list("publication_number", "application_number")
    )
    return [publication or application for publication, application in rows]


def patent_record(patent: Patent) -> dict[str, Any]:
    """Return one registry patent as a record dict."""
    owners = list(patent.owners.all())
    districts = sorted({owner.district.name_zh for owner in owners if owner.district_id})
    extra: dict[str, Any] = {"registry_id": patent.pk}
    if patent.kind:
        extra["kind"] = patent.kind
    if patent.status and patent.status != RightStatus.UNKNOWN:
        extra["legal_status"] = patent.status
    if patent.grant_date:
        extra["grant_date"] = patent.grant_date.isoformat()
    if patent.application_number:
        extra["application_number"] = patent.application_number
    if districts:
        extra["region"] = "、".join(districts)
    ipc = list(patent.ipc_codes or [])
    if patent.ipc_main and patent.ipc_main not in ipc:
        ipc.insert(0, patent.ipc_main)
    return {
        "id": patent.publication_number or patent.application_number,
        "title": patent.title,
        "abstract": patent.abstract or None,
        "claims": None,
        "ipc": ipc,
        "applicants": list(patent.applicant_names or []) or [owner.name for owner in owners],
        "app_date": patent.application_date.isoformat() if patent.application_date else None,
        "pub_number": patent.publication_number,
        "country": patent.country or None,
        "lang": None,
        "extra": extra,
    }
