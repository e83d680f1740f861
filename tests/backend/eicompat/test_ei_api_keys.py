"""API keys that Edge Impulse's CLI accepts: it refuses any key not starting with `ei_`. Every key
works in both spellings (`tf_...` and `ei_...`), creation shows both, and the admin CLI can issue
a key as `ei_...`."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from support.eiclients import cli_api_headers, phone_upload

pytestmark = pytest.mark.services


def test_key_creation_shows_the_edge_impulse_form_of_every_key(client, make_project):
    pid, people = make_project()
    created = people["admin"].post(f"/api/projects/{pid}/apikeys", json={"role": "admin"}).json()
    assert created["key"].startswith("tf_")
    assert created["edge_impulse_key"] == "ei_" + created["key"].removeprefix("tf_")
    for key in (created["key"], created["edge_impulse_key"]):
        assert client.get(f"/api/projects/{pid}", headers={"x-api-key": key}).status_code == 200
        assert client.get("/api/device-key", headers={"x-api-key": key}).json()["project_id"] == pid


def test_the_edge_impulse_form_is_accepted_in_a_devices_hello(client, make_project, api_key):
    pid, people = make_project()
    key = api_key(people["admin"], pid, "ingestiononly")
    with client.websocket_connect("/api/remote-management") as ws:
        ws.send_text(
            json.dumps(
                {
                    "hello": {
                        "version": 3,
                        "apiKey": "ei_" + key.removeprefix("tf_"),
                        "deviceId": "board-1",
                        "deviceType": "TEST",
                        "connection": "ip",
                        "sensors": [],
                    }
                }
            )
        )
        assert json.loads(ws.receive_text())["hello"] is True


def test_revoking_a_key_revokes_both_spellings(client, make_project):
    pid, people = make_project()
    created = people["admin"].post(f"/api/projects/{pid}/apikeys", json={"role": "admin"}).json()
    people["admin"].delete(f"/api/projects/{pid}/apikeys/{created['id']}")
    for key in (created["key"], created["edge_impulse_key"]):
        assert client.get("/v1/api/projects", headers=cli_api_headers(key)).status_code == 401


def test_cli_issues_an_edge_impulse_key(client):
    name = f"eikey_{secrets.token_hex(3)}"

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "backend.cli.main", *args],
            capture_output=True,
            text=True,
            env=dict(os.environ),
            timeout=60,
            check=False,
        )

    assert run("users", "create", "--username", name, "--password", "correct horse battery").returncode == 0
    pid = int(run("projects", "create", "--owner", name, "--name", "CLI").stdout)
    r = run("apikeys", "create", "--project", str(pid), "--role", "ingestiononly", "--edge-impulse")
    assert r.returncode == 0 and re.fullmatch(r"ei_[A-Za-z0-9_-]+\n", r.stdout), r.stderr
    key = r.stdout.strip()
    assert client.get("/v1/api/projects", headers=cli_api_headers(key)).json()["projects"][0]["id"] == pid
    hmac_key = client.get(f"/v1/api/{pid}/devkeys/hmac", headers=cli_api_headers(key)).json()["hmacKey"]
    assert client.post("/api/training/data", **phone_upload(hmac_key, key, "idle")).status_code == 200
