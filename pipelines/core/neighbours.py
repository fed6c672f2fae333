"""DfE's statistical-neighbour models: for each authority, its 10 nearest authorities and how close.

The model files are DfE's own, copied unchanged into ``data/neighbours/`` (Open Government
Licence v3.0): ``sn_model_2025_wide.csv`` (2025 model: ``old_la_code, la_name, region_ind,
region_name, SN_1, SN_1P, ... SN_10P``) and ``New_Statistical_Neighbour_Groupings_April_2021.csv``
(2021 model: ``LA num, LA Name, LA number, GOInd, GOReg, SN1, SNP, SN2, SNP, ...``). Both name
authorities by their DfE number; we turn those into ONS codes through ``areas.csv``.

The configuration picks the model year (``[authority] statistical_neighbour_model``, default
2025); a hand-typed ``statistical_neighbours`` list still overrides the model.
"""
from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pipelines.core.areas import area_name, resolve_area

MODEL_DIR = Path(__file__).resolve().parents[2] / "data" / "neighbours"
DEFAULT_MODEL = 2025
MODEL_FILES = {2025: "sn_model_2025_wide.csv", 2021: "New_Statistical_Neighbour_Groupings_April_2021.csv"}


class ModelError(ValueError):
    pass


@dataclass(frozen=True)
class Neighbour:
    rank: int  # 1 = nearest
    code: str  # ONS code
    name: str
    closeness: str  # DfE's words: Very close, Close, Somewhat close, Not close


def _clean(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", str(name).replace("\ufeff", "").lower()).strip("_")


def model_year_of_header(header: list[str]) -> int | None:
    """2025 or 2021 when a header row is one of DfE's model layouts, else None."""
    names = [_clean(h) for h in header]
    if names[:1] == ["old_la_code"] and "sn_1" in names and "sn_1p" in names:
        return 2025
    if names[:2] == ["la_num", "la_name"] and "sn1" in names and "snp" in names:
        return 2021
    return None


def parse_model(text: str, file_name: str = "model") -> dict[str, list[Neighbour]]:
    """A model file's text -> {ONS code: neighbours nearest first}. Positional, because the
    2021 file repeats the column name ``SNP`` for every closeness column."""
    rows = [r for r in csv.reader(io.StringIO(text.lstrip("\ufeff"))) if any(c.strip() for c in r)]
    if not rows:
        raise ModelError(f"{file_name} is empty")
    year = model_year_of_header(rows[0])
    if year is None:
        raise ModelError(f"{file_name} is not a DfE statistical-neighbour model (expected the "
                         "columns old_la_code, la_name, ..., SN_1, SN_1P, ... or LA num, LA Name, ..., SN1, SNP, ...)")
    names = [_clean(h) for h in rows[0]]
    first = names.index("sn_1" if year == 2025 else "sn1")
    out: dict[str, list[Neighbour]] = {}
    for r in rows[1:]:
        code = resolve_area(r[0].strip())
        if code is None:
            continue  # an authority that no longer exists (or not in areas.csv)
        nbs = []
        for k in range(10):
            j = first + 2 * k
            if j + 1 >= len(r) or not r[j].strip():
                break
            nb = resolve_area(r[j].strip())
            if nb is not None:
                nbs.append(Neighbour(k + 1, nb, area_name(nb), r[j + 1].strip().capitalize()))
        out[code] = nbs
    return out


@functools.lru_cache(maxsize=4)
def load_model(year: int = DEFAULT_MODEL) -> dict[str, list[Neighbour]]:
    """DfE's model of that year, from data/neighbours/."""
    if year not in MODEL_FILES:
        raise ModelError(f"no statistical-neighbour model for {year}: the models are "
                         + ", ".join(map(str, sorted(MODEL_FILES))))
    path = MODEL_DIR / MODEL_FILES[year]
    return parse_model(path.read_text(encoding="utf-8-sig"), path.name)


def neighbours_of(code: str, year: int = DEFAULT_MODEL) -> list[Neighbour]:
    """The authority's statistical neighbours in DfE's model of that year (empty if not in it)."""
    return list(load_model(year).get(str(code).strip().upper(), []))
