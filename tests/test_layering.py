"""The layering of docs/architecture.md, enforced: the import-linter contracts in
pyproject.toml ([tool.importlinter]) all hold, they do catch a breach, no function-local
imports of our own modules (except those a comment explains), and importing the pipelines
loads no Dash."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).parent / "lint-imports"
PACKAGES = ["pages", "webapp", "exports", "present", "components", "pipelines", "tools"]
OURS = set(PACKAGES) | {"cli", "app"}


def lint(cwd: Path) -> subprocess.CompletedProcess:
    if not LINT.exists():
        pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
    return subprocess.run([str(LINT), "--no-cache", "--no-logo"], cwd=cwd, capture_output=True,
                          text=True, env={"PATH": str(LINT.parent), "PYTHONPATH": str(cwd)})


def test_every_import_contract_is_kept():
    out = lint(ROOT)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "BROKEN" not in out.stdout and " KEPT" in out.stdout


@pytest.mark.parametrize("where, text, contract", [
    ("present/_breach.py", "import dash\n", "never reach Dash"),
    ("components/_breach.py", "from exports import content\n", "Layers"),
    ("exports/_breach.py", "from components import adoption_tables\n", "Exports never"),
    ("webapp/_breach.py", "import duckdb\n", "DuckDB"),
    ("pages/_breach.py", "from pages import indicator\n", "Pages do not import each other"),
])
def test_a_breach_breaks_a_contract(tmp_path, where, text, contract):
    """A copy of the code with one bad import added fails lint-imports on that contract."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, tmp_path / pkg,
                        ignore=shutil.ignore_patterns("__pycache__"))
    for f in ("cli.py", "app.py", "pyproject.toml"):
        shutil.copy(ROOT / f, tmp_path / f)
    module = where.removesuffix(".py").replace("/", ".")
    assert module not in lint(tmp_path).stdout
    (tmp_path / where).write_text(text, encoding="utf-8")
    out = lint(tmp_path)
    assert out.returncode != 0
    assert any(contract in line for line in _broken(out)), out.stdout[-3000:]
    assert module in out.stdout  # named as the breach


def _broken(out: subprocess.CompletedProcess) -> list[str]:
    return [line for line in out.stdout.splitlines() if line.rstrip().endswith("BROKEN")]


def _local_imports(path: Path) -> list[str]:
    """Imports of our own modules inside a function without a comment on the line saying why."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    out = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            if {n.split(".")[0] for n in names} & OURS and "#" not in lines[node.lineno - 1]:
                out.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return out


def test_no_function_local_imports_of_our_own_modules():
    files = [ROOT / "cli.py", ROOT / "app.py"]
    for pkg in PACKAGES:
        files += sorted((ROOT / pkg).rglob("*.py"))
    offenders = [hit for f in files for hit in _local_imports(f)]
    assert offenders == [], "import at the top, or say why on the line: " + ", ".join(offenders)


def test_importing_the_pipelines_loads_no_dash():
    code = ("import sys, importlib, pkgutil, pipelines\n"
            "for m in pkgutil.walk_packages(pipelines.__path__, 'pipelines.'):\n"
            "    importlib.import_module(m.name)\n"
            "print(sorted({'dash', 'plotly', 'flask'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stderr
