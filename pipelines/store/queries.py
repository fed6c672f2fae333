"""What the pages, the exports and `lacdash show` read from the warehouse.

Every answer is "as at" a month: nothing dated after that month's end is returned, so a
past board report can be shown again. Values are today's figures for those months; where a
month was revised, `first_reported` says what the board was first told.
"""
from __future__ import annotations

import math
import sys
import threading
from collections import OrderedDict
from datetime import date

import pandas as pd

from pipelines.core.catalogue import load_catalogue
from pipelines.core.areas import area_name
from pipelines.core.areas import ENGLAND, SN
from pipelines.core.config import Config
from pipelines.core.periods import (financial_year_label, financial_year_start, month_end,
                                     month_label, parse_as_at)
from pipelines.core.rag import judge, rule_for
from pipelines.store import benchmark
from pipelines.store.warehouse import (LOCAL, PUBLISHED_KINDS, ReadConnection,
                                       stored_relation)

# `region` is the configured region, whichever it is; `west_midlands` is the same figure under
# its old name, kept so scripts that read it keep working.
COMPARATOR_KEYS = ("west_midlands", "statistical_neighbours", "england", "region")
_SERIES_COLS = ["period_start", "period_end", "period_label", "period_type", "value",
                "numerator", "denominator", "missing_reason", "status", "upload_id"]


def _num(v):
    if v is None:
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 1e15 else f


def _str(v):
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


_SAMPLE = 8  # a long list or tuple is measured by this many of its items, scaled up


def cache_size(obj) -> int:
    """About how many bytes `obj` holds: frames by pandas' own count, containers and objects
    (page layouts are trees of components with a `__dict__`) by walking them, each object
    once; a long list (the rows of a month's records) or a dict of many lists (those rows by
    indicator) by an even sample of its items, scaled up, so measuring costs little beside
    building. Enough to bound a cache by memory, not an exact figure."""
    if isinstance(obj, (list, tuple)) and len(obj) > 2 * _SAMPLE:
        step = len(obj) / _SAMPLE
        sample = [obj[int(i * step)] for i in range(_SAMPLE)]
        return sys.getsizeof(obj) + int(sum(cache_size(o) for o in sample) * step)
    if (isinstance(obj, dict) and len(obj) > 2 * _SAMPLE
            and all(isinstance(v, list) for v in obj.values())):
        # rows by indicator (a month's records, the ranks): an even sample of its lists
        keys = list(obj)
        step = len(keys) / _SAMPLE
        sample = [keys[int(i * step)] for i in range(_SAMPLE)]
        return sys.getsizeof(obj) + int(sum(cache_size(k) + cache_size(obj[k])
                                            for k in sample) * step)
    seen: set[int] = set()
    total = 0
    stack = [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, pd.DataFrame):
            total += int(o.memory_usage(deep=True).sum())
            continue
        if isinstance(o, (pd.Series, pd.Index)):
            total += int(o.memory_usage(deep=True))
            continue
        total += sys.getsizeof(o, 64)
        if isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        elif isinstance(o, (list, tuple)) and len(o) > 2 * _SAMPLE:
            total += cache_size(o) - sys.getsizeof(o, 64)
        elif isinstance(o, (list, tuple, set, frozenset)):
            stack.extend(o)
        elif not isinstance(o, (str, bytes, int, float, bool, type(None), date, type)):
            d = getattr(o, "__dict__", None)
            if isinstance(d, dict):
                stack.append(d)
    return total


