"""Who may see unsuppressed figures, and the one place the pages' figures are suppressed for
everyone else (issue 14 item 5).

`[auth] unsuppressed` in the config says who sees figures of 1 to 4 children as they are:
`"signed-in"` (the default: anyone signed in), `"viewer"`, `"editor"` or `"admin"` (that role
or higher), or `"everyone"` (no suppression on screen; for a deployment that only staff can
reach). Everyone else sees what the public board papers show: the rules of
`exports.suppression` (counts and percentages from 1 to 4 children as "fewer than 5",
secondary suppression in breakdowns, and year-to-date months that would give a hidden month
away by subtraction).

`AudienceWarehouse` wraps the app's one `Warehouse` (set up in `app.create_app`): every page,
chart, tooltip, table and download reads figures through it, so they all get the same
suppressed figures; it decides per request. Its `cached` keys page layouts by audience too,
so a layout built for an editor is never served to an anonymous visitor.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable

import pandas as pd

from exports import suppression as sup
from webapp.auth import ROLES, current_user

SETTINGS = ("everyone", "signed-in", *ROLES)
PUBLIC = "public"
FULL = "full"


def unsuppressed_setting(config) -> str:
    value = str((config.auth or {}).get("unsuppressed", "signed-in")).strip().lower()
    if value not in SETTINGS:
        raise ValueError(f"[auth] unsuppressed = '{value}' in {config.config_path}: expected "
                         f"one of {', '.join(SETTINGS)}")
    return value


def sees_unsuppressed(config, user=None) -> bool:
    """May this user (default: the current request's) see figures unsuppressed?"""
    setting = unsuppressed_setting(config)
    if setting == "everyone":
        return True
    user = user or current_user(config)
    if setting == "signed-in":
        return user.signed_in
    return user.signed_in and user.has(setting)


class AudienceWarehouse:
    """A `Warehouse` whose figures are suppressed when `public()` is true (per call).
    Anything not listed here is passed through unchanged (dates, uploads, audit log)."""

    def __init__(self, warehouse, public: Callable[[], bool]):
        self._wh = warehouse
        self._public = public
        self._building_for = threading.local()

    def __getattr__(self, name):
        return getattr(self._wh, name)

    @property
    def raw(self):
        """The unsuppressed Warehouse (for writers' checks and editors' pages only)."""
        return self._wh

    def is_public(self) -> bool:
        forced = getattr(self._building_for, "audience", None)
        return forced == PUBLIC if forced is not None else bool(self._public())

    @contextmanager
    def building_for(self, audience: str):
        """Read as `audience` sees the figures on this thread only, whoever the request is
        (app.keep_warm builds each audience's pages ahead of its readers)."""
        if audience not in (PUBLIC, FULL):
            raise ValueError(f"audience {audience!r}: expected {PUBLIC!r} or {FULL!r}")
        self._building_for.audience = audience
        try:
            yield self
        finally:
            self._building_for.audience = None

    def audience(self) -> str:
        return PUBLIC if self.is_public() else FULL

    def cached(self, key, build):
        return self._wh.cached((self.audience(), key), build)

    def _public_memo(self, key, build, copy: bool = True):
        """Suppressed answers are kept once per warehouse file version, like the raw ones
        (callers get copies of frames, so nobody can change the kept one)."""
        cached = getattr(self._wh, "cached", None)
        out = cached((PUBLIC, "figures", key), build) if cached else build()
        return out.copy() if copy and isinstance(out, pd.DataFrame) else out

    # ------------------------------------------------------------------ figures
    # Issue 15: a frame read "as at" a month is the latest one cut at that month (the as-at
    # month only limits period_end), and every suppression rule looks at a row, a month or
    # the months before it (across_months runs forwards), never at later months. So each
    # indicator's frames are suppressed once per warehouse version, over all its months up
    # to the latest (kept as "<kind>-to-latest" in the Warehouse's cache), and a month's
    # public frame is that one cut at the month: a past month's first view no longer
    # suppresses anything (building the latest month's pages, as app.keep_warm does after
    # each commit, makes them). A month after
    # the latest, or a cut that comes out empty, takes the old way (suppress what is read).

    def _ind(self, code):
        return self._wh.catalogue.get(code)

    def _cut(self, kind, code, as_at, read, suppress):
        """The public frame `kind` of `code` as at `as_at`, cut from the whole one; None
        when it must be read and suppressed for this month on its own."""
        latest, month = self._wh.latest_month(), self._wh.resolve_as_at(as_at)
        if latest is None or month is None or month > latest:
            return None
        whole = self._public_memo((kind + "-to-latest", code),
                                  lambda: suppress(read(latest), latest), copy=False)
        if whole.empty or "period_end" not in whole.columns:
            return None
        ends = pd.to_datetime(whole["period_end"])
        if ends.is_monotonic_increasing:  # series and breakdowns: the first n rows
            part = whole.iloc[:int(ends.searchsorted(pd.Timestamp(month), side="right"))]
        else:  # comparators: by comparator, then year
            part = whole[ends <= pd.Timestamp(month)]
        return part.reset_index(drop=True) if len(part) else None

    def _series_or_cut(self, kind, code, as_at, read, suppress):
        # A cut is not kept: making it costs about what copying a kept frame would
        # (copy-on-write: it shares nothing a caller could change).
        part = self._cut(kind, code, as_at, read, suppress)
        if part is not None:
            return part
        return self._public_memo((kind, code, str(as_at)), lambda: suppress(read(as_at), as_at))

    def suppressed_to_latest(self, codes=None) -> None:
        """Suppress every indicator's series and comparators up to the latest month now
        (benches and tests; the latest month's pages do it as they are built)."""
        for ind in self._wh.catalogue.indicators if codes is None else map(self._ind, codes):
            self._cut("series", ind.code, None, *self._series_parts(ind.code))
            if ind.comparators:
                self._cut("comparators", ind.code, None, *self._comparator_parts(ind.code))

    def _series_parts(self, code):
        return (lambda m: self._wh.series(code, m),
                lambda df, _m: sup.suppress_frame(df, self._ind(code)))

    def _comparator_parts(self, code):
        return (lambda m: self._wh.comparators(code, m),
                lambda df, _m: sup.suppress_frame(df, self._ind(code)))

    def series(self, code, as_at=None, area_code=None, breakdown="") -> pd.DataFrame:
        if not self.is_public():
            return self._wh.series(code, as_at, area_code=area_code, breakdown=breakdown)
        if area_code is None and breakdown == "":
            return self._series_or_cut("series", code, as_at, *self._series_parts(code))
        return self._public_memo(("series", code, str(as_at), area_code, breakdown), lambda: (
            sup.suppress_frame(self._wh.series(code, as_at, area_code=area_code,
                                               breakdown=breakdown), self._ind(code))))

    def breakdown_series(self, code, as_at=None) -> pd.DataFrame:
        if not self.is_public():
            return self._wh.breakdown_series(code, as_at)
        return self._series_or_cut(
            "breakdowns", code, as_at, lambda m: self._wh.breakdown_series(code, m),
            lambda df, m: sup.suppress_breakdowns(df, self._ind(code),
                                                  totals=self._wh.series(code, m)))

    def comparators(self, code, as_at=None) -> pd.DataFrame:
        if not self.is_public():
            return self._wh.comparators(code, as_at)
        return self._series_or_cut("comparators", code, as_at, *self._comparator_parts(code))

    def summary(self, code, as_at=None) -> dict:
        if not self.is_public():
            return self._wh.summary(code, as_at)
        return self._public_memo(("summary", code, str(as_at)),
                                 lambda: self._public_summary(code, as_at))

    def _public_summary(self, code, as_at) -> dict:
        s = self._wh.summary(code, as_at)
        ind = self._ind(code)
        comps = self.comparators(code, as_at) if ind.comparators else None
        out = sup.suppress_summary(s, ind, series_df=self.series(code, as_at),
                                   comparators_df=comps)
        if out.get("suppressed"):
            out["small_cohort"] = False  # "based on 3 children" would say the number
        return out

    def scorecard(self, as_at=None) -> list[dict]:
        rows = self._wh.scorecard(as_at)
        if not self.is_public():
            return rows
        return [self.summary(r["code"], as_at) for r in rows]

    def revisions(self, code, as_at=None) -> pd.DataFrame:
        df = self._wh.revisions(code, as_at)
        if not self.is_public() or df is None or df.empty:
            return df
        ind = self._ind(code)
        series = self.series(code, as_at)
        gone = set(series.loc[series["suppressed"], "period_label"].astype(str)) \
            if "suppressed" in series.columns else set()
        keep = ~df["period_label"].astype(str).isin(gone)
        if getattr(ind, "unit", "") == "count":
            keep &= ~df["first_value"].map(sup.is_small) & ~df["current_value"].map(sup.is_small)
        return df[keep].reset_index(drop=True)

    def monthly_values(self, codes, areas, since, until) -> pd.DataFrame:
        df = self._wh.monthly_values(codes, areas, since, until)
        if not self.is_public() or df is None or df.empty or "indicator_code" not in df:
            return df
        parts = [sup.suppress_frame(g, self._ind(code)).drop(columns="suppressed")
                 for code, g in df.groupby("indicator_code", sort=False)]
        return pd.concat(parts).sort_index() if parts else df

    def commentary(self, as_at, section: str) -> dict | None:
        c = self._wh.commentary(as_at, section)
        if not self.is_public() or not c:
            return c
        return {**c, "text": sup.suppress_text(c.get("text"))}


def audience_warehouse(warehouse, config) -> AudienceWarehouse:
    """The app's Warehouse as each request's user may see it."""
    unsuppressed_setting(config)  # a mistyped setting stops the start, saying which
    return AudienceWarehouse(warehouse, lambda: not sees_unsuppressed(config))
