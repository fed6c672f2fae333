"""The value axis of a line chart: not forced to start at zero when the figures sit in a
narrow band far from it (a fall from 91% to 86% must not look flat), and then the axis
title says where it starts. Near zero anyway, it starts at zero."""
from __future__ import annotations

import math

from components.formatting import format_value


def value_range(values, *, unit: str = "", headroom: float = 0.08) -> tuple[float, float]:
    """(bottom, top) for the figures drawn. The bottom is zero when the figures come within
    a quarter of their height of it, else a round number below the lowest (never below zero
    for figures that are never negative); percentages stop at 100 plus headroom."""
    vals = [float(v) for v in values if v is not None and not math.isnan(float(v))]
    if not vals:
        return (0.0, 100.0 if unit == "percent" else 1.0)
    lo, hi = min(vals), max(vals)
    span = (hi - lo) or abs(hi) or 1.0
    top = hi + headroom * span
    if lo >= 0 and lo - headroom * span <= 0.25 * hi:
        bottom = 0.0
    elif lo >= 0:
        step = 10 ** math.floor(math.log10(span)) / 2
        bottom = max(0.0, math.floor((lo - headroom * span) / step) * step)
    else:
        bottom = lo - headroom * span
    if unit == "percent" and hi <= 100:
        top = min(top, 100 + headroom * span)
    return bottom, top


def axis_title(base: str, bottom: float, indicator) -> str:
    """'Per cent (axis starts at 80%)' when the axis does not start at zero."""
    return base if bottom == 0 else f"{base} (axis starts at {format_value(indicator, bottom)})"
