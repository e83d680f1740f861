"""Every page of the studio, with a little data in it, passes axe-core's WCAG 2 A/AA checks:
no critical or serious violations (contrast, names of buttons and inputs, landmarks ...).
One browser session walks the pages; the violations of all pages are reported together."""

from __future__ import annotations

import secrets

import pytest
from ui.a11y import axe_violations, describe_violations
from ui.arranged_training import board_project
from ui.browserkit import api_user, shot

pytestmark = pytest.mark.services

IMPULSE = {
    "input": {
        "axes": ["accX", "accY", "accZ"],
        "window_size_ms": 2000,
        "window_increase_ms": 500,
        "frequency_hz": 62.5,
    },
    "processing": [{"id": "spectral", "type": "spectral-analysis", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["spectral"], "params": {}}],
}
PROJECT_PAGES = [
    "devices",
    "data",
    "serial",
    "impulse",
    "features",
    "explorer",
    "training",
    "testing",
    "classify",
    "deployment",
    "versions",
]


def test_every_page_has_no_serious_accessibility_violations(studio, interactive_worker):
    context, url = studio
    owner = api_user(url, f"axe_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Accessible"}).json()["id"]
    owner.post(f"/api/projects/{pid}/sample-data").raise_for_status()
    owner.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": IMPULSE}).raise_for_status()
    owner.post(f"/api/projects/{pid}/apikeys", json={"role": "admin", "name": "lab board"}).raise_for_status()
    guest = f"guest_{secrets.token_hex(3)}"
    guest_cookie = api_user(url, guest).cookies["tf_session"]
    invitation = owner.post(f"/api/projects/{pid}/invitations", json={"username": guest, "role": "editor"})
    token = invitation.json()["token"]
    phone_key = owner.post(f"/api/projects/{pid}/apikeys/phone").json()["key"]
    # a project with nothing trained for the phone's "Classify on this phone" (the first one gets a
    # trained impulse below, for the testing page)
    untrained = owner.post("/api/projects", json={"name": "Untrained"}).json()["id"]
    untrained_key = owner.post(f"/api/projects/{untrained}/apikeys/phone").json()["key"]
    problems: dict[str, list[dict]] = {}

    def check(page, where: str, name: str) -> None:
        shot(page, f"a11y-{name}")
        found = axe_violations(page)
        if found:
            problems[where] = found

    page = context.new_page()
    page.goto("/login")
    page.get_by_role("button", name="Log in").wait_for()
    check(page, "sign-in page", "sign-in")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_role("button", name="Sign up").wait_for()
    check(page, "sign-up page", "sign-up")

    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page.goto("/")
    page.get_by_role("link", name="Open Accessible").wait_for()
    check(page, "projects page", "projects")
    page.get_by_role("link", name="Open Accessible").click()
    page.get_by_label("Activity feed").get_by_text("sample data").wait_for()
    check(page, "dashboard", "dashboard")
    for name in PROJECT_PAGES:
        # Through the navigation (no reload): quicker, and axe stays loaded in the page.
        before = page.locator("h1").inner_text()
        page.locator(f'nav a[href="/projects/{pid}/{name}"]').click()
        page.wait_for_url(f"**/projects/{pid}/{name}")
        # The URL changes before a lazily loaded page replaces the last one: wait for its heading.
        page.wait_for_function("t => (document.querySelector('h1') || {}).innerText !== t", arg=before)
        page.locator(".mantine-Loader-root").first.wait_for(state="hidden")
        check(page, f"{name} page", name)

    page.locator(f'nav a[href="/projects/{pid}/training"]').click()
    page.get_by_test_id("layer-card").first.wait_for()
    page.get_by_role("button", name="Add layer").click()
    page.get_by_role("menu").wait_for()
    check(page, "training page: add layer menu", "training-add-layer")
    page.keyboard.press("Escape")
    page.get_by_label("Expert mode (edit the network as JSON)").check()
    page.get_by_label("Network (JSON list of layers)").wait_for()
    check(page, "training page: network as JSON", "training-expert")

    # A processing block's page, opened from the impulse's block diagram, with its preview drawn.
    page.locator(f'nav a[href="/projects/{pid}/impulse"]').click()
    diagram = page.get_by_role("region", name="Impulse block diagram")
    diagram.get_by_role("link", name="Spectral analysis").click()
    page.get_by_test_id("preview-feature-count").wait_for()
    page.locator(".mantine-Loader-root").first.wait_for(state="hidden")
    check(page, "processing block page", "processing-block")

    page.locator(f'nav a[href="/projects/{pid}/data"]').click()
    page.get_by_test_id("sample-row").first.get_by_role("button").first.click()
    page.get_by_role("dialog").get_by_role("img").first.wait_for()
    check(page, "sample drawer", "data-drawer")
    page.keyboard.press("Escape")
    page.get_by_role("dialog").wait_for(state="hidden")
    page.get_by_test_id("sample-row").first.get_by_role("button", name="Actions for").click()
    page.get_by_role("menu").wait_for()
    check(page, "sample row menu", "data-row-menu")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Upload data").click()
    page.get_by_role("dialog", name="Upload data").wait_for()
    check(page, "upload dialog", "data-upload")
    page.keyboard.press("Escape")

    _arrange_test_result(owner, pid)
    page.goto(f"/projects/{pid}/testing")
    page.get_by_test_id("summary-accuracy").wait_for()
    page.get_by_role("switch", name="Flag anomalies above").focus()
    page.keyboard.press("Space")
    page.get_by_test_id("summary-anomalous").wait_for()
    check(page, "testing page with results", "testing-results")
    page.get_by_test_id("result-row").first.get_by_role("button").click()
    page.get_by_role("dialog").get_by_test_id("window-band").first.wait_for()
    check(page, "tested sample with its windows", "testing-sample")
    page.keyboard.press("Escape")

    # the deployment page of a trained impulse: board picker, float32 / int8 table, a no-fit warning
    boards_owner, boards_pid = board_project(url)
    context.add_cookies([{"name": "tf_session", "value": boards_owner.cookies["tf_session"], "url": url}])
    page.goto(f"/projects/{boards_pid}/deployment?board=bbc-microbit-v1")
    page.get_by_test_id("board-warning-float32").wait_for()
    check(page, "deployment page with a board", "deployment-boards")

    context.clear_cookies()
    context.add_cookies([{"name": "tf_session", "value": guest_cookie, "url": url}])
    page.goto(f"/invitations/{token}")
    page.get_by_role("heading", name="Join Accessible").wait_for()
    check(page, "invitation page", "invitation")
    page.goto(f"/phone?apiKey={phone_key}")
    page.get_by_test_id("phone-state").wait_for()
    check(page, "phone page", "phone")
    page.goto(f"/phone?apiKey={untrained_key}")
    page.get_by_test_id("phone-state").wait_for()
    page.get_by_role("button", name="Classify on this phone").click()  # nothing trained: it says so
    page.get_by_role("alert").get_by_text("no trained impulse").wait_for()
    check(page, "phone page, classify on this phone", "phone-classify")

    report = "\n".join(f"{where}:\n{describe_violations(v)}" for where, v in problems.items())
    assert not problems, f"critical or serious accessibility violations:\n{report}"


