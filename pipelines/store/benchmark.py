"""Benchmarking against published figures, as DfE does it: rank and quartile among English
authorities and within the region, the statistical-neighbour average with how many neighbours
it rests on, and every authority of the region and every neighbour by name.

Rules (decisions for issue 10):
- Only annual headline figures (``period_type = 'year'``, no breakdown) of local authorities
  are ranked; a missing (suppressed) figure is not ranked and not counted in ``n``.
- Rank 1 is the best by the indicator's polarity (highest first for ``up``, lowest first for
  ``down``); a context-only indicator (``none``) is ranked highest first and says so.
- Ties share the lowest rank, as DfE's LAIT ranks them ("min" ranking: 10, 10, 12).
- Quartile 1 is the best quarter: ``ceil(4 * rank / n)``.
- The statistical-neighbour figure is the simple mean of the neighbours' published (rounded)
  values; neighbours with no figure (suppressed or absent) are left out and counted.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from pipelines.core import neighbours as sn_models
from pipelines.core.areas import ENGLAND, all_las, area_name, las_in_region
from pipelines.store.warehouse import PUBLISHED

_COLS = ("area_code, period_end, period_label, value, numerator, denominator, missing_reason")


@dataclass(frozen=True)
class NeighbourInfo:
    code: str
    name: str
    rank: int
    closeness: str  # DfE's words, or "chosen in the configuration"


def neighbour_list(config) -> list[NeighbourInfo]:
    """The configured authority's statistical neighbours, nearest first, with names and closeness."""
    model = {n.code: n for n in sn_models.neighbours_of(config.code, config.neighbour_model)}
    out = []
    for i, code in enumerate(config.statistical_neighbours, start=1):
        n = model.get(code)
        closeness = n.closeness if n is not None and config.neighbours_source == "model" else (
            "chosen in the configuration")
        out.append(NeighbourInfo(code, area_name(code), i, closeness))
    return out


def neighbour_source(config) -> str:
    if config.neighbours_source == "model":
        return f"DfE's statistical-neighbour model ({config.neighbour_model})"
    return "the configuration (typed by hand)"


def annual_figures(wh, code: str, as_at: date | None = None) -> pd.DataFrame:
    """Every area's annual figure for an indicator, up to as_at (all years): the published
    one where the authority also has its own (like for like with the other authorities)."""
    sql = (f"SELECT {_COLS} FROM {wh.figures(PUBLISHED)} o WHERE indicator_code = ? "
           "AND period_type = 'year' AND breakdown = ''")
    params: list = [code]
    if as_at is not None:
        sql += " AND period_end <= ?"
        params.append(as_at)
    d = wh.df(sql + " ORDER BY period_end, area_code", params)
    d["period_end"] = pd.to_datetime(d["period_end"]).dt.date
    return d


def _ranks(values: pd.Series, polarity: str) -> pd.Series:
    return values.rank(method="min", ascending=(polarity == "down"))


def _quartile(rank, n) -> int | None:
    if rank is None or not n:
        return None
    return max(1, math.ceil(4 * rank / n))


# Rank and quartile of the configured authority for every published year of every indicator,
# in one query over all annual headline figures: rank = 1 + how many in the pool are strictly
# better (ties share the lowest rank, as rank() and LAIT give), n = how many have a figure.
# Counting against the authority's own row costs a third of the CPU of rank() OVER (PARTITION
# BY indicator, year) on the national warehouse (20 against 60-76 ms), since no partition is
# sorted. The answer depends only on the warehouse file (and this authority, its region and
# the catalogue's polarities, fixed for a Warehouse): built once per version in
# Warehouse.cached().
_RANKS_SQL = """
WITH a AS MATERIALIZED (
    SELECT o.indicator_code, o.period_end, o.area_code, o.period_label,
           o.value * p.sign AS key,  -- the smaller, the better by polarity
           list_contains(?::VARCHAR[], o.area_code) AS english,
           list_contains(?::VARCHAR[], o.area_code) AS regional
    FROM {figures} o JOIN (SELECT unnest(?) AS indicator_code, unnest(?) AS sign) p
         USING (indicator_code)
    WHERE o.period_type = 'year' AND o.breakdown = '' AND o.value IS NOT NULL
      AND NOT isnan(o.value)
), me AS (SELECT * FROM a WHERE area_code = ?)
SELECT me.indicator_code, me.period_end, me.period_label,
       CASE WHEN me.english THEN 1 + count(*) FILTER (a.english AND a.key < me.key) END,
       count(*) FILTER (a.english),
       CASE WHEN me.regional THEN 1 + count(*) FILTER (a.regional AND a.key < me.key) END,
       count(*) FILTER (a.regional)
FROM me JOIN a USING (indicator_code, period_end)
GROUP BY me.indicator_code, me.period_end, me.period_label, me.key, me.english, me.regional
ORDER BY me.indicator_code, me.period_end
"""


def _position(rank, n) -> dict | None:
    if rank is None:  # no figure in that pool
        return None
    r, n = int(rank), int(n)
    return {"rank": r, "of": n, "quartile": _quartile(r, n)}


