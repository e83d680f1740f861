"""The impulse as a block diagram, and a processing block's page: parameters beside a live preview
of one window (draft parameters, window dragged over the raw signal), saved with the version it was
loaded from, so a teammate's save in between gives the conflict choices."""

from __future__ import annotations

import math
import re
import secrets

import pytest
from ui.browserkit import api_user, shot

pytestmark = pytest.mark.services

# 8 s at 62.5 Hz: a chirp on accX and a growing swing on accY, so each window has other features.
CSV = "timestamp,accX,accY,accZ\n" + "".join(
    f"{i * 16},{math.sin(2 * math.pi * (0.5 + i / 100) * i / 62.5):.4f},{(i / 100) * math.cos(i / 7):.4f},9.8\n"
    for i in range(500)
)
CONFIG = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 500,
        "frequency_hz": 62.5,
    },
    "processing": [{"id": "spectral", "type": "spectral-analysis", "params": {"filter_cutoff": 8, "fft_length": 64}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"], "params": {}}],
}
BLOCK_LINK = re.compile(r"^Processing block Spectral analysis spectral .*\(parameters and live preview\)$")
FLATTEN_LINK = re.compile(r"^Processing block Flatten flatten .*\(parameters and live preview\)$")


def _team(url: str):
    """Alice owns a project with one sample and a saved impulse; Bob is an editor."""
    alice_name, bob_name = f"alice_{secrets.token_hex(3)}", f"bob_{secrets.token_hex(3)}"
    alice, bob = api_user(url, alice_name), api_user(url, bob_name)
    pid = alice.post("/api/projects", json={"name": "Block page"}).json()["id"]
    alice.post(f"/api/projects/{pid}/invitations", json={"username": bob_name, "role": "editor"}).raise_for_status()
    bob.post(f"/api/invitations/pending/{bob.get('/api/invitations').json()[0]['id']}/accept").raise_for_status()
    r = alice.post(
        "/api/training/files", headers={"x-project-id": str(pid)}, files=[("data", ("wave.1.csv", CSV, "text/csv"))]
    )
    assert r.status_code == 200 and r.json()["success"], r.text
    r = alice.post(f"/api/projects/{pid}/impulses", json={"name": "Impulse", "config": CONFIG})
    assert r.status_code == 201, r.text
    sample_id = alice.get(f"/api/projects/{pid}/samples").json()["items"][0]["id"]
    return pid, r.json()["id"], sample_id, (alice_name, alice), (bob_name, bob)


def _open(browser, url: str, user, pid: int, path: str = "impulse"):
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, base_url=url)
    context.set_default_timeout(20_000)
    context.add_cookies([{"name": "tf_session", "value": user.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/{path}")
    page.get_by_text("live", exact=True).wait_for()  # the project stream is connected
    return context, page


def _shown(page, test_id: str, differs_from: str | None = None) -> str:
    """The preview's figure once the preview is idle (and, if given, no longer the old value)."""
    page.get_by_label("Updating the preview").wait_for(state="hidden")
    el = page.get_by_test_id(test_id)
    if differs_from is not None:
        page.wait_for_function(
            "([id, old]) => { const e = document.querySelector(`[data-testid=${id}]`); return e && e.textContent !== old }",
            arg=[test_id, differs_from],
        )
        page.get_by_label("Updating the preview").wait_for(state="hidden")
    return el.inner_text()


def _set(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.blur()


def _api_feature_count(api, pid, iid, sample_id, config=None) -> int:
    body = {"sample_id": sample_id, "block_id": "spectral", **({"config": config} if config else {})}
    r = api.post(f"/api/projects/{pid}/impulses/{iid}/preview", json=body)
    assert r.status_code == 200, r.text
    return len(r.json()["blocks"][0]["features"])


def test_block_page_previews_draft_parameters_and_the_dragged_window_then_saves(
    browser, live_server, built_ui, interactive_worker
):
    pid, iid, sample_id, (_, alice), _ = _team(live_server)
    ctx, page = _open(browser, live_server, alice, pid)
    try:
        diagram = page.get_by_role("region", name="Impulse block diagram")
        diagram.get_by_role("link", name="Input block Time series").wait_for()
        diagram.get_by_role(
            "link", name=re.compile(r"^Learning block Classification classifier · from spectral \(training\)$")
        ).wait_for()
        shot(page, "60-impulse-diagram")
        diagram.get_by_role("link", name=BLOCK_LINK).click()
        page.wait_for_url(f"**/projects/{pid}/impulse/blocks/spectral")
        page.get_by_role("heading", name="Spectral analysis", level=1).wait_for()

        # The first sample is picked and its first window previewed with the stored parameters.
        count = page.get_by_test_id("preview-feature-count")
        count.wait_for()
        before = _shown(page, "preview-feature-count")
        assert int(before) == _api_feature_count(alice, pid, iid, sample_id)
        assert _shown(page, "preview-window-start") == "0"
        assert page.get_by_test_id("unsaved-state").text_content() == "Saved"

        # A draft parameter: the preview follows without saving, with the draft's own count.
        _set(page, "FFT length", "32")
        after = _shown(page, "preview-feature-count", differs_from=before)
        draft = {
            **CONFIG,
            "processing": [{**CONFIG["processing"][0], "params": {"filter_cutoff": 8, "fft_length": 32}}],
        }
        assert int(after) == _api_feature_count(alice, pid, iid, sample_id, draft) < int(before)
        assert page.get_by_test_id("unsaved-state").text_content() == "Unsaved changes (1)"
        assert alice.get(f"/api/projects/{pid}/impulses/{iid}").json()["version"] == 1

        # An unusable value is explained beside the form; the page stays usable.
        _set(page, "Cut-off frequency (Hz)", "40")
        alert = page.get_by_role("alert").filter(has_text="These settings cannot be previewed")
        alert.wait_for()
        assert "filter_cutoff" in alert.inner_text() and "Nyquist" in alert.inner_text()
        _set(page, "Cut-off frequency (Hz)", "8")
        alert.wait_for(state="hidden")

        # Drag the window to the right over the raw signal: the preview's window start follows.
        window = page.get_by_role("slider", name="Window start")
        box = window.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 250, box["y"] + box["height"] / 2, steps=8)
        page.mouse.up()
        chosen = int(window.get_attribute("aria-valuenow"))
        assert chosen > 1000
        start = float(_shown(page, "preview-window-start", differs_from="0"))
        assert abs(start - chosen) <= 16  # the worker starts the window on a sample (every 16 ms)
        shot(page, "61-processing-block-page")

        # Reloading with unsaved changes asks first; staying keeps the draft.
        asked: list[str] = []
        page.once("dialog", lambda d: (asked.append(d.type), d.dismiss()))
        with page.expect_event("dialog", timeout=10_000):
            page.evaluate("() => { setTimeout(() => location.reload(), 0) }")
        assert asked == ["beforeunload"]
        assert page.get_by_label("FFT length", exact=True).input_value() == "32"

        page.get_by_role("button", name="Save impulse").click()
        page.get_by_text("version 2", exact=True).wait_for()
        assert page.get_by_test_id("unsaved-state").text_content() == "Saved"
        stored = alice.get(f"/api/projects/{pid}/impulses/{iid}").json()
        assert stored["version"] == 2 and stored["config"]["processing"][0]["params"]["fft_length"] == 32
        page.reload()
        page.get_by_label("FFT length", exact=True).wait_for()
        assert page.get_by_label("FFT length", exact=True).input_value() == "32"
    finally:
        ctx.close()


def test_a_teammates_save_on_the_same_block_gives_the_conflict_choices(
    browser, live_server, built_ui, interactive_worker
):
    pid, iid, _, (alice_name, alice), (_, bob) = _team(live_server)
    path = "impulse/blocks/spectral"
    alice_ctx, alice_page = _open(browser, live_server, alice, pid, path)
    bob_ctx, bob_page = _open(browser, live_server, bob, pid, path)
    try:
        for page in (alice_page, bob_page):
            page.get_by_label("FFT length", exact=True).wait_for()
        _set(alice_page, "FFT length", "32")
        alice_page.get_by_role("button", name="Save impulse").click()
        alice_page.get_by_text("version 2", exact=True).wait_for()

        bob_page.get_by_role("status", name="Teammate saved").get_by_text(f"{alice_name} saved version 2").wait_for()
        _set(bob_page, "Cut-off frequency (Hz)", "5")
        bob_page.get_by_role("button", name="Save impulse").click()
        diff = bob_page.get_by_role("table", name="Their changes and yours")
        row = diff.get_by_role("row").filter(has_text="FFT length")
        row.wait_for()
        assert "32" in row.inner_text() and "64" in row.inner_text()
        assert "5" in diff.get_by_role("row").filter(has_text="Cut-off frequency").inner_text()
        assert alice.get(f"/api/projects/{pid}/impulses/{iid}").json()["version"] == 2
        shot(bob_page, "62-processing-block-conflict")

        bob_page.get_by_role("button", name="Apply my changes on top and save").click()
        bob_page.get_by_text("version 3", exact=True).wait_for()
        params = alice.get(f"/api/projects/{pid}/impulses/{iid}").json()["config"]["processing"][0]["params"]
        assert params["fft_length"] == 32 and params["filter_cutoff"] == 5
        assert bob_page.get_by_label("FFT length", exact=True).input_value() == "32"
    finally:
        alice_ctx.close()
        bob_ctx.close()


def test_impulse_page_adds_and_removes_blocks_and_the_diagram_links_each_saved_one(
    browser, live_server, built_ui, interactive_worker
):
    pid, iid, _, (_, alice), _ = _team(live_server)
    ctx, page = _open(browser, live_server, alice, pid)
    try:
        diagram = page.get_by_role("region", name="Impulse block diagram")
        diagram.get_by_role("link", name=BLOCK_LINK).wait_for()
        page.get_by_role("button", name="Add a processing block").click()
        page.get_by_role("menuitem", name="Flatten").click()
        page.get_by_role("button", name="Add a learning block").click()
        page.get_by_role("menuitem", name="Anomaly detection (K-means)").click()
        # Not saved yet: the new processing block is drawn but has no page to open.
        diagram.get_by_text("save the impulse to open this block").wait_for()
        assert diagram.get_by_role("link", name=FLATTEN_LINK).count() == 0
        assert page.get_by_test_id("unsaved-state").text_content().startswith("Unsaved changes")

        page.get_by_role("button", name="Save impulse").click()
        page.get_by_text("version 2", exact=True).wait_for()
        stored = alice.get(f"/api/projects/{pid}/impulses/{iid}").json()["config"]
        assert [b["id"] for b in stored["processing"]] == ["spectral", "flatten"]
        assert [b["type"] for b in stored["learning"]] == ["keras-classifier", "kmeans-anomaly"]
        assert stored["learning"][0]["inputs"] == ["spectral", "flatten"]
        shot(page, "63-impulse-diagram-two-blocks")

        diagram.get_by_role("link", name=FLATTEN_LINK).click()
        page.get_by_role("heading", name="Flatten", level=1).wait_for()
        # Flatten's default statistics of three axes
        flatten_features = alice.post(
            f"/api/projects/{pid}/impulses/{iid}/preview",
            json={
                "sample_id": alice.get(f"/api/projects/{pid}/samples").json()["items"][0]["id"],
                "block_id": "flatten",
            },
        ).json()["blocks"][0]["features"]
        page.get_by_test_id("preview-feature-count").wait_for()
        assert _shown(page, "preview-feature-count") == str(len(flatten_features))

        page.get_by_role("link", name="Back to the impulse").click()
        page.get_by_role("button", name="Remove flatten").click()
        page.get_by_role("button", name="Remove kmeans-anomaly").click()
        page.get_by_role("button", name="Save impulse").click()
        page.get_by_text("version 3", exact=True).wait_for()
        stored = alice.get(f"/api/projects/{pid}/impulses/{iid}").json()["config"]
        assert [b["id"] for b in stored["processing"]] == ["spectral"]
        assert [b["id"] for b in stored["learning"]] == ["classifier"]
        assert stored["learning"][0]["inputs"] == ["spectral"]
    finally:
        ctx.close()
