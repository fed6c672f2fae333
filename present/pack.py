"""What goes into the board pack and how it looks, decided once for `lacdash export` (and
any screen that offers the choice): the director's pack definition and the summary table's
cells (the key points scorecard's columns as plain text).

A definition comes from, in order of precedence: the command's options, the saved
definition (`board-pack.toml` beside the warehouse, written by `lacdash export --save-pack`
so next month's pack is the same), then the config's `[pack]` table. Keys:

    sections = ["placements", "health"]   # which sections, in this order (default: all)
    indicators = ["CLA_NUMBER", ...]       # which indicators, in this order within their
                                           # section (default: all of each chosen section)
    leave_out = ["CLA_RATE"]               # indicators to leave out
    mode = "public"                        # or "private"
    definitions = true                     # the definitions appendix
    action_plan = false                    # the action plan and schedule appendix (default
                                           # out: the pack then meets 20 pages, issue 17)
    orientation = "portrait"               # or "landscape"
    logo = "logo.png"                      # config only: a PNG/JPEG, relative to the config
    heading_colour = "#1F4E79"             # config only: headings (contrast >= 4.5:1)
"""
from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import tomli_w

from components.formatting import SUPPRESSED
from components.names import COMPARATORS, comparator_name
from components.summary_text import change_label, rag_label, target_text

SAVED_NAME = "board-pack.toml"
ORIENTATIONS = ("portrait", "landscape")
MODES = ("public", "private")
CHOICE_KEYS = ("sections", "indicators", "leave_out", "mode", "definitions", "orientation",
               "action_plan")
LOOK_KEYS = ("logo", "heading_colour")


class PackDefinitionError(ValueError):
    """A pack definition that names something unknown (all problems in one message)."""


@dataclass
class PackDefinition:
    sections: list[str] | None = None
    indicators: list[str] | None = None
    leave_out: list[str] = field(default_factory=list)
    mode: str = "public"
    definitions: bool = True
    action_plan: bool = False
    orientation: str = "portrait"
    logo: Path | None = None
    heading_colour: str | None = None  # "#RRGGBB"

    def choices(self) -> dict:
        """What `--save-pack` remembers (the council's look stays in the config)."""
        d = asdict(self)
        return {k: d[k] for k in CHOICE_KEYS if d[k] is not None}

    @property
    def is_whole(self) -> bool:
        return self.sections is None and self.indicators is None and not self.leave_out


def saved_path(config) -> Path:
    return Path(config.warehouse_path).parent / SAVED_NAME


def _read_saved(config) -> dict:
    p = saved_path(config)
    if not p.is_file():
        return {}
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PackDefinitionError(f"{p}: not valid TOML ({exc}); delete it or save the "
                                  "pack again with --save-pack") from None


def _contrast(hex_colour: str) -> float:
    """WCAG contrast of a colour against white."""
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    lum = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (lum + 0.05)


def load_definition(config, catalogue, overrides: dict | None = None) -> PackDefinition:
    """The pack definition in force: `overrides` (the command's options, None values ignored)
    over the saved definition over the config's `[pack]`. Every problem is reported at once."""
    cfg = dict(getattr(config, "pack", None) or {})
    merged = {k: v for k, v in cfg.items() if k in CHOICE_KEYS}
    merged.update(_read_saved(config))
    merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
    problems = []
    unknown = sorted(set(cfg) - set(CHOICE_KEYS) - set(LOOK_KEYS))
    if unknown:
        problems.append(f"[pack] has unknown keys {', '.join(unknown)} (known: "
                        f"{', '.join(CHOICE_KEYS + LOOK_KEYS)})")
    slugs = {s.slug: s.id for s in catalogue.sections} | {s.id: s.id for s in catalogue.sections}
    sections = merged.get("sections")
    if sections is not None:
        bad = [s for s in sections if s not in slugs]
        if bad:
            problems.append(f"unknown section(s) {', '.join(bad)}: the sections are "
                            + ", ".join(s.slug for s in catalogue.sections))
        sections = [slugs[s] for s in sections if s in slugs]
    for key in ("indicators", "leave_out"):
        bad = [c for c in merged.get(key) or [] if c not in catalogue]
        if bad:
            problems.append(f"{key.replace('_', ' ')}: unknown indicator code(s) "
                            + ", ".join(bad))
    mode = merged.get("mode", "public")
    if mode not in MODES:
        problems.append(f"mode must be public or private, not {mode!r}")
    orientation = merged.get("orientation", "portrait")
    if orientation not in ORIENTATIONS:
        problems.append(f"orientation must be portrait or landscape, not {orientation!r}")
    definitions = merged.get("definitions", True)
    if not isinstance(definitions, bool):
        problems.append(f"definitions must be true or false, not {definitions!r}")
    action_plan = merged.get("action_plan", False)
    if not isinstance(action_plan, bool):
        problems.append(f"action_plan must be true or false, not {action_plan!r}")
    logo = cfg.get("logo")
    if logo:
        logo = Path(logo)
        if not logo.is_absolute():
            logo = Path(config.config_path).parent / logo
        if not logo.is_file():
            problems.append(f"[pack] logo: no file at {logo}")
        elif logo.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            problems.append(f"[pack] logo: {logo.name} is not a PNG or JPEG file")
    colour = cfg.get("heading_colour")
    if colour is not None:
        colour = str(colour).strip()
        if len(colour) != 7 or colour[0] != "#" or any(
                ch not in "0123456789abcdefABCDEF" for ch in colour[1:]):
            problems.append(f"[pack] heading_colour must be like \"#1F4E79\", not {colour!r}")
        elif _contrast(colour) < 4.5:
            problems.append(f"[pack] heading_colour {colour} is too pale on white "
                            f"(contrast {_contrast(colour):.1f}:1; WCAG AA needs 4.5:1)")
    if problems:
        raise PackDefinitionError("The board pack definition cannot be used: "
                                  + "; ".join(problems) + ".")
    return PackDefinition(sections=sections, indicators=merged.get("indicators"),
                          leave_out=list(merged.get("leave_out") or []), mode=mode,
                          definitions=definitions, action_plan=action_plan,
                          orientation=orientation,
                          logo=logo or None, heading_colour=colour)


