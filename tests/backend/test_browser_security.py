"""Cross-site request refusal (CSRF) and the security headers, through the app's own middleware."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.services
STUDIO = "http://testserver"  # the TestClient's own origin
OTHER_PORT = "http://testserver:8081"  # same host, another port: same site, another origin


@pytest.fixture()
def signed_in(client, make_user):
    """A project and its owner signed in through the session cookie, as in a browser."""
    owner = make_user("owner")
    pid = owner.post("/api/projects", json={"name": "Browser"}).json()["id"]
    r = client.post("/api/auth/login", json={"username": owner.username, "password": "correct horse battery"})
    assert r.status_code == 200
    return pid, owner


def _hmac_key(owner, pid: int) -> str:
    return owner.get(f"/api/projects/{pid}/hmac-key").json()["hmac_key"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-site", "Origin": OTHER_PORT},
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Origin": OTHER_PORT},  # an older browser without Fetch Metadata
        {"Origin": "null"},  # a sandboxed frame or a redirect
    ],
)
def test_cookie_requests_from_another_origin_are_refused_and_change_nothing(client, signed_in, headers):
    pid, owner = signed_in
    before = _hmac_key(owner, pid)
    r = client.post(f"/api/projects/{pid}/hmac-key/rotate", headers=headers)
    assert r.status_code == 403 and "another site or origin" in r.json()["detail"]
    assert _hmac_key(owner, pid) == before


def test_cookie_requests_from_the_studio_itself_pass(client, signed_in):
    pid, owner = signed_in
    before = _hmac_key(owner, pid)
    for headers in ({"Sec-Fetch-Site": "same-origin", "Origin": STUDIO}, {"Origin": STUDIO}, {}):
        r = client.post(f"/api/projects/{pid}/hmac-key/rotate", headers=headers)
        assert r.status_code == 200, (headers, r.text)
    assert _hmac_key(owner, pid) != before


def test_a_login_form_posted_from_another_site_is_refused(client, make_user):
    user = make_user()
    r = client.post(
        "/api/auth/login",
        json={"username": user.username, "password": "correct horse battery"},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert r.status_code == 403


def test_bearer_tokens_and_api_keys_are_not_subject_to_the_origin_check(client, make_project, api_key):
    pid, people = make_project()
    client.cookies.clear()
    cross = {"Sec-Fetch-Site": "cross-site", "Origin": "https://phone-client.example"}
    r = people["owner"].post(f"/api/projects/{pid}/hmac-key/rotate", headers=cross)
    assert r.status_code == 200, r.text
    key = api_key(people["owner"], pid, "ingestiononly")
    body = {
        "protected": {"ver": "v1", "alg": "none"},
        "signature": "",
        "payload": {
            "device_type": "PHONE",
            "interval_ms": 10,
            "sensors": [{"name": "accX", "units": "m/s2"}],
            "values": [[0.1], [0.2]],
        },
    }
    r = client.post(
        "/api/training/data",
        json=body,
        headers=cross | {"x-api-key": key, "x-label": "idle", "x-file-name": "idle.json"},
    )
    assert r.status_code == 200, r.text


def test_security_headers_on_the_ui_and_the_api(client):
    for path in ("/", "/projects/1", "/api/health"):
        r = client.get(path)
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "default-src 'self'" in csp
