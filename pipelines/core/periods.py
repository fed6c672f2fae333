"""Periods as people write them -> a Period with first day, last day and a label.

Monthly forms give the calendar month (``Jan 2018``). Two-year forms (``2017-18``,
``2017/18``, ``201718``, ``FY 2017-18``, ``2016/17 out-turn``) give the financial year April to
March (label ``2017-18``) or, for academic indicators, September to August (label ``2017/18``).
A bare year depends on the indicator's year type:

- financial ``2016``: the year ending 31 March 2016, labelled ``2015-16`` (DfE "reporting year");
- academic ``2016``: the 2015/16 school year, labelled ``2016`` as DfE and the board report
  label KS2 results ("KS2 2016");
- calendar ``2016``: January to December 2016, labelled ``2016``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

YEAR_TYPES = ("financial", "academic", "calendar")

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_name) if name})
MONTHS["sept"] = 9

EXPECTED = (
    "a month such as Jan 2018, Jan-18, 2018-01, 01/2018 or 31/01/2018, "
    "or a year such as 2017-18, 2017/18, 201718 or 2016"
)


class PeriodError(ValueError):
    """A period we cannot read; the message says what was found and what is expected."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    type: str  # "month" or "year"


# ---------------------------------------------------------------------- date rules
# Every rule about months and years is here once; the rest of the code (pipelines,
# components, webapp, exports, tools) calls these.

def _as_date(d) -> date:
    """A date from a date, a datetime (or pandas Timestamp), a datetime64 or text starting
    'YYYY-MM'."""
    if isinstance(d, str):
        y, m = d.strip()[:7].split("-")
        return date(int(y), int(m), 1)
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    return pd.Timestamp(d).date()  # numpy datetime64 and the like


def month_end(d) -> date:
    """Last day of the month containing ``d`` (a date, datetime, Timestamp or 'YYYY-MM')."""
    d = _as_date(d)
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def month_ends(values):
    """``month_end`` for a pandas Series of dates, vectorised (pandas Timestamps at midnight)."""
    return pd.to_datetime(values).dt.normalize() + pd.offsets.MonthEnd(0)


def month_label(d, long: bool = False) -> str:
    """'Jan 2018' (or 'January 2018') for any day of the month."""
    d = _as_date(d)
    return f"{(calendar.month_name if long else calendar.month_abbr)[d.month]} {d.year}"


def financial_year_start(d) -> date:
    """1 April of the financial year (April to March) containing ``d``."""
    d = _as_date(d)
    return date(d.year if d.month >= 4 else d.year - 1, 4, 1)


def financial_year_end(d) -> date:
    """31 March ending the financial year containing ``d``."""
    return date(financial_year_start(d).year + 1, 3, 31)


def financial_year_starts(values) -> pd.Series:
    """``financial_year_start`` for a pandas Series of dates, vectorised (Timestamps)."""
    return pd.to_datetime(values).dt.to_period("Y-MAR").dt.start_time.astype("datetime64[us]")


def financial_year_ends(values) -> pd.Series:
    """``financial_year_end`` for a pandas Series of dates, vectorised (Timestamps)."""
    return (pd.to_datetime(values).dt.to_period("Y-MAR").dt.end_time.dt.normalize()
            .astype("datetime64[us]"))


def year_label(first: int, year_type: str = "financial") -> str:
    """The label of the year starting in calendar year ``first``: '2017-18' (financial),
    '2017/18' (academic) or '2017' (calendar)."""
    if year_type == "financial":
        return f"{first}-{(first + 1) % 100:02d}"
    if year_type == "academic":
        return f"{first}/{(first + 1) % 100:02d}"
    return str(first)


def financial_year_label(d) -> str:
    """'2017-18' for any day from 1 April 2017 to 31 March 2018."""
    return year_label(financial_year_start(d).year)


def financial_year_code(first: int) -> str:
    """DfE open data's ``time_period`` for the financial year starting in ``first``: '201718'."""
    return f"{first}{(first + 1) % 100:02d}"


_FY_RE = re.compile(r"^\s*(\d{4})\s*[-/]?\s*(\d{2}|\d{4})\s*$")


def normalise_fy_label(label: str) -> str:
    """'2017/18', '201718', '2017-2018' -> '2017-18'; anything else is returned stripped."""
    m = _FY_RE.match(str(label))
    if not m:
        return str(label).strip()
    return f"{m.group(1)}-{m.group(2)[-2:]}"


