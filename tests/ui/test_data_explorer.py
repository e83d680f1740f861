"""The data explorer page: draw the map with a real worker, accept the label suggestions for the
unlabeled samples, then box-select points, relabel them and see the legend (the colours) change."""

from __future__ import annotations

import importlib.util
import re
import secrets
from pathlib import Path

import pytest
from ui.a11y import assert_accessible
from ui.browserkit import api_user, shot

pytestmark = pytest.mark.services
MOTION_DATA = Path(__file__).resolve().parents[1] / "backend" / "impulse" / "motion_data.py"


def _motion():
    spec = importlib.util.spec_from_file_location("ui_explorer_motion_data", MOTION_DATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_explorer_suggests_labels_and_relabels_a_box_selection(studio, worker):
    context, url = studio
    motion = _motion()
    owner = api_user(url, f"explorer_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Explorer UI"}).json()["id"]
    motion.add_motion_dataset(pid, train_per_class=3, test_per_class=1, seconds=6)
    hidden = {
        motion.add_sample(pid, "", motion.motion(label, 6, seed=900 + k)): label
        for k, label in enumerate(motion.LABELS)
    }
    r = owner.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE})
    assert r.status_code == 201, r.text
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}")
    page.get_by_role("link", name="Data explorer").click()
    page.get_by_role("button", name="Draw the map").click()
    legend = page.get_by_test_id("explorer-legend")
    legend.get_by_text("Unlabeled: 40 windows, 4 samples").wait_for(timeout=120_000)
    assert page.get_by_test_id("legend-entry").count() == 5
    page.get_by_role("heading", name=re.compile(r"Map of 200 of 200 windows \(t-SNE\)")).wait_for()
    groups = page.get_by_test_id("suggestion-group")
    groups.first.wait_for()
    shot(page, "70-data-explorer")
    assert_accessible(page, "data explorer with a map and suggestions")

    # Accept every suggestion: the unlabeled samples take the proposed labels.
    page.get_by_role("button", name="Accept all").click()
    legend.get_by_text("Unlabeled", exact=False).wait_for(state="detached")
    page.get_by_test_id("label-suggestions").get_by_text("Every sample on the map has a label.").wait_for()
    labels = {
        sid: owner.get(f"/api/projects/{pid}/samples/{sid}", params={"max_points": 0}).json()["label"] for sid in hidden
    }
    assert sum(labels[s] == hidden[s] for s in hidden) >= 3, (labels, hidden)

    # Box-select part of the map and relabel what it caught.
    page.get_by_text("Box select").click()
    box = page.get_by_test_id("explorer-map").bounding_box()
    # From inside the plot's grid, across its top part (the axes fit the data: the top has points).
    page.mouse.move(box["x"] + 64, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 20, box["y"] + box["height"] * 0.45, steps=12)
    page.mouse.up()
    selection = page.get_by_test_id("explorer-selection")
    selection.wait_for()
    counts = re.search(r"(\d+) samples? selected \((\d+) windows?\)", selection.inner_text())
    samples, windows = int(counts[1]), int(counts[2])
    assert 1 <= samples <= 20 and windows >= samples
    shot(page, "71-data-explorer-selection")
    selection.get_by_role("button", name="List them").click()
    first = selection.get_by_role("button", name=re.compile(r"^Open sample \d+$")).first
    sid = int(first.inner_text().rsplit(" ", 1)[1])
    first.click()
    name = owner.get(f"/api/projects/{pid}/samples/{sid}", params={"max_points": 0}).json()["name"]
    page.get_by_role("dialog").get_by_text(name).first.wait_for()
    page.keyboard.press("Escape")
    page.get_by_role("dialog").wait_for(state="detached")
    selection.get_by_label("New label").fill("checked")
    selection.get_by_role("button", name="Relabel").click()
    legend.get_by_text(f"checked: {windows} windows, {samples} samples").wait_for()
    selection.wait_for(state="detached")
    stored = owner.get(f"/api/projects/{pid}/samples", params={"label": "checked", "limit": 100}).json()["items"]
    assert len(stored) == samples
    shot(page, "72-data-explorer-relabeled")
