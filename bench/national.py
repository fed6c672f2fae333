"""A national-scale warehouse for the benchmarks: every active English authority, every
indicator of the catalogue, `years` years of monthly figures, annual figures for every
authority, region and England, breakdowns, and a few revised months. All values are
synthetic (seeded), never a real council's figures.

Why not through the ingestion pipeline: 1.2 million rows would take minutes through the
forgiving readers; the benchmarks measure those readers separately. The rows are written
inside `pipelines.store.warehouse.write_transaction` (so the schema, catalogue and areas are the
real ones) straight from integer-keyed numpy frames joined to small look-up tables.

    python -m bench.national            # build (or reuse) the default cached warehouse
"""
from __future__ import annotations

import json
import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.store import warehouse as wh
from pipelines.core.areas import ENGLAND, all_las, load_areas
from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import DEFAULT_CONFIG, Config, load_config
from pipelines.core.periods import month as month_period
from pipelines.core.periods import financial_year_start, year_from

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
AUTHORITY = "E08000031"
REGION = "E12000005"
AUTHORITY_NAME = "Bench authority (synthetic figures)"
REVISED_MONTHS = 6          # the authority's latest months were first reported differently
MISSING_SHARE = 0.002       # a few monthly figures not reported (missing, never zero)


def default_last_month(today: date | None = None) -> date:
    """Two months before today, so next month's extract is not 'in the future'."""
    t = today or date.today()
    y, m = t.year, t.month - 2
    if m < 1:
        y, m = y - 1, m + 12
    return month_period(y, m).end


def _neighbours() -> list[str]:
    return list(load_config(DEFAULT_CONFIG).statistical_neighbours)


def _authorities(n_las: int | None) -> list[str]:
    """All active authorities; a smaller set always keeps the authority and its neighbours."""
    las = all_las()
    if n_las is None or n_las >= len(las):
        return las
    first = [AUTHORITY, *_neighbours()]
    rest = [c for c in las if c not in first]
    return (first + rest)[:max(n_las, len(first))]


def default_path(years=10, n_las=None, seed=1, last_month: date | None = None) -> Path:
    last = last_month or default_last_month()
    n = n_las or len(all_las())
    return OUT_DIR / f"national-y{years}-n{n}-s{seed}-{last:%Y%m}.duckdb"


def write_config(db: Path) -> Path:
    """A config TOML beside the warehouse naming the benchmark authority."""
    neigh = ", ".join(f'"{c}"' for c in _neighbours())
    toml = db.with_suffix(".toml")
    toml.parent.mkdir(parents=True, exist_ok=True)
    toml.write_text(
        "# Benchmark configuration: synthetic figures for every authority.\n"
        "[authority]\n"
        f'name = "{AUTHORITY_NAME}"\n'
        f'code = "{AUTHORITY}"\n'
        f'region = "{REGION}"\n'
        f"statistical_neighbours = [{neigh}]\n\n"
        "[warehouse]\n"
        f'path = "{db.name}"\n', encoding="utf-8")
    return toml


def _params_of(db: Path) -> dict | None:
    if not db.exists():
        return None
    try:
        con = wh.open_read_only(db)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'bench_params'").fetchall()
        finally:
            con.close()
        return json.loads(row[0][0]) if row else None
    except Exception:
        return None


# ---------------------------------------------------------------- value generators

@dataclass
class _Series:
    code: str
    breakdown: str
    unit: str
    has_den: bool      # percentages carry numerator and denominator


def _adoption_children(last: date) -> pd.DataFrame:
    """The sample's pseudonymous child records (adoption orders up to `last`), for the
    adoption page; the A1/A2/A10 figures themselves are the synthetic monthly ones."""
    from pipelines.measures import adoption
    from pipelines.sources.readers import read_table
    path = BENCH_DIR.parent / "data" / "sample" / "adoption_records.csv"
    raw = read_table(path.read_bytes(), path.name)
    kids, _ = adoption.parse_children(raw, file_name=path.name, today=last)
    order = pd.to_datetime(kids["date_adoption_order"])
    kids = kids[order.isna() | (order <= pd.Timestamp(last))]
    return kids.drop(columns=[c for c in ("source_row",) if c in kids])


