"""The indicator catalogue: load and validate data/indicators.yaml, look indicators up.

Everything indicator-specific (titles, units, polarity, targets, RAG rules, sections) comes
from the YAML file, so adding an indicator needs no code. The rules that read those fields
(formatting, RAG, direction of change) live here as methods of `Indicator`.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Iterator

import yaml

from pipelines.core.catalogue_schema import CatalogueFile, IndicatorModel, SectionModel, check
from pipelines.core.periods import normalise_fy_label
from pipelines.core.publications import Mapping, Publications, parse_mappings, parse_reference

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "indicators.yaml"


class CatalogueError(ValueError):
    """The catalogue file has problems; `problems` lists every one of them."""

    def __init__(self, path: Path | str, problems: list[str]):
        self.path = str(path)
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        n = len(self.problems)
        super().__init__(f"{self.path}: {n} problem{'s' if n != 1 else ''} in the indicator catalogue:\n{lines}")


class UnknownIndicator(KeyError):
    """An indicator code the catalogue does not know; the message suggests near codes."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


def _alias_key(text: str) -> str:
    """Lower-case, '&' read as 'and', runs of punctuation and whitespace collapsed to one space."""
    text = str(text).lower().replace("&", " and ")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def _code_key(text: str) -> str:
    """A code compared ignoring case, spaces and punctuation: 'cl eet pct' == 'CL_EET_PCT'."""
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True  # pd.NA and non-numbers are "no figure", never zero


def round_half_up(value: float, decimals: int) -> Decimal:
    """A figure as it is shown: half up, as people round by hand (60.5% -> 61%), not Python's
    banker's rounding; no "-0". The one rounding rule (formatting, RAG, change words)."""
    d = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return d if d != 0 else abs(d)  # no "-0"


@dataclass(frozen=True)
class Indicator:
    code: str
    title: str
    definition: str
    section: str
    unit: str
    decimals: int
    polarity: str
    frequency: str
    year_type: str
    measure: str
    target: float | None
    rag_method: str
    amber_margin: float
    source: str
    good: str | None
    targets_by_year: dict[str, float] = field(default_factory=dict, hash=False)
    comparators: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    breakdowns: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    # a breakdown's own unit where it differs from the indicator's (e.g. children by Ofsted
    # rating under a percentage): dimension -> unit
    breakdown_units: dict[str, str] = field(default_factory=dict, hash=False)
    context: str | None = None
    small_cohort: int | None = None
    computed: str | None = None
    published: tuple[Mapping, ...] = field(default=(), hash=False)

    # ------------------------------------------------------------------ display
    def format_value(self, value: Any) -> str:
        """'61%', '59,038', '615 days', '-1.16'; a missing value is 'no figure', never 0."""
        if _missing(value):
            return "no figure"
        text = f"{round_half_up(value, self.decimals):,.{self.decimals}f}"
        if self.unit == "percent":
            return f"{text}%"
        if self.unit == "days":
            return f"{text} day" if text == "1" else f"{text} days"
        return text

    def unit_of(self, breakdown: str | None = "") -> str:
        """The unit of a figure: the indicator's for the total (''), the breakdown's own for
        'dimension=value' (e.g. 'ofsted_rating=good' counts children under a percentage)."""
        dim = str(breakdown or "").split("=", 1)[0]
        return self.breakdown_units.get(dim, self.unit) if dim else self.unit

    def for_breakdown(self, dimension: str) -> "Indicator":
        """This indicator as its breakdown `dimension` is formatted, checked and drawn: with the
        breakdown's unit (a count has no decimals)."""
        unit = self.breakdown_units.get(dimension, self.unit)
        if unit == self.unit:
            return self
        return replace(self, unit=unit, decimals=0 if unit == "count" else self.decimals)

    def is_small_cohort(self, denominator: Any) -> bool:
        """True when the cohort behind the figure is small enough to make it volatile."""
        if _missing(denominator):
            return False
        threshold = 20 if self.small_cohort is None else self.small_cohort  # the board's rule
        return float(denominator) < threshold

    # ------------------------------------------------------------------ judgement
    def target_for(self, fy_label: str | None = None) -> float | None:
        """The target for a financial year ('2017-18'), falling back to the standing target."""
        if fy_label is not None:
            key = normalise_fy_label(fy_label)
            if key in self.targets_by_year:
                return self.targets_by_year[key]
        return self.target

    def _shortfall(self, value: float, reference: float) -> Decimal:
        """How far `value` is worse than `reference`, in the indicator's unit (<= 0: as good or better).

        Compared at the displayed precision, so two figures that read the same are equal.
        """
        v, r = round_half_up(value, self.decimals), round_half_up(reference, self.decimals)
        return v - r if self.polarity == "down" else r - v

    def rag(self, value: Any, england: Any = None, fy_label: str | None = None) -> str | None:
        """'green' | 'amber' | 'red' by the catalogue's own rule (no local override), or None.

        The rule itself is pipelines.core.rag.judge, the one place RAG is decided.
        """
        from pipelines.core.rag import judge  # here: core/rag imports this module (a cycle at the top)

        return judge(self, value, england=england, fy_label=fy_label).status

    def change_direction(self, old: Any, new: Any) -> str | None:
        """'improving' | 'worsening' | 'no change' by polarity; None for context-only or missing."""
        if self.polarity == "none" or _missing(old) or _missing(new):
            return None
        worse_by = self._shortfall(float(new), float(old))
        if worse_by == 0:
            return "no change"
        return "worsening" if worse_by > 0 else "improving"


