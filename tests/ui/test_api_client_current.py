"""The committed typed API client (frontend/src/client/schema.d.ts) matches the backend's schema."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


@pytest.mark.skipif(
    shutil.which("node") is None or not (FRONTEND / "node_modules").is_dir(),
    reason="needs node and `npm ci` in frontend/",
)
def test_generated_api_client_is_current():
    run = subprocess.run(["node", "scripts/gen-api.mjs", "--check"], cwd=FRONTEND, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr + run.stdout