def _has_den(ind) -> bool:
    return ind.unit == "percent"


def _monthly_series(cat) -> list[_Series]:
    out = []
    for ind in cat.indicators:
        if ind.frequency != "M":
            continue
        bds = [""] + [f"{dim}={v}" for dim, vals in ind.breakdowns.items() for v in vals]
        for bd in bds:
            out.append(_Series(ind.code, bd, ind.unit, _has_den(ind)))
    return out


def _levels(rng, unit: str, code: str, n: int) -> np.ndarray:
    """A plausible level per authority for one series."""
    if unit == "percent":
        return rng.uniform(35, 95, n)
    if unit == "rate":
        return rng.uniform(25, 130, n)
    if unit == "days":
        return rng.uniform(250, 650, n)
    if unit == "score":
        return rng.uniform(-1.6, -0.2, n) if "PROGRESS8" in code else rng.uniform(15, 28, n)
    if code == "POP_0_17":
        return rng.uniform(25_000, 280_000, n)
    return rng.uniform(5, 900, n)


def _values(rng, unit: str, code: str, level: np.ndarray, t: int):
    """(value, numerator, denominator) arrays of shape (areas, t): level + drift + noise."""
    n = len(level)
    drift = np.cumsum(rng.normal(0, 1, (n, t)), axis=1) * 0.02
    if unit == "percent":
        den = np.rint(rng.uniform(15, 600, (n, 1)) * (1 + 0.05 * rng.standard_normal((n, t))))
        den = np.maximum(den, 5)
        pct = np.clip(level[:, None] * (1 + drift) + rng.normal(0, 3, (n, t)), 0, 100)
        num = np.minimum(np.rint(den * pct / 100), den)
        return np.round(100 * num / den, 1), num, den
    noise = rng.normal(0, 0.03, (n, t))
    v = level[:, None] * (1 + drift + noise)
    if unit == "score":
        return np.round(v, 2), None, None
    if unit == "count":
        return np.maximum(np.rint(v), 0), None, None
    return np.round(np.maximum(v, 0), 1), None, None


# ---------------------------------------------------------------- frames