class Warehouse:
    """Read-only access for one configured authority."""

    def __init__(self, config: Config, catalogue=None):
        self.config = config
        self.catalogue = catalogue or load_catalogue()
        self.conn = ReadConnection(config.warehouse_path)
        self._cache_lock = threading.Lock()
        self._cache: OrderedDict = OrderedDict()
        self._cache_sizes: dict = {}
        self._cache_bytes = 0
        self._cache_version = None

    # -------------------------------------------------------------- basics
    CACHE_ITEMS = 512
    CACHE_BYTES = 150 * 1024 * 1024  # about; measured by cache_size() (issue 14 item 8)

    def version(self):
        """The warehouse file's version (None when there is no file): see ReadConnection."""
        return self.conn.version()

    def cached(self, key, build):
        """``build()`` once per warehouse file version: the one cache of what is read from
        the warehouse (query answers here, page layouts in webapp.context), least recently
        used first out. With no file yet nothing is kept (``build`` says what is wrong)."""
        version = self.version()
        if version is None:
            return build()
        k = (version, key)
        with self._cache_lock:
            if k in self._cache:
                self._cache.move_to_end(k)
                return self._cache[k]
        val = build()
        size = cache_size(val)
        with self._cache_lock:
            if self._cache_version is not None and version[1] < self._cache_version[1]:
                return val  # built from a file already replaced: not worth keeping
            if version != self._cache_version:
                # A commit swapped the file: what was kept for older versions is never asked
                # for again (keys start with the version), so let it go now.
                for old in [key_ for key_ in self._cache if key_[0] != version]:
                    self._cache.pop(old)
                    self._cache_bytes -= self._cache_sizes.pop(old, 0)
                self._cache_version = version
            if k not in self._cache:
                self._cache_bytes += size
                self._cache_sizes[k] = size
            self._cache[k] = val
            while self._cache and (len(self._cache) > self.CACHE_ITEMS or
                                   self._cache_bytes > self.CACHE_BYTES):
                old, _ = self._cache.popitem(last=False)
                self._cache_bytes -= self._cache_sizes.pop(old, 0)
        return val

    def df(self, sql, params=None) -> pd.DataFrame:
        return self.conn.df(sql, params)

    def stored(self, table: str = "observations") -> str:
        """`observations` or `revisions` as a SQL relation with its `source` column (and
        `twin` for observations): a file written before figures had a source is read as its
        next write will migrate it (`warehouse.stored_relation`)."""
        def run():
            return set(self.df("SELECT column_name FROM information_schema.columns WHERE "
                               "table_name = 'observations'").column_name)
        have = self.cached("observation_columns", run) if self.version() is not None else set()
        return stored_relation(table, have)

    def figures(self, prefer: str = LOCAL) -> str:
        """The stored figures as a SQL relation, one per indicator, area, period and
        breakdown. Where the authority's own (local) figure and DfE's published one are both
        stored (`twin`, set when written), `prefer` says which: local for the headline
        (docs/ssda903.md), published to rank authorities on like-for-like figures. The other
        one stays stored (the reconciliation reads the published one)."""
        return f"(SELECT * FROM {self.stored()} WHERE NOT (twin AND source <> '{prefer}'))"

    def is_sample(self) -> bool:
        return bool(self.config.is_sample)

    def months(self) -> list[date]:
        def run():
            # Months with a local figure, and the month ends of the authority's annual
            # (published) figures: a council that loaded only DfE's files sees them, and the
            # default "as at" is the latest period with any figure.
            d = self.df("SELECT DISTINCT period_end FROM observations WHERE area_code = ? "
                        "AND period_type IN ('month', 'year') ORDER BY 1", [self.config.code])
            return sorted({month_end(pd.Timestamp(x).date()) for x in d.period_end})
        return self.cached("months", run)

    def latest_month(self) -> date | None:
        m = self.months()
        return m[-1] if m else None

    def resolve_as_at(self, as_at=None) -> date | None:
        if as_at is None or as_at == "":
            return self.latest_month()
        if isinstance(as_at, str):
            return parse_as_at(as_at)
        return month_end(as_at)

    # -------------------------------------------------------------- frames
    def _records(self, which: str, as_at: date) -> dict:
        """Rows by indicator as plain dicts, one scan per month asked: `local` (our totals)
        or `comp` (annual figures of us and our comparators). Plain Python is far faster
        than pandas for the ~50 small lookups a page makes; frames are built from these."""
        def run():
            cols = "indicator_code, area_code, " + ", ".join(_SERIES_COLS)
            if which == "local":
                sql = (f"SELECT {cols} FROM {self.figures()} o WHERE area_code = ? "
                       "AND breakdown = '' "
                       "AND period_end <= ? ORDER BY indicator_code, period_end")
                params = [self.config.code, as_at]
            else:
                sql = (f"SELECT {cols} FROM {self.figures()} o WHERE period_type = 'year' AND "
                       "breakdown = '' AND period_end <= ? AND area_code IN (SELECT unnest(?)) "
                       "ORDER BY indicator_code, period_end")
                params = [as_at, [self.config.region, ENGLAND, SN, self.config.code,
                                  *self.config.statistical_neighbours]]
            res = self.conn.cursor().execute(sql, params)
            names = [d[0] for d in res.description]
            out: dict = {}
            for row in res.fetchall():
                rec = dict(zip(names, row))
                out.setdefault(rec["indicator_code"], []).append(rec)
            return out
        return self.cached(("records", which, as_at), run)

    def _sn_by_year(self, rows: list[dict]) -> dict:
        """period_end -> the statistical-neighbour figure: the neighbours' average where their
        figures are loaded, else the hand-keyed one, else (flagged `empty`) a missing row."""
        neighbours = set(self.config.statistical_neighbours)
        groups: dict = {}
        for r in rows:
            if r["area_code"] in neighbours:
                groups.setdefault(r["period_end"], []).append(r)
        years, empty = {}, {}
        for pe, grp in groups.items():
            vals = [r["value"] for r in grp if _num(r["value"]) is not None]
            row = {**grp[0], "area_code": SN,
                   "value": sum(vals) / len(vals) if vals else math.nan,
                   "missing_reason": None if vals else "no neighbour figures",
                   "n_neighbours": len(vals), "empty": not vals,
                   # suppressed or not loaded: left out of the average, and counted
                   "n_without_figure": len(neighbours) - len(vals)}
            (years if vals else empty)[pe] = row
        for r in rows:
            if r["area_code"] == SN and r["period_end"] not in years:
                years[r["period_end"]] = {**r, "n_neighbours": math.nan, "empty": False}
        for pe, row in empty.items():
            years.setdefault(pe, row)
        return years

    def _latest_comparators(self, code, as_at: date) -> dict:
        rows = self._records("comp", as_at).get(code, [])
        out = {}
        for key, area in (("west_midlands", self.config.region), ("england", ENGLAND)):
            mine = [r for r in rows if r["area_code"] == area]
            if mine:
                out[key] = _entry(mine[-1])
        if "west_midlands" in out:
            out["region"] = {**out["west_midlands"], "name": area_name(self.config.region)}
        years = {pe: r for pe, r in self._sn_by_year(rows).items() if not r["empty"]}
        if years:
            latest = years[max(years)]
            out["statistical_neighbours"] = {
                **_entry(latest), "n_neighbours": _num(latest["n_neighbours"]),
                "n_without_figure": _num(latest.get("n_without_figure"))}
        return out

    def _revised_periods(self, as_at: date) -> dict:
        """(indicator, period_end) -> the value first reported, for local totals."""
        def run():
            # revisions within the source of the figure shown (local over published)
            d = self.df("SELECT r.indicator_code, r.period_end, "
                        "first(r.value ORDER BY r.replaced_at, r.upload_id) AS value, "
                        f"min(r.replaced_at) AS replaced_at FROM {self.stored('revisions')} r "
                        f"SEMI JOIN {self.figures()} o ON o.indicator_code = r.indicator_code "
                        "AND o.area_code = r.area_code AND o.period_start = r.period_start "
                        "AND o.period_end = r.period_end AND o.breakdown = r.breakdown "
                        "AND o.source = r.source WHERE r.area_code = ? "
                        "AND r.breakdown = '' AND r.period_end <= ? GROUP BY ALL",
                        [self.config.code, as_at])
            return {(r.indicator_code, pd.Timestamp(r.period_end).date()):
                    {"value": _num(r.value), "replaced_at": str(r.replaced_at)}
                    for r in d.itertuples()}
        return self.cached(("revised", as_at), run)

    def series(self, code, as_at=None, area_code=None, breakdown="") -> pd.DataFrame:
        as_at = self.resolve_as_at(as_at)
        if as_at is None:
            return pd.DataFrame(columns=_SERIES_COLS)
        area = area_code or self.config.code
        if area == self.config.code and breakdown == "":
            rows = self._records("local", as_at).get(code, [])
            ind = self.catalogue.get(code) if code in self.catalogue else None
            if ind is not None and ind.frequency == "M":
                # monthly figures; with none loaded (only DfE's files), the published years,
                # as summary() reads them
                rows = [r for r in rows if r["period_type"] == "month"] or rows
            return _frame(rows, _SERIES_COLS)
        return self.df("SELECT " + ", ".join(_SERIES_COLS) + f" FROM {self.figures()} o WHERE "
                       "indicator_code = ? AND area_code = ? AND breakdown = ? AND period_end <= ? "
                       "ORDER BY period_end", [code, area, breakdown, as_at])

    def breakdown_series(self, code, as_at=None) -> pd.DataFrame:
        as_at = self.resolve_as_at(as_at)
        d = self.df("SELECT breakdown, " + ", ".join(_SERIES_COLS) + f" FROM {self.figures()} o "
                    "WHERE indicator_code = ? AND area_code = ? AND breakdown <> '' "
                    "AND period_end <= ? ORDER BY period_end, breakdown",
                    [code, self.config.code, as_at])
        parts = d.breakdown.str.split("=", n=1)
        d["dimension"] = parts.str[0]
        d["category"] = parts.str[1]
        return d

    def comparators(self, code, as_at=None) -> pd.DataFrame:
        """Annual figures: local, West Midlands, statistical-neighbour average, England."""
        as_at = self.resolve_as_at(as_at)
        cols = ["comparator", "area_code", "period_start", "period_end", "period_label",
                "value", "missing_reason", "n_neighbours"]
        rows = self._records("comp", as_at).get(code, []) if as_at is not None else []
        role = {self.config.code: "local", self.config.region: "west_midlands",
                ENGLAND: "england"}
        out = [{**r, "comparator": role[r["area_code"]], "n_neighbours": math.nan}
               for r in rows if r["area_code"] in role]
        out += [{**r, "comparator": "statistical_neighbours"}
                for r in self._sn_by_year(rows).values()]
        if not out:
            return pd.DataFrame(columns=cols)
        return _frame(out, cols).sort_values(["comparator", "period_end"], ignore_index=True)

    # -------------------------------------------------------------- summary
    def target(self, ind, as_at: date):
        """The target the status is judged against (the config's over the catalogue's);
        None when the status compares with England or there is no RAG."""
        return rule_for(ind, self.config.targets.get(ind.code)).target_for(financial_year_label(as_at))

    def summary(self, code, as_at=None) -> dict:
        as_at = self.resolve_as_at(as_at)
        return self.cached(("summary", code, as_at), lambda: self._summary(code, as_at))

    def _summary(self, code, as_at: date | None) -> dict:
        ind = self.catalogue.get(code)
        out = {"code": ind.code, "title": ind.title, "unit": ind.unit,
               "polarity": ind.polarity,
               "as_at": as_at.strftime("%Y-%m") if as_at else None,
               "period": None, "value": None, "numerator": None, "denominator": None,
               "missing_reason": None, "previous": None, "outturn": None,
               "target": None, "rag": None, "rag_basis": None,
               "comparators": {k: None for k in COMPARATOR_KEYS}}
        if as_at is None:
            out["missing_reason"] = "no figures loaded"
            return out
        out["target"] = _num(self.target(ind, as_at))
        local = self._records("local", as_at).get(code, [])
        monthly = [r for r in local if r["period_type"] == "month"]
        yearly = [r for r in local if r["period_type"] == "year"]
        rows = monthly if ind.frequency == "M" else yearly
        if ind.frequency == "M" and not rows:
            rows = yearly
        spark = []
        if rows:
            cur = rows[-1]
            out.update(period=cur["period_label"], value=_num(cur["value"]),
                       numerator=_num(cur["numerator"]), denominator=_num(cur["denominator"]),
                       missing_reason=_str(cur["missing_reason"]))
            if len(rows) > 1:
                prev = rows[-2]
                out["previous"] = {"period": prev["period_label"], "value": _num(prev["value"])}
            out["_period_end"] = cur["period_end"]
            if ind.frequency == "M":
                spark = [{"period": r["period_label"], "value": _num(r["value"])}
                         for r in monthly[-13:]]
        else:
            out["missing_reason"] = f"no figure up to {month_label(as_at)}"
        # Out-turn: the last financial year completed before this month (its published
        # figure where loaded, else the March value).
        if ind.frequency == "M":
            march = date(financial_year_start(as_at).year, 3, 31)  # the last 31 March
            fy = financial_year_label(march)
            y = [r for r in yearly if r["period_label"] == fy and _num(r["value"]) is not None]
            m = [r for r in monthly if r["period_end"] == march]
            if y:
                out["outturn"] = {"year": fy, "value": _num(y[-1]["value"])}
            elif m:
                out["outturn"] = {"year": fy, "value": _num(m[-1]["value"])}
        # Comparators: each one's latest published year up to this month.
        if ind.comparators:
            for key, entry in self._latest_comparators(code, as_at).items():
                out["comparators"][key] = entry
        eng = out["comparators"]["england"]
        # The one RAG rule (core/rag.py), with the council's own target where it set one:
        # `rag_basis` says what the status compares with ('target' or 'england').
        verdict = judge(ind, out["value"], england=eng["value"] if eng else None,
                        fy_label=financial_year_label(as_at), override=self.config.targets.get(ind.code))
        out["rag"], out["rag_basis"] = verdict.status, verdict.basis
        # Extras for the pages (not part of the `lacdash show` contract).
        prev, ot = out["previous"], out["outturn"]
        out["change_since_previous"] = _diff(out["value"], prev and prev["value"])
        out["direction_since_previous"] = (ind.change_direction(prev["value"], out["value"])
                                           if prev and prev["value"] is not None and
                                           out["value"] is not None else None)
        out["change_since_outturn"] = _diff(out["value"], ot and ot["value"])
        out["direction_since_outturn"] = (ind.change_direction(ot["value"], out["value"])
                                          if ot and ot["value"] is not None and
                                          out["value"] is not None else None)
        # Rank and quartile among English authorities and in the region (published years).
        out["rank"] = benchmark.ranking(self, code, as_at) if ind.comparators else None
        den = out["denominator"]
        out["small_cohort"] = bool(den is not None and ind.is_small_cohort(den))
        out["sparkline"] = spark
        out["first_reported"] = self._revised_periods(as_at).get(
            (code, out.pop("_period_end", None)))
        out["all_children"] = self._all_children(ind, as_at)
        return out

    def _all_children(self, ind, as_at: date) -> dict | None:
        """The same measure for all children in the area (the catalogue's `context` indicator)
        as loaded for our area up to as_at: {code, title, year, value, source}; None when the
        indicator has none or none is loaded (never a figure from the catalogue's text)."""
        if not ind.context:
            return None
        s = self.summary(ind.context, as_at)
        if s["value"] is None:
            return None
        other = self.catalogue.get(ind.context)
        return {"code": other.code, "title": other.title, "year": s["period"],
                "value": s["value"], "source": other.source}

    def scorecard(self, as_at=None) -> list[dict]:
        as_at = self.resolve_as_at(as_at)
        return [self.summary(i.code, as_at) for i in self.catalogue.indicators]

    def revisions(self, code, as_at=None) -> pd.DataFrame:
        as_at = self.resolve_as_at(as_at)
        return self.df(f"""
            SELECT r.period_label, r.breakdown, first(r.value ORDER BY r.replaced_at) AS first_value,
                   any_value(o.value) AS current_value,
                   first(r.upload_id ORDER BY r.replaced_at) AS first_upload_id,
                   any_value(o.upload_id) AS current_upload_id, max(r.replaced_at) AS revised_at,
                   r.period_end
            FROM {self.stored('revisions')} r JOIN {self.figures()} o
                 USING (indicator_code, area_code, period_start, period_end, breakdown, source)
            WHERE r.indicator_code = ? AND r.area_code = ? AND r.period_end <= ?
            GROUP BY r.period_label, r.breakdown, r.period_end ORDER BY r.period_end""",
                       [code, self.config.code, as_at])

    def commentary(self, as_at, section: str) -> dict | None:
        as_at = self.resolve_as_at(as_at)
        d = self.df("SELECT text, author, saved_at, version FROM commentary WHERE month = ? "
                    "AND section = ? ORDER BY version DESC LIMIT 1", [as_at, section])
        if d.empty:
            return None
        r = d.iloc[0]
        return {"text": r.text, "author": r.author, "saved_at": r.saved_at,
                "version": int(r.version)}

    def commentary_versions(self, as_at, section: str) -> pd.DataFrame:
        as_at = self.resolve_as_at(as_at)
        return self.df("SELECT version, text, author, saved_at FROM commentary WHERE month = ? "
                       "AND section = ? ORDER BY version DESC", [as_at, section])

    def uploads(self) -> pd.DataFrame:
        return self.df("SELECT * FROM uploads ORDER BY upload_id DESC")

    def monthly_values(self, codes, areas, since: date, until: date) -> pd.DataFrame:
        """Stored monthly observations of these indicators and areas within [since, until]
        (what an upload check compares with: "more than 10 points since last month")."""
        return self.df(
            "SELECT * FROM observations WHERE period_type = 'month' "
            "AND indicator_code IN (SELECT unnest(?)) AND area_code IN (SELECT unnest(?)) "
            "AND period_start >= ? AND period_end <= ?",
            [sorted(codes), sorted(areas), since, until])

    def latest_local_month(self) -> date | None:
        """The last month end with a monthly figure of the authority's own (read afresh)."""
        d = self.df("SELECT max(period_end) AS m FROM observations WHERE area_code = ? "
                    "AND period_type = 'month'", [self.config.code])
        m = d.m.iloc[0] if len(d) else None
        return None if m is None or pd.isna(m) else pd.Timestamp(m).date()

    def close(self) -> None:
        self.conn.close()

    def audit_log(self, limit=500) -> pd.DataFrame:
        return self.df('SELECT * FROM audit_log ORDER BY "at" DESC, rowid DESC LIMIT ?', [limit])

    def _has_table(self, name: str) -> bool:
        return bool(len(self.df("SELECT 1 FROM information_schema.tables WHERE table_name = ?",
                                [name])))

    def ssda903_quality(self) -> pd.DataFrame:
        """The data-quality report of the latest committed SSDA903 extract (repairs, gaps,
        DfE rule failures; children pseudonymised): editors only, never on board pages."""
        def run():
            if not self._has_table("ssda903_quality"):  # a file from before SSDA903 loads
                return pd.DataFrame(columns=["severity", "kind", "rule", "child", "file",
                                             "rows", "message", "indicators", "months",
                                             "upload_id"])
            return self.df("""
                SELECT q.* EXCLUDE (upload_id), q.upload_id FROM ssda903_quality q
                WHERE q.upload_id = (SELECT max(upload_id) FROM uploads
                                     WHERE kind = 'ssda903' AND status = 'committed')
                ORDER BY CASE q.severity WHEN 'warning' THEN 0 ELSE 1 END,
                         q.kind = 'dfe rule', q.kind, q.rule,
                         q.child""")
        return self.cached("ssda903_quality", run)

    def reconciliation(self, code=None) -> pd.DataFrame:
        """For each year ending 31 March: our figure computed from the SSDA903 extract beside
        the published figure for the authority (loaded from DfE's files), and the difference.
        Columns: indicator_code, year, computed, numerator, denominator, published,
        difference (published and difference NaN when no published figure is loaded)."""
        def run():
            if not self._has_table("ssda903_year_end"):  # a file from before SSDA903 loads
                return pd.DataFrame(columns=["indicator_code", "year", "computed", "numerator",
                                             "denominator", "published", "difference"])
            return self.df("""
                SELECT y.indicator_code, y."year", y.value AS computed, y.numerator,
                       y.denominator, o.value AS published, y.value - o.value AS difference
                FROM ssda903_year_end y
                LEFT JOIN observations o
                  ON o.indicator_code = y.indicator_code AND o.area_code = ?
                 AND o.period_type = 'year' AND o.breakdown = ''
                 AND o.period_end = make_date(CAST(substr(y."year", 1, 4) AS INTEGER) + 1, 3, 31)
                 AND o.upload_id IN (SELECT upload_id FROM uploads
                                     WHERE kind IN (SELECT unnest(?)))
                WHERE y.upload_id = (SELECT max(upload_id) FROM uploads
                                     WHERE kind = 'ssda903' AND status = 'committed')
                ORDER BY y.indicator_code, y.year""", [self.config.code, list(PUBLISHED_KINDS)])
        d = self.cached("reconciliation", run)
        if code is not None:
            d = d[d["indicator_code"] == code].reset_index(drop=True)
        return d

    def adoption_children(self) -> pd.DataFrame:
        """The child-level records of the latest committed adoption upload (pseudonymous)."""
        return self.df("""
            SELECT * EXCLUDE (upload_id) FROM adoption_children WHERE upload_id = (
              SELECT max(c.upload_id) FROM adoption_children c JOIN uploads u
              ON u.upload_id = c.upload_id WHERE u.status = 'committed')""")

    def step_changes(self, code=None, as_at=None) -> pd.DataFrame:
        """Recorded SPC step changes (not removed) up to as_at: `step_id, indicator_code,
        month` (month end), `reason, user_name, recorded_at`, oldest first."""
        as_at = self.resolve_as_at(as_at)
        cols = ["step_id", "indicator_code", "month", "reason", "user_name", "recorded_at"]
        has = self.df("SELECT count(*) AS n FROM information_schema.tables "
                      "WHERE table_name = 'step_changes'").n.iloc[0]
        if not has:  # a warehouse written before step changes existed
            return pd.DataFrame(columns=cols)
        where, params = ["removed_at IS NULL"], []
        if code is not None:
            where.append("indicator_code = ?")
            params.append(code)
        if as_at is not None:
            where.append("month <= ?")
            params.append(as_at)
        return self.df(f"SELECT {', '.join(cols)} FROM step_changes WHERE "
                       f"{' AND '.join(where)} ORDER BY indicator_code, month", params)



