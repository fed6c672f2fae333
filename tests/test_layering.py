"""The layering of docs/architecture.md: pipelines never import Dash; components never open
the warehouse."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_pipelines_never_import_dash():
    offenders = [p.name for p in (ROOT / "pipelines").glob("*.py")
                 if {"dash", "plotly", "flask"} & imported_modules(p)]
    assert offenders == []
    # and importing every pipeline module loads no Dash either
    code = ("import sys, importlib, pkgutil, pipelines\n"
            "for m in pkgutil.iter_modules(pipelines.__path__):\n"
            "    importlib.import_module('pipelines.' + m.name)\n"
            "print('dash' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "False", out.stderr


def test_components_never_open_the_warehouse():
    offenders = [p.name for p in (ROOT / "components").glob("*.py")
                 if {"duckdb"} & imported_modules(p)
                 or "pipelines.store.warehouse" in p.read_text(encoding="utf-8")
                 or "pipelines.store.queries" in p.read_text(encoding="utf-8")]
    assert offenders == []
