"""English areas: England, the 9 regions and every upper-tier authority with children's services.

`data/areas.csv` was built from the DfE's own old/new LA code list (dfeR, `old_la_codes.csv`)
with each authority's region from the ONS upper-tier-to-region lookup. Authorities replaced
since 2013 (Bournemouth, Poole, old Dorset, old Buckinghamshire, Northamptonshire, Cumbria,
old North Yorkshire, old Somerset) stay in the file with `active=false`, so older published
tables still resolve. A replacement can keep the old DfE number (Buckinghamshire 825,
North Yorkshire 815, Somerset 933): a number or name then resolves to the active authority.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

DEFAULT_AREAS = Path(__file__).resolve().parents[2] / "data" / "areas.csv"
ENGLAND = "E92000001"
SN = "SN"  # pseudo-area: the statistical-neighbour average
SN_NAME = "Statistical neighbours"

COLUMNS = ["code", "name", "type", "region_code", "dfe_number", "active"]
TYPES = {"country", "region", "subregion", "la"}  # subregion: Inner and Outer London (DfE tables)

_ONS_CODE = re.compile(r"^[EWSN]\d{8}$")

# Words people type for the statistical-neighbour comparator (after _norm).
_SN_WORDS = {
    "sn", "sns", "sn average", "comparator", "comparators",
    "statistical neighbour", "statistical neighbours",
    "statistical neighbour average", "statistical neighbours average",
    "stat neighbour", "stat neighbours", "stat neighbour average", "stat neighbours average",
    "stats neighbours",
}

# Short forms seen in published and local files that the published names do not give.
_EXTRA_ALIASES = {
    "england average": ENGLAND,
    "national": ENGLAND,
    "east": "E12000006",  # some DfE tables name the region just "East"
    "yorkshire and humber": "E12000003",
    "hull": "E06000010",
    "durham": "E06000047",
    "bcp": "E06000058",
    "st helens": "E08000013",
}

# Council-style wrappers stripped from a name before a second look-up.
_PREFIXES = ("london borough of ", "royal borough of ", "borough of ", "metropolitan borough of ")
_SUFFIXES = (
    " metropolitan borough council", " metropolitan district council", " borough council",
    " city council", " county council", " district council", " council",
)


class AreasError(ValueError):
    """The areas file is malformed; the message names file, row, column, value and expectation."""


def _norm(text: str) -> str:
    """Lower case, '&' as 'and', 'saint' as 'st', punctuation as single spaces."""
    t = str(text).lower().replace("&", " and ")
    t = re.sub(r"[^a-z0-9]+", " ", t).strip()
    t = re.sub(r"\bsaint\b", "st", t)
    return re.sub(r"\s+", " ", t)


def _name_variants(name: str) -> set[str]:
    """'Bristol, City of' is also 'Bristol' and 'City of Bristol'."""
    out = {_norm(name)}
    m = re.match(r"^(.*),\s*(city|county) of$", name.strip(), flags=re.IGNORECASE)
    if m:
        out.add(_norm(m.group(1)))
        out.add(_norm(f"{m.group(2)} of {m.group(1)}"))
    return out


def _fail(path: Path, row: int | None, column: str, value, expected: str) -> AreasError:
    where = f"{path}" + (f", row {row}" if row is not None else "")
    return AreasError(f"{where}, column '{column}': found {value!r}; expected {expected}.")


def _read(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise AreasError(f"Areas file not found: {path}")
    # Read everything as text: DfE numbers are codes, not quantities.
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise _fail(path, 1, ", ".join(missing), list(df.columns), f"the columns {', '.join(COLUMNS)}")
    df = df[COLUMNS].apply(lambda s: s.str.strip())
    excel_row = {i: i + 2 for i in range(len(df))}  # header is Excel row 1

    for i, r in df.iterrows():
        row = excel_row[i]
        if not _ONS_CODE.match(r["code"]):
            raise _fail(path, row, "code", r["code"], "a 9-character ONS code such as E08000031")
        if not r["name"]:
            raise _fail(path, row, "name", r["name"], "the area's name")
        if r["type"] not in TYPES:
            raise _fail(path, row, "type", r["type"], "one of country, region, subregion, la")
        if r["active"].lower() not in {"true", "false"}:
            raise _fail(path, row, "active", r["active"], "true or false")
        if r["dfe_number"] and not re.fullmatch(r"\d{3}", r["dfe_number"]):
            raise _fail(path, row, "dfe_number", r["dfe_number"], "a 3-digit DfE LA number such as 336, or blank")
        if r["type"] == "la" and not r["dfe_number"]:
            raise _fail(path, row, "dfe_number", r["dfe_number"], "a 3-digit DfE LA number for an la row")

    dup = df["code"].duplicated(keep="first")
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise _fail(path, excel_row[i], "code", df["code"].iloc[i], "each code once")

    regions = set(df.loc[df["type"] == "region", "code"])
    for i, r in df.iterrows():
        if r["type"] == "la" and r["region_code"] not in regions:
            raise _fail(path, excel_row[i], "region_code", r["region_code"],
                        "the code of a region row in this file (E12000001 to E12000009)")

    df["active"] = df["active"].str.lower().eq("true")
    df["region_code"] = df["region_code"].replace("", pd.NA)
    df["dfe_number"] = df["dfe_number"].replace("", pd.NA)
    return df.reset_index(drop=True)


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> pd.DataFrame:
    return _read(path)


def load_areas(path: str | Path | None = None) -> pd.DataFrame:
    """All areas, columns code, name, type, region_code, dfe_number (3-digit text), active (bool).

    Read once per path; each call returns its own copy so a caller cannot change the cache.
    """
    p = Path(path).resolve() if path else DEFAULT_AREAS
    return _load_cached(p).copy()


@dataclass(frozen=True)
class _Index:
    names: dict[str, str]
    codes: dict[str, str]  # code -> name
    dfe: dict[str, str]  # DfE number -> code
    region: dict[str, str]  # la code -> region code
    types: dict[str, str]
    active: dict[str, bool]


@lru_cache(maxsize=1)
def _index() -> _Index:
    df = _load_cached(DEFAULT_AREAS)
    names: dict[str, str] = {}
    dfe: dict[str, str] = {}
    # Inactive rows first so that an active authority sharing a name or DfE number wins.
    for r in df.sort_values("active", kind="stable").itertuples(index=False):
        for v in _name_variants(r.name):
            names[v] = r.code
        if isinstance(r.dfe_number, str):
            dfe[r.dfe_number] = r.code
    for alias, code in _EXTRA_ALIASES.items():
        names.setdefault(alias, code)
    return _Index(
        names=names,
        codes=dict(zip(df["code"], df["name"])),
        dfe=dfe,
        region={c: rc for c, rc, t in zip(df["code"], df["region_code"], df["type"]) if t == "la"},
        types=dict(zip(df["code"], df["type"])),
        active=dict(zip(df["code"], df["active"])),
    )


def area_name(code: str) -> str:
    """The published name of an area code; 'SN' is 'Statistical neighbours'; unknown codes come back as given."""
    if code is None:
        return ""
    key = str(code).strip().upper()
    if key == SN:
        return SN_NAME
    return _index().codes.get(key, str(code))


def _as_dfe_number(text) -> str | None:
    """336, '336', ' 336 ' or 336.0 (as Excel gives it) -> '336'."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return str(text)
    if isinstance(text, float):
        return str(int(text)) if text.is_integer() else None
    s = str(text).strip()
    m = re.fullmatch(r"(\d{3})(?:\.0+)?", s)
    return m.group(1) if m else None