def _frame(rows: list[dict], cols: list[str]) -> pd.DataFrame:
    """Rows as a frame with the dtypes DuckDB's `.df()` gives (dates as datetime64)."""
    out = pd.DataFrame(rows, columns=cols)
    for c in ("period_start", "period_end"):
        if c in out:
            out[c] = pd.to_datetime(out[c]).astype("datetime64[us]")
    for c in ("value", "numerator", "denominator", "n_neighbours"):
        if c in out:
            out[c] = pd.to_numeric(out[c]).astype("float64")  # None -> NaN, as .df() gives
    for c in ("comparator", "area_code", "period_label", "period_type", "missing_reason",
              "status"):
        if c in out:
            out[c] = out[c].astype("str")  # missing stays missing
    return out


def _entry(r: dict) -> dict:
    e = {"year": r["period_label"], "value": _num(r["value"])}
    if _str(r.get("missing_reason")):
        e["missing_reason"] = _str(r["missing_reason"])
    return e


def _diff(a, b):
    if a is None or b is None:
        return None
    return _num(round(float(a) - float(b), 6))


def show_json(summary: dict) -> dict:
    """Exactly the documented `lacdash show --json` keys."""
    keys = ["code", "title", "unit", "polarity", "as_at", "period", "value", "numerator",
            "denominator", "missing_reason", "previous", "outturn", "target", "rag",
            "comparators"]
    out = {k: summary.get(k) for k in keys}
    out["comparators"] = {k: ({"year": v["year"], "value": v["value"]} if v else None)
                          for k, v in summary["comparators"].items()}
    region = summary["comparators"].get("region")
    if region:  # the configured region's name beside its figure
        out["comparators"]["region"]["name"] = region["name"]
    return out
