"""The words every chart, table and sentence uses for the series and the status: comparator
names (one name each, with the orders tables and sentences use) and the RAG words, symbols
and fills. No plotly here, so present/ can use the words without the charts."""

from __future__ import annotations

SERIES_NAMES = {
    "local": "Local authority",  # replaced by the authority's name: see series_names()
    # The region comparator keeps its old key (`lacdash show --json` scripts read
    # `west_midlands`); its label is the configured region's name, as DfE names it
    # (Config.region_name: "West Midlands", "North East", "Inner London"...), passed as
    # `region_name`. "Region" is only what a builder given no name says.
    "west_midlands": "Region",
    "statistical_neighbours": "Statistical neighbours",
    "england": "England",
    "target": "Target",
}

# RAG fills with their text colour (each pair at least 4.5:1) and symbol; see assets/style.css.
RAG_STYLES = {
    "green": {"fill": "#00703c", "text": "#ffffff", "symbol": "✓", "word": "On target"},
    "amber": {"fill": "#ffdd00", "text": "#0b0c0c", "symbol": "▲", "word": "Close to target"},
    "red": {"fill": "#d4351c", "text": "#ffffff", "symbol": "✗", "word": "Off target"},
}

# The comparators in the order tables list them, and the order a sentence picks the first
# one with a figure (England first: the national benchmark the board asks about).
COMPARATORS = ("west_midlands", "statistical_neighbours", "england")
SENTENCE_ORDER = ("england", "statistical_neighbours", "west_midlands")


def comparator_name(key: str, *, in_sentence: bool = False, region_name: str | None = None) -> str:
    """The one name of each comparator: 'Statistical neighbours' in a table or legend,
    'statistical neighbours' inside a sentence; the region (`region_name`, e.g. 'West
    Midlands' or 'North East') and 'England' either way."""
    if key in ("west_midlands", "region") and region_name:
        return region_name
    name = SERIES_NAMES["west_midlands" if key == "region" else key]
    return name[:1].lower() + name[1:] if in_sentence and key == "statistical_neighbours" else name


def comparator_names(region_name: str | None, *, in_sentence: bool = False) -> dict[str, str]:
    """{key: name} of the comparators (COMPARATORS), the region named."""
    return {k: comparator_name(k, in_sentence=in_sentence, region_name=region_name) for k in COMPARATORS}
