"""The adoption page's pieces: the scorecard as the board report lays it out, the rolling
3-year A1/A10 against the threshold, one dot per adopted child, and children still waiting.

Pure builders: frames and dicts (from `pipelines.measures.adoption` and `Warehouse.series`) in, plotly
figures and sentences out (no Dash: the page's tables are in
`components.adoption_tables`). Nothing identifying is ever shown: no child id (not
even the pseudonymous one), no dates of birth, age on entering care in bands only, adoption by
month. Missing stays missing: a window with no children reads "no figure", never 0.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components import theme
from components.formatting import is_missing, month_label, to_date

SMALL_NUMBERS = 20
SMALL_NUMBERS_TEXT = "small numbers: volatile"
NO_FIGURE = "no figure (no children adopted in the period)"

MEASURES = {
    "A1": "A1: days from entering care to moving in with the adoptive family",
    "A2": "A2: days from the court's authority to place to the match with adopters",
    "A10": "A10: as A1, but the clock stops when a child adopted by their foster carers moved in "
           "with them",
}
SHORT = {"A1": "A1", "A2": "A2", "A10": "A10"}
# The scorecard's windows, as a choice of which children to show one by one.
WINDOWS = {
    "three_year": "The 3 years",
    "single_year": "Last completed year",
    "year_to_date": "This year to date",
    "previous_three_year": "The 3 years before",
}

# Within / over the threshold differ by colour AND shape; foster-carer adoptions use the open
# version of the same shape, so each of the four kinds reads without colour.
DOT_STYLES = {
    (True, False): ("Within threshold", "#12436D", "circle"),
    (False, False): ("Over threshold", "#d4351c", "triangle-up"),
    (True, True): ("Within threshold, adopted by foster carers", "#12436D", "circle-open"),
    (False, True): ("Over threshold, adopted by foster carers", "#d4351c", "triangle-up-open"),
}

AGE_BANDS = [(0, 1, "under 1"), (1, 5, "1 to 4"), (5, 10, "5 to 9"), (10, 200, "10 or over")]
STAGES = ["in care", "placement order", "matched", "placed for adoption"]
STAGE_LABELS = {"in care": "In care, no placement order yet", "placement order": "Placement order",
                "matched": "Matched with adopters", "placed for adoption": "Placed for adoption"}


def _days(n) -> str:
    return "no figure" if is_missing(n) else f"{int(n):,} days"


def _children(n: int) -> str:
    return f"{n} child" if n == 1 else f"{n} children"


def _long_date(d) -> str:
    d = to_date(d)
    return d.strftime("%-d %B %Y") if d else ""


def is_small(n) -> bool:
    return not is_missing(n) and 0 < int(n) < SMALL_NUMBERS


# --- the scorecard ----------------------------------------------------------------------------

def scorecard_summary(card: dict) -> str:
    a1 = card["A1"]["three_year"]
    t = card["A1"]["threshold"]
    if not a1["n"]:
        return (f"No children were adopted from {a1['label']} up to {_long_date(card['as_at'])}, "
                "so there is no A1 figure.")
    rel = "above" if a1["days"] > t else "within"
    text = (f"Over {a1['label']}, children waited {_days(a1['days'])} on average from entering "
            f"care to moving in with their adoptive family ({rel} the {t}-day threshold); "
            f"{a1['pct_within']:.0f}% of the {_children(a1['n'])} were within it.")
    return text


# --- rolling 3-year A1 and A10 ------------------------------------------------------------------

def rolling_frame(a1: pd.DataFrame, a10: pd.DataFrame, threshold_for) -> pd.DataFrame:
    """One row per month: period_end, period_label, a1, a10, threshold, children (behind A1).

    `a1`, `a10`: `Warehouse.series` frames; `threshold_for(date) -> days`.
    """
    def part(df, name):
        if df is None or df.empty:
            return pd.DataFrame(columns=["period_end", "period_label", name, f"{name}_n"])
        d = df[df["period_type"] == "month"] if "period_type" in df else df
        return pd.DataFrame({"period_end": pd.to_datetime(d["period_end"]).astype("datetime64[us]"),
                             "period_label": d["period_label"].astype("str"),
                             name: d["value"].astype("float64"),
                             f"{name}_n": d["denominator"].astype("float64")})
    out = part(a1, "a1").merge(part(a10, "a10").drop(columns="period_label"), on="period_end",
                               how="outer").sort_values("period_end", ignore_index=True)
    if out.empty:
        return pd.DataFrame(columns=["period_end", "period_label", "a1", "a10", "threshold",
                                     "children"])
    out["period_label"] = out["period_label"].fillna(out["period_end"].map(month_label))
    out["threshold"] = [float(threshold_for(to_date(d))) for d in out["period_end"]]
    out["children"] = out["a1_n"]
    return out[["period_end", "period_label", "a1", "a10", "threshold", "children"]]


def rolling_figure(frame: pd.DataFrame) -> go.Figure:
    """A1 and A10 3-year averages by month, with the threshold as a dashed step line. Months
    without a figure stay gaps."""
    fig = go.Figure()
    x = frame["period_end"]
    styles = [("a1", "A1 (3-year average)", "#12436D", "circle", "solid"),
              ("a10", "A10 (3-year average)", "#28A197", "square", "dot")]
    for col, name, colour, symbol, dash in styles:
        fig.add_trace(go.Scatter(
            x=x, y=[None if is_missing(v) else v for v in frame[col]], name=name,
            mode="lines+markers", line=dict(color=colour, dash=dash), connectgaps=False,
            marker=dict(symbol=symbol, size=6, color=colour),
            hovertemplate=f"{name}<br>%{{x|%b %Y}}: %{{y:,.0f}} days<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=x, y=frame["threshold"], name="Threshold", mode="lines", line_shape="hv",
        line=dict(color=theme.SERIES_COLOURS["target"], dash="dash", width=2),
        hovertemplate="Threshold: %{y:,.0f} days<extra></extra>"))
    fig.update_layout(template=theme.TEMPLATE_NAME, showlegend=True, height=380,
                      yaxis=dict(title="Days", rangemode="tozero"), xaxis=dict(title=None))
    return fig


def rolling_summary(frame: pd.DataFrame) -> str:
    known = frame.dropna(subset=["a1"])
    if known.empty:
        return "There are no A1 or A10 figures up to this month."
    last = known.iloc[-1]
    t = int(last.threshold)
    diff = int(last.a1) - t
    where = f"{diff:,} days over" if diff > 0 else f"{-diff:,} days within"
    text = f"In {month_label(last.period_end, long=True)} the 3-year A1 average was " \
           f"{_days(last.a1)}, {where} the {t}-day threshold"
    if not is_missing(last.a10):
        text += f", and A10 was {_days(last.a10)}"
    return text + "."


# --- one dot per child ----------------------------------------------------------------------------

def age_band(dob, entered) -> str:
    """Age on entering care, banded (never the date of birth)."""
    if is_missing(dob) or is_missing(entered):
        return "not recorded"
    dob, entered = pd.Timestamp(dob), pd.Timestamp(entered)
    years = entered.year - dob.year - ((entered.month, entered.day) < (dob.month, dob.day))
    for lo, hi, label in AGE_BANDS:
        if lo <= years < hi:
            return label
    return "not recorded"


def child_dots(days: pd.DataFrame, first, last, threshold: int) -> pd.DataFrame:
    """Children adopted between `first` and `last` (by adoption order), longest A1 wait first,
    with nothing identifying: `child` (1..n in this order), adoption month, age band on entering
    care, a1_days, a10_days, a2_days, within, foster_carers.

    `days`: `pipelines.measures.adoption.child_days` output.
    """
    order = days["date_adoption_order"]
    d = days[(order >= pd.Timestamp(first)) & (order <= pd.Timestamp(last))
             & days["a1_days"].notna()]
    d = d.sort_values(["a1_days", "date_adoption_order"], ascending=[False, True])
    out = pd.DataFrame({
        "adopted_month": d["date_adoption_order"].dt.to_period("M").dt.to_timestamp()
        .astype("datetime64[us]"),
        "age_band": [age_band(b, e) for b, e in zip(d.get("date_of_birth", pd.Series(pd.NaT, index=d.index)),
                                                     d["date_entered_care"])],
        "a1_days": d["a1_days"].astype("float64"),
        "a10_days": d["a10_days"].astype("float64"),
        "a2_days": d["a2_days"].astype("float64"),
        "within": (d["a1_days"] <= threshold).astype("bool"),
        "foster_carers": d["adopted_by_foster_carers"].astype("bool"),
    }).reset_index(drop=True)
    out.insert(0, "child", range(1, len(out) + 1))
    return out


def child_dots_figure(dots: pd.DataFrame, threshold: int) -> go.Figure:
    fig = go.Figure()
    for (within, fc), (name, colour, symbol) in DOT_STYLES.items():
        d = dots[(dots["within"] == within) & (dots["foster_carers"] == fc)]
        if d.empty:
            continue
        hover = [f"Adopted {month_label(m)}<br>{int(a):,} days to adoptive family (A1)"
                 + (f"<br>Adopted by foster carers: A10 {int(t):,} days" if fc else "")
                 for m, a, t in zip(d["adopted_month"], d["a1_days"], d["a10_days"])]
        fig.add_trace(go.Scatter(
            x=d["adopted_month"], y=d["a1_days"], mode="markers", name=name, text=hover,
            marker=dict(symbol=symbol, color=colour, size=10, line=dict(width=2, color=colour)),
            hovertemplate="%{text}<extra></extra>"))
    fig.add_hline(y=threshold, line=dict(color=theme.SERIES_COLOURS["target"], dash="dash", width=2),
                  annotation_text=f"Threshold {threshold} days", annotation_position="top left")
    fig.update_layout(template=theme.TEMPLATE_NAME, showlegend=True, height=400,
                      yaxis=dict(title="Days from entering care to adoptive family", rangemode="tozero"),
                      xaxis=dict(title="Month of adoption order"))
    if dots.empty:
        fig.add_annotation(xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False,
                           text="No children adopted in these years")
    return fig


def child_dots_summary(dots: pd.DataFrame, threshold: int, label: str) -> str:
    n = len(dots)
    if n == 0:
        return f"No children were adopted in {label}."
    over = int((~dots["within"]).sum())
    mean = dots["a1_days"].mean()
    median = dots["a1_days"].median()
    text = (f"Of the {_children(n)} adopted in {label}, {over} waited longer than {threshold} days; "
            f"the median wait was {median:,.0f} days against an average of {mean:,.0f}")
    if mean > median * 1.15:
        text += ", so a few long waits raise the average"
    text += "."
    if n < SMALL_NUMBERS:
        text += f" Small numbers: volatile ({_children(n)})."
    return text


# --- children waiting -----------------------------------------------------------------------------

def wait_bands(threshold: int) -> list[tuple[float, float, str]]:
    """Days since entering care -> band; the threshold is one of the edges."""
    return [(0, 183, "under 6 months"), (183, threshold + 1, f"6 months to {threshold} days"),
            (threshold + 1, 731, f"over {threshold} days, under 2 years"),
            (731, float("inf"), "2 years or more")]


def waiting_counts(waiting: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Counts of children waiting by band (rows, in order) and stage (columns STAGES), with a
    `total` column. `waiting`: `pipelines.measures.adoption.children_waiting` output."""
    bands = wait_bands(threshold)
    labels = [b[2] for b in bands]
    band = pd.Series(pd.NA, index=waiting.index, dtype="str")
    for lo, hi, label in bands:
        band = band.mask((waiting["days_waiting"] >= lo) & (waiting["days_waiting"] < hi), label)
    d = pd.DataFrame({"band": band, "stage": waiting["stage"].astype("str")})
    table = pd.crosstab(d["band"], d["stage"]).reindex(index=labels, columns=STAGES, fill_value=0)
    table = table.fillna(0).astype("int64")
    table["total"] = table[STAGES].sum(axis=1)
    table.index.name = "band"
    return table


