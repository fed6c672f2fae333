"""Turning values and periods into the words and numbers shown to people.

Missing is never shown as 0: a missing value reads "no figure" with its reason.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import pandas as pd

from pipelines.core import periods

NO_FIGURE = "no figure"

# Small-number suppression (issue 14), the one wording for the screen, screen readers, CSV
# and every paper (Word, PDF, PowerPoint, Excel): it says what was hidden and why, so it
# never reads as a number of days, a percentage or a count. `exports.suppression` removes
# the figures and sets a hidden figure's reason to SUPPRESSED.
SMALL_NUMBER = 5  # figures of 1 to 4 children, and those worked out from them, are hidden
FEWER_THAN = f"fewer than {SMALL_NUMBER}"  # in words about children: "fewer than 5 children"
SUPPRESSED = f"not shown ({FEWER_THAN} children)"
# secondary suppression: a figure hidden only so that a total cannot give a hidden one back
SUPPRESSED_SECONDARY = "not shown (would reveal a small number)"
SUPPRESSED_NOTE = (f"Figures about 1 to 4 children, and percentages or averages worked out "
                   f"from {FEWER_THAN} children, are not shown so that no child can be "
                   f"identified: they read \"{SUPPRESSED}\".")


def suppressed_of(denominator: Any) -> str:
    """A hidden count out of a shown total, "fewer than 5 of 23 children" (beside the hidden
    figure, which reads SUPPRESSED)."""
    return f"{FEWER_THAN} of {format_count(denominator)} children"


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(math.isnan(value))
    except (TypeError, ValueError):
        return False


def format_value(indicator, value: Any) -> str:
    """The indicator's own formatting, or "no figure" when missing."""
    if is_missing(value):
        return NO_FIGURE
    fmt = getattr(indicator, "format_value", None)
    if fmt is not None:
        return fmt(float(value))
    decimals = getattr(indicator, "decimals", 0) or 0
    text = f"{float(value):,.{decimals}f}"
    return text + "%" if getattr(indicator, "unit", "") == "percent" else text


def format_missing(reason: Any) -> str:
    """"no figure (c: suppressed for confidentiality)" or "no figure"; a figure hidden as a
    small number reads SUPPRESSED (or SUPPRESSED_SECONDARY) on its own."""
    if is_missing(reason) or not str(reason).strip():
        return NO_FIGURE
    if str(reason).strip() in (SUPPRESSED, SUPPRESSED_SECONDARY):
        return str(reason).strip()
    return f"{NO_FIGURE} ({str(reason).strip()})"


def format_value_or_reason(indicator, value: Any, reason: Any = None) -> str:
    return format_missing(reason) if is_missing(value) else format_value(indicator, value)


def format_count(value: Any) -> str:
    """Numerators and denominators: whole numbers with thousands separators."""
    if is_missing(value):
        return "–"
    v = float(value)
    return f"{v:,.0f}" if v == round(v) else f"{v:,.1f}"


def to_date(value: Any) -> date | None:
    """A python date from a date, datetime, Timestamp, numpy datetime64 or 'YYYY-MM[-DD]'."""
    if is_missing(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 7:  # YYYY-MM means the month end
            return periods.month_end(text)
        try:
            return pd.Timestamp(text).date()
        except ValueError:
            return None
    try:
        return pd.Timestamp(value).date()
    except (TypeError, ValueError):
        return None


def month_label(value: Any, long: bool = False) -> str:
    """'Jan 2018' (or 'January 2018'); a year label such as '2016-17' is kept as it is."""
    d = None
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%b %Y", "%B %Y"):
            try:
                d = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                pass
        # 'YYYY-MM' is not read as a month here: '2011-12' is also a financial year label.
        if d is None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            d = to_date(text)
    else:
        d = to_date(value)
    if d is None:
        return "" if is_missing(value) else str(value)
    return periods.month_label(d, long)


def as_at_param(as_at: Any) -> str:
    """'YYYY-MM' for URLs."""
    d = to_date(as_at)
    return d.strftime("%Y-%m") if d else ""


def financial_year_label(year_end: Any) -> str:
    """'2016-17' for a date in the financial year ending March 2017."""
    return periods.financial_year_label(to_date(year_end))
