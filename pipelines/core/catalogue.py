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
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterator

import yaml

from pipelines.core.publications import Mapping, Publications, parse_mappings, parse_reference

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "data" / "indicators.yaml"

UNITS = ("count", "percent", "rate", "days", "score")
POLARITIES = ("up", "down", "none")
FREQUENCIES = ("M", "A")
YEAR_TYPES = ("financial", "academic", "calendar")
MEASURES = ("snapshot", "rolling_12_months", "year_to_date", "annual")
RAG_METHODS = ("target", "comparator", "none")
COMPARATORS = ("WM", "SN", "ENG")
COMPUTED = ("adoption",)

REQUIRED_FIELDS = ("code", "title", "definition", "section", "unit", "polarity", "frequency", "source")
# Optional fields and their defaults: a new indicator may leave these out.
OPTIONAL_DEFAULTS: dict[str, Any] = {
    "decimals": 0,
    "year_type": "financial",
    "measure": "snapshot",
    "target": None,
    "targets_by_year": {},
    "rag": {"method": "none", "amber_margin": 0},
    "comparators": [],
    "aliases": [],
    "breakdowns": {},
    "context": None,
    "good": None,
    "small_cohort": None,
    "computed": None,
    "published": None,  # DfE published files that carry it: see publications.py
}
SECTION_FIELDS = ("id", "slug", "title", "summary")

_CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_BREAKDOWN_RE = re.compile(r"^[a-z0-9_]+$")
_FY_RE = re.compile(r"^\s*(\d{4})\s*[-/]?\s*(\d{2}|\d{4})\s*$")


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


def normalise_fy_label(label: str) -> str:
    """'2017/18', '201718', '2017-2018' -> '2017-18'; anything else is returned stripped."""
    m = _FY_RE.match(str(label))
    if not m:
        return str(label).strip()
    return f"{m.group(1)}-{m.group(2)[-2:]}"


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True  # pd.NA and non-numbers are "no figure", never zero


