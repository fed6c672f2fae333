"""A first draft of the board's "Key Points to Note", written from the figures.

One plain sentence per notable change, e.g. "Health assessments up to date: 88% in Oct
2026, down from 91% at the 2025-26 out-turn (worse), below England (90%)." The editor
rewrites it; the draft only saves them finding the changes. Missing figures are said to be
missing, never treated as zero. Pure: reads only what `Warehouse.summary` gives.
"""
from __future__ import annotations

OVERALL = "key-points"  # the commentary section key of the key-points page itself
_COMPARABLE_UNITS = ("percent", "rate", "days", "score")  # counts differ by size of area
_COMPARATOR_NAMES = (("england", "England"), ("statistical_neighbours",
                                               "statistical neighbours"),
                     ("west_midlands", "the West Midlands"))


def _same_shown(ind, a, b) -> bool:
    return ind.format_value(a) == ind.format_value(b)


def _verdict(direction: str | None) -> str:
    return {"improving": " (better)", "worsening": " (worse)"}.get(direction or "", "")


def sentence(ind, s: dict) -> str | None:
    """The sentence for one indicator's summary, or None when nothing notable changed."""
    period = s.get("period")
    if s.get("value") is None:
        if not period:
            return None
        reason = s.get("missing_reason")
        return (f"{ind.title}: no figure for {period}" + (f" ({reason})" if reason else "") + ".")
    value = ind.format_value(s["value"])
    ref, ref_text, direction = None, "", None
    ot, prev = s.get("outturn"), s.get("previous")
    if ot and ot.get("value") is not None:
        ref, ref_text = ot["value"], f"at the {ot['year']} out-turn"
        direction = s.get("direction_since_outturn")
    elif prev and prev.get("value") is not None:
        ref, ref_text = prev["value"], f"in {prev['period']}"
        direction = s.get("direction_since_previous")
    if ref is None or _same_shown(ind, ref, s["value"]):
        return None  # no change a reader could see: not a key point
    if ind.polarity == "none":
        return None  # context figures are shown, not judged, in the draft
    updown = "up" if float(s["value"]) > float(ref) else "down"
    text = (f"{ind.title}: {value} in {period}, {updown} from {ind.format_value(ref)} "
            f"{ref_text}{_verdict(direction)}")
    if ind.unit in _COMPARABLE_UNITS:
        for key, name in _COMPARATOR_NAMES:
            c = (s.get("comparators") or {}).get(key)
            if c and c.get("value") is not None:
                cv = c["value"]
                rel = ("in line with" if _same_shown(ind, cv, s["value"]) else
                       "above" if float(s["value"]) > float(cv) else "below")
                text += f", {rel} {name} ({ind.format_value(cv)} in {c['year']})"
                break
    if s.get("small_cohort") and s.get("denominator") is not None:
        text += (f"; a small group ({ind.format_value(s['denominator']).rstrip('%')} children),"
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
            line = sentence(ind, warehouse.summary(ind.code, as_at))
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
