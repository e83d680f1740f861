"""Live classification end to end: a phone page streams its (synthetic) accelerometer, the studio
classifies it window by window as the readings arrive, and measures reading-to-screen latency."""

from __future__ import annotations

import statistics
import time

import httpx
import numpy as np
import pytest
from ui.a11y import axe_violations, describe_violations
from ui.browserkit import shot
from ui.test_web_serial import FAKE_SERIAL

pytestmark = pytest.mark.services

# Gestures like the sample project's (backend/project/sample_data.py), in the sensor's own time
# (16 ms per event, whatever the timer does); every row fed is kept in window.__fed.
MOTION = """
([kind]) => {
  clearInterval(window.__feeder);
  window.__fed = window.__fed || [];
  let n = 0;
  window.__feeder = setInterval(() => {
    const t = (n++) * 0.016;
    const noise = () => (Math.random() - 0.5) * 0.2;
    let x = noise(), y = noise(), z = 9.81 + noise();
    if (kind === 'wave') { x += 6 * Math.sin(2 * Math.PI * 2 * t); y += 1.2 * Math.sin(4 * Math.PI * 2 * t); }
    window.__fed.push([x, y, z]);
    window.dispatchEvent(new DeviceMotionEvent('devicemotion', {
      accelerationIncludingGravity: {x, y, z}, interval: 16}));
  }, 16);
}
"""
WINDOWS_JS = """
() => [...document.querySelectorAll('[data-testid=live-window]')].map(r => ({
  index: Number(r.dataset.index), prediction: r.dataset.prediction,
  reading: Number(r.dataset.readingTs), shown: Number(r.dataset.shownTs || 0)}))
"""


def _wait_predictions(page, label: str, count: int, seen: dict, timeout_s: float = 90) -> None:
    """Until the newest `count` windows all say `label`; collects every window seen on screen."""
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        rows = page.evaluate(WINDOWS_JS)
        for r in rows:
            if r["shown"]:
                seen.setdefault(r["index"], r)
        if len(rows) >= count and all(r["prediction"] == label for r in rows[:count]):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the newest {count} windows did not all say {label!r}: {page.evaluate(WINDOWS_JS)}")


def test_a_phone_streams_and_the_studio_classifies_it_live(
    browser, studio, trained_sample_project, interactive_queue_worker
):
    context, url = studio
    t = trained_sample_project
    owner = httpx.Client(base_url=url, timeout=30, headers={"Authorization": f"Bearer {t['token']}"})

    def sample_total() -> int:
        return owner.get(f"/api/projects/{t['pid']}/samples", params={"include_total": True}).json()["total"]

    before = sample_total()
    context.add_cookies([{"name": "tf_session", "value": t["cookie"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{t['pid']}/classify")
    phone_ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=url
    )
    try:
        phone = phone_ctx.new_page()
        phone.goto(f"/phone?apiKey={t['api_key']}")
        phone.get_by_test_id("phone-state").get_by_text("connected").wait_for()
        phone.evaluate(MOTION, ["wave"])

        page.get_by_role("tab", name="Live from a device").click()
        page.get_by_role("textbox", name="Device").click()
        page.get_by_role("option", name="MOBILE_CLIENT").first.click()
        page.get_by_role("button", name="Start", exact=True).click()
        phone.get_by_test_id("phone-streaming").wait_for()
        page.get_by_test_id("live-state").get_by_text("live", exact=True).wait_for()

        seen: dict[int, dict] = {}
        _wait_predictions(page, "wave", 4, seen)
        scores = page.get_by_role("table", name="Scores of the latest window").inner_text()
        assert all(label in scores for label in ("idle", "wave", "circle")), scores
        shot(page, "70-live-classification")
        shot(phone, "71-phone-streaming")
        for where in (page, phone):
            found = axe_violations(where)
            assert not found, describe_violations(found)

        phone.evaluate(MOTION, ["idle"])
        _wait_predictions(page, "idle", 4, seen)
        indices = sorted(seen)
        assert len(indices) >= 8 and indices == sorted(set(indices))
        assert sample_total() == before  # streaming stored nothing

        page.get_by_label("Label for the saved sample").fill("idle")
        page.get_by_label("Last seconds").fill("2")
        page.get_by_role("button", name="Save as test sample").click()
        page.get_by_test_id("live-saved").get_by_text("125 readings").wait_for()
        assert sample_total() == before + 1
        sid = owner.get(f"/api/projects/{t['pid']}/samples", params={"category": "testing", "limit": 200}).json()
        saved = [s for s in sid["items"] if s["name"].startswith("idle.live.")]
        assert len(saved) == 1
        values = np.asarray(
            owner.get(f"/api/projects/{t['pid']}/samples/{saved[0]['id']}", params={"max_points": 0}).json()["values"]
        )
        fed = np.asarray(phone.evaluate("() => window.__fed"), dtype=np.float32)
        # The saved rows are 125 consecutive rows the phone produced.
        starts = np.flatnonzero(np.all(np.isclose(fed, values[0], atol=1e-5), axis=1))
        assert any(np.allclose(fed[s : s + 125], values, atol=1e-5) for s in starts), (
            "saved rows not found in the fed rows"
        )

        page.get_by_role("button", name="Stop").click()
        page.get_by_test_id("live-state").get_by_text("stopped by").wait_for()
        phone.get_by_test_id("phone-streaming").wait_for(state="detached")

        latencies = sorted(r["shown"] - r["reading"] for r in seen.values())
        p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
        print(
            f"\nlive classification latency, phone reading -> studio screen, {len(latencies)} windows: "
            f"median {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms"
        )
    finally:
        phone_ctx.close()
        owner.close()


def test_a_board_on_the_serial_page_is_classified_live(studio, trained_sample_project, interactive_queue_worker):
    """The serial page joins as a device (3 axes at 50 Hz; the worker resamples to the impulse's 62.5 Hz)."""
    context, url = studio
    t = trained_sample_project
    context.add_init_script(FAKE_SERIAL)
    context.add_cookies([{"name": "tf_session", "value": t["cookie"], "url": url}])
    board = context.new_page()
    board.goto(f"/projects/{t['pid']}/serial")
    board.get_by_role("button", name="Connect a board").click()
    board.get_by_test_id("serial-detected").wait_for()
    board.get_by_role("button", name="Connect as a device").click()
    state = board.get_by_test_id("serial-live-state")
    state.get_by_text("connected").wait_for()

    page = context.new_page()
    page.goto(f"/projects/{t['pid']}/classify")
    page.get_by_role("tab", name="Live from a device").click()
    page.get_by_role("textbox", name="Device").click()
    page.get_by_role("option", name="WEB_SERIAL").first.click()
    page.get_by_role("button", name="Start", exact=True).click()
    state.get_by_text("streaming").wait_for()
    page.get_by_test_id("live-window").nth(2).wait_for(timeout=60_000)
    scores = page.get_by_role("table", name="Scores of the latest window").inner_text()
    assert all(label in scores for label in ("idle", "wave", "circle")), scores
    assert page.get_by_text("could not be classified").count() == 0
    shot(board, "72-serial-board-streaming")
    page.get_by_role("button", name="Stop").click()
    state.get_by_text("connected").wait_for()
