"""How an indicator stands against its target: met, on track, at risk, or no data.

- **no data**: nothing to compute from (never shown as zero);
- **met**: the value already meets the target;
- **on track**: a running period that is not there yet but keeps pace: an additive count (K3, K6) projected to the
  period's end at its rate so far meets the target, or a register (stock) has grown from its value at the
  period's start at least in proportion to the time passed;
- **at risk**: anything else, including a finished period that missed its target.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huhang.monitoring.indicators import Indicator
from huhang.monitoring.periods import Period


class Status(models.TextChoices):
    MET = "met", gettext_lazy("met")
    ON_TRACK = "on_track", gettext_lazy("on track")
    AT_RISK = "at_risk", gettext_lazy("at risk")
    NO_DATA = "no_data", gettext_lazy("no data")


def status_of(
    indicator: Indicator,
    value: Decimal | None,
    target: Decimal,
    period: Period,
    today: dt.date,
    start_value: Decimal | None = None,
) -> tuple[Status, str]:
    """Return the status and a sentence saying why."""
    if value is None:
        return Status.NO_DATA, _("No data for the period.")
    if indicator.meets(value, target):
        return Status.MET, _("The value meets the target.")
    if period.ended(today):
        return Status.AT_RISK, _("The period has ended and the target was missed.")
    elapsed = Decimal(str(period.elapsed(today)))
    if indicator.additive and elapsed > 0:
        projected = value / elapsed
        if indicator.meets(projected, target):
            return Status.ON_TRACK, _("At this rate the period ends at %(value)s.") % {"value": f"{projected:,.0f}"}
        return Status.AT_RISK, _("At this rate the period ends at %(value)s only.") % {"value": f"{projected:,.0f}"}
    if indicator.kind == "stock" and start_value is not None:
        expected = start_value + (target - start_value) * elapsed
        if indicator.meets(value, expected) or value == expected:
            return Status.ON_TRACK, _("Keeps pace: %(expected)s were due by now.") % {"expected": f"{expected:,.2f}"}
        return Status.AT_RISK, _("Behind: %(expected)s were due by now.") % {"expected": f"{expected:,.2f}"}
    return Status.AT_RISK, _("The value does not meet the target yet.")
