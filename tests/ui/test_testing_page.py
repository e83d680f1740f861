"""Model testing you can act on, in the browser on a really trained model: the variant switch and
the confidence slider recompute the summary from the job's per-window scores (checked against the
server's definition in Python), a result row opens the sample with a band per window, and a
mislabeled test sample is relabeled in one click (undone, redone) and shows so in the data list."""

from __future__ import annotations

import importlib.util
import math
import secrets
import time
from pathlib import Path

import pytest
from ui.a11y import axe_violations, describe_violations
from ui.browserkit import api_user, shot

pytestmark = pytest.mark.services

MOTION = Path(__file__).resolve().parents[1] / "backend" / "impulse" / "motion_data.py"
LABELS = ["circle", "idle", "wave"]


def _motion():
    spec = importlib.util.spec_from_file_location("ui_motion_data", MOTION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _job(api, pid: int, job_id: int, timeout: float = 300) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(f"/api/projects/{pid}/jobs/{job_id}").json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} did not finish in {timeout} s")


def _trained_project(url: str):
    """Three gestures, trained for real; the test set holds one wave recording labeled idle."""
    motion = _motion()
    owner = api_user(url, f"tester_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Gestures under test"}).json()["id"]
    motion.add_motion_dataset(pid, train_per_class=6, test_per_class=2, seconds=4, labels=LABELS)
    mislabeled = motion.add_sample(pid, "idle", motion.motion("wave", 4, seed=999), category="testing")
    imp = owner.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    train = _job(owner, pid, owner.post(f"/api/projects/{pid}/impulses/{imp['id']}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    return owner, pid, mislabeled


def _shown(page) -> dict:
    """The summary figures as drawn (their exact values), the per-label rows and the confusion matrix."""
    figures = {
        k: float(page.get_by_test_id(f"summary-{k}").get_attribute("data-value"))
        for k in ("accuracy", "uncertain", "weighted-f1", "windows")
    }
    per_class = {}
    for row in page.get_by_test_id("class-row").all():
        cells = [float(c.get_attribute("data-value")) for c in row.locator("td[data-value]").all()]
        per_class[row.get_attribute("data-label")] = dict(
            zip(("precision", "recall", "f1", "support"), cells, strict=True)
        )
    table = page.get_by_role("table", name="Confusion matrix table")
    matrix = [[int(c) for c in r.locator("td").all_inner_texts()] for r in table.locator("tbody tr").all()]
    return {**figures, "per_class": per_class, "matrix": matrix}


def _expected(summary: dict) -> dict:
    return {
        "accuracy": summary["accuracy"],
        "uncertain": summary["uncertain"],
        "weighted-f1": summary["weighted_f1"],
        "windows": float(summary["windows"]),
        "per_class": {k: {m: float(v) for m, v in c.items()} for k, c in summary["per_class"].items()},
        "matrix": summary["confusion_matrix"]["matrix"],
    }


def _wait_shown(page, expected: dict) -> None:
    """The page recomputes on the next render: compare once the figures settle on the expectation."""
    deadline = time.monotonic() + 10
    while _shown(page) != expected and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert _shown(page) == expected


def test_thresholds_variants_window_bands_and_one_click_relabel(studio, worker):
    from workers.pipeline.testing_summary import summarize

    context, url = studio
    owner, pid, mislabeled = _trained_project(url)
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/testing")
    page.get_by_role("button", name="Classify all test samples").click()
    page.get_by_test_id("summary-accuracy").wait_for(timeout=240_000)

    jobs = owner.get(f"/api/projects/{pid}/jobs", params={"kind": "impulse.test", "limit": 1}).json()
    result = owner.get(f"/api/projects/{pid}/jobs/{jobs[0]['id']}").json()["result"]
    pw, labels = result["per_window"], result["labels"]
    assert labels == LABELS and set(pw["scores"]) == {"int8", "float32"}

    # the default threshold shows the job's own summary, for each variant
    assert page.get_by_test_id("threshold-value").inner_text() == f"{result['threshold']:.2f}"
    _wait_shown(page, _expected(result["summary"]["int8"]))
    page.get_by_role("radiogroup", name="Model variant").get_by_text("float32", exact=True).click()
    assert page.get_by_role("radio", name="float32").is_checked()
    page.get_by_role("heading", name="Test set (float32)").wait_for()
    _wait_shown(page, _expected(result["summary"]["float32"]))

    # the slider recomputes it in the page, as the server's definition says
    # to the median best score of the windows (the model is sure of most): about half become uncertain
    tops = sorted(max(s) for s in pw["scores"]["float32"])
    steps = min(100, math.ceil(tops[len(tops) // 2] * 100))
    page.get_by_role("slider", name="Minimum confidence").focus()
    page.keyboard.press("Home")
    for _ in range(steps):
        page.keyboard.press("ArrowRight")
    assert page.get_by_test_id("threshold-value").inner_text() == f"{steps / 100:.2f}"
    strict = summarize(pw, "float32", labels, steps / 100)
    assert strict["uncertain"] > result["summary"]["float32"]["uncertain"]  # the slider changes something
    _wait_shown(page, _expected(strict))
    shot(page, "60-testing-threshold")
    page.keyboard.press("Home")  # 0: every window takes its best label
    loose = summarize(pw, "float32", labels, 0.0)
    _wait_shown(page, _expected(loose))
    assert loose["uncertain"] == 0.0

    # the mislabeled recording: its row, then its windows drawn under the signal
    row = page.locator(f'[data-testid="result-row"][data-sample-id="{mislabeled}"]')
    assert row.locator("td").nth(1).inner_text() == "idle" and row.locator("td").nth(2).inner_text() == "wave"
    row.get_by_role("button").click()
    drawer = page.get_by_role("dialog")
    bands = drawer.get_by_test_id("window-band")
    bands.first.wait_for()
    mine = [i for i, s in enumerate(pw["sample_id"]) if s == mislabeled]
    assert bands.count() == len(mine)
    wrong = [i for i in mine if labels[pw["scores"]["float32"][i].index(max(pw["scores"]["float32"][i]))] != "idle"]
    assert len(wrong) > len(mine) / 2
    assert drawer.locator('[data-testid="window-band"][data-wrong="true"]').count() == len(wrong)
    assert drawer.get_by_text(f"Windows the model got wrong ({len(wrong)})").is_visible()
    axe = axe_violations(page)
    assert not axe, describe_violations(axe)
    shot(page, "61-testing-sample-windows")

    # one click relabels it; undo puts it back; once more for good
    sample = f"/api/projects/{pid}/samples/{mislabeled}"
    drawer.get_by_role("button", name="Relabel as wave", exact=True).click()
    drawer.get_by_test_id("relabel-done").wait_for()
    assert owner.get(sample).json()["label"] == "wave"
    drawer.get_by_text("label wave").wait_for()
    drawer.get_by_role("button", name="Undo").click()
    drawer.get_by_text("label idle").wait_for()
    assert owner.get(sample).json()["label"] == "idle"
    drawer.get_by_role("button", name="Relabel as wave", exact=True).click()
    drawer.get_by_text("label wave").wait_for()
    shot(page, "62-testing-relabeled")
    page.keyboard.press("Escape")
    assert row.get_by_text("now wave").is_visible()

    name = owner.get(sample).json()["name"]
    page.locator(f'nav a[href="/projects/{pid}/data"]').click()
    page.get_by_label("Search names").fill(name)
    listed = page.get_by_test_id("sample-row").filter(has_text=name)
    listed.get_by_text("wave", exact=True).wait_for()
