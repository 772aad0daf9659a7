"""System checks: the case settings must be valid before the server starts (``huhang check``)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def case_settings(app_configs=None, **kwargs):
    from huhang.procedures import ProcedureError
    from huhang.procedures.service import ServiceRules
    from huhang.procedures.triage import TriageRules

    problems = []
    for name, build in (
        ("HUHANG_TRIAGE_RULES", TriageRules.from_mapping),
        ("HUHANG_SERVICE_RULES", ServiceRules.from_mapping),
    ):
        try:
            build(getattr(settings, name, {}) or {})
        except ProcedureError as exc:
            problems.append(Error(f"{name}: {exc.message}", id="huhang.cases.E001"))
    prefixes = getattr(settings, "HUHANG_CASE_NUMBER_PREFIXES", {}) or {}
    for key, value in prefixes.items():
        if not isinstance(value, str) or not value.strip() or len(value) > 24:
            problems.append(
                Error(f"HUHANG_CASE_NUMBER_PREFIXES[{key!r}] must be a text of 1–24 characters", id="huhang.cases.E002")
            )
    return problems
