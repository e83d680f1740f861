"""Helpers for the browser tests: screenshots, the server's routes, signing up."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(150)  # let charts and transitions settle
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def api_paths(live_server: str) -> set[str]:
    import httpx

    return set(httpx.get(live_server + "/api/openapi.json").json()["paths"])


def sign_up_and_create_project(page, username: str, project: str) -> int:
    page.goto("/signup")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("heading", name="Your projects").wait_for()
    page.get_by_label("New project name").fill(project)
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/projects/*")
    page.get_by_role("heading", name=project, level=1).wait_for()
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def api_user(live_server: str, username: str):
    """A user signed up through the live server's API: an httpx client carrying its session cookie."""
    import httpx

    client = httpx.Client(base_url=live_server, timeout=10)
    r = client.post("/api/auth/signup", json={"username": username, "password": "correct horse battery"})
    assert r.status_code == 201, r.text
    return client


def settle(page) -> None:
    """Wait until no animation or transition is running (endless ones, such as spinners, aside): a
    drawer still sliding in has moved boxes and blended colours."""
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running'"
        " || a.effect?.getTiming().iterations === Infinity)"
    )