def waiting_figure(counts: pd.DataFrame) -> go.Figure:
    fig = go.Figure()
    for i, stage in enumerate(STAGES):
        fig.add_trace(go.Bar(
            x=list(counts.index), y=counts[stage], name=STAGE_LABELS[stage],
            marker=dict(color=theme.CATEGORY_COLOURS[i],
                        pattern=dict(shape=theme.CATEGORY_PATTERNS[i], fgcolor="#ffffff",
                                     fgopacity=0.7, size=7, solidity=0.3, fillmode="overlay")),
            hovertemplate=f"{STAGE_LABELS[stage]}: %{{y}}<extra>%{{x}}</extra>"))
    fig.update_layout(template=theme.TEMPLATE_NAME, barmode="stack", showlegend=True, height=360,
                      yaxis=dict(title="Children", rangemode="tozero", dtick=1 if counts["total"].max() <= 10 else None),
                      xaxis=dict(title="Time since entering care"))
    return fig


def waiting_summary(counts: pd.DataFrame, threshold: int, as_at) -> str:
    total = int(counts["total"].sum())
    when = _long_date(as_at)
    if total == 0:
        return f"No children in these records were waiting to be adopted on {when}."
    over = int(counts["total"].iloc[2:].sum())
    verb = "was" if total == 1 else "were"
    return (f"On {when}, {_children(total)} in these records {verb} waiting to be adopted; "
            f"{over} of them had been in care for more than {threshold} days.")


# --- downloads ------------------------------------------------------------------------------------
