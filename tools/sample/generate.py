"""Deterministic generator of the built-in synthetic sample ("Sample Borough").

Every figure here is made up. The files it writes to ``data/sample/`` double as examples of
the extract layouts the insight team can upload (long, wide, hand-keyed comparators, DfE
open data, child-level adoption records) and as a blank template for next month's extract.

The same code always writes the same bytes: one ``random.Random(SEED)`` drawn in a fixed
order, integers behind every percentage and exact (half-up) rounding from those integers.

Run ``python -m tools.sample.generate`` to rewrite ``data/sample/``.
"""

from __future__ import annotations

import csv
import io
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable

from pipelines.core.areas import ENGLAND
from pipelines.core.catalogue import load_catalogue
from pipelines.core.periods import financial_year_code, year_label
from tools.sample import ssda903 as ssda903_tables

SEED = 2018
AUTHORITY_NAME = "Sample Borough"
AUTHORITY_CODE = "E99999901"
FIRST_MONTH = (2020, 4)
LAST_MONTH = (2026, 10)  # the sample's "latest month"; nothing is dated after its end
LAST_DAY = date(2026, 10, 31)
FIRST_FY = 2019  # comparators from 2019-20
LAST_FY = 2025  # ... to 2025-26
ACADEMIC_YEARS = tuple(range(2019, 2026))
POP_YEARS = tuple(range(2019, 2026))

BREAKDOWN_DIMS = ("placement_type", "check_type", "placed", "ofsted_rating")
PLACEMENT_TYPES = (
    "in_house_foster",
    "agency_foster",
    "friends_family",
    "residential",
    "placed_for_adoption",
    "placed_with_parents",
    "independent_living",
    "other",
)
OFSTED_RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
COMPARATOR_AREAS = ("West Midlands", "Statistical neighbours", "England")
A1_THRESHOLD = 426
MISSING_MONTHS = {  # genuinely not reported: the value stays blank, never zero
    ("DENTAL_CHECKS_PCT", "2020-05"),  # dental practices closed in the first lockdown
    ("SW_3PLUS_PCT", "2023-08"),  # case-management system migration
    ("CL_EET_PCT", "2024-12"),  # leaving-care team audit not completed
}


# What each indicator is (code, title, unit, frequency, breakdowns, which are computed from the
# adoption records) comes from the catalogue; this module only knows how to make its figures.
CATALOGUE = load_catalogue()


def _made(monthly: "_Monthly", ind) -> bool:
    """Monthly figures the generator makes and the catalogue does not compute from records."""
    return ind.frequency == "M" and not ind.computed and (ind.code, "", "") in monthly.obs


def _breakdown_keys(monthly: "_Monthly", ind) -> list[tuple[str, str]]:
    """The total, then each breakdown value of the catalogue's that the generator makes."""
    return [("", "")] + [(dim, v) for dim, vals in ind.breakdowns.items() for v in vals
                         if (ind.code, dim, v) in monthly.obs]


# --------------------------------------------------------------------------- helpers


