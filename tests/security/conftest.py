"""The upload tests' fixtures (a built sample warehouse copied per test, servers per config),
plus a helper that runs code in a child process with a memory and time limit, so an attack
that would exhaust memory fails the test instead of the machine."""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap

import pytest

from pipelines.core.config import PROJECT_ROOT
from tests.upload.conftest import built_dir, config, dash_app, make_config, server_for  # noqa: F401


def run_limited(code: str, *, mem_mb: int = 1024, timeout: float = 90.0) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (mem_mb * 1024 * 1024, mem_mb * 1024 * 1024))
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    try:
        return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=PROJECT_ROOT,
                              env=env, capture_output=True, text=True, timeout=timeout,
                              preexec_fn=limit)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {timeout:.0f} s")
