"""Plain-English words about a figure: the one-sentence chart summary, the heading that says
what a chart shows, and the words and symbols for change and RAG status.

All pure: an `Indicator` and a summary in, text out. The summary is a
`present.summary.IndicatorSummary` (read by its attributes: components sit below present, so
they do not import it); tests build one with `IndicatorSummary.from_store`. "Improving" and
"worsening" follow the indicator's polarity; an indicator with polarity "none" only ever goes
"up" or "down".
"""

from __future__ import annotations

import re
from typing import Any

from components.formatting import (
    format_missing,
    format_value,
    is_missing,
    month_label,
)
from components.names import RAG_STYLES, SENTENCE_ORDER, comparator_name
from pipelines.core.catalogue import round_half_up

COMPARATOR_ORDER = SENTENCE_ORDER


def comparator_label(key: str, comp: Any = None) -> str:
    """A comparator's name inside a sentence; the region is named as the summary's comparator
    (present.summary.ComparatorFigure.region_name) names it."""
    return comparator_name(key, in_sentence=True, region_name=getattr(comp, "region_name", None))

DIRECTION_ARROWS = {"up": "↑", "down": "↓", "same": "→"}
NO_RAG = {"word": "No target", "symbol": "–"}


# --- change -------------------------------------------------------------------------------

def _rounded(indicator, value: float) -> float:
    """The value as displayed: half up (60.5% reads 61%), as the catalogue rounds."""
    return float(round_half_up(value, int(getattr(indicator, "decimals", 0) or 0)))


def movement(indicator, old: Any, new: Any) -> str | None:
    """'up', 'down' or 'same' (equal at the indicator's displayed precision); None if missing."""
    if is_missing(old) or is_missing(new):
        return None
    a, b = _rounded(indicator, old), _rounded(indicator, new)
    return "same" if a == b else ("up" if b > a else "down")


def direction(indicator, old: Any, new: Any) -> str | None:
    """'improving', 'worsening', 'no change', or for a neutral indicator 'up'/'down'."""
    move = movement(indicator, old, new)
    if move is None:
        return None
    if move == "same":
        return "no change"
    polarity = getattr(indicator, "polarity", "none")
    if polarity == "up":
        return "improving" if move == "up" else "worsening"
    if polarity == "down":
        return "improving" if move == "down" else "worsening"
    return move


def change_label(indicator, old: Any, new: Any) -> str:
    """Arrow, amount and word, e.g. '↓ 3 points, worsening'; 'no figure' when missing."""
    move = movement(indicator, old, new)
    if move is None:
        return "no figure to compare"
    if move == "same":
        return f"{DIRECTION_ARROWS['same']} no change"
    amount = abs(_rounded(indicator, new) - _rounded(indicator, old))
    decimals = int(getattr(indicator, "decimals", 0) or 0)
    unit = getattr(indicator, "unit", "")
    if unit == "percent":
        size = f"{amount:,.{decimals}f} point" + ("" if amount == 1 else "s")
    elif unit == "days":
        size = f"{amount:,.{decimals}f} day" + ("" if amount == 1 else "s")
    else:
        size = f"{amount:,.{decimals}f}"
    word = direction(indicator, old, new)
    text = f"{DIRECTION_ARROWS[move]} {move} {size}"
    return text if word in ("up", "down") else f"{text}, {word}"


# --- RAG ------------------------------------------------------------------------------------

_RAG_ALIASES = {
    "g": "green", "green": "green", "on target": "green", "on_target": "green",
    "a": "amber", "amber": "amber", "close to target": "amber", "near": "amber",
    "r": "red", "red": "red", "off target": "red", "off_target": "red",
}


def rag_key(rag: Any) -> str | None:
    """'green', 'amber', 'red' or None (no target, or polarity 'none')."""
    if is_missing(rag):
        return None
    return _RAG_ALIASES.get(str(rag).strip().lower())


# Where the status compares with England (no target), it says so: never "target".
ENGLAND_WORDS = {"green": "As good as or better than England", "amber": "Close to England",
                 "red": "Worse than England"}
NO_ENGLAND_FIGURE = "No England figure to compare"


def rag_word(rag: Any, basis: str | None = None) -> str:
    """'On target' ... for a target; 'Worse than England' ... where the status compares with
    England (`basis` is the summary's `rag_basis`)."""
    key = rag_key(rag)
    if basis == "england":
        return ENGLAND_WORDS[key] if key else NO_ENGLAND_FIGURE
    return RAG_STYLES[key]["word"] if key else NO_RAG["word"]


def rag_symbol(rag: Any) -> str:
    key = rag_key(rag)
    return RAG_STYLES[key]["symbol"] if key else NO_RAG["symbol"]


def rag_label(rag: Any, basis: str | None = None) -> str:
    """'✓ On target', '▲ Close to target', '✗ Off target' or '– No target'; compared with
    England: '✓ As good as or better than England', '✗ Worse than England' ..."""
    return f"{rag_symbol(rag)} {rag_word(rag, basis)}"


def target_text(indicator, summary) -> str:
    """The Target cell: the target the status was judged against ('95%'), 'compared with
    England' where the status compares with England, else 'No target'."""
    if summary.rag_basis == "england":
        return "compared with England"
    target = _target(indicator, summary)
    return "No target" if is_missing(target) else format_value(indicator, target)


# --- sentences --------------------------------------------------------------------------------

def _subject(indicator) -> str:
    title = str(getattr(indicator, "title", "") or getattr(indicator, "code", ""))
    return title[:1].upper() + title[1:]


