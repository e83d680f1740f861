"""Boards in the browser: a fake Web Serial port printing value lines, and browsers without it."""

from __future__ import annotations

import re

import pytest
from ui.browserkit import api_paths, shot, sign_up_and_create_project

pytestmark = pytest.mark.services

# navigator.serial with one port: a board printing "x,y,z" lines at 50 Hz (by the clock).
FAKE_SERIAL = """
(() => {
  const encoder = new TextEncoder();
  let timer = null;
  const port = {
    readable: null,
    async open({ baudRate }) {
      let t = 0;
      this.readable = new ReadableStream({
        start(controller) {
          controller.enqueue(encoder.encode("3,0.5\\n"));  // a truncated first line
          // Like a real board, the rate does not depend on the page's timers: late ticks catch up.
          const start = performance.now();
          timer = setInterval(() => {
            const due = Math.floor((performance.now() - start) / 20);
            let text = "";
            while (t < due) {
              t += 1;
              text += `${Math.sin(t / 5).toFixed(3)},${(t % 7) / 10},9.81\\r\\n`;
            }
            if (text) controller.enqueue(encoder.encode(text));
          }, 20);
        },
        cancel() { clearInterval(timer); },
      });
    },
    async close() { clearInterval(timer); },
  };
  Object.defineProperty(navigator, "serial", { value: { requestPort: async () => port }, configurable: true });
})();
"""


def test_board_over_web_serial_is_detected_and_recorded(studio):
    context, url = studio
    context.add_init_script(FAKE_SERIAL)
    page = context.new_page()
    pid = sign_up_and_create_project(page, "linus", "Board lab")
    page.goto(f"/projects/{pid}/serial")
    page.get_by_role("button", name="Connect a board").click()
    detected = page.get_by_test_id("serial-detected")
    detected.wait_for()
    hz = float(re.search(r"Detected ([\d.]+) Hz with 3 axes", detected.inner_text()).group(1))
    assert 40 <= hz <= 60  # measured over the time the page really listened
    assert page.get_by_label("Axis 1").input_value() == "accX"
    page.get_by_label("Axis 3").fill("accZ")
    page.get_by_label("Label").fill("shake")
    page.get_by_label("Length (s)").fill("1")
    shot(page, "30-serial")
    if "/api/{category}/data" not in api_paths(url):
        pytest.skip("ingestion API not in this build yet")
    page.get_by_role("button", name="Start recording").click()
    result = page.get_by_test_id("serial-result")
    result.wait_for(timeout=15_000)
    assert "Uploaded" in result.inner_text(), result.inner_text()


def test_without_web_serial_the_page_points_to_tinyforge_forward(studio):
    context, _ = studio
    context.add_init_script("Object.defineProperty(navigator, 'serial', { value: undefined, configurable: true });")
    page = context.new_page()
    pid = sign_up_and_create_project(page, "margaret", "No serial")
    page.goto(f"/projects/{pid}/serial")
    page.get_by_text("tinyforge forward").wait_for()