def financial_year_march(label: str) -> str | None:
    """'Mar 2018' for the financial year '2017-18' (its last month), else None."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", str(label).strip())
    return f"Mar {int(m[1]) + 1}" if m else None


def parse_as_at(text: str | None) -> date | None:
    """"YYYY-MM" (URLs, the command line) -> month end; raises ValueError with a plain message."""
    if text is None or str(text).strip() == "":
        return None
    t = str(text).strip()
    try:
        y, m = t.split("-")
        if len(y) != 4 or not (1 <= int(m) <= 12):
            raise ValueError
        return month_end(date(int(y), int(m), 1))
    except ValueError:
        raise ValueError(f"'{text}' is not a month: write it as YYYY-MM, e.g. 2018-01") from None


def month(year: int, month_no: int) -> Period:
    if not 1 <= month_no <= 12:
        raise PeriodError(f"month {month_no} is not between 1 and 12")
    start = date(year, month_no, 1)
    return Period(start, month_end(start), month_label(start), "month")


def year_from(first: int, year_type: str) -> Period:
    """The year that starts in calendar year ``first`` (financial/academic) or is ``first``."""
    label = year_label(first, year_type)
    if year_type == "financial":
        return Period(date(first, 4, 1), date(first + 1, 3, 31), label, "year")
    if year_type == "academic":
        return Period(date(first, 9, 1), date(first + 1, 8, 31), label, "year")
    return Period(date(first, 1, 1), date(first, 12, 31), label, "year")


def _bare_year(year: int, year_type: str) -> Period:
    if year_type == "financial":
        return year_from(year - 1, "financial")
    if year_type == "academic":
        p = year_from(year - 1, "academic")
        return Period(p.start, p.end, str(year), "year")
    return year_from(year, "calendar")


def _two_digit_year(yy: int) -> int:
    return 2000 + yy if yy < 70 else 1900 + yy


_NOISE = re.compile(r"^fy(?=\d)|\b(fy|financial year|out-?turn|outturn|provisional|final|ytd)\b", re.I)
_TWO_YEARS = re.compile(r"^(\d{4})\s*[-/_ ]?\s*(\d{2}|\d{4})$")
_MONTH_NAME = re.compile(r"^([a-z]+)\.?[\s\-/']*(\d{2}|\d{4})$", re.I)
_ISO_MONTH = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def parse_period(text, year_type: str = "financial") -> Period:
    """Read a month or a year; raise PeriodError with what was found and what is expected."""
    if year_type not in YEAR_TYPES:
        raise ValueError(f"year_type must be one of {YEAR_TYPES}, not {year_type!r}")
    if isinstance(text, datetime):
        return month(text.year, text.month)
    if isinstance(text, date):
        return month(text.year, text.month)
    if text is None or (isinstance(text, float) and text != text):
        raise PeriodError(f"no period given; expected {EXPECTED}")
    if isinstance(text, (int, float)) and float(text).is_integer():
        text = str(int(text))
    raw = str(text)
    s = " ".join(raw.replace("\u00a0", " ").split())
    s = _NOISE.sub(" ", s).strip(" :-")
    s = " ".join(s.split())
    if not s:
        raise PeriodError(f"no period given; expected {EXPECTED}")

    try:
        if m := _ISO_DATE.match(s):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
            date(y, mo, d)  # reject 2018-02-30
            return month(y, mo)
        if m := _DMY.match(s):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
            if len(m[3]) == 2:
                y = _two_digit_year(y)
            date(y, mo, d)  # UK day-first; rejects 01/31/2018
            return month(y, mo)
        if m := _MONTH_YEAR.match(s):
            return month(int(m[2]), int(m[1]))
        if m := _MONTH_NAME.match(s):
            name = m[1].lower()
            if name in MONTHS:
                y = int(m[2])
                return month(_two_digit_year(y) if len(m[2]) == 2 else y, MONTHS[name])
        if re.fullmatch(r"\d{4}", s):
            return _bare_year(int(s), year_type)
        if m := _TWO_YEARS.match(s):
            first, second = int(m[1]), m[2]
            nxt = first + 1
            if int(second) == (nxt if len(second) == 4 else nxt % 100):
                # "2011-12" reads as the financial year, not December 2011: UK statistics
                # write years this way and ISO months are rarely written for 2000-2011.
                return year_from(first, "academic" if year_type == "academic" else "financial")
        if (m := _ISO_MONTH.match(s)) and 1 <= int(m[2]) <= 12:
            return month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})(\d{2})", s):  # 201801 = Jan 2018
            if 1 <= int(m[2]) <= 12:
                return month(int(m[1]), int(m[2]))
        if m := _TWO_YEARS.match(s):
            raise PeriodError(
                f"'{raw}' is not two consecutive years; expected for example "
                f"{m[1]}-{str(int(m[1]) + 1)[2:]}"
            )
    except ValueError as exc:
        if isinstance(exc, PeriodError) and str(exc).startswith("'"):
            raise
        raise PeriodError(f"'{raw}' is not a real month or date ({exc}); expected {EXPECTED}") from None
    raise PeriodError(f"cannot read '{raw}' as a period; expected {EXPECTED}")
