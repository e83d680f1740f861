"""Every page of the studio, with a little data in it, passes axe-core's WCAG 2 A/AA checks:
no critical or serious violations (contrast, names of buttons and inputs, landmarks ...).
One browser session walks the pages; the violations of all pages are reported together."""

from __future__ import annotations

import secrets

import pytest
from ui.a11y import axe_violations, describe_violations
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

    # A processing block's page, opened from the impulse's block diagram, with its preview drawn.
    page.locator(f'nav a[href="/projects/{pid}/impulse"]').click()
    diagram = page.get_by_role("region", name="Impulse block diagram")
    diagram.get_by_role("link", name="Spectral analysis").click()
    page.get_by_test_id("preview-feature-count").wait_for()
    page.locator(".mantine-Loader-root").first.wait_for(state="hidden")
    check(page, "processing block page", "processing-block")

    page.locator(f'nav a[href="/projects/{pid}/data"]').click()
    page.get_by_test_id("sample-row").first.get_by_role("button").click()
    page.get_by_role("dialog").get_by_role("img").first.wait_for()
    check(page, "sample drawer", "data-drawer")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Upload data").click()
    page.get_by_role("dialog", name="Upload data").wait_for()
    check(page, "upload dialog", "data-upload")
    page.keyboard.press("Escape")

    context.clear_cookies()
    context.add_cookies([{"name": "tf_session", "value": guest_cookie, "url": url}])
    page.goto(f"/invitations/{token}")
    page.get_by_role("heading", name="Join Accessible").wait_for()
    check(page, "invitation page", "invitation")
    page.goto(f"/phone?apiKey={phone_key}")
    page.get_by_test_id("phone-state").wait_for()
    check(page, "phone page", "phone")

    report = "\n".join(f"{where}:\n{describe_violations(v)}" for where, v in problems.items())
    assert not problems, f"critical or serious accessibility violations:\n{report}"