def _round(value: float, decimals: int) -> Decimal:
    # Half up, as people round by hand (60.5% -> 61%), not Python's banker's rounding.
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
        text = f"{_round(value, self.decimals):,.{self.decimals}f}"
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
        v, r = _round(value, self.decimals), _round(reference, self.decimals)
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


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _parse(path: Path) -> Catalogue:
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise CatalogueError(path, [f"the file is not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise CatalogueError(path, ["the file must be a mapping with 'sections:' and 'indicators:' lists"])

    problems: list[str] = []
    raw_sections = data.get("sections")
    raw_indicators = data.get("indicators")
    if not isinstance(raw_sections, list) or not raw_sections:
        problems.append("'sections:' must be a non-empty list")
        raw_sections = []
    if not isinstance(raw_indicators, list) or not raw_indicators:
        problems.append("'indicators:' must be a non-empty list")
        raw_indicators = []
    for key in data:
        if key not in ("sections", "indicators", "reference_files"):
            problems.append(f"unknown top-level key {key!r} (expected 'sections', 'indicators' "
                            "and optionally 'reference_files')")
    reference_files = parse_reference(data.get("reference_files"), problems)

    # Sections
    section_ids: list[str] = []
    section_rows: list[dict[str, Any]] = []
    seen_slugs: set[str] = set()
    for n, sec in enumerate(raw_sections, start=1):
        where = f"section {n}"
        if not isinstance(sec, dict):
            problems.append(f"{where}: must be a mapping with {', '.join(SECTION_FIELDS)}")
            continue
        if sec.get("id"):
            where = f"section {n} ({sec['id']})"
        for f in SECTION_FIELDS:
            if not isinstance(sec.get(f), str) or not sec.get(f, "").strip():
                problems.append(f"{where}: missing {f}")
        for f in sec:
            if f not in SECTION_FIELDS:
                problems.append(f"{where}: unknown field {f!r} (expected {', '.join(SECTION_FIELDS)})")
        sid, slug = sec.get("id"), sec.get("slug")
        if isinstance(slug, str) and slug and not _SLUG_RE.match(slug):
            problems.append(f"{where}: slug {slug!r} must be lower-case letters, digits and hyphens")
        if sid in section_ids:
            problems.append(f"{where}: duplicate section id {sid!r}")
        if isinstance(slug, str) and slug in seen_slugs:
            problems.append(f"{where}: duplicate section slug {slug!r}")
        section_ids.append(sid)
        if isinstance(slug, str):
            seen_slugs.add(slug)
        section_rows.append(sec)

    # Indicators
    lines = _item_lines(text)
    indicators: list[Indicator] = []
    code_owner: dict[str, str] = {}  # code key -> code
    code_where: dict[str, str] = {}  # code key -> "indicator n, line l"
    name_owner: dict[str, str] = {}  # alias key -> code
    known = set(REQUIRED_FIELDS) | set(OPTIONAL_DEFAULTS)
    for n, raw in enumerate(raw_indicators, start=1):
        line = f", line {lines[n - 1]}" if n - 1 < len(lines) else ""
        if not isinstance(raw, dict):
            problems.append(f"indicator {n}{line}: must be a mapping of fields")
            continue
        code = raw.get("code")
        where = f"indicator {n} ({code}{line})" if code else f"indicator {n}{line}"
        before = len(problems)

        for f in REQUIRED_FIELDS:
            v = raw.get(f)
            if v is None or (isinstance(v, str) and not v.strip()):
                problems.append(f"{where}: missing {f}")
        for f in raw:
            if f not in known:
                close = difflib.get_close_matches(str(f), sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                problems.append(f"{where}: unknown field {f!r}{hint}")
        r = {**OPTIONAL_DEFAULTS, **{k: v for k, v in raw.items() if v is not None or k in REQUIRED_FIELDS}}
        for f in ("title", "definition", "source", "good", "context"):
            if r.get(f) is not None and not isinstance(r[f], str):
                problems.append(f"{where}: {f} must be text, got {r[f]!r}")

        if isinstance(code, str) and code:
            if not _CODE_RE.match(code):
                problems.append(f"{where}: code {code!r} must be upper-case letters, digits and underscores")
            ck = _code_key(code)
            if ck in code_owner:
                problems.append(f"{where}: duplicate code {code!r} (already used by {code_where[ck]})")
            else:
                code_owner[ck] = code
                code_where[ck] = f"indicator {n}{line}"

        def choice(f: str, allowed: tuple[str, ...]) -> None:
            v = r.get(f)
            if v is not None and v not in allowed:
                problems.append(f"{where}: {f} {v!r} is not one of {', '.join(allowed)}")

        choice("unit", UNITS)
        choice("polarity", POLARITIES)
        choice("frequency", FREQUENCIES)
        choice("year_type", YEAR_TYPES)
        choice("measure", MEASURES)
        choice("computed", COMPUTED)
        sec = r.get("section")
        if sec is not None and sec not in section_ids:
            problems.append(f"{where}: section {sec!r} is not one of the sections ({', '.join(map(str, section_ids))})")

        dec = r["decimals"]
        if not isinstance(dec, int) or isinstance(dec, bool) or not 0 <= dec <= 4:
            problems.append(f"{where}: decimals must be a whole number from 0 to 4, got {dec!r}")
            dec = 0
        if r["target"] is not None and not _is_number(r["target"]):
            problems.append(f"{where}: target must be a number or null, got {r['target']!r}")
        tby = r["targets_by_year"]
        if not isinstance(tby, dict):
            problems.append(f"{where}: targets_by_year must be a mapping like {{\"2017-18\": 426}}")
            tby = {}
        for k, v in tby.items():
            if not re.match(r"^\d{4}-\d{2}$", str(k)):
                problems.append(f"{where}: targets_by_year key {k!r} must be a financial year like '2017-18'")
            if not _is_number(v):
                problems.append(f"{where}: targets_by_year[{k!r}] must be a number, got {v!r}")
        sc = r["small_cohort"]
        if sc is not None and (not isinstance(sc, int) or isinstance(sc, bool) or sc < 1):
            problems.append(f"{where}: small_cohort must be a positive whole number or null, got {sc!r}")

        comps = r["comparators"]
        if not isinstance(comps, list) or any(c not in COMPARATORS for c in comps):
            problems.append(f"{where}: comparators must be a list of {', '.join(COMPARATORS)}, got {comps!r}")
            comps = []
        elif len(set(comps)) != len(comps):
            problems.append(f"{where}: comparators listed twice: {comps!r}")

        rag = r["rag"]
        method, margin = "none", 0.0
        if not isinstance(rag, dict) or set(rag) - {"method", "amber_margin"}:
            problems.append(f"{where}: rag must be {{method: target|comparator|none, amber_margin: number}}, got {rag!r}")
        else:
            method = rag.get("method", "none")
            margin = rag.get("amber_margin", 0)
            if method not in RAG_METHODS:
                problems.append(f"{where}: rag method {method!r} is not one of {', '.join(RAG_METHODS)}")
            if not _is_number(margin) or margin < 0:
                problems.append(f"{where}: rag amber_margin must be a number of 0 or more, got {margin!r}")
                margin = 0.0
            if r.get("polarity") == "none" and method != "none":
                problems.append(f"{where}: polarity none is context only, so rag method must be none (got {method!r})")
            if method == "target" and r["target"] is None and not tby:
                problems.append(f"{where}: rag method target needs a target or targets_by_year")
            if method == "comparator" and "ENG" not in comps:
                problems.append(f"{where}: rag method comparator needs ENG among the comparators")

        aliases = r["aliases"]
        if not isinstance(aliases, list) or not all(isinstance(a, str) and _alias_key(a) for a in aliases):
            problems.append(f"{where}: aliases must be a list of non-empty names, got {aliases!r}")
            aliases = []
        own: set[str] = set()
        title = r.get("title") if isinstance(r.get("title"), str) else None
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

        bd = r["breakdowns"]
        breakdowns: dict[str, tuple[str, ...]] = {}
        breakdown_units: dict[str, str] = {}
        if not isinstance(bd, dict):
            problems.append(f"{where}: breakdowns must map a dimension to a list of values")
        else:
            for dim, values in bd.items():
                if not _BREAKDOWN_RE.match(str(dim)):
                    problems.append(f"{where}: breakdown dimension {dim!r} must be lower_case_with_underscores")
                if isinstance(values, dict):  # {unit: count, values: [...]}: a unit of its own
                    extra = set(values) - {"unit", "values"}
                    if extra or values.get("unit") not in UNITS:
                        problems.append(
                            f"{where}: breakdown {dim!r} must be a list of values or "
                            f"{{unit: {'|'.join(UNITS)}, values: [...]}}, got {values!r}")
                        continue
                    if values["unit"] != r.get("unit"):
                        breakdown_units[str(dim)] = values["unit"]
                    values = values.get("values")
                if not isinstance(values, list) or not values or not all(
                    isinstance(v, str) and _BREAKDOWN_RE.match(v) for v in values
                ):
                    problems.append(
                        f"{where}: breakdown {dim!r} must list values in lower_case_with_underscores, got {values!r}"
                    )
                    continue
                if len(set(values)) != len(values):
                    problems.append(f"{where}: breakdown {dim!r} lists a value twice")
                breakdowns[str(dim)] = tuple(values)

        published = parse_mappings(code, r["published"], where, problems)

        if len(problems) > before:
            continue
        indicators.append(
            Indicator(
                code=code,
                title=r["title"].strip(),
                definition=r["definition"].strip(),
                section=sec,
                unit=r["unit"],
                decimals=dec,
                polarity=r["polarity"],
                frequency=r["frequency"],
                year_type=r["year_type"],
                measure=r["measure"],
                target=float(r["target"]) if r["target"] is not None else None,
                rag_method=method,
                amber_margin=float(margin),
                source=r["source"].strip(),
                good=r["good"],
                targets_by_year={str(k): float(v) for k, v in tby.items()},
                comparators=tuple(comps),
                aliases=tuple(aliases),
                breakdowns=breakdowns,
                breakdown_units=breakdown_units,
                context=r["context"],
                small_cohort=sc,
                computed=r["computed"],
                published=published,
            )
        )

    problems += _context_problems(indicators)
    if problems:
        raise CatalogueError(path, problems)
    # An all-children figure is shown beside the indicator it is the context of, not alone.
    beside = {i.context for i in indicators if i.context}

    sections = [
        Section(
            id=s["id"],
            slug=s["slug"],
            title=s["title"],
            summary=s["summary"],
            indicators=tuple(i for i in indicators if i.section == s["id"] and i.code not in beside),
        )
        for s in section_rows
    ]
    return Catalogue(indicators, sections, path=path, reference_files=reference_files)