@dataclass(frozen=True)
class Section:
    id: str
    slug: str
    title: str
    summary: str
    indicators: tuple[Indicator, ...] = ()


class Catalogue:
    """The indicators and sections of one catalogue file, in file order."""

    def __init__(self, indicators: list[Indicator], sections: list[Section], path: Path | None = None,
                 reference_files: list | None = None):
        self.indicators = list(indicators)
        self.publications = Publications([m for i in indicators for m in i.published],
                                         list(reference_files or []))
        self.sections = list(sections)
        self.path = path
        self._by_code = {i.code: i for i in self.indicators}
        self._by_code_key = {_code_key(i.code): i for i in self.indicators}
        self._by_alias: dict[str, Indicator] = {}
        for ind in self.indicators:
            # Titles count as names too, so our own exports load back without editing.
            for name in (ind.title, *ind.aliases):
                self._by_alias.setdefault(_alias_key(name), ind)
        self._sections = {s.id: s for s in self.sections} | {s.slug: s for s in self.sections}

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, code: object) -> bool:
        if isinstance(code, Indicator):
            code = code.code
        return isinstance(code, str) and code in self._by_code

    @property
    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    @property
    def context_codes(self) -> set[str]:
        """Codes of all-children figures shown beside another indicator (its `context`)."""
        return {i.context for i in self.indicators if i.context}

    def get(self, code: str) -> Indicator:
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            pass
        hint = self.suggest(str(code))
        msg = f"Unknown indicator code {code!r}."
        if hint:
            msg += f" Did you mean {', '.join(hint)}?"
        raise UnknownIndicator(msg)

    def resolve(self, name: str) -> Indicator | None:
        """The indicator a code (any case, spacing or punctuation) or a published name refers to."""
        if name is None:
            return None
        ind = self._by_code_key.get(_code_key(name))
        if ind is not None:
            return ind
        return self._by_alias.get(_alias_key(name))

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Up to n codes whose code or published names are nearest to `name`."""
        choices: dict[str, str] = {}
        for ind in self.indicators:
            choices.setdefault(_code_key(ind.code), ind.code)
            for alias in (ind.title, *ind.aliases):
                choices.setdefault(_alias_key(alias), ind.code)
        candidates = {_code_key(name), _alias_key(name)}
        scored: dict[str, float] = {}
        for cand in candidates:
            for key in difflib.get_close_matches(cand, choices, n=n * 4, cutoff=0.5):
                ratio = difflib.SequenceMatcher(None, cand, key).ratio()
                code = choices[key]
                scored[code] = max(scored.get(code, 0.0), ratio)
        return [c for c, _ in sorted(scored.items(), key=lambda kv: -kv[1])][:n]

    def section(self, slug_or_id: str) -> Section:
        try:
            return self._sections[slug_or_id]
        except KeyError:
            known = ", ".join(s.slug for s in self.sections)
            raise KeyError(f"Unknown section {slug_or_id!r}; the sections are: {known}.") from None


# ---------------------------------------------------------------------- loading
def sections(catalogue: Catalogue | None = None) -> list[Section]:
    """The report's sections in the catalogue's order (default: data/indicators.yaml): the one
    list the navigation and the section pages are built from."""
    return list((catalogue or load_catalogue()).sections)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load and validate the catalogue (default data/indicators.yaml); raises CatalogueError.

    Cached per path; an edited file (new modification time) is read again.
    """
    p = Path(path).resolve() if path is not None else DEFAULT_PATH
    try:
        mtime = p.stat().st_mtime_ns
    except FileNotFoundError:
        raise CatalogueError(p, [f"the catalogue file {p} does not exist"]) from None
    return _load_cached(str(p), mtime)