def _arrange_test_result(owner, pid: int) -> None:
    """A trained impulse and a finished test run over the sample project's test recordings, stored
    as the jobs would (each 4th window wrong), so the testing page shows its results and windows."""
    from backend.core.db import get_sessionmaker
    from backend.impulse.repository import mark_trained
    from backend.models.job import Job

    impulse = owner.get(f"/api/projects/{pid}/impulses").json()[0]
    tests = owner.get(f"/api/projects/{pid}/samples", params={"category": "testing", "limit": 100}).json()["items"]
    labels = sorted({s["label"] for s in tests})
    per_window = {"sample_id": [], "start_ms": [], "label": [], "anomaly": [], "scores": {"int8": [], "float32": []}}
    for s in tests:
        for k in range(int((s["length_ms"] - 2000) // 500) + 1):
            guess = labels[(labels.index(s["label"]) + (k % 4 == 3)) % len(labels)]
            scores = [0.8 if label == guess else 0.2 / (len(labels) - 1) for label in labels]
            per_window["sample_id"].append(s["id"])
            per_window["start_ms"].append(500.0 * k)
            per_window["label"].append(s["label"])
            per_window["anomaly"].append(0.25 * (k % 3) - 0.4)  # the anomaly threshold's controls show too
            per_window["scores"]["int8"].append(scores)
            per_window["scores"]["float32"].append(scores)
    learning = {"type": "keras-classifier", "best_epoch": 10, "stopped_early": False}
    train = {"impulse": impulse["config"], "labels": labels, "learning": learning, "metrics": {}, "warnings": []}
    tested = {"threshold": 0.6, "labels": labels, "variant": "int8", "per_window": per_window, "warnings": []}
    with get_sessionmaker()() as db:
        jobs = [
            Job(project_id=pid, kind=kind, queue="jobs", status="succeeded", progress=1.0, params=params, result=result)
            for kind, params, result in (
                ("impulse.train", {"impulse_id": impulse["id"], "impulse_version": impulse["version"]}, train),
                ("impulse.test", {"impulse_id": impulse["id"], "variant": "int8"}, tested),
            )
        ]
        db.add_all(jobs)
        db.flush()
        mark_trained(db, impulse["id"], impulse["version"], jobs[0].id)
        db.commit()


def test_the_live_classification_panel_has_no_serious_accessibility_violations(studio, trained_sample_project):
    """The Live tab needs a trained model (shared with the live classification tests)."""
    context, url = studio
    t = trained_sample_project
    context.add_cookies([{"name": "tf_session", "value": t["cookie"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{t['pid']}/classify")
    page.get_by_role("tab", name="Live from a device").click()
    page.get_by_role("textbox", name="Device").wait_for()
    shot(page, "a11y-classify-live")
    found = axe_violations(page)
    assert not found, f"critical or serious accessibility violations:\n{describe_violations(found)}"
