"""A hostile page in the same browser, and the studio under its Content-Security-Policy, in Chromium."""

from __future__ import annotations

import http.server
import json
import secrets
import threading

import pytest
from ui.browserkit import sign_up_and_create_project

pytestmark = pytest.mark.services

ATTACK_PAGE = """<!doctype html><title>cat pictures</title>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="rotate" method="POST" action="{studio}/api/projects/{pid}/hmac-key/rotate" target="sink1"></form>
<form id="rebalance" method="POST" action="{studio}/api/projects/{pid}/samples/rebalance" target="sink2">
  <input type="hidden" name="x" value="y"></form>
<script>
  const opts = {{method: "POST", mode: "no-cors", credentials: "include"}};
  const sample = new FormData();
  sample.append("data", new Blob([{sample}]), "idle.stolen.json");
  window.attack = Promise.all([
    fetch("{studio}/api/projects/{pid}/impulses/{iid}/train", opts),
    fetch("{studio}/api/projects/{pid}/hmac-key/rotate", opts),
    fetch("{studio}/api/training/files?project_id={pid}", {{...opts, body: sample}}),
  ]).then(() => {{ document.getElementById("rotate").submit(); document.getElementById("rebalance").submit(); }});
</script>"""

SAMPLE = {
    "protected": {"ver": "v1", "alg": "none"},
    "signature": "",
    "payload": {
        "device_type": "PHONE",
        "interval_ms": 16,
        "sensors": [{"name": "accX", "units": "m/s2"}],
        "values": [[0.1], [0.2], [0.3]],
    },
}
IMPULSE = {
    "input": {"axes": ["accX"], "window_size_ms": 1000, "window_increase_ms": 500, "frequency_hz": 62.5},
    "processing": [{"id": "raw", "type": "raw", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["raw"], "params": {}}],
}


@pytest.fixture()
def page_on_another_port():
    """Serves one HTML page from 127.0.0.1 on another port: the same site, another origin."""
    pages: dict[str, str] = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def _serve(html: str) -> str:
        pages["/"] = html
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield _serve
    server.shutdown()


def test_a_page_on_another_port_cannot_act_with_the_users_cookie(studio, page_on_another_port):
    context, studio_url = studio
    request = context.request  # shares the browser's cookies: the user is signed in
    r = request.post(
        f"{studio_url}/api/auth/signup",
        data={"username": f"csrf_{secrets.token_hex(3)}", "password": "correct horse battery"},
    )
    assert r.status == 201, r.text()
    pid = request.post(f"{studio_url}/api/projects", data={"name": "Target"}).json()["id"]
    iid = request.post(f"{studio_url}/api/projects/{pid}/impulses", data={"name": "motion", "config": IMPULSE})
    assert iid.status == 201, iid.text()
    iid = iid.json()["id"]
    hmac_before = request.get(f"{studio_url}/api/projects/{pid}/hmac-key").json()["hmac_key"]

    answers: list[tuple[str, int]] = []
    page = context.new_page()
    page.on(
        "response", lambda resp: answers.append((resp.url, resp.status)) if resp.url.startswith(studio_url) else None
    )
    attack = ATTACK_PAGE.format(studio=studio_url, pid=pid, iid=iid, sample=json.dumps(json.dumps(SAMPLE)))
    page.goto(page_on_another_port(attack))
    page.evaluate("window.attack")
    page.wait_for_function(
        "() => [...document.querySelectorAll('iframe')].every(f => { "
        "try { return f.contentWindow.location.href !== 'about:blank'; } catch (e) { return true; } })"
    )
    page.wait_for_timeout(300)  # the last form answers arrive

    assert len(answers) == 5 and all(status == 403 for _, status in answers), answers
    assert request.get(f"{studio_url}/api/projects/{pid}/hmac-key").json()["hmac_key"] == hmac_before
    assert request.get(f"{studio_url}/api/projects/{pid}/jobs").json() == []
    assert request.get(f"{studio_url}/api/projects/{pid}/samples").json()["items"] == []


def test_the_studio_works_under_its_content_security_policy(studio):
    context, _ = studio
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    first = page.goto("/signup")
    assert "frame-ancestors 'none'" in first.headers["content-security-policy"]
    pid = sign_up_and_create_project(page, f"csp_{secrets.token_hex(3)}", "Under CSP")
    for name in ("data", "impulse", "features", "training", "deployment", "devices"):
        page.goto(f"/projects/{pid}/{name}")
        page.get_by_role("heading", level=1).wait_for()
        page.wait_for_timeout(300)  # charts and style injection
    page.goto("/")
    page.get_by_role("link", name="Open Under CSP").wait_for()
    violations = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
    assert violations == [], violations