_PLURAL_HEADS = {"children", "people", "days", "homes", "leavers", "workers", "assessments", "checks",
                 "reviews", "plans", "placements", "adoptions"}


def _is_plural(title: str) -> bool:
    """Rough number agreement for '<title> are/is': look at the head noun before a qualifier."""
    head = re.split(r"\s(?:with|in|per|from|who|whose|placed|at|of|for|on|by|up|to|aged|under|over|within|not)\s|\(|:|,", title, maxsplit=1)[0]
    words = head.strip().split()
    if not words:
        return False
    if any(w.lower().strip("'s,") in _PLURAL_HEADS or w.lower() in _PLURAL_HEADS for w in words):
        return True
    last = words[-1].lower()
    if last.startswith("%") or head.strip().startswith("%"):
        return False
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _verb(indicator, present: bool) -> str:
    plural = _is_plural(_subject(indicator))
    if present:
        return "are" if plural else "is"
    return "were" if plural else "was"


def _relation(value: float, other: float, indicator) -> str:
    move = movement(indicator, other, value)
    return {"up": "above", "down": "below", "same": "the same as"}[move]


def first_comparator(summary) -> tuple[str, Any] | None:
    """(key, comparator) of the first comparator with a figure, England first."""
    for key in COMPARATOR_ORDER:
        comp = (summary.comparators or {}).get(key)
        if comp is not None and not is_missing(comp.value):
            return key, comp
    return None


def comparison_base(summary) -> tuple[str, Any] | None:
    """What the latest figure is compared with: ('outturn', the last out-turn) when it has a
    figure, else ('previous', the previous month); None when neither has one. One rule for the
    chart sentence, the headline and the key-points draft."""
    outturn, previous = summary.outturn, summary.previous
    if outturn is not None and not is_missing(outturn.value) and outturn.label:
        return "outturn", outturn
    if previous is not None and not is_missing(previous.value):
        return "previous", previous
    return None


def _target(indicator, summary) -> Any:
    target = summary.target
    if summary.rag_basis is not None or "rag_basis" in summary.store:
        return target  # the warehouse said what the status is judged against
    return getattr(indicator, "target", None) if is_missing(target) else target


def _target_phrase(indicator, summary, value: float) -> str | None:
    target = _target(indicator, summary)
    if is_missing(target) or getattr(indicator, "polarity", "none") == "none":
        return None
    move = movement(indicator, target, value)
    if move == "same":
        return "on target"
    polarity = indicator.polarity
    meets = (move == "up") == (polarity == "up")
    if meets:
        return "on target"
    return "below target" if polarity == "up" else "above target"


def chart_summary(indicator, summary, authority_name: str) -> str:
    """One sentence saying what a chart shows, e.g. 'Health checks were 88% in January 2018,
    down from 91% at the 2016-17 out-turn (worsening) and below England (90%, 2016-17).'"""
    subject = _subject(indicator)
    when = month_label(summary.period or summary.as_at, long=True)
    value = summary.value
    comp = first_comparator(summary)

    if is_missing(value):
        text = f"{subject}: {format_missing(summary.missing_reason)} for {authority_name} in {when}"
        if comp:
            key, c = comp
            text += (f"; {comparator_label(key, c)} {_verb(indicator, False)} "
                     f"{format_value(indicator, c.value)} in {c.year}")
        return text + "."

    parts = [f"{subject} {_verb(indicator, False)} {format_value(indicator, value)} in {when}"]
    base = comparison_base(summary)
    if base is not None:
        which, reading = base
        base = reading.value
        base_where = (f"at the {reading.label} out-turn" if which == "outturn"
                      else f"in {month_label(reading.label, long=True)}")
        move = movement(indicator, base, value)
        word = direction(indicator, base, value)
        if move == "same":
            parts.append(f"the same as {base_where}")
        else:
            change = f"{move} from {format_value(indicator, base)} {base_where}"
            if word in ("improving", "worsening"):
                change += f" ({word})"
            parts.append(change)

    target_phrase = _target_phrase(indicator, summary, value)
    if target_phrase:
        parts.append(f"{target_phrase} ({format_value(indicator, _target(indicator, summary))})")
    if comp:
        key, c = comp
        parts.append(
            f"{_relation(value, c.value, indicator)} {comparator_label(key, c)} "
            f"({format_value(indicator, c.value)}, {c.year})"
        )
    first, clauses = parts[0], parts[1:]
    if len(clauses) == 1:
        first += ", " + clauses[0]
    elif clauses:
        first += ", " + ", ".join(clauses[:-1]) + " and " + clauses[-1]
    return first + "."


def headline(indicator, summary) -> str:
    """A heading that says what the chart shows: 'Health checks are below target and below
    England', 'Placements 20 miles or more are improving', 'Looked-after children: 630 in
    January 2018'."""
    subject = _subject(indicator)
    value = summary.value
    when = month_label(summary.period or summary.as_at)
    if is_missing(value):
        return f"{subject}: no figure for {when}"

    parts = []
    target_phrase = _target_phrase(indicator, summary, value)
    if target_phrase:
        parts.append(target_phrase)
    comp = first_comparator(summary)
    if comp:
        key, c = comp
        parts.append(f"{_relation(value, c.value, indicator)} {comparator_label(key, c)}")
    if parts:
        return f"{subject} {_verb(indicator, True)} " + " and ".join(parts)

    outturn = summary.outturn
    word = direction(indicator, outturn.value if outturn else None, value)
    if word in ("improving", "worsening"):
        return f"{subject} {_verb(indicator, True)} {word} since the {outturn.label} out-turn"
    return f"{subject}: {format_value(indicator, value)} in {when}"
