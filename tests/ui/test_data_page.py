"""Data acquisition in the browser: the upload dialog's per-file results, bulk relabel, and lists
that update live when another member uploads."""

from __future__ import annotations

import re
import secrets

import pytest
from ui.browserkit import api_paths, api_user, shot

pytestmark = pytest.mark.services

CSV = "timestamp,accX,accY,accZ\n" + "".join(f"{i * 16},{i % 5},{i % 3},9.8\n" for i in range(80))


def _owner_page(context, url: str, username: str):
    owner = api_user(url, username)
    pid = owner.post("/api/projects", json={"name": "Data lab"}).json()["id"]
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    return owner, pid, context.new_page()


def test_upload_dialog_reports_each_file_and_bulk_relabel(studio, tmp_path):
    context, url = studio
    if "/api/projects/{project_id}/samples" not in api_paths(url):
        pytest.skip("dataset API not in this build yet")
    _, pid, page = _owner_page(context, url, "uploader")
    good, bad = tmp_path / "idle.01.csv", tmp_path / "broken.csv"
    good.write_text(CSV)
    bad.write_text("this is not a sample\n")
    page.goto(f"/projects/{pid}/data")
    page.get_by_text("No samples here yet").wait_for()
    page.get_by_role("button", name="Upload data").click()
    page.locator("input[type=file]").set_input_files([good, bad])
    page.get_by_role("button", name="Upload", exact=True).click()
    results = page.get_by_label("Upload results")
    results.get_by_text("idle.01.csv: stored as").wait_for()
    assert "broken.csv:" in results.inner_text() and "stored as" not in results.get_by_text("broken.csv").inner_text()
    shot(page, "40-upload-dialog")
    page.keyboard.press("Escape")
    page.get_by_test_id("sample-row").first.wait_for()
    page.get_by_label("Select all").check()
    page.get_by_label("New label").fill("rest")
    page.get_by_role("button", name="Relabel").click()
    page.get_by_label("Samples per label").get_by_text("rest").wait_for()
    assert page.get_by_test_id("sample-row").first.get_by_role("cell").nth(2).inner_text() == "rest"


def test_another_members_upload_and_presence_show_up_live(studio):
    context, url = studio
    if "/api/{category}/files" not in api_paths(url):
        pytest.skip("ingestion API not in this build yet")
    owner, pid, page = _owner_page(context, url, "watcher")
    editor = api_user(url, "colleague")
    owner.post(f"/api/projects/{pid}/invitations", json={"username": "colleague", "role": "editor"}).raise_for_status()
    editor.post(f"/api/invitations/pending/{editor.get('/api/invitations').json()[0]['id']}/accept").raise_for_status()
    page.goto(f"/projects/{pid}/data")
    page.get_by_text("No samples here yet").wait_for()
    page.get_by_text("live", exact=True).wait_for()  # the project stream is connected
    r = editor.post(
        "/api/training/files", headers={"x-project-id": str(pid)}, files=[("data", ("wave.1.csv", CSV, "text/csv"))]
    )
    assert r.status_code == 200 and r.json()["success"], r.text
    page.get_by_test_id("sample-row").first.get_by_text("wave").first.wait_for()  # no reload
    editor.post(f"/api/projects/{pid}/presence").raise_for_status()
    page.get_by_label("Online now").get_by_label("colleague").wait_for()
    shot(page, "41-live-collaboration")


def test_a_filter_that_matches_nothing_says_so_and_clears(studio):
    context, url = studio
    owner, pid, page = _owner_page(context, url, f"filterer_{secrets.token_hex(3)}")
    r = owner.post(
        "/api/training/files", headers={"x-project-id": str(pid)}, files=[("data", ("wave.1.csv", CSV, "text/csv"))]
    )
    assert r.status_code == 200 and r.json()["success"], r.text
    page.goto(f"/projects/{pid}/data")
    page.get_by_test_id("sample-row").first.wait_for()
    page.get_by_label("Search names").fill("no such name")
    empty = page.get_by_role("status").filter(has_text="No sample matches")
    empty.wait_for()
    assert page.get_by_text("No samples here yet").count() == 0
    shot(page, "42-filter-matches-nothing")
    empty.get_by_role("button", name="Clear the filter").click()
    page.get_by_test_id("sample-row").first.wait_for()
    assert page.get_by_label("Search names").input_value() == ""


def _drag_across(page, chart, start: float, end: float) -> None:
    """Drag on the chart's plot area from `start` to `end` (fractions of its width)."""
    over = chart.locator(".u-over")
    over.wait_for(state="visible")  # a crop re-draws the chart with the new signal
    box = None
    for _ in range(50):  # the drawer slides in: measure once it stands still
        previous, box = box, over.bounding_box()
        if box and box == previous:
            break
        page.wait_for_timeout(100)
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * (start + end) / 2, y, steps=4)
    page.mouse.move(box["x"] + box["width"] * end, y, steps=4)
    page.mouse.up()


def test_crop_resets_the_selection_and_a_second_crop_works(studio):
    context, url = studio
    owner, pid, page = _owner_page(context, url, f"cropper_{secrets.token_hex(3)}")
    long_csv = "timestamp,accX,accY,accZ\n" + "".join(f"{i * 16},{i % 5},{i % 3},9.8\n" for i in range(250))
    r = owner.post(
        "/api/training/files",
        headers={"x-project-id": str(pid)},
        files=[("data", ("long.1.csv", long_csv, "text/csv"))],
    )
    assert r.status_code == 200 and r.json()["success"], r.text
    page.goto(f"/projects/{pid}/data")
    page.get_by_test_id("sample-row").first.get_by_role("button").first.click()
    chart = page.get_by_role("img", name=re.compile("Signal chart of accX"))
    chart.wait_for()
    _drag_across(page, chart, 0.5, 0.9)
    page.get_by_text(re.compile(r"Selection \d+–\d+ ms")).wait_for()
    page.get_by_role("button", name="Crop to selection").click()

    def length_ms() -> float:
        return float(owner.get(f"/api/projects/{pid}/samples").json()["items"][0]["length_ms"])

    page.get_by_text(re.compile(r"Selection 0–\d+ ms")).wait_for()  # the whole cropped sample
    first = length_ms()
    assert first < 4000
    assert page.get_by_text(f"Selection 0–{round(first)} ms").count() == 1
    _drag_across(page, chart, 0.1, 0.6)
    page.get_by_role("button", name="Crop to selection").click()
    page.get_by_text(re.compile(r"Selection 0–\d+ ms")).wait_for()
    drawer = page.get_by_role("dialog")
    assert drawer.get_by_role("alert").count() == 0, drawer.get_by_role("alert").all_inner_texts()
    assert length_ms() < first
    shot(page, "43-second-crop")
