"""The training page's network editor in Chromium: add conv1d, pooling and flatten layers and see
the parameters and on-device RAM change, a network that cannot be built explained on its layer
with Train disabled, reorder, expert mode (JSON) both ways, save, and train it from the page."""

from __future__ import annotations

import re
import secrets

import pytest
from ui.browserkit import api_user, shot

pytestmark = pytest.mark.services

RAW_IMPULSE = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 1000,
        "frequency_hz": 62.5,
    },
    "processing": [{"id": "raw", "type": "raw", "params": {}}],
    "learning": [
        {"id": "nn", "type": "keras-classifier", "params": {"architecture": [{"type": "dense", "units": 16}]}}
    ],
}


def _number(text: str) -> float:
    return float(re.sub(r"[^\d.]", "", text))


def _types(page) -> list[str]:
    return [c.get_attribute("data-layer-type") for c in page.get_by_test_id("layer-card").all()]


def _add(page, label: str, cards: int) -> None:
    page.get_by_role("button", name="Add layer").click()
    page.get_by_role("menuitem", name=label).click()
    page.get_by_test_id("layer-card").nth(cards - 1).wait_for()


def _settled(page) -> None:
    page.get_by_test_id("estimate-updating").wait_for(state="hidden")


def test_edit_the_network_see_its_cost_fix_it_and_train_it(studio, worker, interactive_worker):
    context, url = studio
    owner = api_user(url, f"layers_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Layers"}).json()["id"]
    owner.post(f"/api/projects/{pid}/sample-data").raise_for_status()
    owner.post(f"/api/projects/{pid}/impulses", json={"name": "raw", "config": RAW_IMPULSE}).raise_for_status()
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/training")
    page.get_by_test_id("layer-card").first.wait_for()
    page.get_by_test_id("estimate-params").wait_for()
    _settled(page)
    # 375 raw values -> dense 16 -> 3 classes
    assert _number(page.get_by_test_id("estimate-params").inner_text()) == 375 * 16 + 16 + 16 * 3 + 3
    ram_before = page.get_by_test_id("estimate-ram").inner_text()
    params_before = _number(page.get_by_test_id("estimate-params").inner_text())

    # conv1d goes before the dense layer; without a flatten the dense layer says what is missing
    _add(page, "1-D convolution", 2)
    _add(page, "Max pooling", 3)
    assert _types(page) == ["conv1d", "max_pool", "dense"]
    error = page.get_by_test_id("layer-card").nth(2).get_by_test_id("layer-error")
    error.wait_for()
    assert "flatten" in error.inner_text()
    train = page.get_by_role("button", name="Save and train")
    assert train.is_disabled()
    assert "flatten" in page.get_by_test_id("train-disabled-reason").inner_text()
    shot(page, "training-network-invalid")
    _add(page, "Flatten", 4)
    assert _types(page) == ["conv1d", "max_pool", "flatten", "dense"]
    page.get_by_test_id("layer-error").wait_for(state="detached")
    _settled(page)
    # conv1d 8 x 3 x 3 + 8; 125 rows pooled to 62 x 8 = 496 -> dense 16
    assert page.get_by_test_id("layer-card").nth(1).get_by_test_id("layer-shape").inner_text() == "out 62 × 8"
    params_conv = _number(page.get_by_test_id("estimate-params").inner_text())
    assert params_conv == 80 + 496 * 16 + 16 + 16 * 3 + 3 and params_conv != params_before
    assert page.get_by_test_id("estimate-ram").inner_text() != ram_before
    assert train.is_enabled()
    shot(page, "training-network-editor")

    # a pool larger than what reaches it: the message is on the pooling layer
    conv = page.get_by_role("listitem", name="1. 1-D convolution")
    conv.get_by_label("Stride").fill("4")
    pool = page.get_by_role("listitem", name="2. Max pooling")
    pool.get_by_label("Pool size").fill("40")
    pool.get_by_test_id("layer-error").wait_for()
    assert "leaves nothing of the 32 rows" in pool.get_by_test_id("layer-error").inner_text()
    assert train.is_disabled()
    pool.get_by_label("Pool size").fill("2")
    page.get_by_test_id("layer-error").wait_for(state="detached")

    # reorder with the keyboard: pooling above the conv is refused, then back down
    page.get_by_role("button", name="Move layer 2 up").focus()
    page.keyboard.press("Enter")
    assert _types(page) == ["max_pool", "conv1d", "flatten", "dense"]
    page.get_by_test_id("layer-card").first.get_by_test_id("layer-error").wait_for()
    page.get_by_role("button", name="Move layer 1 down").click()
    assert _types(page) == ["conv1d", "max_pool", "flatten", "dense"]
    page.get_by_test_id("layer-error").wait_for(state="detached")
    # or by dragging a card's grip onto another card: the dense layer takes the first place, then
    # the conv goes back on top
    cards = page.get_by_test_id("layer-card")
    cards.nth(3).get_by_test_id("layer-grip").drag_to(cards.nth(0))
    assert _types(page) == ["dense", "conv1d", "max_pool", "flatten"]
    cards.nth(1).get_by_test_id("layer-grip").drag_to(cards.nth(0))
    assert _types(page) == ["conv1d", "dense", "max_pool", "flatten"]
    cards.nth(1).get_by_test_id("layer-grip").drag_to(cards.nth(3))
    assert _types(page) == ["conv1d", "max_pool", "flatten", "dense"]
    page.get_by_test_id("layer-error").wait_for(state="detached")

    # expert mode: the same network as JSON, edits go back to the cards
    page.get_by_label("Expert mode (edit the network as JSON)").check()
    text = page.get_by_label("Network (JSON list of layers)")
    assert '"max_pool"' in text.input_value()
    text.fill(text.input_value().replace('"filters": 8', '"filters": 4'))
    text.fill(text.input_value() + ",")
    page.get_by_text("Not valid JSON").wait_for()
    assert train.is_disabled()
    text.fill(text.input_value().rstrip(","))
    shot(page, "training-network-expert")
    page.get_by_label("Expert mode (edit the network as JSON)").uncheck()
    assert page.get_by_role("listitem", name="1. 1-D convolution").get_by_label("Filters").input_value() == "4"
    _settled(page)

    page.get_by_role("button", name="Save settings").click()
    page.get_by_text("version 2").wait_for()
    saved = owner.get(f"/api/projects/{pid}/impulses").json()[0]["config"]["learning"][0]["params"]
    assert [layer["type"] for layer in saved["architecture"]] == ["conv1d", "max_pool", "flatten", "dense"]
    assert saved["architecture"][0]["filters"] == 4 and saved["architecture"][0]["stride"] == 4
    # a setting changed and trained at once: saved as a new version, then trained
    page.get_by_label("Number of training cycles").fill("3")
    page.get_by_role("button", name="Save and train").click()
    page.get_by_text("version 3").wait_for()
    assert owner.get(f"/api/projects/{pid}/impulses").json()[0]["config"]["learning"][0]["params"]["epochs"] == 3
    status = page.get_by_test_id("job-status").last
    status.get_by_text(re.compile("succeeded|failed|cancelled")).wait_for(timeout=240_000)
    assert status.inner_text().lower() == "succeeded", page.get_by_role("alert").all_inner_texts()
    page.get_by_test_id("int8-accuracy").wait_for()
    shot(page, "training-network-trained")