def save_definition(config, definition: PackDefinition) -> Path:
    """Remember the choice for next month (written whole, then moved into place)."""
    p = saved_path(config)
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = p.with_name(p.name + ".part")
    tmp.write_text("# The board pack chosen with `lacdash export --save-pack`; the next "
                   "export uses it.\n" + tomli_w.dumps(definition.choices()), encoding="utf-8")
    tmp.replace(p)
    return p


def layout(catalogue, definition: PackDefinition) -> list[tuple[object, list[str]]]:
    """The pack's sections in order, each with its indicator codes in order."""
    by_id = {s.id: s for s in catalogue.sections}
    order = definition.sections or [s.id for s in catalogue.sections]
    chosen = definition.indicators
    rank = {c: i for i, c in enumerate(chosen)} if chosen else None
    out = []
    for sid in order:
        sec = by_id[sid]
        codes = [i.code for i in sec.indicators if i.code not in definition.leave_out
                 and (rank is None or i.code in rank)]
        if rank is not None:
            codes.sort(key=rank.__getitem__)
        if codes:
            out.append((sec, codes))
    return out


def with_overrides(definition: PackDefinition, **kw) -> PackDefinition:
    return replace(definition, **{k: v for k, v in kw.items() if v is not None})


# ---------------------------------------------------------------- the summary table

def summary_header(region_name: str | None = None) -> list[str]:
    """The summary table's column headings, the region comparator named `region_name`
    (Config.region_name, carried by exports.content.Pack)."""
    return ["Indicator", "Latest", "Change", "Target and status",
            *[comparator_name(k, region_name=region_name) for k in COMPARATORS], "Rank (England)"]


def summary_cells(ind, s, hidden: str = SUPPRESSED) -> list[str]:
    """One indicator's row of the pack's summary table, as the key points scorecard shows it:
    latest (period), change since the last out-turn else the previous month in words by
    polarity, target and status, each comparator (year), rank where published. `s` is a
    `present.summary.IndicatorSummary` (after suppression in a public pack)."""
    def fmt(v, suppressed=False, reason=None):
        if suppressed:
            return hidden
        if v is None:  # a reason may already say "no figure ...": not said twice
            if reason and reason.startswith("no figure"):
                return reason
            return "no figure" + (f" ({reason})" if reason else "")
        return ind.format_value(v)
    latest = fmt(s.value, s.suppressed, s.missing_reason) + (f" ({s.period})" if s.period else "")
    base = s.outturn if s.outturn and s.outturn.value is not None else s.previous
    if base is None or s.suppressed or base.suppressed:
        change = hidden if (s.suppressed or (base and base.suppressed)) else "no figure to compare"
    else:
        change = change_label(ind, base.value, s.value) + f" since {base.label}"
    # compared with England: the status says so ("As good as or better than England")
    target = "" if s.rag_basis == "england" else target_text(ind, s)
    status = rag_label(s.rag, s.rag_basis) if s.rag_basis else ""
    cells = [ind.title, latest, change, "; ".join(x for x in (target, status) if x) or "none"]
    for key in COMPARATORS:
        c = s.comparator(key)
        cells.append("–" if c is None or c.value is None else
                     fmt(c.value, c.suppressed) + (f" ({c.year})" if c.year else ""))
    e = (s.rank or {}).get("england")
    cells.append(f"{e['rank']} of {e['of']}" if e else "–")
    return cells
