"""The director's choice of board pack on the key points page (issue 17): which sections (in
the order chosen), which indicators left out, orientation, the definitions and action plan
appendices. The choice travels as the download links' query (`query`) and is read back by
the download route (`overrides`) into `present.pack.load_definition`, so a download with no
choice in its query is the saved pack (`board-pack.toml`, the same file `lacdash export
--save-pack` writes). Only editors may save (`save`); anyone may download the public pack.
"""
from __future__ import annotations

from pathlib import Path

from present.pack import PackDefinition, load_definition, save_definition

APPENDICES = ("definitions", "action_plan")
EDIT_ROLES = ("editor", "admin")


def _csv(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [x.strip() for x in value.split(",") if x.strip()]


def overrides(args) -> dict:
    """A download's query (request.args) as load_definition overrides: sections and
    leave_out as comma lists, orientation, definitions and action_plan as 1/0. Keys not in
    the query keep the saved definition's."""
    out: dict = {"sections": _csv(args.get("sections")),
                 "leave_out": _csv(args.get("leave_out")),
                 "orientation": args.get("orientation") or None}
    for key in APPENDICES:
        if args.get(key) in ("0", "1"):
            out[key] = args.get(key) == "1"
    return out


def query(sections, leave_out, orientation, appendices) -> dict:
    """The controls' values as the links' query (the inverse of `overrides`)."""
    appendices = appendices or []
    q = {"sections": ",".join(sections or []), "leave_out": ",".join(leave_out or []),
         "orientation": orientation or ""}
    if sections is not None and not sections:
        q["sections"] = "none"  # (load_definition names it as an unknown section)
    q.update({key: "1" if key in appendices else "0" for key in APPENDICES})
    return q


def current(config, catalogue) -> PackDefinition:
    """The saved definition (or the defaults) the panel starts from."""
    return load_definition(config, catalogue, {})


def save(config, catalogue, role: str, sections, leave_out, orientation, appendices) -> Path:
    """Remember the panel's choice for next month; editors only (PermissionError)."""
    if role not in EDIT_ROLES:
        raise PermissionError("Only editors can save the board pack's choice.")
    choice = overrides(query(sections, leave_out, orientation, appendices))
    return save_definition(config, load_definition(config, catalogue, choice))