@functools.lru_cache(maxsize=16)
def _load_cached(path: str, mtime_ns: int) -> Catalogue:
    return _parse(Path(path))


# libyaml's safe loader where installed: 8 times faster (matters to every `lacdash` run).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _item_lines(text: str) -> list[int]:
    """Line numbers (1-based) where each item of `indicators:` starts, for error messages."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key, value in root.value:
        if key.value == "indicators" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def _context_problems(indicators: list[Indicator]) -> list[str]:
    """`context` names the all-children indicator shown beside this one: a figure loaded like
    any other (with its area, year and source), never a sentence carrying a number."""
    by_code = {i.code: i for i in indicators}
    out = []
    for ind in indicators:
        if ind.context is None:
            continue
        other = by_code.get(ind.context)
        if other is None:
            out.append(f"indicator {ind.code}: context {ind.context!r} must be the code of the "
                       "indicator holding the all-children figure (figures are data, not text "
                       "in the catalogue)")
        elif other.unit != ind.unit:
            out.append(f"indicator {ind.code}: context {other.code} is in {other.unit}, "
                       f"not {ind.unit}, so the two cannot be shown side by side")
        elif other.context is not None or other.polarity != "none":
            out.append(f"indicator {ind.code}: context {other.code} must be context only "
                       "(polarity none) with no context of its own")
    return out


def _parse(path: Path) -> Catalogue:
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise CatalogueError(path, [f"the file is not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise CatalogueError(path, ["the file must be a mapping with 'sections:' and 'indicators:' lists"])

    top, problems = check(CatalogueFile, data, "the file")
    raw_sections = list(top.sections) if top else list(data.get("sections") or [])
    raw_indicators = list(top.indicators) if top else list(data.get("indicators") or [])
    if not isinstance(raw_sections, list) or not isinstance(raw_indicators, list):
        raise CatalogueError(path, problems)
    reference_files = parse_reference(data.get("reference_files"), problems)

    # Sections
    sections_read: list[SectionModel] = []
    for n, raw in enumerate(raw_sections, start=1):
        sid = raw.get("id") if isinstance(raw, dict) else None
        where = f"section {n} ({sid})" if sid else f"section {n}"
        sec, found = check(SectionModel, raw, where)
        problems += found
        if sec is None:
            continue
        if any(s.id == sec.id for s in sections_read):
            problems.append(f"{where}: duplicate section id {sec.id!r}")
        elif any(s.slug == sec.slug for s in sections_read):
            problems.append(f"{where}: duplicate section slug {sec.slug!r}")
        else:
            sections_read.append(sec)
    # every id written, so one bad section does not make its indicators' section unknown
    section_ids = [str(r["id"]) for r in raw_sections if isinstance(r, dict) and r.get("id")]

    # Indicators: each checked on its own, then against the others
    lines = _item_lines(text)
    indicators: list[Indicator] = []
    code_owner: dict[str, str] = {}  # code key -> code
    code_where: dict[str, str] = {}  # code key -> "indicator n, line l"
    name_owner: dict[str, str] = {}  # alias key -> code
    for n, raw in enumerate(raw_indicators, start=1):
        line = f", line {lines[n - 1]}" if n - 1 < len(lines) else ""
        code = raw.get("code") if isinstance(raw, dict) else None
        where = f"indicator {n} ({code}{line})" if code else f"indicator {n}{line}"
        model, found = check(IndicatorModel, raw if isinstance(raw, dict) else None, where)
        before = len(problems)
        problems += found
        if isinstance(code, str) and code:
            ck = _code_key(code)
            if ck in code_owner:
                problems.append(f"{where}: duplicate code {code!r} (already used by {code_where[ck]})")
            else:
                code_owner[ck] = code
                code_where[ck] = f"indicator {n}{line}"
        sec = raw.get("section") if isinstance(raw, dict) else None
        if isinstance(sec, str) and sec not in section_ids:
            problems.append(f"{where}: section {sec!r} is not one of the sections ({', '.join(section_ids)})")
        aliases = [a for a in (raw.get("aliases") or []) if isinstance(a, str)] \
            if isinstance(raw, dict) and isinstance(raw.get("aliases"), list) else []
        title = raw.get("title") if isinstance(raw, dict) and isinstance(raw.get("title"), str) else None
        own: set[str] = set()
        for name in ([title] if title else []) + aliases:
            key = _alias_key(name)
            if key in own:  # repeating its own title is harmless
                continue
            own.add(key)
            owner = name_owner.get(key)
            if owner is not None and owner != code:
                problems.append(f"{where}: duplicate alias {name!r} (already a title or alias of {owner})")
            else:
                name_owner[key] = code
        for name in aliases:
            ck = _code_key(name)
            if ck in code_owner and code_owner[ck] != code:
                problems.append(f"{where}: alias {name!r} reads as the code {code_owner[ck]}")
        published = parse_mappings(code, raw.get("published") if isinstance(raw, dict) else None,
                                   where, problems)
        if model is None or len(problems) > before:
            continue
        indicators.append(_indicator(model, published))

    problems += _context_problems(indicators)
    if problems:
        raise CatalogueError(path, problems)
    # An all-children figure is shown beside the indicator it is the context of, not alone.
    beside = {i.context for i in indicators if i.context}
    sections = [
        Section(id=s.id, slug=s.slug, title=s.title, summary=s.summary,
                indicators=tuple(i for i in indicators if i.section == s.id and i.code not in beside))
        for s in sections_read
    ]
    return Catalogue(indicators, sections, path=path, reference_files=reference_files)


def _indicator(m: IndicatorModel, published) -> Indicator:
    return Indicator(
        code=m.code, title=m.title, definition=m.definition, section=m.section, unit=m.unit,
        decimals=m.decimals, polarity=m.polarity, frequency=m.frequency, year_type=m.year_type,
        measure=m.measure, target=m.target, rag_method=m.rag.method,
        amber_margin=float(m.rag.amber_margin), source=m.source, good=m.good,
        targets_by_year=dict(m.targets_by_year), comparators=tuple(m.comparators),
        aliases=tuple(m.aliases),
        breakdowns={dim: tuple(b.values) for dim, b in m.breakdowns.items()},
        breakdown_units={dim: b.unit for dim, b in m.breakdowns.items()
                         if b.unit is not None and b.unit != m.unit},
        context=m.context, small_cohort=m.small_cohort, computed=m.computed, published=published)
