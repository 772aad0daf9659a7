"""Write paths of patent analytics.

:func:`registry_classify` is the K2 write-back: the registry's patents are loaded into the analytical store
(updating the records of the same numbers), every patent of the store is classified by CNIPA's five
high-value categories, and each registry patent gets its answer, ``Patent.high_value`` (True, False, or None
when the data cannot tell) with ``high_value_reasons``, in batches, in one transaction of the registry's
database, with a history version for each patent that changed and one audit event. The monitoring K2 measure
then counts ``high_value=True`` over the valid invention patents of local owners.

:func:`risk_report_record` records in the audit trail that an infringement-risk report was prepared.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from huhang.analytics import HighValueConfig, PatentStore, assess_many, classify
from huhang.analytics.explain import CATEGORY_NAMES
from huhang.audit.services import audit_record
from huhang.patents.paths import store_path
from huhang.patents.registry import registry_records

Progress = Callable[[str, int, int], None]
"""Called as ``progress(step, done, total)``; steps are ``load``, ``classify`` and ``write``."""

BATCH_SIZE = 1000
SEI_REASONS_KEPT = 3
ANSWER = {"yes": True, "no": False, "unknown": None}
CHANGE_REASON = "high-value classification (CNIPA five categories)"


@dataclass
class RegistryClassification:
    """What a write-back did."""

    patents: int = 0
    loaded: int = 0
    not_loaded: list[str] = field(default_factory=list)  # "number: problem" of registry records the store refused
    answers: dict[str, int] = field(default_factory=lambda: {"yes": 0, "no": 0, "unknown": 0})
    changed: int = 0
    as_of: dt.date | None = None
    pledge_threshold: float | None = None
    seconds: float = 0.0


def high_value_reasons(assessment) -> list[dict[str, Any]]:
    """The reasons stored on a registry patent: what makes it high-value, or what makes it not, or unknown.

    Each reason is ``{"category", "status", "label_zh", "label_en", "reason_zh", "reason_en"}``; ``category``
    is ``eligible`` (a valid invention patent), ``sei``, ``family``, ``maintained``, ``pledge`` or ``award``.

    - high-value: the findings of each category that holds;
    - not high-value: why it is not eligible, or (eligible or unknown, but every category ``no``) why each fails;
    - unknown: what the record lacks, for eligibility and for each category left unknown.
    """
    answer = assessment.high_value
    parts = [assessment.eligible, *assessment.categories.values()]
    if answer == "no" and assessment.eligible.status == "no":
        parts = [assessment.eligible]
    elif answer in ("yes", "no"):
        parts = list(assessment.categories.values())
    reasons = []
    for part in parts:
        findings = [f for f in part.findings if f.status == answer]
        if part.category == "sei":
            findings = findings[:SEI_REASONS_KEPT]
        label_en, label_zh = CATEGORY_NAMES[part.category]
        for finding in findings:
            reasons.append({
                "category": part.category, "status": finding.status, "label_zh": label_zh, "label_en": label_en,
                "reason_zh": finding.text_zh, "reason_en": finding.text_en,
            })  # fmt: skip
    return reasons


def _not_loaded_reason(problem: str) -> list[dict[str, Any]]:
    label_en, label_zh = "record", "登记记录"
    return [{
        "category": "record", "status": "unknown", "label_zh": label_zh, "label_en": label_en,
        "reason_zh": f"登记记录未能载入分析库：{problem}", "reason_en": f"the record could not be loaded: {problem}",
    }]  # fmt: skip


def _require_actor(actor) -> None:
    if actor is None:  # the command line, run by whoever runs the platform
        return
    from huhang.registry import access as registry_access
    from huhang.registry.models import Patent

    if not registry_access.can_edit(actor, Patent):
        raise PermissionDenied(_("Only handlers, approvers and administrators may write the classification back."))


def registry_classify(
    *,
    actor=None,
    config: HighValueConfig | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    write: bool = True,
) -> RegistryClassification:
    """Load the registry's patents into the store, classify, and write each patent's answer back (see module).

    With ``write=False`` nothing is written to the registry (the store is still loaded and classified): the
    result says how many patents would change.
    """
    from huhang.registry.models import Patent

    _require_actor(actor)
    config = config or HighValueConfig()
    started = time.perf_counter()
    result = RegistryClassification(as_of=config.as_of, pledge_threshold=config.pledge_threshold)
    step = (lambda name: lambda done, total: progress(name, done, total)) if progress else (lambda name: None)
    pks = list(Patent.objects.order_by("pk").values_list("pk", flat=True))
    result.patents = len(pks)
    with PatentStore(store_path()) as store:
        numbers: list[str] = []

        def records():
            for record in registry_records():
                numbers.append(record["id"])  # problems name a record by its position
                yield record

        report = store.load_records(
            records(), source="registry", skip_bad=True, progress=step("load"), total=len(pks), batch_size=10_000
        )
        result.loaded = report.loaded
        refused = {}
        for problem in report.problems:
            number = numbers[problem.line - 1] if 0 < problem.line <= len(numbers) else "?"
            refused.setdefault(number, f"{problem.field}: {problem.message}" if problem.field else problem.message)
        result.not_loaded = [f"{number}: {message}" for number, message in refused.items()]
        if progress:
            progress("classify", 0, 1)
        classify(store, config)
        if progress:
            progress("classify", 1, 1)

        with transaction.atomic():
            done, now = 0, timezone.now()
            for start in range(0, len(pks), batch_size):
                chunk = list(Patent.objects.filter(pk__in=pks[start : start + batch_size]).order_by("pk"))
                ids = {patent.pk: patent.publication_number or patent.application_number for patent in chunk}
                assessments = assess_many(store, sorted(set(ids.values()) - set(refused)))
                changed = []
                for patent in chunk:
                    number = ids[patent.pk]
                    assessment = assessments.get(number)
                    if assessment is None:
                        answer = "unknown"
                        reasons = _not_loaded_reason(refused.get(number, "not in the analytical store"))
                    else:
                        answer, reasons = assessment.high_value, high_value_reasons(assessment)
                    result.answers[answer] += 1
                    value = ANSWER[answer]
                    if patent.high_value != value or patent.high_value_reasons != reasons:
                        patent.high_value, patent.high_value_reasons = value, reasons
                        patent.updated_at = now
                        changed.append(patent)
                if changed and write:
                    bulk_update_with_history(
                        changed, Patent, ["high_value", "high_value_reasons", "updated_at"],
                        default_user=actor if actor is not None and actor.is_authenticated else None,
                        default_change_reason=CHANGE_REASON,
                    )  # fmt: skip
                result.changed += len(changed)
                done += len(chunk)
                if progress:
                    progress("write", done, len(pks))
            result.seconds = time.perf_counter() - started
            if not write:
                return result
            audit_record(
                actor=actor,
                action="patents.classify",
                target="registry patents",
                details={
                    "patents": result.patents, "loaded": result.loaded, "not_loaded": len(result.not_loaded),
                    "high_value": result.answers, "changed": result.changed, "as_of": config.as_of.isoformat(),
                    "pledge_threshold": config.pledge_threshold, "data_version": store.data_version,
                },
            )  # fmt: skip
    return result


def risk_report_record(*, actor, company: str, products: int, hits: int, fmt: str) -> None:
    """Record that ``actor`` prepared an infringement-risk report (``fmt``: page or pdf)."""
    audit_record(
        actor=actor,
        action="patents.risk_report",
        target=company or _("(company not named)"),
        details={"products": products, "hits": hits, "format": fmt},
    )