def resolve_area(text) -> str | None:
    """An ONS code, DfE number, name, region name, 'England' or a statistical-neighbour word -> code.

    Returns 'SN' for the statistical-neighbour comparator and None when nothing matches.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    idx = _index()
    num = _as_dfe_number(text)
    if num is not None:
        return idx.dfe.get(num)
    s = str(text).strip()
    if not s:
        return None
    up = s.upper()
    if up == SN:
        return SN
    if _ONS_CODE.match(up):
        return up if up in idx.codes else None
    key = _norm(s)
    if key in _SN_WORDS:
        return SN
    if key in idx.names:
        return idx.names[key]
    # 'Wolverhampton City Council', 'London Borough of Camden', 'the West Midlands'
    stripped = re.sub(r"^the ", "", key)
    for p in _PREFIXES:
        if stripped.startswith(p):
            stripped = stripped[len(p):]
    for suf in _SUFFIXES:
        if stripped.endswith(suf):
            stripped = stripped[: -len(suf)]
            break
    return idx.names.get(stripped)


def region_of(code: str) -> str | None:
    """The region code of a local authority; None for England, a region or an unknown code."""
    if code is None:
        return None
    return _index().region.get(str(code).strip().upper())


def las_in_region(region_code: str) -> list[str]:
    """Active authorities in a region, by ONS code."""
    key = str(region_code).strip().upper()
    idx = _index()
    return sorted(c for c, rc in idx.region.items() if rc == key and idx.active[c])


def all_las(active_only: bool = True) -> list[str]:
    """Every local authority code (active only by default), sorted."""
    idx = _index()
    return sorted(c for c, t in idx.types.items() if t == "la" and (idx.active[c] or not active_only))
