"""The shape of data/indicators.yaml as pydantic models, and its problems in plain words.

`pipelines.core.catalogue` loads the file, validates each section and indicator with these
models (so one bad indicator does not hide another's problems), adds the checks that need
the whole file (duplicate codes and names, unknown sections, context codes) and builds the
`Indicator` objects. Every problem names the indicator (number, code, line), the field, what
was found and what was expected; all of them are reported at once.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints,
                      ValidationError, model_validator)

UNITS = ("count", "percent", "rate", "days", "score")
POLARITIES = ("up", "down", "none")
FREQUENCIES = ("M", "A")
YEAR_TYPES = ("financial", "academic", "calendar")
MEASURES = ("snapshot", "rolling_12_months", "year_to_date", "annual")
RAG_METHODS = ("target", "comparator", "none")
COMPARATORS = ("WM", "SN", "ENG")
COMPUTED = ("adoption",)

CODE_PATTERN = r"^[A-Z][A-Z0-9_]*$"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
NAME_PATTERN = r"^[a-z0-9_]+$"
FY_PATTERN = r"^\d{4}-\d{2}$"

# What a pattern means, for the messages (pydantic would quote the regular expression).
_PATTERN_WORDS = {
    CODE_PATTERN: "upper-case letters, digits and underscores (CL_EET_PCT)",
    SLUG_PATTERN: "lower-case letters, digits and hyphens (care-leavers)",
    NAME_PATTERN: "lower_case_with_underscores",
    FY_PATTERN: "a financial year like '2017-18'",
}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Code = Annotated[str, StringConstraints(pattern=CODE_PATTERN)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Name = Annotated[str, StringConstraints(pattern=NAME_PATTERN)]
FinancialYear = Annotated[str, StringConstraints(pattern=FY_PATTERN)]
Number = Annotated[float, Field(allow_inf_nan=False)]


class _Model(BaseModel):
    # strict: "426" is not a number and 1 is not text, as in the file they are different
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SectionModel(_Model):
    id: Text
    slug: Slug
    title: Text
    summary: Text


class Rag(_Model):
    method: Literal[RAG_METHODS] = "none"
    amber_margin: Annotated[Number, Field(ge=0)] = 0.0


class Breakdown(_Model):
    """A breakdown dimension's values, with its own unit where it differs (children by Ofsted
    rating under a percentage). In the file: a list, or {unit: count, values: [...]}."""
    unit: Literal[UNITS] | None = None
    values: Annotated[list[Name], Field(min_length=1)]

    @model_validator(mode="after")
    def _once_each(self):
        if len(set(self.values)) != len(self.values):
            raise ValueError("lists a value twice")
        return self


def _list_is_values(v: Any) -> Any:
    return {"values": v} if isinstance(v, list) else v


class IndicatorModel(_Model):
    code: Code
    title: Text
    definition: Text
    section: Text
    unit: Literal[UNITS]
    polarity: Literal[POLARITIES]
    frequency: Literal[FREQUENCIES]
    source: Text
    decimals: Annotated[int, Field(ge=0, le=4)] = 0
    year_type: Literal[YEAR_TYPES] = "financial"
    measure: Literal[MEASURES] = "snapshot"
    target: Number | None = None
    targets_by_year: dict[FinancialYear, Number] = {}
    rag: Rag = Rag()
    comparators: list[Literal[COMPARATORS]] = []
    aliases: list[Text] = []
    breakdowns: dict[Name, Annotated[Breakdown, BeforeValidator(_list_is_values)]] = {}
    context: Code | None = None  # the code of the all-children indicator shown beside it
    good: Text | None = None
    small_cohort: Annotated[int, Field(ge=1)] | None = None
    computed: Literal[COMPUTED] | None = None  # also computed from child-level records
    published: Any = None  # checked by pipelines.core.publications

    @model_validator(mode="after")
    def _rules(self):
        problems = []
        if len(set(self.comparators)) != len(self.comparators):
            problems.append(f"comparators listed twice: {self.comparators}")
        method = self.rag.method
        if self.polarity == "none" and method != "none":
            problems.append(f"polarity none is context only, so rag method must be none (got {method!r})")
        if method == "target" and self.target is None and not self.targets_by_year:
            problems.append("rag method target needs a target or targets_by_year")
        if method == "comparator" and "ENG" not in self.comparators:
            problems.append("rag method comparator needs ENG among the comparators")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class CatalogueFile(_Model):
    sections: Annotated[list[Any], Field(min_length=1)]
    indicators: Annotated[list[Any], Field(min_length=1)]
    reference_files: Any = None  # checked by pipelines.core.publications


def _dropping_nulls(raw: dict, model: type[BaseModel]) -> dict:
    """An optional field written as null takes its default (a required one stays, to be
    reported as missing)."""
    required = {n for n, f in model.model_fields.items() if f.is_required()}
    return {k: v for k, v in raw.items() if v is not None or k in required}


def check(model: type[BaseModel], raw: Any, where: str) -> tuple[BaseModel | None, list[str]]:
    """Validate one item; (the model or None, every problem as 'where: ...')."""
    if isinstance(raw, dict):
        raw = _dropping_nulls(raw, model)
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, [f"{where}: {_say(e, model)}" for e in exc.errors(include_url=False)]


def _field(loc: tuple) -> str:
    """('breakdowns', 'placed', 'values', 0) -> "breakdowns placed values[0]"."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ("[key]", "function-before[_list_is_values(), Breakdown]"):
            continue
        else:
            out += (" " if out else "") + str(part)
    return out


def _say(err: dict, model: type[BaseModel]) -> str:
    loc, kind, found = tuple(err["loc"]), err["type"], err.get("input")
    name = _field(loc)
    if kind == "missing":
        return f"missing {name}"
    if kind == "extra_forbidden":
        known = sorted(model.model_fields) if len(loc) == 1 else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        expected = f" (expected {', '.join(known)})" if not close and known and len(known) < 8 else ""
        return f"unknown field {loc[-1]!r}{hint}{expected}"
    if kind == "literal_error":
        return f"{name} {found!r} is not one of {err['ctx']['expected'].replace(chr(39), '')}"
    if kind == "string_pattern_mismatch":
        words = _PATTERN_WORDS.get(err["ctx"]["pattern"], f"text matching {err['ctx']['pattern']}")
        if loc[-1:] == ("[key]",):  # a mapping's key: "breakdowns key 'Bad Dim' must be ..."
            return f"{_field(loc[:-2])} key {found!r} must be {words}"
        return f"{name} {found!r} must be {words}"
    if kind == "value_error":
        msg = err["msg"].removeprefix("Value error, ")
        return f"{name} {msg}" if name else msg
    if kind == "string_too_short":
        return f"missing {name}"
    if kind == "string_type" and name:
        return f"{name} must be text, got {found!r}"
    expected = err["msg"].removeprefix("Input should be ").rstrip(".")
    return f"{name} must be {expected}, got {found!r}"
