"""RAG status: the one rule for green, amber and red, used by every page, `lacdash show` and
the board pack (they all read `Warehouse.summary`, which asks `judge`).

An indicator's rule comes from the catalogue (`rag: {method, amber_margin}`, `target`,
`targets_by_year`). A council's config may set its own, per indicator, under `[targets]`:

    [targets]
    PEP_Y1_11_PCT = 95                 # a local target: the status is judged against it
    [targets.CL_EET_PCT]
    target = 65                        # optional when compare_with = "england" or "none"
    amber_margin = 3                   # in the indicator's unit; default: the catalogue's
    compare_with = "target"            # "target" (default when a target is set), "england", "none"

A local target always drives the status: the page shows the target the status was judged
against, and where the status compares with England it says so instead of "target".
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

from pipelines.core.catalogue import Catalogue, round_half_up
from pipelines.core.periods import normalise_fy_label

BASES = ("target", "england", "none")
_CATALOGUE_BASIS = {"target": "target", "comparator": "england", "none": "none"}
OVERRIDE_KEYS = ("target", "amber_margin", "compare_with")


@dataclass(frozen=True)
class Rule:
    """What an indicator's status is judged against: `basis` 'target', 'england' or 'none'."""

    basis: str
    target: float | None = None
    targets_by_year: tuple[tuple[str, float], ...] = ()
    amber_margin: float = 0.0
    local: bool = False  # set in the council's config rather than the catalogue

    def target_for(self, fy_label: str | None = None) -> float | None:
        if self.basis != "target":
            return None
        if fy_label is not None:
            by_year = dict(self.targets_by_year)
            key = normalise_fy_label(fy_label)
            if key in by_year:
                return by_year[key]
        return self.target


@dataclass(frozen=True)
class Judgement:
    status: str | None  # 'green' | 'amber' | 'red' | None (no rule, or a figure is missing)
    basis: str | None  # 'target' | 'england' | None
    reference: float | None  # the target or England figure the value was compared with


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return True


def _shown(value: float, decimals: int) -> Decimal:
    # Compared at the displayed precision (half up), so two figures that read the same are equal.
    return round_half_up(value, decimals)


def rule_for(ind, override: Mapping[str, Any] | None = None) -> Rule:
    """The indicator's rule: the catalogue's, with the config's override (if any) on top."""
    catalogue_rule = Rule(
        basis=_CATALOGUE_BASIS.get(ind.rag_method, "none") if ind.polarity != "none" else "none",
        target=ind.target,
        targets_by_year=tuple(sorted(ind.targets_by_year.items())),
        amber_margin=float(ind.amber_margin),
    )
    if not override:
        return catalogue_rule
    target = override.get("target")
    basis = override.get("compare_with") or ("target" if target is not None else catalogue_rule.basis)
    margin = override.get("amber_margin")
    return Rule(
        basis=basis,
        target=float(target) if target is not None else catalogue_rule.target,
        # a local target replaces the catalogue's year-by-year ones too
        targets_by_year=() if target is not None else catalogue_rule.targets_by_year,
        amber_margin=float(margin) if margin is not None else catalogue_rule.amber_margin,
        local=True,
    )


def judge(ind, value: Any, *, england: Any = None, fy_label: str | None = None,
          override: Mapping[str, Any] | None = None) -> Judgement:
    """The status of `value` by the indicator's rule (and the config's override)."""
    rule = rule_for(ind, override)
    if rule.basis == "none" or ind.polarity == "none":
        return Judgement(None, None, None)
    reference = rule.target_for(fy_label) if rule.basis == "target" else england
    reference = None if _missing(reference) else float(reference)
    if _missing(value) or reference is None:
        return Judgement(None, rule.basis, reference)
    v, r = _shown(value, ind.decimals), _shown(reference, ind.decimals)
    gap = v - r if ind.polarity == "down" else r - v  # how far worse than the reference
    if gap <= 0:
        status = "green"
    elif gap <= Decimal(repr(rule.amber_margin)):
        status = "amber"
    else:
        status = "red"
    return Judgement(status, rule.basis, reference)


def read_overrides(raw: Any) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The config's `[targets]` table as {code: {target, amber_margin, compare_with}} and the
    problems found (shape only; `check_overrides` checks them against the catalogue)."""
    out: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    if raw is None:
        return out, problems
    if not isinstance(raw, Mapping):
        return out, ["[targets] must be a table of indicator codes"]
    for code, entry in raw.items():
        where = f"[targets] {code}"
        if _is_number(entry):
            out[str(code)] = {"target": float(entry), "amber_margin": None, "compare_with": None}
            continue
        if not isinstance(entry, Mapping):
            problems.append(f"{where} must be a number (the target) or a table with "
                            f"{', '.join(OVERRIDE_KEYS)}, got {entry!r}")
            continue
        bad = [k for k in entry if k not in OVERRIDE_KEYS]
        if bad:
            problems.append(f"{where}: unknown key {', '.join(map(repr, bad))} "
                            f"(expected {', '.join(OVERRIDE_KEYS)})")
        target, margin, basis = (entry.get(k) for k in OVERRIDE_KEYS)
        if target is not None and not _is_number(target):
            problems.append(f"{where}: target must be a number, got {target!r}")
            target = None
        if margin is not None and (not _is_number(margin) or margin < 0):
            problems.append(f"{where}: amber_margin must be a number of 0 or more, got {margin!r}")
            margin = None
        if basis is not None and basis not in BASES:
            problems.append(f"{where}: compare_with must be one of {', '.join(BASES)}, got {basis!r}")
            basis = None
        out[str(code)] = {"target": None if target is None else float(target),
                          "amber_margin": None if margin is None else float(margin),
                          "compare_with": basis}
    return out, problems


def check_overrides(overrides: Mapping[str, Mapping[str, Any]], catalogue: Catalogue) -> list[str]:
    """Every way the config's overrides do not fit the catalogue, as sentences."""
    problems = []
    for code, o in overrides.items():
        where = f"[targets] {code}"
        if code not in catalogue:
            hint = catalogue.suggest(code)
            problems.append(f"{where}: no such indicator code"
                            + (f" (did you mean {', '.join(hint)}?)" if hint else ""))
            continue
        ind = catalogue.get(code)
        rule = rule_for(ind, o)
        if ind.polarity == "none" and rule.basis != "none":
            problems.append(f"{where}: {ind.title} is context only (no better or worse), "
                            "so it cannot have a target or a RAG status")
        elif rule.basis == "target" and rule.target is None and not rule.targets_by_year:
            problems.append(f"{where}: compare_with = \"target\" needs a target")
        elif rule.basis == "england" and "ENG" not in ind.comparators:
            problems.append(f"{where}: compare_with = \"england\" but {code} has no England "
                            "figure in the catalogue (comparators)")
    return problems


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)
