"""Exceptions first: what needs the board's attention this month, and what has improved for
real, each with its reason in plain English (issue 16).

Needs attention, in this order of reasons:
- special-cause variation that is concerning (Making Data Count, by the indicator's polarity);
- a target consistently failed (it lies outside the process limits on the wrong side);
- worse than both England and the statistical neighbours in the latest year all three have;
- a small cohort behind a month-to-month fall: said plainly so nobody is alarmed by one child.
Improved for real: special-cause variation that is improving.

Pure: reads `Warehouse` (summary, comparators) and `present.spc.spc_view`. Public papers pass
`hide` (e.g. `exports.suppression.row_is_small`): a figure it hides is written SUPPRESSED
("not shown (fewer than 5 children)", `components.formatting`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from components.formatting import FEWER_THAN, SUPPRESSED
from present.spc import RULE_WORDS, spc_view

REASON_ORDER = ("special_cause_concerning", "target_failed", "worse_than_comparators",
                "small_cohort", "special_cause_improving", "target_passed")


@dataclass
class Reason:
    kind: str        # one of REASON_ORDER
    text: str        # one plain-English sentence


@dataclass
class Item:
    code: str
    title: str
    section: str
    period: str | None
    value_text: str
    reasons: list[Reason] = field(default_factory=list)
    spc: dict | None = None          # present.spc.spc_view, for the chart

    @property
    def first_kind(self) -> str:
        return self.reasons[0].kind


@dataclass
class Exceptions:
    as_at: str | None
    attention: list[Item]
    improved: list[Item]
    views: dict = field(default_factory=dict)   # code -> spc_view of every monthly indicator


def _fmt(ind, value, hidden: bool) -> str:
    return SUPPRESSED if hidden else ind.format_value(value)


def _spc_reason(ind, view: dict, hidden: bool) -> Reason | None:
    v = view.get("variation")
    pts = view.get("points") or []
    if v not in ("special_cause_concerning", "special_cause_improving") or not pts:
        return None
    last = pts[-1]
    if not last["special_cause"]:
        return None
    rules = [RULE_WORDS[r] for r in last["rules"]]
    why = " and ".join(rules) if len(rules) < 3 else ", ".join(rules[:-1]) + " and " + rules[-1]
    word = "A real change for the worse" if v == "special_cause_concerning" else "A real improvement"
    return Reason(v, f"{word}, not the usual ups and downs: {why} "
                     f"(average {_fmt(ind, view['mean'], hidden)}).")


def _target_reason(ind, view: dict, hidden: bool) -> Reason | None:
    a, target = view.get("assurance"), view.get("target")
    if a == "fail":
        return Reason("target_failed",
                      f"The target of {ind.format_value(target)} is consistently missed: it is "
                      "outside the range the figure usually moves in, so it will not be met "
                      "without a change in how things are done.")
    if a == "pass":
        return Reason("target_passed", f"The target of {ind.format_value(target)} is "
                                       "consistently met.")
    return None


def _comparator_reason(wh, ind, as_at, hidden: bool) -> Reason | None:
    if ind.polarity == "none" or not ind.comparators:
        return None
    comp = wh.comparators(ind.code, as_at)
    if comp.empty:
        return None
    years = {}
    for r in comp[comp["value"].notna()].itertuples():
        years.setdefault(r.period_label, {})[r.comparator] = float(r.value)
    both = [y for y, d in years.items() if {"local", "england", "statistical_neighbours"} <= set(d)]
    if not both:
        return None
    ends = comp.groupby("period_label")["period_end"].max()   # each year's latest end, once
    year = max(both, key=lambda y: ends[y])
    d = years[year]
    if (ind.change_direction(d["england"], d["local"]) == "worsening"
            and ind.change_direction(d["statistical_neighbours"], d["local"]) == "worsening"):
        return Reason("worse_than_comparators",
                      f"In {year} we were worse than England and our statistical neighbours: "
                      f"{_fmt(ind, d['local'], hidden)} against "
                      f"{ind.format_value(d['england'])} and "
                      f"{ind.format_value(d['statistical_neighbours'])}.")
    return None


def _small_cohort_reason(ind, s: dict, hidden: bool) -> Reason | None:
    den = s.get("denominator")
    if not s.get("small_cohort") or den is None or s.get("direction_since_previous") != "worsening":
        return None
    if hidden:
        return Reason("small_cohort", f"The group is very small ({FEWER_THAN} children): a "
                                      "change from last month is not a signal on its own.")
    one = f", so each child is {100 / float(den):.0f} percentage points" if ind.unit == "percent" else ""
    return Reason("small_cohort",
                  f"The fall from last month is in a small group of {int(den)} children{one}: "
                  "on its own it is not a sign of a real change.")


def exceptions(wh, as_at=None, *, hide=None) -> Exceptions:
    """What needs attention and what has improved for real, as at a month (see module doc).
    `hide(indicator, value, numerator, denominator) -> bool` hides small figures."""
    as_at = wh.resolve_as_at(as_at)
    attention, improved, views = [], [], {}
    steps = wh.step_changes(None, as_at)
    for ind in wh.catalogue.indicators:
        s = wh.summary(ind.code, as_at)
        hidden = bool(hide and s.get("value") is not None and
                      hide(ind, s.get("value"), s.get("numerator"), s.get("denominator")))
        view = spc_view(wh, ind.code, as_at, steps=steps) if ind.frequency == "M" else None
        if view is not None:
            views[ind.code] = view
        reasons = []
        if view is not None:
            reasons += [r for r in (_spc_reason(ind, view, hidden),
                                    _target_reason(ind, view, hidden)) if r]
        reasons += [r for r in (_comparator_reason(wh, ind, as_at, hidden),
                                _small_cohort_reason(ind, s, hidden)) if r]
        if not reasons:
            continue
        reasons.sort(key=lambda r: REASON_ORDER.index(r.kind))
        item = dict(code=ind.code, title=ind.title, section=ind.section,
                    period=s.get("period"),
                    value_text=_fmt(ind, s.get("value"), hidden) if s.get("value") is not None
                    else (s.get("missing_reason") or "no figure"), spc=view)
        bad = [r for r in reasons if r.kind in REASON_ORDER[:4]]
        good = [r for r in reasons if r.kind in REASON_ORDER[4:]]
        # a small cohort alone is there to reassure, so it joins only a real concern
        # or stands alone when the month's fall would otherwise read as bad news
        if bad:
            attention.append(Item(**item, reasons=bad))
        if any(r.kind == "special_cause_improving" for r in good):
            improved.append(Item(**item, reasons=good))
    attention.sort(key=lambda i: REASON_ORDER.index(i.first_kind))
    return Exceptions(as_at=as_at.strftime("%Y-%m") if as_at else None,
                      attention=attention, improved=improved, views=views)


def plain_text(ex: Exceptions) -> list[str]:
    """The section as lines of plain text (for the page's text alternative and tests)."""
    lines = ["Needs attention this month:" if ex.attention else
             "Nothing needs the board's attention this month."]
    for it in ex.attention:
        lines.append(f"- {it.title} ({it.value_text}, {it.period}): "
                     + " ".join(r.text for r in it.reasons))
    if ex.improved:
        lines.append("Improved for real:")
        for it in ex.improved:
            lines.append(f"- {it.title} ({it.value_text}, {it.period}): "
                         + " ".join(r.text for r in it.reasons))
    return lines
