"""Two teammates edit the same impulse: nobody's save silently overwrites the other's."""

from __future__ import annotations

import secrets

import pytest
from ui.browserkit import api_user, shot

pytestmark = pytest.mark.services

CSV = "timestamp,accX,accY,accZ\n" + "".join(f"{i * 16},{i % 5},{i % 3},9.8\n" for i in range(250))
CONFIG = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 500,
        "frequency_hz": 62.5,
        "zero_pad": True,
    },
    "processing": [{"id": "flatten", "type": "flatten", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["flatten"], "params": {}}],
}


def _team(url: str):
    """Alice owns a project with one sample and an impulse (window 2000 ms); Bob is an editor."""
    alice_name, bob_name = f"alice_{secrets.token_hex(3)}", f"bob_{secrets.token_hex(3)}"
    alice, bob = api_user(url, alice_name), api_user(url, bob_name)
    pid = alice.post("/api/projects", json={"name": "Team impulse"}).json()["id"]
    alice.post(f"/api/projects/{pid}/invitations", json={"username": bob_name, "role": "editor"}).raise_for_status()
    bob.post(f"/api/invitations/pending/{bob.get('/api/invitations').json()[0]['id']}/accept").raise_for_status()
    r = alice.post(
        "/api/training/files", headers={"x-project-id": str(pid)}, files=[("data", ("idle.1.csv", CSV, "text/csv"))]
    )
    assert r.status_code == 200 and r.json()["success"], r.text
    r = alice.post(f"/api/projects/{pid}/impulses", json={"name": "Impulse", "config": CONFIG})
    assert r.status_code == 201, r.text
    return pid, r.json()["id"], (alice_name, alice), (bob_name, bob)


def _page_of(browser, url: str, user, pid: int):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=url)
    context.set_default_timeout(15_000)
    context.add_cookies([{"name": "tf_session", "value": user.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/impulse")
    page.get_by_text("live", exact=True).wait_for()  # the project stream is connected
    page.get_by_label("Window size (ms)").wait_for()
    return context, page


def _set(page, label: str, value: str) -> None:
    field = page.get_by_label(label)
    field.fill(value)
    field.blur()


def test_a_teammates_save_is_announced_and_a_stale_save_shows_the_differences(browser, live_server, built_ui):
    pid, iid, (alice_name, alice), (bob_name, bob) = _team(live_server)
    alice_ctx, alice_page = _page_of(browser, live_server, alice, pid)
    bob_ctx, bob_page = _page_of(browser, live_server, bob, pid)
    try:
        bob_page.get_by_text("version 1", exact=True).wait_for()
        _set(alice_page, "Window size (ms)", "1500")
        alice_page.get_by_role("button", name="Save impulse").click()
        alice_page.get_by_text("version 2", exact=True).wait_for()

        # Bob is told at once, his badge follows, and his form still shows what he loaded.
        notice = bob_page.get_by_role("status", name="Teammate saved")
        notice.get_by_text(f"{alice_name} saved version 2").wait_for()
        bob_page.get_by_text("version 2", exact=True).wait_for()
        assert bob_page.get_by_label("Window size (ms)").input_value() == "2000"
        shot(bob_page, "50-teammate-saved")

        # Bob saves another field: refused, and he sees what Alice changed against his form.
        _set(bob_page, "Window increase (ms)", "400")
        bob_page.get_by_role("button", name="Save impulse").click()
        diff = bob_page.get_by_role("table", name="Their changes and yours")
        row = diff.get_by_role("row").filter(has_text="Window size (ms)")
        row.wait_for()
        assert "1500" in row.inner_text()
        assert "2000" in row.inner_text()
        assert "400" in diff.get_by_role("row").filter(has_text="Window increase (ms)").inner_text()
        stored = bob.get(f"/api/projects/{pid}/impulses/{iid}").json()
        assert stored["version"] == 2 and stored["config"]["input"]["window_size_ms"] == 1500
        shot(bob_page, "51-conflict-diff")

        # He keeps Alice's window and re-applies his own change on top of it.
        bob_page.get_by_role("button", name="Apply my changes on top and save").click()
        bob_page.get_by_text("version 3", exact=True).wait_for()
        stored = bob.get(f"/api/projects/{pid}/impulses/{iid}").json()
        assert stored["config"]["input"]["window_size_ms"] == 1500
        assert stored["config"]["input"]["window_increase_ms"] == 400
        assert bob_page.get_by_label("Window size (ms)").input_value() == "1500"

        # Alice saves again while Bob looks: he can load her version with one click.
        alice_page.get_by_text(f"{bob_name} saved version 3").wait_for()
        alice_page.get_by_role("button", name="Load their version").click()
        assert alice_page.get_by_label("Window increase (ms)").input_value() == "400"
        _set(alice_page, "Window size (ms)", "1200")
        alice_page.get_by_role("button", name="Save impulse").click()
        bob_page.get_by_text(f"{alice_name} saved version 4").wait_for()
        bob_page.get_by_role("button", name="Load their version").click()
        assert bob_page.get_by_label("Window size (ms)").input_value() == "1200"
        assert bob_page.get_by_role("status", name="Teammate saved").count() == 0
    finally:
        alice_ctx.close()
        bob_ctx.close()
