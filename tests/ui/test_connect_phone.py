"""Connect a phone: the QR code's address is explained when a phone cannot use it, and each person
keeps one phone key per project until they revoke it."""

from __future__ import annotations

import secrets

import pytest
from ui.browserkit import api_user, shot

pytestmark = pytest.mark.services


def _open_dialog(page) -> str:
    page.get_by_role("button", name="Connect a phone").click()
    link = page.get_by_test_id("phone-link")
    link.wait_for()
    page.get_by_alt_text("QR code with the phone link").wait_for()
    return link.inner_text()


def test_loopback_over_http_explains_https_and_shows_lan_addresses_and_the_key_is_reused(studio):
    context, url = studio
    owner = api_user(url, f"phoner_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Phones"}).json()["id"]
    context.add_cookies([{"name": "tf_session", "value": owner.cookies["tf_session"], "url": url}])
    page = context.new_page()
    page.goto(f"/projects/{pid}/devices")
    first = _open_dialog(page)
    warning = page.get_by_test_id("phone-access")
    warning.get_by_text("Your phone cannot open this address").wait_for()
    assert "127.0.0.1" in warning.inner_text() and "tinyforge serve --https" in warning.inner_text()
    lan = owner.get("/api/system/network").json()["lan_addresses"]
    port = url.rsplit(":", 1)[1]
    for ip in lan:
        warning.get_by_text(f"https://{ip}:{port}").wait_for()
    shot(page, "60-connect-phone-loopback")
    page.keyboard.press("Escape")

    assert _open_dialog(page) == first  # a second visit reuses the same key
    page.keyboard.press("Escape")
    keys = [k for k in owner.get(f"/api/projects/{pid}/apikeys").json() if k["name"].startswith("phone of")]
    assert len(keys) == 1
    owner.delete(f"/api/projects/{pid}/apikeys/{keys[0]['id']}").raise_for_status()
    page.reload()
    assert _open_dialog(page) != first  # revoked: the next visit makes a new one
