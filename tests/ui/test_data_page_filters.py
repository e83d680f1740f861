"""The data page at work on a bigger dataset: filters by label and metadata kept in the URL, the
per-sample menu (relabel, move, disable, delete), thumbnails, durations and the next page."""

from __future__ import annotations

import re
import secrets

import pytest
from ui.browserkit import api_user, shot

from tests.support.sample_rows import insert_samples

pytestmark = pytest.mark.services

LABELS = ("idle", "wave", "snake")


def _rows(page):
    return page.get_by_test_id("sample-row")


def _label_cells(page) -> set[str]:
    return {r.get_by_role("cell").nth(2).inner_text() for r in _rows(page).all()}


def test_filter_page_and_edit_samples_from_their_row_menu(studio):
    context, url = studio
    owner = api_user(url, f"curator_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Big data"}).json()["id"]
    insert_samples(pid, 103, label=lambda i: LABELS[i % 3], meta=lambda i: {"site": "lab" if i % 2 else "field"})
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/data")
    _rows(page).first.wait_for()
    assert _rows(page).count() == 100
    assert _rows(page).first.get_by_test_id("sparkline").is_visible()
    page.get_by_text("Samples 1–100 of 103").wait_for()
    page.get_by_label("Duration per label").get_by_text("wave").wait_for()
    page.get_by_role("button", name="Next page").click()
    page.get_by_text("Samples 101–103 of 103").wait_for()
    assert _rows(page).count() == 3
    page.get_by_role("button", name="Previous page").click()
    page.get_by_text("Samples 1–100 of 103").wait_for()

    page.get_by_role("textbox", name="Labels", exact=True).click()
    page.get_by_role("option", name="wave", exact=True).click()
    page.keyboard.press("Escape")
    page.get_by_text("Samples 1–34 of 34").wait_for()  # i % 3 == 1 for 103 samples
    assert _label_cells(page) == {"wave"}
    page.get_by_role("textbox", name="Metadata", exact=True).click()
    page.get_by_role("option", name="site", exact=True).click()
    page.get_by_role("textbox", name="Value", exact=True).click()
    page.get_by_role("option", name=re.compile(r"^lab \(")).click()
    page.get_by_label("Metadata filters").get_by_text("site = lab").wait_for()
    page.get_by_text("Samples 1–17 of 17").wait_for()  # odd i with i % 3 == 1
    assert "label=wave" in page.url and "meta=site%3Dlab" in page.url
    shot(page, "44-data-filters")
    page.reload()  # the link reproduces the view
    page.get_by_text("Samples 1–17 of 17").wait_for()
    assert page.get_by_label("Metadata filters").get_by_text("site = lab").is_visible()

    def act(name: str, item: str):
        page.get_by_role("button", name=f"Actions for {name}").click()
        page.get_by_role("menuitem", name=item).click()

    names = [r.get_by_role("cell").nth(1).inner_text().split("\n")[0] for r in _rows(page).all()[:4]]
    relabel, move, disable, delete = names
    act(relabel, "Relabel")
    page.get_by_label("New label (empty: unlabeled)").fill("snake")
    shot(page, "45-data-row-relabel")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Samples 1–16 of 16").wait_for()  # it left the filter
    act(move, "Move to testing")
    page.get_by_text("Samples 1–16 of 16").wait_for()
    row = _rows(page).filter(has_text=move)
    row.get_by_role("cell", name="testing", exact=True).wait_for()
    act(disable, "Disable")
    _rows(page).filter(has_text=disable).get_by_text("disabled").wait_for()
    act(delete, "Delete")
    page.get_by_role("dialog", name=f"Delete {delete}?").get_by_role("button", name="Delete sample").click()
    page.get_by_text("Samples 1–15 of 15").wait_for()
    shot(page, "46-data-row-menu-done")

    state = {s["name"]: s for s in owner.get(f"/api/projects/{pid}/samples", params={"limit": 200}).json()["items"]}
    assert state[relabel]["label"] == "snake"
    assert state[move]["category"] == "testing"
    assert state[disable]["enabled"] is False
    assert delete not in state and len(state) == 102

    page.get_by_label("Remove filter site=lab").click()
    page.get_by_text(re.compile(r"Samples 1–\d+ of 32")).wait_for()  # 34 wave - relabelled - deleted
    assert "meta=" not in page.url
