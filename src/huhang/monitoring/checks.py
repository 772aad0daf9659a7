"""System checks: the monitoring settings must be valid before the server starts (``huhang check``)."""

from django.conf import settings
from django.core.checks import Error, register

BASELINED = ("K5", "K15", "K18")


@register()
def monitoring_settings(app_configs=None, **kwargs):
    from huhang.monitoring.periods import PeriodError, parse_period

    problems = []
    for key, value in (getattr(settings, "HUHANG_KPI_BASELINES", {}) or {}).items():
        if key not in BASELINED:
            problems.append(Error(f"HUHANG_KPI_BASELINES: {key!r} has no baseline (only {', '.join(BASELINED)})",
                                  id="huhang.monitoring.E001"))  # fmt: skip
            continue
        try:
            parse_period(str(value))
        except PeriodError as exc:
            problems.append(Error(f"HUHANG_KPI_BASELINES[{key!r}]: {exc}", id="huhang.monitoring.E002"))
    return problems
