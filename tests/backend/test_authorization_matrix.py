"""Every project endpoint x every member role x an outsider x an anonymous caller x each API-key role.

Allowed callers get a 2xx; members without the role get 403; outsiders get 404 (the project's
existence is not revealed); anonymous callers get 401; ingestion-only keys get 403.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

pytestmark = pytest.mark.services

RANK = {"viewer": 0, "editor": 1, "admin": 2, "owner": 3}
KEY_AS_ROLE = {"admin": "admin", "readonly": "viewer", "ingestiononly": None}


@dataclass
class Case:
    method: str
    path: str  # formatted with the setup's ids
    min_role: str
    body: Callable[[dict], dict] | None = None
    users_only: bool = False  # actions a person takes (keys cannot own projects)


@pytest.fixture(scope="module")
def people(app):
    """One account per role, made once: signing up (argon2) is the slow part."""
    import secrets

    from fastapi.testclient import TestClient
    from testkit import Api

    with TestClient(app) as c:
        out = {}
        for role in ("owner", "admin", "editor", "viewer", "outsider", "target"):
            name = f"mx_{role}_{secrets.token_hex(3)}"
            r = c.post("/api/auth/signup", json={"username": name, "password": "correct horse battery"})
            out[role] = Api(c, name, r.json()["token"], r.json()["user"]["id"])
        c.cookies.clear()
        yield out


def _unsent_job(project_id: int) -> int:
    """A queued job that no worker will pick up (a long real job would hold up other tests' workers)."""
    from backend.core.db import get_sessionmaker
    from backend.models.job import Job

    with get_sessionmaker()() as s:
        job = Job(project_id=project_id, kind="diagnostics.selftest", queue="never-consumed", params={})
        s.add(job)
        s.commit()
        return job.id


def _project(people) -> dict:
    owner, target = people["owner"], people["target"]
    pid = owner.post("/api/projects", json={"name": "Matrix"}).json()["id"]
    for role in ("admin", "editor", "viewer", "target"):
        inv = owner.post(
            f"/api/projects/{pid}/invitations",
            json={"username": people[role].username, "role": "viewer" if role == "target" else role},
        )
        assert people[role].post(f"/api/invitations/{inv.json()['token']}/accept").status_code == 200
    pending = owner.post(f"/api/projects/{pid}/invitations", json={"email": "someone@example.org"}).json()
    key = owner.post(f"/api/projects/{pid}/apikeys", json={"role": "readonly"}).json()
    job = {"id": _unsent_job(pid)}
    keys = {role: owner.post(f"/api/projects/{pid}/apikeys", json={"role": role}).json()["key"] for role in KEY_AS_ROLE}
    version = owner.post(f"/api/projects/{pid}/versions", json={"description": "matrix"}).json()
    return {
        "pid": pid,
        "target": target.user_id,
        "inv": pending["id"],
        "key": key["id"],
        "job": job["id"],
        "keys": keys,
        "ver": version["id"],
    }


CASES = [
    Case("GET", "/api/projects/{pid}", "viewer"),
    Case("GET", "/api/projects/{pid}/members", "viewer"),
    Case("GET", "/api/projects/{pid}/activity", "viewer"),
    Case("GET", "/api/projects/{pid}/status", "viewer"),
    Case("POST", "/api/projects/{pid}/sample-data", "editor"),
    Case("GET", "/api/projects/{pid}/jobs", "viewer"),
    Case("GET", "/api/projects/{pid}/jobs/{job}", "viewer"),
    Case("GET", "/api/projects/{pid}/hmac-key", "editor"),
    Case("POST", "/api/projects/{pid}/jobs/selftest", "editor", lambda ids: {"steps": 1, "step_seconds": 0}),
    Case("POST", "/api/projects/{pid}/jobs/{job}/cancel", "editor"),
    Case("GET", "/api/projects/{pid}/versions", "viewer"),
    Case("GET", "/api/projects/{pid}/versions/{ver}", "viewer"),
    Case("GET", "/api/projects/{pid}/versions/{ver}/samples", "viewer"),
    Case("GET", "/api/projects/{pid}/versions/{ver}/diff/{ver}", "viewer"),
    Case("POST", "/api/projects/{pid}/versions", "editor", lambda ids: {"description": "saved"}),
    Case("POST", "/api/projects/{pid}/versions/{ver}/restore", "editor", lambda ids: {}, users_only=True),
    Case("POST", "/api/projects/{pid}/clone", "editor", lambda ids: {}, users_only=True),
    Case("POST", "/api/projects/{pid}/versions/{ver}/public-link", "editor"),
    Case("GET", "/api/projects/{pid}/export", "viewer"),
    Case("DELETE", "/api/projects/{pid}/versions/{ver}/public-link", "editor"),
    Case("PATCH", "/api/projects/{pid}", "admin", lambda ids: {"name": "Renamed"}),
    Case("GET", "/api/projects/{pid}/invitations", "admin"),
    Case("POST", "/api/projects/{pid}/invitations", "admin", lambda ids: {"email": "new@example.org"}),
    Case("DELETE", "/api/projects/{pid}/invitations/{inv}", "admin"),
    Case("PATCH", "/api/projects/{pid}/members/{target}", "admin", lambda ids: {"role": "editor"}),
    Case("DELETE", "/api/projects/{pid}/members/{target}", "admin"),
    Case("GET", "/api/projects/{pid}/apikeys", "admin"),
    Case("POST", "/api/projects/{pid}/apikeys", "admin", lambda ids: {"role": "readonly"}),
    Case("DELETE", "/api/projects/{pid}/apikeys/{key}", "admin"),
    Case("POST", "/api/projects/{pid}/hmac-key/rotate", "admin"),
    Case("POST", "/api/projects/{pid}/transfer", "owner", lambda ids: {"user_id": ids["target"]}, users_only=True),
    Case("DELETE", "/api/projects/{pid}", "owner", users_only=True),
]
CALLERS = [
    "owner",
    "admin",
    "editor",
    "viewer",
    "outsider",
    "anonymous",
    "key:admin",
    "key:readonly",
    "key:ingestiononly",
]


def _expected(case: Case, caller: str) -> int | str:
    if caller == "anonymous":
        return 401
    if caller == "outsider":
        return 404
    if caller.startswith("key:"):
        role = KEY_AS_ROLE[caller[4:]]
        if role is None:
            return 403
    else:
        role = caller
    return "2xx" if RANK[role] >= RANK[case.min_role] else 403


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.path}")
def test_endpoint_enforces_roles(case, people):
    # The SSE streams share the same dependency; their denials are checked in test_jobs.
    client = people["owner"].client
    failures = []
    shared = None if case.method != "GET" else _project(people)
    for caller in CALLERS:
        ids = shared or _project(people)  # fresh per caller when the call changes or deletes things
        headers: dict[str, str] = {}
        if caller in people:
            headers = people[caller].headers
        elif caller.startswith("key:"):
            headers = {"x-api-key": ids["keys"][caller[4:]]}
        r = client.request(
            case.method, case.path.format(**ids), headers=headers, json=case.body(ids) if case.body else None
        )
        want = _expected(case, caller)
        if case.users_only and caller == "key:admin":
            want = 403
        ok = (200 <= r.status_code < 300) if want == "2xx" else r.status_code == want
        if not ok:
            failures.append(f"{caller}: got {r.status_code} want {want}: {r.text[:200]}")
        if r.status_code >= 400:
            assert r.json().get("detail"), f"{caller}: error without a message"
    assert not failures, "\n".join(failures)
