"""The one check of an indicator value, for the pilot's own values and for an
adopting municipality's: the same unit means the same plausible range."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from innoclub.pilots.models import UNIT_RANGES, IndicatorUnit

# The columns hold 14 digits, two of them after the comma.
MAX_INDICATOR_VALUE = Decimal("999999999999.99")


def indicator_value_problem(unit: str, value: Decimal | None) -> str | None:
    """What is wrong with ``value`` in ``unit`` (``UNIT_RANGES``), or None."""
    if value is None or unit not in UNIT_RANGES:
        return None
    if not value.is_finite():
        return _("Please enter a number.")
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        return _("Please enter at most two decimal places.")
    low, high = UNIT_RANGES[unit]
    below, above = value < low, high is not None and value > high
    if unit == IndicatorUnit.PERCENT and (below or above):
        return _("A percentage lies between 0 and 100.")
    if below:
        return _("The value cannot be negative.")
    if above:
        return _("For “%(unit)s” a value lies between %(low)s and %(high)s.") % {
            "unit": IndicatorUnit(unit).label,
            "low": low,
            "high": high,
        }
    if value > MAX_INDICATOR_VALUE:
        return _("This value is too large.")
    return None
