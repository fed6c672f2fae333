"""Canonical long frame -> every problem in it, at once, sorted by row.

The frame's shape and ranges (types, percentages 0 to 100, counts not negative, numerator and
denominator not negative and numerator no larger than denominator) are checked by a pandera
schema with lazy validation, so every failing row and column is reported in one pass; its
failure cases are mapped back to the row and column of the original file. Rules that need the
catalogue or other rows (unknown codes, unreadable or future periods, unknown breakdown values,
text where a number belongs, conflicting duplicates, big month-on-month changes) follow.

Errors stop a commit; warnings are shown and do not.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pandera.pandas as pa

from pipelines.core.canonical import KEY
from pipelines.core.periods import EXPECTED as PERIOD_EXPECTED, PeriodError, parse_period
from pipelines.core.problems import Problem, sort_problems  # noqa: F401 - read from here too

TEXT_REASON = "not a number: "  # missing_reason prefix normalise uses for text in a number cell
BIG_CHANGE_POINTS = 10.0


def _source_columns(frame: pd.DataFrame) -> dict:
    return dict(frame.attrs.get("source_columns", {}))


def _num(s: pd.Series) -> pd.Series:
    """Numbers for range checks even when a column failed coercion (reported separately)."""
    return pd.to_numeric(s, errors="coerce")


def _schema() -> pa.DataFrameSchema:
    num = dict(nullable=True, coerce=True)
    return pa.DataFrameSchema(
        {
            "indicator_code": pa.Column(str, nullable=False),
            "area_code": pa.Column(str, nullable=False),
            "value": pa.Column(float, **num),
            "numerator": pa.Column(float, pa.Check.ge(0), **num),
            "denominator": pa.Column(float, pa.Check.ge(0), **num),
            "source_row": pa.Column(int, nullable=True, coerce=True),
        },
        checks=[
            pa.Check(
                lambda d: (d["__unit__"] != "percent") | _num(d["value"]).isna() | _num(d["value"]).between(0, 100),
                name="percent_range",
            ),
            pa.Check(
                lambda d: ~d["__unit__"].isin(["count", "rate", "days"]) | _num(d["value"]).isna() | (_num(d["value"]) >= 0),
                name="not_negative",
            ),
            pa.Check(
                lambda d: _num(d["numerator"]).isna() | _num(d["denominator"]).isna() | (_num(d["denominator"]) < 0)
                | (_num(d["numerator"]) <= _num(d["denominator"])),  # a negative denominator is its own error
                name="numerator_le_denominator",
            ),
        ],
        strict=False,
    )


_CHECK_TEXT = {
    "percent_range": ("value", "percentage outside 0 to 100", "a percentage between 0 and 100"),
    "not_negative": ("value", "negative figure", "a count, rate or number of days of 0 or more"),
    "numerator_not_negative": ("numerator", "negative numerator", "a numerator of 0 or more"),
    "denominator_not_negative": ("denominator", "negative denominator", "a denominator of 0 or more"),
    "numerator_le_denominator": (
        "numerator",
        "numerator larger than denominator",
        "a numerator no larger than the denominator",
    ),
}


def _schema_problems(frame: pd.DataFrame, file_name: str, catalogue) -> list[Problem]:
    cols = _source_columns(frame)
    work = frame.copy()
    # Looked up once per code and breakdown dimension (national files repeat a few codes many
    # times); a breakdown is checked in its own unit (children by Ofsted rating are counts).
    dims = (work["breakdown"].fillna("").astype(str).str.split("=", n=1).str[0].tolist()
            if "breakdown" in work else [""] * len(work))
    keys = list(zip(work["indicator_code"].tolist(), dims))
    units: dict = {}
    for c, dim in set(keys):
        units[(c, dim)] = catalogue.get(c).unit_of(f"{dim}=" if dim else "") if _known(catalogue, c) else None
    work["__unit__"] = [units[k] for k in keys]
    try:
        _schema().validate(work, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    out: list[Problem] = []
    seen = set()
    for case in cases.itertuples(index=False):
        idx = case.index
        check = str(case.check)
        if idx is None or (isinstance(idx, float) and idx != idx):
            col = case.column
            out.append(Problem.make(file_name, None, col, case.failure_case, "the canonical column types",
                                    f"column {col} failed check {check}"))
            continue
        rec = frame.loc[idx]
        name = next((k for k in _CHECK_TEXT if k in check), None)
        if name is None and "greater_than_or_equal_to" in check:  # pandera names built-ins itself
            name = f"{case.column}_not_negative"
        if name is None:  # a type coercion failure: text where a number belongs
            field = str(case.column)
            key = (idx, field)
            if key in seen:
                continue
            seen.add(key)
            col = rec["source_column"] if field == "value" else cols.get(field, field)
            out.append(Problem.make(file_name, _row(rec), col, case.failure_case, "a number",
                                    "text where a number belongs"))
            continue
        key = (idx, name)
        if key in seen:
            continue
        seen.add(key)
        field, what, expected = _CHECK_TEXT[name]
        col = rec["source_column"] if field == "value" else cols.get(field, field)
        if name == "numerator_le_denominator":
            value = f"{_fmt(rec['numerator'])} of {_fmt(rec['denominator'])}"
        else:
            value = _fmt(rec[field])
        out.append(Problem.make(file_name, _row(rec), col, value, expected,
                                f"{what} for {rec['indicator_code']} {rec['period_label']}"))
    return out


def _fmt(v) -> str:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    return str(int(f)) if f.is_integer() else f"{f:g}"


def _row(rec) -> int | None:
    r = rec["source_row"]
    return None if pd.isna(r) else int(r)


def _known(catalogue, code) -> bool:
    try:
        return catalogue.get(code) is not None
    except (KeyError, LookupError):
        return False


def validate(frame: pd.DataFrame, *, file_name: str, catalogue, today: date | None = None,
             previous: pd.DataFrame | None = None) -> list[Problem]:
    """Every problem in a canonical frame, errors and warnings, sorted by row."""
    today = today or date.today()
    if frame.empty:
        return []
    frame = frame.reset_index(drop=True)
    cols = _source_columns(frame)
    problems = _schema_problems(frame, file_name, catalogue)
    ind_col = cols.get("indicator_code", "indicator")
    period_col = cols.get("period")
    this_month = pd.Timestamp(today.year, today.month, 1)

    # Only rows that may break a rule are looked at one by one (national files are large).
    known_codes = {ind.code for ind in catalogue}
    reasons = frame["missing_reason"].astype("str").where(frame["missing_reason"].notna(), "")
    suspect = (
        ~frame["indicator_code"].isin(known_codes)
        | frame["period_start"].isna()
        | ((frame["period_type"] == "month") & (frame["period_start"] > this_month))
        | reasons.str.startswith(TEXT_REASON)
        | (frame["breakdown"].fillna("") != "")
    )
    for rec in frame[suspect].to_dict("records"):
        code, row = rec["indicator_code"], _row(rec)
        known = code in known_codes
        ind = catalogue.get(code) if known else None
        if not known:
            hints = list(catalogue.suggest(code) or [])[:3] if code else []
            hint = f"Did you mean {' or '.join(hints)}?" if hints else ""
            problems.append(Problem.make(file_name, row, ind_col, code, "an indicator code from the catalogue",
                                         "unknown indicator code", hint=hint))
        if pd.isna(rec["period_start"]):
            why = "unreadable period"
            try:
                parse_period(rec["period_label"], getattr(ind, "year_type", "financial"))
            except PeriodError as exc:
                detail = str(exc).split("; expected")[0]
                if not detail.startswith(("cannot read", "no period")):
                    why += f": {detail}"
            problems.append(Problem.make(file_name, row, period_col or rec["source_column"], rec["period_label"],
                                         PERIOD_EXPECTED, why))
        elif rec["period_type"] == "month" and rec["period_start"] > this_month:
            problems.append(Problem.make(
                file_name, row, period_col or rec["source_column"], rec["period_label"],
                f"a month no later than {this_month:%b %Y}", "month in the future"))
        reason = rec["missing_reason"]
        if isinstance(reason, str) and reason.startswith(TEXT_REASON):
            problems.append(Problem.make(file_name, row, rec["source_column"], reason[len(TEXT_REASON):],
                                         "a number, a DfE symbol (c, z, k, x, u, low, ~, :, .) or a blank",
                                         "text where a number belongs"))
        if ind is not None and rec["breakdown"]:
            problems += _breakdown_problems(rec, ind, file_name, cols)

    problems += _conflicts(frame, file_name)
    if previous is not None:
        problems += _big_changes(frame, previous, file_name, catalogue)
    return sort_problems(problems)


def _breakdown_problems(rec, ind, file_name, cols) -> list[Problem]:
    allowed = dict(getattr(ind, "breakdowns", {}) or {})
    out = []
    for part in str(rec["breakdown"]).split(";"):
        dim, _, val = part.partition("=")
        col = cols.get(f"breakdown:{dim}", cols.get("breakdown", dim))
        if dim not in allowed:
            exp = ", ".join(allowed) if allowed else "no breakdown (this indicator has none)"
            out.append(Problem.make(file_name, _row(rec), col, part, exp,
                                    f"unknown breakdown for {rec['indicator_code']}"))
        elif val not in allowed[dim]:
            out.append(Problem.make(file_name, _row(rec), col, val, "one of " + ", ".join(allowed[dim]),
                                    f"unknown {dim} for {rec['indicator_code']}"))
    return out


def _conflicts(frame: pd.DataFrame, file_name: str) -> list[Problem]:
    key = KEY + ["period_label"]
    dup = frame[frame.duplicated(key, keep=False)]
    out = []
    for _, group in dup.groupby(key, dropna=False, sort=False):
        first = group.iloc[0]
        for _, other in group.iloc[1:].iterrows():
            same = all(
                (pd.isna(first[c]) and pd.isna(other[c])) or first[c] == other[c]
                for c in ("value", "numerator", "denominator", "status")
            )
            if same:
                continue
            what = (f"conflicting duplicate: {other['indicator_code']} {other['area_code']} "
                    f"{other['period_label']}{' ' + other['breakdown'] if other['breakdown'] else ''} "
                    f"is also given in row {_row(first)} with value {_fmt(first['value'])}")
            out.append(Problem.make(file_name, _row(other), other["source_column"], _fmt(other["value"]),
                                    "one value per indicator, area, period and breakdown", what))
    return out


def _big_changes(frame, previous, file_name, catalogue) -> list[Problem]:
    """Warn when a percentage moves more than 10 points from the month before."""
    months = frame[frame["period_type"] == "month"]
    if months.empty:
        return []
    prev = previous[previous["period_type"] == "month"] if "period_type" in previous else previous
    prev = prev.assign(breakdown=prev["breakdown"].fillna("") if "breakdown" in prev else "")
    both = pd.concat([prev[KEY + ["value"]], months[KEY + ["value"]]], ignore_index=True)
    both = both.drop_duplicates(KEY, keep="last")  # this file's figures replace the warehouse's
    lookup = {
        (r.indicator_code, r.area_code, pd.Timestamp(r.period_start), r.breakdown): r.value
        for r in both.itertuples(index=False)
    }
    out = []
    percent_codes = {ind.code for ind in catalogue if ind.unit == "percent"}
    months = months[months["indicator_code"].isin(percent_codes) & months["value"].notna()
                    & months["period_start"].notna()]
    in_percent = [catalogue.get(c).unit_of(b) == "percent" for c, b in
                  zip(months["indicator_code"], months["breakdown"].fillna(""))]
    months = months.loc[pd.Series(in_percent, index=months.index, dtype=bool)]
    for rec in months.to_dict("records"):
        before = pd.Timestamp(rec["period_start"]) - pd.DateOffset(months=1)
        old = lookup.get((rec["indicator_code"], rec["area_code"], before, rec["breakdown"]))
        if old is None or pd.isna(old) or abs(rec["value"] - old) <= BIG_CHANGE_POINTS:
            continue
        out.append(Problem.make(
            file_name, _row(rec), rec["source_column"], _fmt(rec["value"]),
            f"a change of at most {BIG_CHANGE_POINTS:g} points (check the figure)",
            f"{rec['indicator_code']} changed by {rec['value'] - old:+.1f} points since {before:%b %Y} "
            f"({_fmt(old)})",
            severity="warning",
        ))
    return out