def _authority_ranks(wh) -> dict[str, list[tuple]]:
    """indicator code -> (period_end, label, england position, region position) for every
    year the authority has a published figure, oldest first, for each indicator with
    comparators (see _RANKS_SQL)."""
    def run():
        inds = [i for i in wh.catalogue.indicators if i.comparators]  # 28 of 63 are compared
        codes = [i.code for i in inds]
        signs = [1.0 if i.polarity == "down" else -1.0 for i in inds]
        region = las_in_region(wh.config.region) or _region_members(wh.config.region)
        sql = _RANKS_SQL.format(figures=wh.figures(PUBLISHED))
        res = wh.conn.cursor().execute(sql, [all_las(active_only=False), region, codes,
                                             signs, wh.config.code])
        out: dict[str, list[tuple]] = {}
        for code, pe, label, er, en, rr, rn in res.fetchall():
            out.setdefault(code, []).append((pe, label, (er, en), (rr, rn)))
        return out
    return wh.cached("authority_ranks", run)


def ranking(wh, code: str, as_at: date) -> dict | None:
    """The authority's rank and quartile for its latest published year up to as_at, among
    English authorities and within its region, with last year's for the change; None when the
    authority has no published figure or the indicator has no comparators."""
    ind = wh.catalogue.get(code)
    years = [y for y in _authority_ranks(wh).get(code, []) if y[0] <= as_at]
    if not years:
        return None

    def at(year):
        _pe, label, eng, reg = year
        return {"year": label, "england": _position(*eng), "region": _position(*reg)}

    cur = at(years[-1])
    prev = at(years[-2]) if len(years) > 1 else None
    cur["previous"] = prev
    if prev and prev["england"] and cur["england"]:
        # positive = moved up the table (a smaller rank number is better)
        cur["change_england"] = prev["england"]["rank"] - cur["england"]["rank"]
    else:
        cur["change_england"] = None
    cur["order"] = {"up": "1 = highest (best)", "down": "1 = lowest (best)",
                    "none": "1 = highest (context only: neither is better)"}[ind.polarity]
    cur["region_name"] = area_name(wh.config.region)
    return cur


def _region_members(region_code: str) -> list[str]:
    """Inner or Outer London: the boroughs DfE puts in it are not in areas.csv's region column,
    so a configured subregion ranks among London."""
    return las_in_region("E12000007") if region_code in ("E13000001", "E13000002") else []


def sn_average(rows: pd.DataFrame, neighbours: list[str]) -> dict:
    """Simple mean of the neighbours' published values, with how many it rests on."""
    mine = rows[rows.area_code.isin(neighbours)]
    vals = mine.value.dropna()
    return {"value": float(vals.mean()) if len(vals) else None, "n_neighbours": int(len(vals)),
            "n_without_figure": int(len(neighbours) - len(vals))}


def benchmark(wh, code: str, as_at: date, year: str | None = None) -> dict:
    """Every authority of the region and every statistical neighbour with its figure, for one
    published year (the latest up to as_at by default; ``year`` picks another loaded year)."""
    ind = wh.catalogue.get(code)
    d = annual_figures(wh, code, as_at)
    years = list(dict.fromkeys(d.sort_values("period_end").period_label))
    out = {"code": code, "years": years, "year": None, "rows": pd.DataFrame(),
           "region": None, "england": None, "statistical_neighbours": None,
           "region_name": area_name(wh.config.region), "neighbour_source": neighbour_source(wh.config),
           "polarity": ind.polarity}
    if not years:
        return out
    year = year if year in years else years[-1]
    rows = d[d.period_label == year]
    out["year"] = year
    english = all_las(active_only=False)
    eng_rank = _ranks(rows[rows.area_code.isin(english) & rows.value.notna()]
                      .set_index("area_code").value, ind.polarity)
    nbs = neighbour_list(wh.config)
    region = las_in_region(wh.config.region) or _region_members(wh.config.region)
    members: dict[str, dict] = {}
    for c in region:
        members[c] = {"in_region": True, "neighbour_rank": None, "closeness": None}
    for n in nbs:
        members.setdefault(c := n.code, {"in_region": False, "neighbour_rank": None, "closeness": None})
        members[c].update(neighbour_rank=n.rank, closeness=n.closeness)
    members.setdefault(wh.config.code, {"in_region": True, "neighbour_rank": None, "closeness": None})
    by_area = rows.set_index("area_code")
    table = []
    for c, info in members.items():
        r = by_area.loc[c] if c in by_area.index else None
        value = None if r is None or pd.isna(r.value) else float(r.value)
        reason = None if r is None else (None if pd.isna(r.missing_reason) else str(r.missing_reason))
        table.append({
            "area_code": c, "name": area_name(c) if c != wh.config.code else wh.config.name,
            "is_authority": c == wh.config.code, "in_region": info["in_region"],
            "neighbour_rank": info["neighbour_rank"], "closeness": info["closeness"],
            "value": value,
            "missing_reason": None if value is not None else (reason or "no figure loaded"),
            "rank_england": int(eng_rank[c]) if c in eng_rank.index else None,
        })
    out["rows"] = pd.DataFrame(table)
    out["n_ranked"] = int(len(eng_rank))
    for key, area in (("region", wh.config.region), ("england", ENGLAND)):
        if area in by_area.index and not pd.isna(by_area.loc[area].value):
            out[key] = float(by_area.loc[area].value)
    out["statistical_neighbours"] = sn_average(rows, [n.code for n in nbs])
    return out
