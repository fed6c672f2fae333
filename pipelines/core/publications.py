"""Which DfE published file feeds which indicator: the `published:` entries of the catalogue.

Each indicator may list the published files that carry it. One entry says, in data:

```yaml
published:
  - file: la_cla_placement_stability        # the publication (its file name as downloaded)
    filters:                                 # the filter columns and the value(s) to keep
      cla_group: "CLA on 31 March"           # one value: the headline figure
      placement_stability: "With 3 or more placements during the year"
      # several values: file value -> breakdown ("" is the headline figure)
      # care_leaver_age: {"19 to 21 years": "", "17 to 18 years": "care_leaver_age=aged_17_to_18"}
    value: [children_percent, percentage]    # the value column, current name first, then older names
    numerator: [children_count, number]      # optional
    denominator:                             # optional: the cohort, from the same row
      filters: {placement_stability: "Total children"}   # ... or from the row with these
      column: [children_count, number]       # values instead (default: the numerator column)
    transform: "100 - x"                     # optional: x, 100 - x, or years:months as days
    cohort: "Children looked after on 31 March" # optional: the published cohort, said beside the figure
```

A filter column may also have older names: write the key as `"care_leaver_age|age"`; so may
a filter value, the current one first: `"19 to 21 years|Aged 19 to 21": ""` (the first of them
the file holds is used; a denominator filter value too: `"Suitability total|Total"`).
Files are told apart by their columns; where two publications have the same columns (the
two care-leaver files), by which of their filter values the file holds, then by file name.

`reference_files:` (top level) names files that carry no indicator but are recognised and
accepted (England-only tables, statistical-neighbour models): `{id, columns, note}`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# "years:months as days": DfE's "yy:mm" adoption averages (pipelines/sources/adoption_published.py)
TRANSFORMS = ("x", "100 - x", "years:months as days")
_CLEAN = re.compile(r"[^0-9a-z]+")


def clean(name: str) -> str:
    """Header or value text -> lower snake case, as readers.clean_header does for headers."""
    return _CLEAN.sub("_", str(name).replace("\ufeff", "").lower()).strip("_")


@dataclass(frozen=True)
class Filter:
    names: tuple[str, ...]  # current column name first, then older names (cleaned)
    values: dict[str, str]  # file value (exact text) -> breakdown ("" = headline)
    # the values that are one value under its names in different releases, current first
    # (each value alone when none has an older name)
    alternatives: tuple[tuple[str, ...], ...] = ()

    def groups(self) -> tuple[tuple[str, ...], ...]:
        return self.alternatives or tuple((v,) for v in self.values)


def alternatives(text: str) -> tuple[str, ...]:
    """'Suitability total|Total' -> ('Suitability total', 'Total')."""
    return tuple(x.strip() for x in str(text).split("|") if x.strip())


@dataclass(frozen=True)
class Mapping:
    code: str
    file: str
    filters: tuple[Filter, ...]
    value: tuple[str, ...]
    numerator: tuple[str, ...] = ()
    transform: str = "x"
    cohort: str | None = None
    denominator: tuple[str, ...] = ()  # column (same row, or the denominator row)
    # the denominator row: filter (its column names) -> the value that replaces the filter's
    denominator_filters: dict[tuple[str, ...], str] = field(default_factory=dict, hash=False)

    def columns(self) -> list[tuple[str, ...]]:
        """Every column the file must have (each as its alternative names)."""
        return [f.names for f in self.filters] + [self.value] + (
            [self.denominator] if self.denominator else [])


@dataclass(frozen=True)
class ReferenceFile:
    id: str
    columns: tuple[str, ...]
    note: str


@dataclass
class Publications:
    mappings: list[Mapping] = field(default_factory=list)
    reference: list[ReferenceFile] = field(default_factory=list)

    def for_code(self, code: str) -> list[Mapping]:
        return [m for m in self.mappings if m.code == code]

    def files(self) -> dict[str, list[Mapping]]:
        out: dict[str, list[Mapping]] = {}
        for m in self.mappings:
            out.setdefault(m.file, []).append(m)
        return out


def _names(v: Any) -> tuple[str, ...] | None:
    if isinstance(v, str) and v.strip():
        return (clean(v),)
    if isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v):
        return tuple(clean(x) for x in v)
    return None


def parse_mappings(code: str, raw: Any, where: str, problems: list[str]) -> tuple[Mapping, ...]:
    """The `published:` list of one indicator; problems are appended in plain English."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append(f"{where}: published must be a list of {{file, filters, value}} entries")
        return ()
    out = []
    for n, e in enumerate(raw, start=1):
        w = f"{where}: published entry {n}"
        if not isinstance(e, dict):
            problems.append(f"{w} must be a mapping with file, filters and value")
            continue
        unknown = set(e) - {"file", "filters", "value", "numerator", "denominator", "transform",
                            "cohort"}
        if unknown:
            problems.append(f"{w}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        file = e.get("file")
        if not isinstance(file, str) or not file.strip():
            problems.append(f"{w}: file must name the publication, e.g. la_cla_placement_stability")
            continue
        value = _names(e.get("value"))
        if value is None:
            problems.append(f"{w}: value must be a column name or a list of names (newest first)")
            continue
        numerator = _names(e.get("numerator")) if e.get("numerator") is not None else ()
        if numerator is None:
            problems.append(f"{w}: numerator must be a column name or a list of names")
            numerator = ()
        transform = str(e.get("transform", "x")).strip()
        if transform not in TRANSFORMS:
            problems.append(f"{w}: transform {transform!r} is not one of {', '.join(TRANSFORMS)}")
        filters = []
        raw_f = e.get("filters") or {}
        if not isinstance(raw_f, dict):
            problems.append(f"{w}: filters must map a column to the value (or values) to keep")
            raw_f = {}
        headline = 0
        for col, vals in raw_f.items():
            names = tuple(clean(x) for x in str(col).split("|") if x.strip())
            if isinstance(vals, str):
                values = {vals: ""}
            elif isinstance(vals, dict) and vals and all(
                    isinstance(k, str) and isinstance(v, str) for k, v in vals.items()):
                values = dict(vals)
            else:
                problems.append(f"{w}: filter {col!r} must be a value or a mapping of value to breakdown")
                continue
            for bd in values.values():
                if bd and not re.fullmatch(r"[a-z0-9_]+=[a-z0-9_]+", bd):
                    problems.append(f"{w}: filter {col!r}: breakdown {bd!r} must read dimension=value")
            headline += "" in values.values()
            groups = tuple(alternatives(k) for k in values)
            flat = {alt: bd for k, bd in values.items() for alt in alternatives(k)}
            filters.append(Filter(names, flat, groups if any(len(g) > 1 for g in groups) else ()))
        if not headline and filters:
            problems.append(f"{w}: one filter value must be the headline figure (breakdown \"\")")
        den = e.get("denominator") or {}
        den_cols, den_filters = (), {}
        if not isinstance(den, dict) or set(den) - {"filters", "column"}:
            problems.append(f"{w}: denominator must be {{column: [...], filters: {{column: value}}}}")
        elif den:
            den_cols = _names(den["column"]) if den.get("column") is not None else numerator
            den_filters = den.get("filters") or {}
            if den_cols is None or not den_cols or not isinstance(den_filters, dict) or not all(
                    isinstance(v, str) for v in den_filters.values()):
                problems.append(f"{w}: denominator needs a column (or a numerator) and filters "
                                "mapping a filter column to one value")
                den_cols, den_filters = (), {}
            filter_keys = {str(k) for k in raw_f}
            for k in den_filters:
                if str(k) not in filter_keys:
                    problems.append(f"{w}: denominator filter {k!r} is not one of the filters")
        out.append(Mapping(code, file.strip(), tuple(filters), value, numerator, transform,
                           e.get("cohort"), den_cols if den else (),
                           {tuple(clean(x) for x in str(k).split("|") if x.strip()): v
                            for k, v in den_filters.items()}))
    return tuple(out)


def parse_reference(raw: Any, problems: list[str]) -> list[ReferenceFile]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.append("reference_files must be a list of {id, columns, note}")
        return []
    out = []
    for n, e in enumerate(raw, start=1):
        cols = _names(e.get("columns")) if isinstance(e, dict) else None
        if not isinstance(e, dict) or not isinstance(e.get("id"), str) or not cols:
            problems.append(f"reference_files entry {n}: needs id, columns (a list) and note")
            continue
        out.append(ReferenceFile(e["id"], cols, str(e.get("note") or "")))
    return out
