"""Browser tests: the built studio served by a real API process, driven in Debian's Chromium."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ui.browserkit import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "frontend"


def _newest_source() -> float:
    files = [p for d in ("src", "scripts") for p in (FRONTEND / d).rglob("*") if p.is_file()]
    files += [FRONTEND / n for n in ("index.html", "package.json", "vite.config.ts")]
    return max(p.stat().st_mtime for p in files)


@pytest.fixture(scope="session")
def built_ui() -> Path:
    """frontend/dist, rebuilt when it is missing or older than the sources."""
    index = FRONTEND / "dist" / "index.html"
    if not index.is_file() or index.stat().st_mtime < _newest_source():
        if not (FRONTEND / "node_modules").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=FRONTEND, check=True)
        subprocess.run(["npm", "run", "build"], cwd=FRONTEND, check=True, capture_output=True)
    return FRONTEND / "dist"


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    b = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture()
def studio(browser, live_server, built_ui):
    """A fresh browser context on the studio (desktop size); yields (context, base url)."""
    context = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=live_server)
    context.set_default_timeout(15_000)
    yield context, live_server
    context.close()


@pytest.fixture(scope="session")
def interactive_worker(interactive_queue_worker):
    """A real worker on the interactive queue (previews and live classification), as `tinyforge serve`
    runs: the session's one (tests/conftest.py)."""
    return interactive_queue_worker
