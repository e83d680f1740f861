"""The whole OpenAPI document, fuzzed with schemathesis: no input gets a 5xx, and every answer
is what the document says (its status code, content type and body schema).

Every operation is called as the project's owner (bearer token) and with an admin API key, with
five generated examples each, valid and invalid (about 650 calls in all, well under a minute).
Path ids are mostly the real project's, so the calls reach the code behind the authorization;
destructive calls on the project itself (delete, transfer) and the caller's own session
(logout) get generated ids or are left out, so the run keeps its footing.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.services

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Event streams never end (they have their own tests); logging out would end the run's session.
LEFT_OUT = r"(/events$|/api/auth/logout$)"
# Calls that would take the project away from the run: they get generated project ids.
KEEP_OUT_OF_THE_PROJECT = {("DELETE", "/api/projects/{project_id}"), ("POST", "/api/projects/{project_id}/transfer")}


def _load_schema():
    from backend.main import create_app

    # Valid and invalid inputs, a few of each per operation; the coverage phase (every boundary of
    # every parameter) would make thousands of calls: tests/backend/test_ids.py covers id bounds.
    config = schemathesis.Config.from_dict(
        {
            "phases": {"coverage": {"enabled": False}},
            "generation": {"mode": "all", "deterministic": True},
        }
    )
    return schemathesis.openapi.from_asgi("/api/openapi.json", create_app(), config=config).exclude(path_regex=LEFT_OUT)


schema = _load_schema()


CALLS: list[int] = []


@pytest.fixture(scope="module", autouse=True)
def run_size():
    started = time.monotonic()
    yield
    codes = dict(sorted(Counter(CALLS).items()))
    print(f"\nschemathesis: {len(CALLS)} calls in {time.monotonic() - started:.0f} s; statuses {codes}")  # figures


@pytest.fixture(scope="module")
def callers():
    """The owner's bearer token and an admin API key of one project."""
    from fastapi.testclient import TestClient

    with TestClient(schema.app) as c:
        r = c.post(
            "/api/auth/signup", json={"username": f"fuzz_{secrets.token_hex(4)}", "password": "correct horse battery"}
        )
        assert r.status_code == 201, r.text
        owner = {"Authorization": f"Bearer {r.json()['token']}"}
        c.cookies.clear()
        pid = c.post("/api/projects", json={"name": "Fuzzed"}, headers=owner).json()["id"]
        key = c.post(f"/api/projects/{pid}/apikeys", json={"role": "admin"}, headers=owner).json()["key"]
    yield pid, {"owner": owner, "apikey": {"x-api-key": key}}
    # The run starts jobs with generated parameters (a self-test may be asked for hours): cancel
    # them, so the suite's shared worker is free for the tests that follow.
    with TestClient(schema.app) as c:
        for job in c.get(f"/api/projects/{pid}/jobs", params={"limit": 500}, headers=owner).json():
            if job["status"] in ("queued", "running"):
                c.post(f"/api/projects/{pid}/jobs/{job['id']}/cancel", headers=owner)


@schema.parametrize()
@settings(max_examples=5, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented_and_never_5xx(case, callers):
    project_id, headers = callers
    if "project_id" in (case.path_parameters or {}) and (case.method, case.path) not in KEEP_OUT_OF_THE_PROJECT:
        # Mostly the real project (its data, its roles); sometimes the generated id.
        generated = case.path_parameters["project_id"]
        if not isinstance(generated, int) or generated % 4:
            case.path_parameters["project_id"] = project_id
    for who in ("apikey", "owner"):  # the owner last: a call may change what the key may do
        response = case.call_and_validate(headers={**(case.headers or {}), **headers[who]}, checks=CHECKS)
        CALLS.append(response.status_code)
