"""The canonical long frame every reader and measure produces and the warehouse stores (see
docs/architecture.md, "The canonical long frame"): its columns, once, and its key."""

from __future__ import annotations

COLUMNS = ["indicator_code", "area_code", "period_start", "period_end", "period_label",
           "period_type", "breakdown", "value", "numerator", "denominator", "missing_reason",
           "status", "source_row", "source_column"]

# One figure per indicator, area, period and breakdown.
KEY = ["indicator_code", "area_code", "period_start", "period_end", "breakdown"]
