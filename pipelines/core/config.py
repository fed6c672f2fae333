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

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CONFIG = PROJECT_ROOT / "data" / "config.toml"
ENGLAND = "E92000001"
SN = "SN"  # pseudo-area: a hand-keyed statistical-neighbour average


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
    targets: dict = field(default_factory=dict)
    auth: dict = field(default_factory=dict)

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
    for key in ("name", "code", "region", "statistical_neighbours"):
        if key not in auth_tbl:
            problems.append(f"[authority] {key} is missing")
    neighbours = auth_tbl.get("statistical_neighbours", [])
    if not isinstance(neighbours, list) or not all(isinstance(c, str) for c in neighbours):
        problems.append("[authority] statistical_neighbours must be a list of ONS codes")
    wh = raw.get("warehouse", {}).get("path", "warehouse.duckdb")
    if problems:
        raise ConfigError(f"{p}: " + "; ".join(problems))
    base = p.resolve().parent
    wpath = Path(db) if db else Path(wh)
    if not wpath.is_absolute():
        wpath = (Path.cwd() / wpath) if db else (base / wpath)
    return Config(
        name=str(auth_tbl["name"]),
        code=str(auth_tbl["code"]).strip().upper(),
        dfe_number=auth_tbl.get("dfe_number"),
        region=str(auth_tbl["region"]).strip().upper(),
        statistical_neighbours=tuple(c.strip().upper() for c in neighbours),
        warehouse_path=wpath.resolve(),
        config_path=p.resolve(),
        is_sample=bool(auth_tbl.get("sample", False)),
        targets=dict(raw.get("targets", {})),
        auth=dict(raw.get("auth", {})),
    )