def _monthly_frame(rng, cat, areas: list[str], months: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Integer-keyed monthly rows and the series look-up."""
    series = _monthly_series(cat)
    n, t = len(areas), len(months)
    area_idx = np.repeat(np.arange(n), t)
    month_idx = np.tile(np.arange(t), n)
    parts = []
    for s_idx, s in enumerate(series):
        level = _levels(rng, s.unit, s.code, n)
        v, num, den = _values(rng, s.unit, s.code, level, t)
        if not s.has_den:
            num = den = None
        part = {"s": np.full(n * t, s_idx, dtype=np.int32), "a": area_idx.astype(np.int32),
                "m": month_idx.astype(np.int32), "value": v.ravel().astype(float),
                "numerator": num.ravel() if num is not None else np.full(n * t, np.nan),
                "denominator": den.ravel() if den is not None else np.full(n * t, np.nan)}
        parts.append(pd.DataFrame(part))
    f = pd.concat(parts, ignore_index=True)
    missing = rng.random(len(f)) < MISSING_SHARE
    f.loc[missing, ["value", "numerator", "denominator"]] = np.nan
    f["missing"] = missing
    lu = pd.DataFrame({"s": np.arange(len(series), dtype=np.int32),
                       "indicator_code": [s.code for s in series],
                       "breakdown": [s.breakdown for s in series]})
    return f, lu


def _annual_periods(ind, last: date, years: int) -> list:
    """The `years` latest published years of an indicator's year type up to `last`."""
    yt = ind.year_type
    out = []
    first = last.year + 1
    while len(out) < years:
        first -= 1
        p = year_from(first, yt)
        if p.end > last:
            continue
        if yt == "academic":  # labelled by the year it ends, as DfE and the sample do
            p = type(p)(p.start, p.end, str(p.end.year), "year")
        out.append(p)
    return out[::-1]


def _annual_frame(rng, cat, las: list[str], last: date, years: int) -> pd.DataFrame:
    """Every indicator's annual totals for the authorities, their regions and England."""
    areas = load_areas().set_index("code")
    region = np.array([areas.loc[c, "region_code"] for c in las])
    rows = []
    for ind in cat.indicators:
        periods = _annual_periods(ind, last, years)
        level = _levels(rng, ind.unit, ind.code, len(las))
        v, num, den = _values(rng, ind.unit, ind.code, level, len(periods))
        if not _has_den(ind):
            num = den = None
        frame = pd.DataFrame(v, index=las, columns=range(len(periods)))
        agg = [frame]
        for r in sorted(set(region)):
            agg.append(frame[region == r].mean().round(2).to_frame(r).T)
        agg.append(frame.mean().round(2).to_frame(ENGLAND).T)
        allv = pd.concat(agg)
        for j, p in enumerate(periods):
            col = allv[j]
            rows.append(pd.DataFrame({
                "indicator_code": ind.code, "area_code": allv.index, "period_start": p.start,
                "period_end": p.end, "period_label": p.label, "period_type": "year",
                "breakdown": "", "value": col.to_numpy(),
                "numerator": np.nan, "denominator": np.nan}))
            if num is not None:
                rows[-1].loc[: len(las) - 1, "numerator"] = num[:, j]
                rows[-1].loc[: len(las) - 1, "denominator"] = den[:, j]
    return pd.concat(rows, ignore_index=True)


# ---------------------------------------------------------------- build

def build_national_warehouse(path: str | Path | None = None, *, years: int = 10,
                             n_las: int | None = None, seed: int = 1,
                             last_month: date | None = None) -> Config:
    """Build (or reuse, when built with the same parameters) the national warehouse at
    `path` (default: bench/out/, named by the parameters) and return its Config."""
    last = last_month or default_last_month()
    db = Path(path) if path else default_path(years, n_las, seed, last)
    db = db.resolve()
    params = {"years": years, "n_las": n_las, "seed": seed, "last_month": last.isoformat(),
              "version": 3}
    toml = write_config(db)
    if _params_of(db) == params:
        return load_config(toml)
    for stale in (db, Path(str(db) + ".wal")):
        stale.unlink(missing_ok=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    config = load_config(toml)
    cat = load_catalogue()
    rng = np.random.default_rng(seed)
    las = _authorities(n_las)

    months = []
    y, m = last.year, last.month
    for _ in range(12 * years):
        months.append(month_period(y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    months = months[::-1]
    fy_now = year_from(financial_year_start(last).year, "financial")
    month_lu = pd.DataFrame({
        "m": np.arange(len(months), dtype=np.int32),
        "period_start": [p.start for p in months], "period_end": [p.end for p in months],
        "period_label": [p.label for p in months],
        "status": ["provisional" if p.start >= fy_now.start else "final" for p in months]})
    area_lu = pd.DataFrame({"a": np.arange(len(las), dtype=np.int32), "area_code": las})

    monthly, series_lu = _monthly_frame(rng, cat, las, months)
    annual = _annual_frame(rng, cat, las, last, years)
    built_at = wh.now()
    with wh.write_transaction(db, catalogue=cat, config=config) as con:
        for name, frame in (("mf", monthly), ("slu", series_lu), ("mlu", month_lu),
                            ("alu", area_lu), ("af", annual)):
            con.register(name, frame)
        con.execute(f"""
            INSERT INTO observations ({wh.OBS_COLS}, twin)
            SELECT s.indicator_code, a.area_code, m.period_start, m.period_end, m.period_label,
                   'month', s.breakdown, f.value, f.numerator, f.denominator,
                   CASE WHEN f.missing THEN 'not reported' END, m.status, 1, 'local', false
            FROM mf f JOIN slu s USING (s) JOIN alu a USING (a) JOIN mlu m USING (m)""")
        con.execute(f"""
            INSERT INTO observations ({wh.OBS_COLS}, twin)
            SELECT indicator_code, area_code, period_start, period_end, period_label,
                   period_type, breakdown, value, numerator, denominator,
                   CASE WHEN value IS NULL THEN 'not reported' END, 'final', 2, 'published', false
            FROM af""")
        # The authority's latest months were revised by upload 3: keep what was first
        # reported, as a real revision would.
        cutoff = months[-REVISED_MONTHS].start
        con.execute(f"""
            INSERT INTO revisions
            SELECT indicator_code, area_code, period_start, period_end, period_label,
                   period_type, breakdown,
                   CASE WHEN value IS NULL THEN NULL ELSE round(value * 0.97, 1) END,
                   numerator, denominator, missing_reason, 'provisional', upload_id, 3,
                   TIMESTAMP '{built_at}', source
            FROM observations WHERE area_code = ? AND period_type = 'month'
              AND period_start >= ?""", [AUTHORITY, cutoff])
        con.execute("UPDATE observations SET upload_id = 3 WHERE area_code = ? AND "
                    "period_type = 'month' AND period_start >= ?", [AUTHORITY, cutoff])
        n_month = len(monthly)
        n_rev = con.execute("SELECT count(*) FROM revisions").fetchall()[0][0]
        for uid, name, kind, n in (
                (1, "national_monthly_synthetic.csv", "long", n_month),
                (2, "national_annual_synthetic.csv", "ees", len(annual)),
                (3, "authority_revisions_synthetic.csv", "long", n_rev)):
            con.execute("INSERT INTO uploads VALUES (?,?,?,?,?,?,?,?,0,?,?,0,'committed',NULL,NULL)",
                        [uid, name, f"bench-{uid}-{seed}", kind, "bench", built_at, n, n,
                         n if uid < 3 else 0, n if uid == 3 else 0])
        for ms in months[-12:]:
            con.execute("INSERT INTO commentary VALUES (?,?,?,?,?,1)",
                        [ms.end, "key-points", f"Synthetic key points for {ms.label}.",
                         "bench", built_at])
        kids = _adoption_children(last)
        kids.insert(0, "upload_id", 4)
        cols = [c[0] for c in con.execute("DESCRIBE adoption_children").fetchall()]
        con.register("kids", kids[cols])
        con.execute("INSERT INTO adoption_children SELECT * FROM kids")
        con.execute("INSERT INTO uploads VALUES (4, 'adoption_records.csv', ?, 'adoption', "
                    "'bench', ?, ?, ?, 0, 0, 0, 0, 'committed', NULL, NULL)",
                    [f"bench-4-{seed}", built_at, len(kids), len(kids)])
        wh._add_loaded_areas(con)
        con.execute("DELETE FROM meta WHERE key = 'bench_params'")
        con.execute("INSERT INTO meta VALUES ('bench_params', ?)", [json.dumps(params)])
    return config


def copy_warehouse(config: Config, dest_dir: Path) -> Config:
    """A private copy (warehouse + config) that a benchmark may write to."""
    dest_dir = Path(dest_dir)
    dest_dir.mkdir(parents=True, exist_ok=True)
    db = dest_dir / config.warehouse_path.name
    shutil.copyfile(config.warehouse_path, db)
    return load_config(write_config(db))


def row_count(config: Config) -> int:
    con = wh.open_read_only(config.warehouse_path)
    try:
        return con.execute("SELECT count(*) FROM observations").fetchall()[0][0]
    finally:
        con.close()


if __name__ == "__main__":
    import time
    t0 = time.perf_counter()
    cfg = build_national_warehouse()
    size = cfg.warehouse_path.stat().st_size / 1e6
    print(f"{cfg.warehouse_path}: {row_count(cfg):,} observations, {size:.0f} MB, "
          f"{time.perf_counter() - t0:.1f} s", file=sys.stderr)
    print(cfg.config_path)
