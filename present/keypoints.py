"""A first draft of the board's "Key Points to Note", written from the figures.

One plain sentence per notable change, e.g. "Health assessments up to date: 88% in Oct
2026, down from 91% at the 2025-26 out-turn (worse), below England (90%)." The editor
rewrites it; the draft only saves them finding the changes. Missing figures are said to be
missing, never treated as zero. Pure: reads only an `IndicatorSummary`.
"""
from __future__ import annotations

from components.summary_text import (comparator_label, comparison_base, direction,
                                     first_comparator, movement)
from present.summary import IndicatorSummary, read_summary

OVERALL = "key-points"  # the commentary section key of the key-points page itself
_COMPARABLE_UNITS = ("percent", "rate", "days", "score")  # counts differ by size of area
_VERDICT = {"improving": " (better)", "worsening": " (worse)"}


def sentence(ind, s: IndicatorSummary) -> str | None:
    """The sentence for one indicator's summary, or None when nothing notable changed. The
    rules are the chart sentence's (components.summary_text): compared with the last out-turn
    else the previous month, direction by polarity at the shown rounding, England first."""
    if s.value is None:
        if not s.period:
            return None
        reason = s.missing_reason
        return f"{ind.title}: no figure for {s.period}" + (f" ({reason})" if reason else "") + "."
    base = comparison_base(s)
    if base is None:
        return None
    which, ref = base
    if movement(ind, ref.value, s.value) == "same":
        return None  # no change a reader could see: not a key point
    if ind.polarity == "none":
        return None  # context figures are shown, not judged, in the draft
    ref_text = f"at the {ref.label} out-turn" if which == "outturn" else f"in {ref.label}"
    updown = "up" if float(s.value) > float(ref.value) else "down"
    text = (f"{ind.title}: {ind.format_value(s.value)} in {s.period}, {updown} from "
            f"{ind.format_value(ref.value)} {ref_text}"
            f"{_VERDICT.get(direction(ind, ref.value, s.value) or '', '')}")
    comp = first_comparator(s) if ind.unit in _COMPARABLE_UNITS else None
    if comp:
        key, c = comp
        move = movement(ind, c.value, s.value)
        rel = {"same": "in line with", "up": "above", "down": "below"}[move]
        text += f", {rel} {comparator_label(key, c)} ({ind.format_value(c.value)} in {c.year})"
    if s.small_cohort and s.denominator is not None:
        text += (f"; a small group ({ind.format_value(s.denominator).rstrip('%')} children),"
                 " so the figure moves a lot")
    return text + "."


def draft_key_points(warehouse, as_at, section: str | None = None) -> str:
    """Markdown: one bullet per notable change, for one section slug or (None / "key-points")
    every section under its own heading."""
    cat = warehouse.catalogue
    as_at = warehouse.resolve_as_at(as_at)
    if as_at is None:
        return "No figures are loaded yet: there is nothing to draft from."
    sections = (cat.sections if section in (None, "", OVERALL)
                else [cat.section(section)])
    by_section = {s.id: [] for s in sections}
    for ind in cat.indicators:
        if ind.section in by_section:
            line = sentence(ind, read_summary(warehouse, ind.code, as_at))
            if line:
                by_section[ind.section].append(line)
    month = f"{as_at:%B %Y}"
    out = []
    for s in sections:
        lines = by_section[s.id]
        if len(sections) > 1:
            if not lines:
                continue
            out.append(f"### {s.title}\n")
        out += [f"- {line}" for line in lines]
        out.append("")
    if not any(by_section.values()):
        return f"No figure changed noticeably as at {month}."
    return "\n".join(out).strip() + "\n"
