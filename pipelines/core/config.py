"""The authority's configuration: who we are, who we compare with, where the warehouse is.

Chosen by `--config PATH`, else `LACDASH_CONFIG`, else the sample's `data/config.toml`.
Relative paths inside the file are relative to the file's own folder, so a config works
from wherever `lacdash` is run.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.core import neighbours as sn_models
from pipelines.core.areas import area_name, region_of
from pipelines.core.catalogue import load_catalogue
from pipelines.core.rag import check_overrides, read_overrides

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = PROJECT_ROOT / "data" / "config.toml"


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    name: str
    code: str
    dfe_number: int | None
    region: str
    statistical_neighbours: tuple[str, ...]
    warehouse_path: Path
    config_path: Path
    is_sample: bool = False
    # code -> {target, amber_margin, compare_with} (None: the catalogue's); see core/rag.py
    targets: dict = field(default_factory=dict)
    auth: dict = field(default_factory=dict)
    pack: dict = field(default_factory=dict)  # [pack]: the board pack (present/pack.py)
    neighbour_model: int = sn_models.DEFAULT_MODEL  # DfE model year the neighbours come from
    neighbours_source: str = "model"  # "model" (DfE's file) or "config" (typed by hand)

    @property
    def region_name(self) -> str:
        """The region comparator's label, as DfE names the configured region ('West Midlands',
        'North East', 'Inner London'): the one place every chart, table, sentence and pack
        takes it from."""
        return area_name(self.region) if self.region else "Region"

    @property
    def archive_dir(self) -> Path:
        return self.warehouse_path.parent / "archive"

    def with_warehouse(self, path: str | os.PathLike) -> "Config":
        from dataclasses import replace
        return replace(self, warehouse_path=Path(path).resolve())


def config_path(path: str | os.PathLike | None = None) -> Path:
    if path:
        return Path(path)
    env = os.environ.get("LACDASH_CONFIG")
    return Path(env) if env else DEFAULT_CONFIG


def load_config(path: str | os.PathLike | None = None, db: str | os.PathLike | None = None) -> Config:
    """Read and check a config file; `db` overrides the warehouse path (the `--db` option)."""
    p = config_path(path)
    if not p.is_file():
        raise ConfigError(f"Configuration file not found: {p}")
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML ({exc})") from exc
    problems = []
    auth_tbl = raw.get("authority", {})
    # Only the code is needed: the name and region come from areas.csv and the statistical
    # neighbours from DfE's model (a hand-typed list overrides it).
    if "code" not in auth_tbl:
        problems.append("[authority] code is missing")
    code = str(auth_tbl.get("code", "")).strip().upper()
    for key, found in (("name", area_name(code) if code else ""), ("region", region_of(code))):
        if key not in auth_tbl and (not found or found == code):
            problems.append(f"[authority] {key} is missing (and {code or 'the code'} is not in areas.csv)")
    neighbours = auth_tbl.get("statistical_neighbours")
    if neighbours is not None and (not isinstance(neighbours, list)
                                   or not all(isinstance(c, str) for c in neighbours)):
        problems.append("[authority] statistical_neighbours must be a list of ONS codes")
    model = auth_tbl.get("statistical_neighbour_model", sn_models.DEFAULT_MODEL)
    if model not in sn_models.MODEL_FILES:
        problems.append(f"[authority] statistical_neighbour_model must be one of "
                        f"{', '.join(map(str, sorted(sn_models.MODEL_FILES)))}, got {model!r}")
    wh = raw.get("warehouse", {}).get("path", "warehouse.duckdb")
    targets, target_problems = read_overrides(raw.get("targets", {}))
    problems += target_problems or check_overrides(targets, load_catalogue())
    if problems:
        raise ConfigError(f"{p}: " + "; ".join(problems))
    base = p.resolve().parent
    wpath = Path(db) if db else Path(wh)
    if not wpath.is_absolute():
        wpath = (Path.cwd() / wpath) if db else (base / wpath)
    if neighbours is None:
        neighbours = [n.code for n in sn_models.neighbours_of(code, model)]
    return Config(
        name=str(auth_tbl.get("name") or area_name(code)),
        code=code,
        dfe_number=auth_tbl.get("dfe_number"),
        region=str(auth_tbl.get("region") or region_of(code)).strip().upper(),
        statistical_neighbours=tuple(c.strip().upper() for c in neighbours),
        warehouse_path=wpath.resolve(),
        config_path=p.resolve(),
        is_sample=bool(auth_tbl.get("sample", False)),
        targets=targets,
        auth=dict(raw.get("auth", {})),
        pack=dict(raw.get("pack", {})),
        neighbour_model=int(model),
        neighbours_source="config" if "statistical_neighbours" in auth_tbl else "model",
    )