def _months(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    y, m = first
    out = []
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _label(ym: tuple[int, int]) -> str:
    return f"{ym[0]:04d}-{ym[1]:02d}"


def _fy_start(ym: tuple[int, int]) -> int:
    """The calendar year in which ym's financial year (April-March) starts."""
    return ym[0] if ym[1] >= 4 else ym[0] - 1


def _fy_label(start: int) -> str:
    return year_label(start, "financial")


def _tenths_text(frac: Fraction) -> str:
    """Exact half-up rounding to one decimal, from integers (no float drift)."""
    tenths = math.floor(frac * 10 + Fraction(1, 2))
    sign = "-" if tenths < 0 else ""
    return f"{sign}{abs(tenths) // 10}.{abs(tenths) % 10}"


def _round_text(x: float, places: int) -> str:
    q = Decimal(1).scaleb(-places)
    return str(Decimal(f"{x:.9f}").quantize(q, rounding=ROUND_HALF_UP))


def percent_text(num: int, den: int) -> str:
    """The `value` written for a percentage: 100*num/den, half-up to one decimal."""
    return _tenths_text(Fraction(100 * num, den))


def rate_text(num: int, den: int) -> str:
    """Per 10,000, half-up to one decimal."""
    return _tenths_text(Fraction(10000 * num, den))


def _whole(frac: Fraction) -> int:
    return math.floor(frac + Fraction(1, 2))


def _series(rng: random.Random, n: int, base: float, trend: float = 0.0, seas: float = 0.0,
            peak: int = 1, sd: float = 1.0, ar: float = 0.6) -> list[float]:
    """A gentle monthly series: level + trend per year + seasonality peaking in month `peak`
    (index 0 = April) + AR(1) noise."""
    out, e = [], 0.0
    for t in range(n):
        e = ar * e + rng.gauss(0.0, sd)
        out.append(base + trend * t / 12 + seas * math.cos(2 * math.pi * (t - peak) / 12) + e)
    return out


def _share_counts(total: int, weights: list[float]) -> list[int]:
    """Split an integer total by weights (largest remainder), so the parts sum exactly."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    counts = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _part(den: int, pct: float, lo: int = 0) -> int:
    return max(lo, min(den, round(den * pct / 100)))


def _csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(header))
    for r in rows:
        w.writerow(["" if v is None else v for v in r])
    return buf.getvalue()


# --------------------------------------------------------------------------- monthly model

# A figure for one indicator, breakdown and month. value is text as written; None = missing.
Obs = tuple[str | None, int | None, int | None]


@dataclass
class _Monthly:
    months: list[tuple[int, int]]  # April 2019 .. LAST_MONTH (the first 12 only feed out-turns)
    pop: dict[int, int]
    obs: dict[tuple[str, str, str], list[Obs]]  # (code, dim, dim value) -> per month; dim "" = total


def _population(rng: random.Random) -> dict[int, int]:
    pop, level = {}, 54_300.0
    for y in POP_YEARS:
        level += 260 + rng.gauss(0, 90)
        pop[y] = int(round(level))
    return pop


def _pop_for(pop: dict[int, int], ym: tuple[int, int]) -> int:
    # the mid-year estimate published by then (released each summer for the year before)
    year = ym[0] - 1 if ym[1] >= 7 else ym[0] - 2
    return pop[max(min(year, max(pop)), min(pop))]


def _build_monthly(rng: random.Random) -> _Monthly:
    months = _months((FIRST_MONTH[0] - 1, FIRST_MONTH[1]), LAST_MONTH)
    n = len(months)
    pop = _population(rng)
    obs: dict[tuple[str, str, str], list[Obs]] = {}

    def put(code: str, vals: list[Obs], dim: str = "", key: str = "") -> None:
        obs[(code, dim, key)] = vals

    def pct_obs(nums: list[int], dens: list[int]) -> list[Obs]:
        return [(percent_text(a, b), a, b) for a, b in zip(nums, dens)]

    # Children looked after: a year earlier than the first month so starts - ends = change.
    ext = _series(rng, n + 12, 540, trend=4, seas=6, peak=9, sd=4, ar=0.8)
    cla_ext = [max(522, min(598, round(v))) for v in ext]
    cla = cla_ext[12:]
    starts = [max(180, round(v)) for v in _series(rng, n, 228, trend=2, seas=5, peak=6, sd=5, ar=0.85)]
    ends = [s - (cla_ext[t + 12] - cla_ext[t]) for t, s in enumerate(starts)]
    pops = [_pop_for(pop, ym) for ym in months]
    put("CLA_NUMBER", [(str(c), None, None) for c in cla])
    put("CLA_RATE", [(rate_text(c, p), c, p) for c, p in zip(cla, pops)])
    put("CLA_STARTS_RATE", [(rate_text(c, p), c, p) for c, p in zip(starts, pops)])
    put("CLA_ENDS_RATE", [(rate_text(c, p), c, p) for c, p in zip(ends, pops)])

    for code, base, trend, sd in (("CLA_FEMALE_PCT", 43.5, -0.1, 0.5),
                                  ("CLA_BME_PCT", 39.5, 0.4, 0.6),
                                  ("ASYLUM_PCT", 1.8, 0.3, 0.25),
                                  ("PLACED_20_MILES_PCT", 15.5, -0.2, 0.7),
                                  ("STABILITY_FEWER_3_PCT", 87.5, 0.3, 0.8),
                                  ("ASSESSMENTS_UP_TO_DATE_PCT", 91.5, 0.2, 1.5),
                                  ("REVIEWS_ON_TIME_PCT", 91.0, 0.4, 1.2),
                                  ("SW_3PLUS_PCT", 18.0, -0.6, 0.9)):
        p = _series(rng, n, base, trend=trend, sd=sd)
        put(code, pct_obs([_part(d, q) for d, q in zip(cla, p)], cla))

    # Placement types: shares drift towards in-house fostering; parts sum to CLA_NUMBER.
    shares = {
        "in_house_foster": _series(rng, n, 30.5, trend=0.5, sd=0.4),
        "agency_foster": _series(rng, n, 24.5, trend=-0.5, sd=0.4),
        "friends_family": _series(rng, n, 12.0, trend=0.3, sd=0.3),
        "residential": _series(rng, n, 7.4, trend=0.1, sd=0.2),
        "placed_for_adoption": _series(rng, n, 4.5, sd=0.3),
        "placed_with_parents": _series(rng, n, 7.0, sd=0.3),
        "independent_living": _series(rng, n, 6.0, trend=0.1, sd=0.3),
        "other": _series(rng, n, 1.5, sd=0.1),
    }
    placements = [
        dict(zip(PLACEMENT_TYPES, _share_counts(cla[t], [max(0.2, shares[k][t]) for k in PLACEMENT_TYPES])))
        for t in range(n)
    ]
    put("PLACEMENT_TYPE", [(str(c), None, None) for c in cla])
    for k in PLACEMENT_TYPES:
        put("PLACEMENT_TYPE", [(str(pl[k]), None, None) for pl in placements], "placement_type", k)
    inhouse = [pl["in_house_foster"] for pl in placements]
    put("PLACED_INHOUSE_FOSTER_PCT", pct_obs(inhouse, cla))
    # Of fostered children (in-house and agency), those with the council's own carers.
    put("FOSTERED_INHOUSE_PCT", pct_obs(inhouse, [pl["in_house_foster"] + pl["agency_foster"]
                                                  for pl in placements]))
    # Unaccompanied children among the asylum seekers. A generator of its own, so adding
    # this figure left every earlier figure of the sample unchanged.
    extra = random.Random(SEED + 12)
    asylum = [num for _, num, _ in obs[("ASYLUM_PCT", "", "")]]
    put("UASC_NUMBER", [(str(min(a, round(a * extra.uniform(0.6, 0.85)))), None, None)
                        for a in asylum])

    # Children missing from care in the last 12 months (issue 11), of the children looked
    # after at any time in them (about 1.4 times the month-end number). A generator of its
    # own, so adding this figure left every earlier figure of the sample unchanged.
    gone = random.Random(SEED + 11)
    in_year = [round(c * 1.4) for c in cla]
    put("MISSING_12M_PCT", pct_obs([_part(d, gone.uniform(7.0, 9.5)) for d in in_year],
                                   in_year))

    # Long-term stability: cohort of under-16s looked after 2.5 years or more.
    lt_den = [round(v) for v in _series(rng, n, 196, trend=2, sd=3, ar=0.9)]
    lt_p = _series(rng, n, 68.0, trend=0.3, sd=1.0)
    put("STABILITY_LONG_TERM_PCT", pct_obs([_part(d, q) for d, q in zip(lt_den, lt_p)], lt_den))

    # Known in the 30 days before: the children who started in the last 12 months.
    k_p = _series(rng, n, 87.0, trend=0.2, sd=1.2)
    put("KNOWN_30_DAYS_PCT", pct_obs([_part(d, q) for d, q in zip(starts, k_p)], starts))

    # Children's homes by Ofsted rating: the children in residential placements.
    res = [pl["residential"] for pl in placements]
    r_w = {k: _series(rng, n, b, sd=s) for k, b, s in (("outstanding", 21, 1.5), ("good", 59, 2.0),
                                                       ("requires_improvement", 15, 1.5),
                                                       ("inadequate", 5, 1.0))}
    ratings = [dict(zip(OFSTED_RATINGS, _share_counts(res[t], [max(0.5, r_w[k][t]) for k in OFSTED_RATINGS])))
               for t in range(n)]
    put("HOMES_GOOD_OUTSTANDING_PCT", pct_obs([r["outstanding"] + r["good"] for r in ratings], res))
    for k in OFSTED_RATINGS:
        put("HOMES_GOOD_OUTSTANDING_PCT", [(str(r[k]), None, None) for r in ratings], "ofsted_rating", k)

    # Review participation is cumulative since 1 April, so its denominator resets each April.
    part_p = _series(rng, n, 93.0, trend=0.2, sd=1.5)
    nums, dens, cn, cd = [], [], 0, 0
    for t, ym in enumerate(months):
        if ym[1] == 4:
            cn = cd = 0
        reviews = max(60, round(cla[t] / 6 + rng.gauss(0, 6)))
        cd += reviews
        cn += _part(reviews, part_p[t])
        nums.append(cn)
        dens.append(cd)
    put("REVIEW_PARTICIPATION_PCT", pct_obs(nums, dens))

    sw = _series(rng, n, 12, trend=-0.5, sd=1.5, ar=0.7)
    put("SW_OVER_20_CASES", [(str(max(3, round(v))), None, None) for v in sw])

    # PEPs dip each autumn as new plans fall due at the start of the school year.
    pep_den = [round(v) for v in _series(rng, n, 262, trend=2, sd=3, ar=0.9)]
    pep_p = _series(rng, n, 87.0, trend=0.4, seas=4, peak=11, sd=1.2)
    put("PEP_Y1_11_PCT", pct_obs([_part(d, q) for d, q in zip(pep_den, pep_p)], pep_den))
    y12_den = [rng.randint(12, 18) for _ in range(n)]  # a small cohort: volatile by nature
    y12_p = _series(rng, n, 74.0, trend=0.5, sd=5.0, ar=0.3)
    put("PEP_Y12_13_PCT", pct_obs([_part(d, q) for d, q in zip(y12_den, y12_p)], y12_den))

    # Health and dental: children looked after 12 months or more, split by where they live.
    hd = [round(0.76 * c + rng.gauss(0, 3)) for c in cla]
    out_share = _series(rng, n, 29.0, trend=-0.2, sd=0.8)
    hd_out = [round(d * s / 100) for d, s in zip(hd, out_share)]
    hd_in = [d - o for d, o in zip(hd, hd_out)]
    # The first lockdown's dip from April 2020, recovering over two years.
    covid = [max(0.0, 1 - (t - 12) / 24) if t >= 12 else 0.0 for t in range(n)]
    h_in_p = _series(rng, n, 92.0, trend=0.1, sd=1.0)
    h_out_p = _series(rng, n, 81.0, trend=0.4, sd=1.8)
    h_in = [_part(d, q - 4 * c) for d, q, c in zip(hd_in, h_in_p, covid)]
    h_out = [_part(d, q - 6 * c) for d, q, c in zip(hd_out, h_out_p, covid)]
    h_num = [a + b for a, b in zip(h_in, h_out)]
    put("HEALTH_CHECKS_PCT", pct_obs(h_num, hd))
    ini_den = [max(8, round(d * 0.075 + rng.gauss(0, 2))) for d in hd]
    ini_p = _series(rng, n, 74.0, trend=0.8, sd=4.0, ar=0.4)
    ini_num = [max(0, min(id_, n_, _part(id_, q))) for id_, n_, q in zip(ini_den, h_num, ini_p)]
    ini_num = [max(i, n_ - (d - id_)) for i, n_, d, id_ in zip(ini_num, h_num, hd, ini_den)]
    put("HEALTH_CHECKS_PCT", pct_obs(ini_num, ini_den), "check_type", "initial")
    put("HEALTH_CHECKS_PCT", pct_obs([a - b for a, b in zip(h_num, ini_num)],
                                     [a - b for a, b in zip(hd, ini_den)]), "check_type", "review")
    put("HEALTH_CHECKS_PCT", pct_obs(h_in, hd_in), "placed", "inside_area")
    put("HEALTH_CHECKS_PCT", pct_obs(h_out, hd_out), "placed", "outside_area")
    d_in_p = _series(rng, n, 88.0, trend=0.2, sd=1.2)
    d_out_p = _series(rng, n, 79.0, trend=0.4, sd=1.8)
    d_in = [_part(d, q - 38 * c) for d, q, c in zip(hd_in, d_in_p, covid)]
    d_out = [_part(d, q - 42 * c) for d, q, c in zip(hd_out, d_out_p, covid)]
    put("DENTAL_CHECKS_PCT", pct_obs([a + b for a, b in zip(d_in, d_out)], hd))
    put("DENTAL_CHECKS_PCT", pct_obs(d_in, hd_in), "placed", "inside_area")
    put("DENTAL_CHECKS_PCT", pct_obs(d_out, hd_out), "placed", "outside_area")

    # Care leavers aged 17-21.
    cl = [round(v) for v in _series(rng, n, 318, trend=3, sd=3, ar=0.9)]
    for code, base, trend, sd in (("CL_EET_PCT", 55.0, 0.7, 1.3),
                                  ("CL_SUITABLE_ACCOM_PCT", 88.5, 0.3, 1.0),
                                  ("CL_NALM_PCT", 18.5, -0.1, 0.9)):
        p = _series(rng, n, base, trend=trend, sd=sd)
        put(code, pct_obs([_part(d, q) for d, q in zip(cl, p)], cl))

    # Genuinely missing months: the whole indicator (and its breakdowns) was not reported.
    labels = [_label(ym) for ym in months]
    for (code, dim, key), vals in obs.items():
        for t, lab in enumerate(labels):
            if (code, lab) in MISSING_MONTHS:
                vals[t] = (None, None, None)
    return _Monthly(months=months, pop=pop, obs=obs)


# --------------------------------------------------------------------------- adoption records

from pipelines.measures.adoption import ADOPTION_COLUMNS  # noqa: E402 - the template is the contract


def _adoption_children(rng: random.Random) -> list[dict[str, Any]]:
    kids: list[dict[str, Any]] = []
    for fy in range(2020, 2027):
        start = date(fy, 4, 1)
        end = min(date(fy + 1, 3, 31), LAST_DAY)
        n = rng.randint(30, 50) if end.year > fy else round(rng.randint(30, 50) * 7 / 12)
        for _ in range(n):
            order = start + timedelta(days=rng.randint(0, (end - start).days))
            placed = order - timedelta(days=70 + int(rng.expovariate(1 / 90)))
            matched = placed - timedelta(days=rng.randint(5, 35))
            if rng.random() < 0.1:  # matched before the court's placement order: A2 counts 0
                po = matched + timedelta(days=rng.randint(1, max(1, (placed - matched).days)))
            else:
                po = matched - timedelta(days=20 + int(rng.expovariate(1 / 200)))
            # Skewed waits, as in life: most children move quickly, a few wait very long.
            entered = po - timedelta(days=130 + int(rng.expovariate(1 / 210)))
            age = rng.randint(0, 45) if rng.random() < 0.4 else rng.randint(60, 5 * 365)
            fc = rng.random() < 0.1
            moved = entered + timedelta(days=rng.randint(0, 60)) if fc else None
            kids.append(dict(dob=entered - timedelta(days=age), entered=entered, po=po,
                             matched=matched, placed=placed, fc=fc, moved=moved, order=order))
    kids.sort(key=lambda k: (k["order"], k["entered"]))
    waiting = []
    for _ in range(8):  # still waiting on 31 October 2026; the later ones not yet placed
        entered = date(2024, 5, 1) + timedelta(days=rng.randint(0, 620))
        po = entered + timedelta(days=rng.randint(180, 330))
        matched = po + timedelta(days=rng.randint(60, 200))
        placed = matched + timedelta(days=rng.randint(7, 30))
        age = rng.randint(0, 30) if rng.random() < 0.5 else rng.randint(60, 4 * 365)
        k = dict(dob=entered - timedelta(days=age), entered=entered, po=po if po <= LAST_DAY else None,
                 matched=matched if matched <= LAST_DAY else None,
                 placed=placed if placed <= LAST_DAY else None, fc=False, moved=None, order=None)
        if k["po"] is None:
            k["matched"] = k["placed"] = None
        waiting.append(k)
    waiting.sort(key=lambda k: k["entered"])
    out = kids + waiting
    for i, k in enumerate(out, 1):
        k["id"] = f"SB-{i:04d}"
    return out


def _adoption_rows(kids: list[dict[str, Any]]) -> list[list[str]]:
    def d(x: date | None) -> str:
        return x.isoformat() if x else ""

    return [[k["id"], d(k["dob"]), d(k["entered"]), d(k["po"]), d(k["matched"]), d(k["placed"]),
             "Y" if k["fc"] else "N", d(k["moved"]), d(k["order"])] for k in kids]


def adoption_measures(kids: list[dict[str, Any]], first: date, last: date) -> dict[str, Fraction]:
    """A1, A2, A10 averages (days, exact) and % within the A1 threshold for children adopted
    between first and last inclusive (DfE scorecard definitions; weighted by child)."""
    done = [k for k in kids if k["order"] and first <= k["order"] <= last]
    if not done:
        return {}
    a1 = [(k["placed"] - k["entered"]).days for k in done]
    a2 = [max(0, (k["matched"] - k["po"]).days) for k in done]
    a10 = [((k["moved"] if k["fc"] else k["placed"]) - k["entered"]).days for k in done]
    return {"n": Fraction(len(done)), "A1": Fraction(sum(a1), len(done)),
            "A2": Fraction(sum(a2), len(done)), "A10": Fraction(sum(a10), len(done)),
            "A1_WITHIN": Fraction(100 * sum(x <= A1_THRESHOLD for x in a1), len(done))}


# --------------------------------------------------------------------------- comparators


def _drift(rng: random.Random, years: list[int], base: float, per_year: float, sd: float,
           shape: dict[int, float] | None = None) -> dict[int, float]:
    return {y: base + per_year * i + (shape or {}).get(y, 0.0) + rng.gauss(0, sd)
            for i, y in enumerate(years)}


# Per indicator: ((WM, SN, ENG) bases), change per year, noise, decimals, year-shape.
_FY_YEARS = list(range(FIRST_FY - 1, LAST_FY + 1))  # 2018-19 too: only the EES file uses it
_COVID_DENTAL = {2020: -42.0, 2021: -14.0, 2022: -4.0}
_COVID_HEALTH = {2020: -3.0, 2021: -1.0}
_FY_COMPARATORS: dict[str, tuple[tuple[float, float, float], float, float, int, dict[int, float]]] = {
    "CLA_RATE": ((84.0, 99.0, 66.5), 0.6, 0.6, 0, {}),
    "CLA_STARTS_RATE": ((30.0, 34.0, 25.5), -0.2, 0.7, 0, {2020: -2.0}),
    "CLA_ENDS_RATE": ((28.5, 32.5, 24.5), -0.1, 0.7, 0, {2020: -2.5}),
    "STABILITY_FEWER_3_PCT": ((90.0, 89.5, 90.0), 0.05, 0.4, 0, {}),
    "STABILITY_LONG_TERM_PCT": ((69.0, 68.5, 69.5), 0.2, 0.6, 0, {}),
    "HEALTH_CHECKS_PCT": ((90.0, 89.0, 89.5), 0.1, 0.6, 0, _COVID_HEALTH),
    "DENTAL_CHECKS_PCT": ((85.0, 84.0, 86.0), 0.2, 0.8, 0, _COVID_DENTAL),
    "CL_EET_PCT": ((47.0, 48.0, 51.0), 0.6, 0.6, 0, {}),
    "CL_SUITABLE_ACCOM_PCT": ((86.0, 85.0, 87.0), 0.3, 0.6, 0, {}),
    "A1_DAYS_3YR": ((0, 0, 475.0), -2.0, 4.0, 0, {2021: 12.0, 2022: 15.0}),
    "A1_DAYS_1YR": ((0, 0, 470.0), -2.0, 8.0, 0, {2020: 20.0, 2021: 18.0}),
    "A2_DAYS_3YR": ((0, 0, 205.0), -1.5, 3.0, 0, {2021: 8.0, 2022: 8.0}),
    "A2_DAYS_1YR": ((0, 0, 200.0), -1.5, 6.0, 0, {2020: 12.0, 2021: 10.0}),
    "A10_DAYS_3YR": ((0, 0, 440.0), -2.0, 4.0, 0, {2021: 10.0, 2022: 12.0}),
    "A10_DAYS_1YR": ((0, 0, 435.0), -2.0, 8.0, 0, {2020: 16.0, 2021: 14.0}),
}
# Academic years; `None` years were not published (symbol x; Progress 8 z for 2025).
_ACADEMIC: dict[str, tuple[tuple[float, float, float], float, float, int]] = {
    "KS2_RWM_PCT": ((32.0, 31.0, 34.0), 0.3, 1.2, 0),
    "KS2_READING_PCT": ((48.0, 47.0, 51.0), 0.4, 1.2, 0),
    "KS2_WRITING_PCT": ((44.0, 43.0, 47.0), 0.3, 1.2, 0),
    "KS2_MATHS_PCT": ((45.0, 44.0, 48.0), 0.4, 1.2, 0),
    "KS4_ENG_MATHS_PCT": ((17.5, 17.0, 19.0), 0.2, 0.6, 1),
    "KS4_ATTAINMENT8": ((20.5, 20.0, 21.5), 0.1, 0.4, 1),
    "KS4_PROGRESS8": ((-1.22, -1.25, -1.20), 0.0, 0.03, 2),
    "ABSENCE_OVERALL_PCT": ((5.0, 5.3, 5.1), 0.25, 0.15, 1),
    "ABSENCE_UNAUTHORISED_PCT": ((1.0, 1.3, 1.1), 0.12, 0.08, 1),
    "ABSENCE_PERSISTENT_PCT": ((12.0, 13.0, 12.5), 1.4, 0.6, 1),
}
# Annual-only published measures: ((WM, SN, England, Sample Borough) bases), change per year, noise.
_FY_ANNUAL: dict[str, tuple[tuple[float, float, float, float], float, float]] = {
    "STABILITY_3PLUS_PCT": ((10.0, 10.5, 10.0, 9.0), 0.0, 0.5),
    "NEW_PLACEMENTS_NUMBER": ((11500.0, 700.0, 90000.0, 640.0), 0.0, 40.0),
    "SCHOOL_MOVES_PCT": ((11.0, 11.5, 10.5, 9.5), -0.1, 0.6),
    # SSDA903 OC2 (issue 11); last, so the random stream gives every earlier figure unchanged
    "IMMUNISATIONS_PCT": ((86.0, 85.0, 84.5, 88.0), 0.1, 0.7),
}
# Sample Borough's own small cohorts (children looked after 12 months+ reaching each stage).
_LA_ACADEMIC: dict[str, tuple[float, float]] = {  # (pct or score, yearly change)
    "KS2_RWM_PCT": (36.0, 0.3), "KS2_READING_PCT": (55.0, 0.3), "KS2_WRITING_PCT": (52.0, 0.3),
    "KS2_MATHS_PCT": (49.0, 0.4), "KS4_ENG_MATHS_PCT": (20.0, 0.2), "KS4_ATTAINMENT8": (23.5, 0.1),
    "KS4_PROGRESS8": (-1.15, 0.0), "ABSENCE_OVERALL_PCT": (4.4, 0.25),
    "ABSENCE_UNAUTHORISED_PCT": (0.8, 0.1), "ABSENCE_PERSISTENT_PCT": (10.0, 1.3),
}


def _not_published(code: str, year: int) -> str | None:
    """DfE symbol for a year with no published figure, else None."""
    if code.startswith(("KS2_", "KS4_")) and year in (2020, 2021):
        return "x"  # assessments cancelled during the pandemic
    if code == "KS4_PROGRESS8" and year == 2025:
        return "z"  # no KS2 baseline for this cohort
    return None


def _build_comparators(rng: random.Random, monthly: _Monthly,
                       kids: list[dict[str, Any]]) -> dict[tuple[str, str, str], str]:
    """(code, year label, area) -> value text (a number or a DfE symbol)."""
    out: dict[tuple[str, str, str], str] = {}
    for code, (bases, per_year, sd, places, shape) in _FY_COMPARATORS.items():
        for area, base in zip(COMPARATOR_AREAS, bases):
            if area != "England" and code.startswith("A"):
                continue  # adoption scorecard: England only
            vals = _drift(rng, _FY_YEARS, base, per_year, sd, shape)
            for y, v in vals.items():
                out[(code, _fy_label(y), area)] = _round_text(v, places)
    # Sample Borough's published out-turn: its March figure, as the DfE would round it.
    march = {ym: t for t, ym in enumerate(monthly.months) if ym[1] == 3}
    for code in _FY_COMPARATORS:
        if code.startswith("A"):
            continue
        vals = monthly.obs[(code, "", "")]
        for y in range(FIRST_FY, LAST_FY + 1):
            _, num, den = vals[march[(y + 1, 3)]]
            scale = 10000 if CATALOGUE.get(code).unit == "rate" else 100
            out[(code, _fy_label(y), AUTHORITY_NAME)] = str(_whole(Fraction(scale * num, den)))
    for y in range(FIRST_FY, LAST_FY + 1):
        for span, suffix in ((1, "1YR"), (3, "3YR")):
            first = date(y + 1 - span, 4, 1)
            if first < date(2020, 4, 1):
                continue  # the records start in April 2020
            m = adoption_measures(kids, first, date(y + 1, 3, 31))
            for key in ("A1", "A2", "A10"):
                out[(f"{key}_DAYS_{suffix}", _fy_label(y), AUTHORITY_NAME)] = str(_whole(m[key]))

    for code, (bases, per_year, sd, places) in _ACADEMIC.items():
        for area, base in zip(COMPARATOR_AREAS, bases):
            vals = _drift(rng, list(ACADEMIC_YEARS), base, per_year, sd)
            for y, v in vals.items():
                out[(code, str(y), area)] = _not_published(code, y) or _round_text(v, places)
    for code, (level, per_year) in _LA_ACADEMIC.items():
        for i, y in enumerate(ACADEMIC_YEARS):
            cohort = rng.randint(22, 34) if code.startswith("KS2") else rng.randint(34, 46)
            target = level + per_year * i + rng.gauss(0, 2.0 if code.startswith("KS") else 0.2)
            if code.startswith("ABSENCE"):
                text = _round_text(target, 1)
            elif code in ("KS4_ATTAINMENT8", "KS4_PROGRESS8"):
                text = _round_text(level + per_year * i + rng.gauss(0, 0.8 if "ATT" in code else 0.06),
                                   1 if "ATT" in code else 2)
            else:  # a whole-number percentage of a small integer cohort
                text = str(_whole(Fraction(100 * _part(cohort, target), cohort)))
            out[(code, str(y), AUTHORITY_NAME)] = _not_published(code, y) or text
    for y in POP_YEARS:
        out[("POP_0_17", str(y), AUTHORITY_NAME)] = str(monthly.pop[y])
    # Annual-only measures DfE publishes (issue 10), for us and every comparator, from a random
    # stream of their own so that every figure above stays as it was.
    extra = random.Random(20250331)
    for code, (bases, per_year, sd) in _FY_ANNUAL.items():
        for area, base in zip((*COMPARATOR_AREAS, AUTHORITY_NAME), bases):
            for y, v in _drift(extra, list(range(FIRST_FY, LAST_FY + 1)), base, per_year, sd).items():
                out[(code, _fy_label(y), area)] = _round_text(v, 0)
    return out


# --------------------------------------------------------------------------- all children

# Synthetic figures for ALL children in Sample Borough (the catalogue's `context` indicators),
# written to their own file, which says in its last row that they are made up.
# code -> (years, base, change per year, noise, decimals, {year: shift})
_ALL_CHILDREN: dict[str, tuple[str, float, float, float, int, dict[int, float]]] = {
    "POP_0_17_SHARE_PCT": ("calendar", 22.4, 0.05, 0.05, 1, {}),
    "ALL_CHILDREN_FEMALE_PCT": ("calendar", 48.8, 0.0, 0.05, 1, {}),
    "ALL_CHILDREN_BME_PCT": ("calendar", 37.5, 0.5, 0.1, 1, {}),
    "ALL_PUPILS_KS2_RWM_PCT": ("academic", 59.0, 0.3, 0.8, 0, {}),
    "ALL_PUPILS_KS2_READING_PCT": ("academic", 72.0, 0.3, 0.8, 0, {}),
    "ALL_PUPILS_KS2_WRITING_PCT": ("academic", 69.0, 0.3, 0.8, 0, {}),
    "ALL_PUPILS_KS2_MATHS_PCT": ("academic", 71.0, 0.4, 0.8, 0, {}),
    "ALL_PUPILS_KS4_ENG_MATHS_PCT": ("academic", 61.0, 0.2, 0.6, 1, {}),
    "ALL_PUPILS_KS4_ATTAINMENT8": ("academic", 45.5, 0.1, 0.3, 1, {}),
    "ALL_PUPILS_KS4_PROGRESS8": ("academic", -0.06, 0.0, 0.03, 2, {}),
    "ALL_CHILDREN_DENTIST_PCT": ("financial", 59.0, 0.3, 0.8, 0, {2020: -24.0, 2021: -14.0, 2022: -5.0}),
}
ALL_CHILDREN_NOTE = (f"Synthetic: made-up figures for all children in {AUTHORITY_NAME}, "
                     "not published statistics")


def _all_children_text() -> str:
    rng = random.Random(SEED + 3)  # a generator of its own: the other files are unchanged
    rows = []
    for code, (kind, base, per_year, sd, places, shape) in _ALL_CHILDREN.items():
        years = POP_YEARS if kind == "calendar" else ACADEMIC_YEARS if kind == "academic" else \
            range(FIRST_FY, LAST_FY + 1)
        for i, y in enumerate(years):
            v = base + per_year * i + shape.get(y, 0.0) + rng.gauss(0, sd)
            label = _fy_label(y) if kind == "financial" else str(y)
            symbol = _not_published(code.replace("ALL_PUPILS_", ""), y) if kind == "academic" else None
            rows.append([code, label, AUTHORITY_NAME, symbol or _round_text(v, places)])
    rows.append([ALL_CHILDREN_NOTE, "", "", ""])
    return _csv_text(("indicator", "year", "area", "value"), rows)


# --------------------------------------------------------------------------- file texts

LONG_COLUMNS = ("indicator_code", "period", *BREAKDOWN_DIMS, "value", "numerator", "denominator", "status")


def _output_months(monthly: _Monthly) -> list[tuple[int, tuple[int, int]]]:
    return [(t, ym) for t, ym in enumerate(monthly.months) if ym >= FIRST_MONTH]


def _long_text(monthly: _Monthly) -> str:
    current_fy = _fy_start(LAST_MONTH)
    rows = []
    for ind in CATALOGUE:
        if not _made(monthly, ind):
            continue
        keys = _breakdown_keys(monthly, ind)
        for t, ym in _output_months(monthly):
            status = "provisional" if _fy_start(ym) == current_fy else "final"
            for dim, key in keys:
                value, num, den = monthly.obs[(ind.code, dim, key)][t]
                dims = [key if d == dim else "" for d in BREAKDOWN_DIMS]
                rows.append([ind.code, _label(ym), *dims, value, num, den, status])
    return _csv_text(LONG_COLUMNS, rows)


def _wide_text(monthly: _Monthly) -> str:
    last6 = _output_months(monthly)[-6:]
    header = ["Indicator Code", "Indicator"] + [date(y, m, 1).strftime("%b-%y") for _, (y, m) in last6]
    rows = []
    for ind in CATALOGUE:
        if not _made(monthly, ind):
            continue
        vals = monthly.obs[(ind.code, "", "")]
        rows.append([ind.code, ind.title] + [vals[t][0] for t, _ in last6])
    return _csv_text(header, rows)


def _handkeyed_text(comp: dict[tuple[str, str, str], str]) -> str:
    areas = (AUTHORITY_NAME, *COMPARATOR_AREAS)
    rows = []
    for ind in CATALOGUE:
        if ind.frequency == "A":
            years = [str(y) for y in (POP_YEARS if ind.code == "POP_0_17" else ACADEMIC_YEARS)]
        else:
            years = [_fy_label(y) for y in range(FIRST_FY, LAST_FY + 1)]
        for y in years:
            for area in areas:
                if (ind.code, y, area) in comp:
                    rows.append([ind.code, y, area, comp[(ind.code, y, area)]])
    for code in _FY_ANNUAL:  # annual-only published measures (no monthly spec)
        for y in (_fy_label(y) for y in range(FIRST_FY, LAST_FY + 1)):
            for area in areas:
                rows.append([code, y, area, comp[(code, y, area)]])
    return _csv_text(("indicator", "year", "area", "value"), rows)


EES_CODES = ("CLA_RATE", "STABILITY_FEWER_3_PCT", "CL_EET_PCT")
# Symbols in the open-data file: a year the measure was not collected, and one suppression.
_EES_SYMBOLS = {("CL_EET_PCT", 2018, "England"): "x", ("CL_EET_PCT", 2018, "West Midlands"): "x",
                ("STABILITY_FEWER_3_PCT", 2018, "West Midlands"): "c"}


def _ees_text(comp: dict[tuple[str, str, str], str]) -> str:
    header = ("time_period", "time_identifier", "geographic_level", "country_code", "country_name",
              "region_code", "region_name", "old_la_code", "new_la_code", "la_name", *EES_CODES)
    rows = []
    for y in _FY_YEARS:
        for level, area, region in (("National", "England", ("", "")),
                                    ("Regional", "West Midlands", ("E12000005", "West Midlands"))):
            vals = [_EES_SYMBOLS.get((c, y, area)) or comp[(c, _fy_label(y), area)] for c in EES_CODES]
            rows.append([financial_year_code(y), "Financial year", level, ENGLAND, "England",
                         *region, "", "", "", *vals])
    return _csv_text(header, rows)


def _template_specs(catalogue: Any) -> list[tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...]]]:
    """(code, title, breakdowns) of every monthly indicator of the catalogue."""
    return [(ind.code, ind.title, tuple((d, tuple(v)) for d, v in ind.breakdowns.items()))
            for ind in (catalogue or CATALOGUE) if ind.frequency == "M"]


def make_template(catalogue: Any, month: str | date) -> str:
    """CSV text of a blank long extract for `month` ("2026-11" or a date): one row per monthly
    indicator and per breakdown value, the period filled in and the figures left empty.

    `catalogue` is the loaded indicator catalogue (anything with `.indicators` or iterable of
    indicators with `code`, `title`, `frequency`, `breakdowns`); None uses this module's list.
    """
    period = month if isinstance(month, str) else f"{month.year:04d}-{month.month:02d}"
    specs = _template_specs(catalogue)
    dims = list(BREAKDOWN_DIMS)
    for _, _, bds in specs:
        dims += [d for d, _ in bds if d not in dims]
    rows = []
    for code, title, bds in specs:
        for dim, key in [("", "")] + [(d, v) for d, vals in bds for v in vals]:
            rows.append([code, title, period, *[key if d == dim else "" for d in dims], "", "", ""])
    return _csv_text(("indicator_code", "indicator_title", "period", *dims, "value", "numerator",
                      "denominator"), rows)


README = f"""# Sample data: {AUTHORITY_NAME} (synthetic)

**Every figure in this folder is made up.** "{AUTHORITY_NAME}" (code `{AUTHORITY_CODE}`) is
not a real council; the West Midlands, statistical-neighbour and England figures are invented
too and must never be quoted as published statistics. The files are written by
`python -m tools.sample.generate` (a seeded, deterministic generator: the same bytes every run) and
double as examples of the layouts `lacdash ingest` reads. Latest month: October 2026.

| file | what it is |
|---|---|
| `local_monthly_long.csv` | Long monthly extract, April 2020 to October 2026: one row per indicator, month (`2026-10`) and breakdown (`placement_type`, `check_type`, `placed`, `ofsted_rating`; empty on the total row), with `value`, `numerator`, `denominator` and `status` (`provisional` for the current financial year, else `final`). Percentages are 100 x numerator / denominator to one decimal; rates are per 10,000 children aged 0-17. A blank value means not reported (missing is not zero): {", ".join(f"{c} {m}" for c, m in sorted(MISSING_MONTHS))}. Adoption measures are not here: they are computed from `adoption_records.csv`. |
| `local_latest_month_wide.csv` | The same totals for the last six months as a spreadsheet keeps them: one row per indicator, one column per month (`May-26` ... `Oct-26`). |
| `comparators_handkeyed.csv` | Hand-keyed annual figures (`indicator,year,area,value`): {AUTHORITY_NAME}'s own published figure and the West Midlands, statistical-neighbour and England figures; financial years `2019-20` to `2025-26`, academic years `2019` to `2025` (KS2, KS4, absence) and mid-year population estimates `2019` to `2025`. `x` and `z` are DfE symbols for figures that were not published (KS2/KS4 2020 and 2021; Progress 8 2025). |
| `comparators_ees.csv` | The West Midlands and England figures for CLA_RATE, STABILITY_FEWER_3_PCT and CL_EET_PCT in the DfE open-data (Explore Education Statistics) layout, whole-number percentages, 2018-19 to 2025-26, with the symbols `x` (not available) and `c` (suppressed). |
| `all_children_synthetic.csv` | Made-up figures for **all** children in {AUTHORITY_NAME} (hand-keyed layout), shown beside the looked-after children's: female and BME shares and children's share of the population (`2019` to `2025`), all pupils' KS2 and KS4 results (academic years, `x`/`z` where not published), children seen by a dentist in 24 months (`2019-20` to `2025-26`). Its last row says they are synthetic. |
| `adoption_records.csv` | One row per child adopted between April 2020 and October 2026 (pseudonymous ids `SB-0001` ...), plus a few children still waiting (no adoption order). `adopted_by_foster_carers` is `Y` or `N`. The A1, A2 and A10 scorecard measures and ADOPTIONS_NUMBER are computed from these. |
| `template_monthly_extract.csv` | A blank long extract for November 2026 to fill in: every monthly indicator and breakdown with the period filled in. |
| `action_plan_2013_14.csv` | **Typed from a real paper**, not generated: the Corporate Parenting Action Plan 2013-14 in `../shared/reference/003_e3e2c4e25481c869.txt` (a real council's paper, approved 26 June 2013), one row per key action. The paper shows each action's state by colour, which the text copy lost: actions with a six-month update are entered as "progressing in timescale", the rest "not started yet". Where the text copy is garbled (cells split mid-word) the wording is mended from the same outcome in the 2012-13 plan; dates are as printed (including "February 2013" and "March 2013" in a 2013-14 plan). The indicator links and the one private note are ours, for the example. The sample loads it as agreed on 26 June 2013. |
| `outstanding_matters_2018_03.csv` | **Typed from a real paper**: the schedule of outstanding matters of the 22 March 2018 board (`../shared/reference/000_179aaf4b5c4b5a99.txt`, both matters raised on 18 January 2018), plus the three requests the minutes of that meeting record (a breakdown of initial and review health checks, care proceedings compared with statistical neighbours, the list of private establishments). |

**SSDA903 extract (not in this folder).** The generator in `tools/sample/ssda903.py` also makes
{AUTHORITY_NAME}'s child-level SSDA903 tables (header, episodes, reviews, uasc, missing, oc2, oc3,
ad1, placed_for_adoption, previous_permanence, sw_episodes; one file per table per collection
year, `2015-episodes.csv` to `2026-episodes.csv`, about 500 to 700 children looked after at a
time; its adopted children are the ones in `adoption_records.csv`). About 3 MB in 130 files, so
they are written at build time, the same bytes every run: `lacdash sample --ssda903` loads them
through the route `lacdash ingest` takes (DfE rules report, reconciliation) for the monthly
figures the tables give and adoption, instead of the long and wide files and the adoption
records; editors download them from the upload page as the example extract (the upload's
archived copy, zipped). Not yet the default (issue 11).
"""


def sample_texts() -> dict[str, str]:
    """File name -> exact text of every sample file."""
    rng = random.Random(SEED)
    monthly = _build_monthly(rng)
    kids = _adoption_children(rng)
    comp = _build_comparators(rng, monthly, kids)
    y, m = LAST_MONTH
    next_month = f"{y + (m == 12):04d}-{m % 12 + 1:02d}"
    return {
        "local_monthly_long.csv": _long_text(monthly),
        "local_latest_month_wide.csv": _wide_text(monthly),
        "comparators_handkeyed.csv": _handkeyed_text(comp),
        "comparators_ees.csv": _ees_text(comp),
        "all_children_synthetic.csv": _all_children_text(),
        "adoption_records.csv": _csv_text(ADOPTION_COLUMNS, _adoption_rows(kids)),
        "template_monthly_extract.csv": make_template(CATALOGUE, next_month),
        "README.md": README,
    }


# The SSDA903 extract of Sample Borough (`lacdash sample --ssda903`): collection years from
# 2015-16 (the adopted children entered care from December 2015; long-term stability needs
# 30 months before April 2020) to October 2026; its adopted children are the adoption
# records'. Not committed (about 3 MB in 130 files): written at build time, the same bytes
# every run.
SSDA903_FIRST_YEAR = 2015
SSDA903_SEED = SEED + 903
SSDA903_TARGET = 500


def ssda903_texts() -> dict[str, str]:
    """File name (`2019-episodes.csv`) -> CSV text of every SSDA903 table of the sample."""
    rng = random.Random(SEED)
    _build_monthly(rng)  # drawn first, so the adoption children are the records' ones
    kids = _adoption_children(rng)
    return ssda903_tables.generate(seed=SSDA903_SEED, first_year=SSDA903_FIRST_YEAR,
                                   last_day=LAST_DAY, target=SSDA903_TARGET, growth=0.008,
                                   adopted=kids)


def write_sample_files(out_dir: Path) -> list[Path]:
    """Write every sample file into out_dir (created if needed); return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in sample_texts().items():
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for p in write_sample_files(Path(__file__).resolve().parents[2] / "data" / "sample"):
        print(p)
