"""How the authority compares, in words and a table: rank and quartile, the statistical
neighbours (names, closeness, how many had a figure), like-for-like notes, and the view model of
the benchmarking page (every authority of the region and every neighbour, for one year)."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipelines.store import benchmark as bm


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_sentence(rank: dict | None) -> str | None:
    """'2024-25: 52nd of 152 English authorities (2nd quartile; 1 = highest (best)), 2nd of 14
    in the West Midlands; up 11 places since 2023-24.' None without a ranked figure."""
    if not rank or not rank.get("england"):
        return None
    e, r = rank["england"], rank.get("region")
    text = (f"{rank['year']}: {ordinal(e['rank'])} of {e['of']} English authorities "
            f"(quartile {e['quartile']} of 4, where 1 is the best quarter)")
    if r:
        text += f", {ordinal(r['rank'])} of {r['of']} in the {rank['region_name']}"
    change, prev = rank.get("change_england"), rank.get("previous")
    if change is not None and prev:
        moved = ("the same place as" if change == 0 else
                 f"up {change} place{'s' if change != 1 else ''} since" if change > 0 else
                 f"down {-change} place{'s' if change != -1 else ''} since")
        text += f"; {moved} {prev['year']} ({ordinal(prev['england']['rank'])})"
    order = rank.get("order", "")
    return text + f". Ranked {order}; equal figures share a rank, as DfE ranks them."


def neighbours_sentence(config) -> str:
    nbs = bm.neighbour_list(config)
    if not nbs:
        return "No statistical neighbours are set for this authority."
    names = ", ".join(f"{n.name} ({n.closeness.lower()})" for n in nbs)
    return f"Statistical neighbours, nearest first, from {bm.neighbour_source(config)}: {names}."


def sn_average_sentence(entry: dict | None, total: int) -> str | None:
    """'Average of 9 of 10 neighbours: 1 had no published figure (suppressed or not loaded).'"""
    if not entry or entry.get("n_neighbours") is None:
        return None
    n, missing = int(entry["n_neighbours"]), int(entry.get("n_without_figure") or 0)
    text = f"The statistical-neighbour figure is the simple average of {n} of {total} neighbours' published figures"
    if missing:
        text += f"; {missing} had no published figure (suppressed or not loaded) and {'is' if missing == 1 else 'are'} left out"
    return text + "."


def cohort_notes(ind) -> list[str]:
    """Where the published cohort differs from the local figure, in plain English."""
    return list(dict.fromkeys(m.cohort for m in ind.published if m.cohort))


@dataclass
class BenchmarkView:
    code: str
    title: str
    year: str | None
    years: list[str]
    rows: pd.DataFrame  # area_code, name, group, closeness, value, missing_reason, rank_england, is_authority
    summary: str
    region_value: float | None = None
    england_value: float | None = None
    sn: dict | None = None
    region_name: str = ""
    notes: list[str] = field(default_factory=list)


def benchmark_view(wh, ind, as_at, year: str | None = None) -> BenchmarkView:
    d = bm.benchmark(wh, ind.code, as_at, year)
    rows = d["rows"]
    if len(rows):
        rows = rows.assign(group=[
            "This authority" if a else
            ("Region and statistical neighbour" if r and n is not None and n == n else
             "Statistical neighbour" if n is not None and n == n else "Region")
            for a, r, n in zip(rows.is_authority, rows.in_region, rows.neighbour_rank)])
        rows = rows.sort_values(["value", "name"], ascending=[ind.polarity == "down", True],
                                na_position="last", ignore_index=True)
    notes = cohort_notes(ind)
    notes.append(neighbours_sentence(wh.config))
    sn = d.get("statistical_neighbours")
    if sn:
        s = sn_average_sentence({"n_neighbours": sn["n_neighbours"],
                                 "n_without_figure": sn["n_without_figure"]},
                                len(wh.config.statistical_neighbours))
        if s:
            notes.append(s)
    return BenchmarkView(ind.code, ind.title, d["year"], d["years"], rows,
                         _summary(ind, d, rows, wh.config), d.get("region"), d.get("england"),
                         sn, d["region_name"], notes)


def _summary(ind, d, rows, config) -> str:
    if not d["year"]:
        return f"No published figures for {ind.title.lower()} are loaded."
    known = rows[rows.value.notna()] if len(rows) else rows
    me = rows[rows.is_authority] if len(rows) else rows
    parts = [f"{ind.title}, {d['year']}:"]
    if len(me) and me.value.notna().any():
        v = float(me.value.iloc[0])
        parts.append(f"{config.name} {ind.format_value(v)}")
    else:
        parts.append(f"{config.name} has no published figure")
    for label, v in ((d["region_name"], d.get("region")), ("England", d.get("england"))):
        if v is not None:
            parts.append(f"{label} {ind.format_value(v)}")
    sn = d.get("statistical_neighbours") or {}
    if sn.get("value") is not None:
        parts.append(f"statistical neighbours' average {ind.format_value(sn['value'])}")
    text = parts[0] + " " + ", ".join(parts[1:]) + "."
    if len(known) > 1 and ind.polarity in ("up", "down"):
        best = known.iloc[0]
        text += f" Best of those shown: {best['name']} ({ind.format_value(best.value)})."
    return text
