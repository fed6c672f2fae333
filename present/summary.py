"""One indicator's latest figure as every page section and export reads it: a typed object
built once from `Warehouse.summary` (and, in public exports, after suppression), instead of
the store's dict reshaped by each layer.

`lacdash show --json` keeps printing the store's dict through `show_json` (a contract with its
own tests); everything that draws reads `IndicatorSummary`. To add something (an SPC signal, a
published rank, an action-plan link): give the block a field with a default here and fill it
in `from_store`; keys the store adds before they are modelled are kept in `extra`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from components.names import comparator_name
from pipelines.store.queries import show_json

# Keys of Warehouse.summary that IndicatorSummary models (the rest go to `extra`).
_MODELLED = {"code", "title", "unit", "polarity", "as_at", "period", "value", "numerator",
             "denominator", "missing_reason", "previous", "outturn", "target", "rag",
             "rag_basis", "comparators", "change_since_previous", "direction_since_previous",
             "change_since_outturn", "direction_since_outturn", "small_cohort",
             "first_reported", "sparkline", "suppressed", "rank", "all_children"}


def _num(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


@dataclass
class Reading:
    """An earlier figure the latest is compared with: the previous month (`label` is its
    period) or the last out-turn (`label` is its financial year)."""
    label: str | None
    value: float | None
    suppressed: bool = False  # removed from a public export (fewer than 5)


@dataclass
class ComparatorFigure:
    """A comparator's latest published year up to the month."""
    key: str  # west_midlands, statistical_neighbours, england (components.names.COMPARATORS)
    year: str | None
    value: float | None
    missing_reason: str | None = None
    n_neighbours: float | None = None  # statistical neighbours: how many the average is of
    suppressed: bool = False
    extra: dict = field(default_factory=dict)  # store keys not modelled yet
    store: dict = field(default_factory=dict, repr=False)  # the store's entry as read
    region_name: str | None = None  # the configured region's name (the store's `region`)

    @property
    def name(self) -> str:
        return comparator_name(self.key, region_name=self.region_name)


@dataclass
class Revision:
    """What the board was first told for the shown period, when it was revised since."""
    value: float | None
    replaced_at: Any = None


@dataclass
class SparkPoint:
    period: str
    value: float | None
    suppressed: bool = False


@dataclass
class IndicatorSummary:
    indicator: Any  # the catalogue Indicator
    as_at: str | None = None  # "YYYY-MM"
    period: str | None = None  # the latest figure's period label
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    missing_reason: str | None = None
    previous: Reading | None = None
    outturn: Reading | None = None
    target: float | None = None
    rag: str | None = None
    rag_basis: str | None = None  # what the status compares with: 'target' or 'england'
    comparators: dict[str, ComparatorFigure | None] = field(default_factory=dict)
    change_since_previous: float | None = None
    direction_since_previous: str | None = None
    change_since_outturn: float | None = None
    direction_since_outturn: str | None = None
    small_cohort: bool = False
    first_reported: Revision | None = None
    sparkline: list[SparkPoint] = field(default_factory=list)
    suppressed: bool = False  # the latest figure was removed from a public export
    # Blocks other features add, as the store gives them until they get a dataclass here:
    rank: dict | None = None  # rank and quartile among authorities (present.benchmark)
    all_children: dict | None = None  # the all-children figure {value, year, source}
    extra: dict = field(default_factory=dict)  # store keys not modelled yet (e.g. rank)
    store: dict = field(default_factory=dict, repr=False)  # the dict it was built from
    region_name: str | None = None  # the region comparator's label (Config.region_name)

    # ---------------------------------------------------------------- from the store
    @classmethod
    def from_store(cls, indicator, s: dict, region_name: str | None = None) -> "IndicatorSummary":
        """From a `Warehouse.summary` dict (or `exports.suppression.suppress_summary`'s);
        the region comparator is named `region_name` (Config.region_name), else as the store's
        `region` entry names it."""
        prev, ot, fr = s.get("previous"), s.get("outturn"), s.get("first_reported")
        comps = {}
        region_name = region_name or ((s.get("comparators") or {}).get("region") or {}).get("name")
        for key, c in (s.get("comparators") or {}).items():
            comps[key] = None if not c else ComparatorFigure(
                key, c.get("year"), _num(c.get("value")), c.get("missing_reason"),
                _num(c.get("n_neighbours")), bool(c.get("suppressed")),
                {k: v for k, v in c.items() if k not in
                 ("year", "value", "missing_reason", "n_neighbours", "suppressed")}, dict(c),
                region_name)
        return cls(
            indicator=indicator, as_at=s.get("as_at"), period=s.get("period"),
            value=_num(s.get("value")), numerator=_num(s.get("numerator")),
            denominator=_num(s.get("denominator")), missing_reason=s.get("missing_reason"),
            previous=Reading(prev.get("period"), _num(prev.get("value")),
                             bool(prev.get("suppressed"))) if prev else None,
            outturn=Reading(ot.get("year"), _num(ot.get("value")),
                            bool(ot.get("suppressed"))) if ot else None,
            target=_num(s.get("target")), rag=s.get("rag"), rag_basis=s.get("rag_basis"),
            comparators=comps,
            change_since_previous=_num(s.get("change_since_previous")),
            direction_since_previous=s.get("direction_since_previous"),
            change_since_outturn=_num(s.get("change_since_outturn")),
            direction_since_outturn=s.get("direction_since_outturn"),
            small_cohort=bool(s.get("small_cohort")),
            first_reported=(Revision(_num(fr.get("value")), fr.get("replaced_at"))
                            if isinstance(fr, dict) else None),
            sparkline=[SparkPoint(p.get("period"), _num(p.get("value")),
                                  bool(p.get("suppressed"))) for p in s.get("sparkline") or []],
            suppressed=bool(s.get("suppressed")),
            rank=s.get("rank"), all_children=s.get("all_children"),
            extra={k: v for k, v in s.items() if k not in _MODELLED and not k.startswith("_")},
            store=dict(s), region_name=region_name)

    # ---------------------------------------------------------------- what the views ask
    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def title(self) -> str:
        return self.indicator.title

    @property
    def revised_from(self) -> float | None:
        """The value first reported for the shown period, only when it reads differently
        from the current one (at the catalogue's rounding)."""
        fr = self.first_reported
        if fr is None or fr.value is None:
            return None
        fmt = self.indicator.format_value
        return None if fmt(fr.value) == fmt(self.value) else fr.value

    def comparator(self, key: str) -> ComparatorFigure | None:
        return self.comparators.get(key)

    def show_json(self) -> dict:
        """Exactly the `lacdash show --json` keys (pipelines.store.queries.show_json)."""
        return show_json(self.store)


def read_summary(wh, code: str, as_at=None) -> IndicatorSummary:
    """One indicator's summary as at a month, from the warehouse's reads."""
    return IndicatorSummary.from_store(wh.catalogue.get(code), wh.summary(code, as_at),
                                       wh.config.region_name)


def read_summaries(wh, indicators, as_at=None) -> dict[str, IndicatorSummary]:
    """code -> summary for `indicators` (catalogue Indicators), in their order."""
    return {i.code: IndicatorSummary.from_store(i, wh.summary(i.code, as_at), wh.config.region_name)
            for i in indicators}
