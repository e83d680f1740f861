"""Ids outside what the database's integer columns hold answer 404 (in a path: no such thing)
or 422 (in a query or a body), never a 500: 2^31 overflows PostgreSQL's integer, 2^63 SQLite's.
Every operation of the OpenAPI document with an id in its path is tried."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.services

OUT_OF_RANGE = ["2147483648", "9223372036854775808", "0", "-1"]


def _operations_with_ids(app) -> list[tuple[str, str, list[str]]]:
    found = []
    for path, operations in app.openapi()["paths"].items():
        ids = [name for name in re.findall(r"{(\w+)}", path) if name.endswith("_id")]
        if ids:  # event streams too: an id out of range answers before any stream opens
            found += [(method.upper(), path, ids) for method in operations]
    return found


@pytest.fixture()
def owner_project(make_user):
    owner = make_user("ids")
    pid = owner.post("/api/projects", json={"name": "Ids"}).json()["id"]
    return owner, pid


def test_every_path_id_out_of_range_is_404(app, client, owner_project):
    owner, pid = owner_project
    operations = _operations_with_ids(app)
    assert len(operations) >= 30  # the document lists them all (a guard for the finder above)
    for value in OUT_OF_RANGE:
        for method, path, ids in operations:
            for which in ids:
                url = path
                for name in ids:
                    url = url.replace("{" + name + "}", value if name == which else str(pid))
                url = re.sub(r"{\w+}", "x", url)
                r = owner.client.request(method, url, headers=owner.headers, json={})
                assert r.status_code in ((404, 422) if method in ("POST", "PATCH") else (404,)), (
                    method,
                    url,
                    r.status_code,
                    r.text[:200],
                )
                detail = r.json()["detail"]
                assert isinstance(detail, str) and (r.status_code != 404 or "not found" in detail), detail


@pytest.mark.parametrize("value", ["2147483648", "9223372036854775808", "-1"])
def test_query_cursors_out_of_range_are_422(owner_project, value):
    owner, pid = owner_project
    for url, param in ((f"/api/projects/{pid}/samples", "cursor"), (f"/api/projects/{pid}/activity", "before_id")):
        r = owner.get(url, params={param: value})
        assert r.status_code == 422 and param in r.json()["detail"], r.text


@pytest.mark.parametrize("value", [2147483648, 9223372036854775808, 0])
def test_body_ids_out_of_range_are_422(owner_project, value):
    owner, pid = owner_project
    for url, body in (
        (f"/api/projects/{pid}/samples/bulk-update", {"ids": [1, value], "label": "x"}),
        (f"/api/projects/{pid}/samples/bulk-delete", {"ids": [value]}),
        (f"/api/projects/{pid}/deployments", {"impulse_id": value, "target": "tflite"}),
    ):
        r = owner.post(url, json=body)
        assert r.status_code == 422, (url, r.status_code, r.text)
        assert "ids" in r.json()["detail"] or "impulse_id" in r.json()["detail"]


def test_an_upload_naming_a_project_id_out_of_range_is_404(client, owner_project):
    owner, _ = owner_project
    for value in ("2147483648", "9223372036854775808"):
        r = client.post(
            "/api/training/data",
            content=b"{}",
            headers={
                **owner.headers,
                "x-project-id": value,
                "x-file-name": "a.json",
                "content-type": "application/json",
            },
        )
        assert r.status_code == 404 and "not found" in r.json()["detail"], r.text


def test_ids_past_sqlites_64_bits_are_404_on_the_embedded_default(tmp_path):
    """SQLite's integers overflow at 2^63 (an OverflowError in the driver, once a 500)."""
    import os
    import secrets
    import subprocess
    import sys

    import httpx
    from testkit import ROOT, ApiServer

    embedded = {
        "DATABASE_URL": None,
        "CELERY_BROKER_URL": None,
        "REDIS_URL": None,
        "DATA_DIR": str(tmp_path),
        "TINYFORGE_ENV": "development",
    }
    env = {k: v for k, v in {**os.environ, **embedded}.items() if v is not None}
    subprocess.run(
        [sys.executable, "-m", "backend.cli.main", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    with ApiServer(embedded) as server:
        url = server.url
        r = httpx.post(
            url + "/api/auth/signup",
            json={"username": f"sq_{secrets.token_hex(3)}", "password": "correct horse battery"},
        )
        auth = {"Authorization": f"Bearer {r.json()['token']}"}
        pid = httpx.post(url + "/api/projects", json={"name": "Sq"}, headers=auth).json()["id"]
        big = "9223372036854775808"
        for path in (
            f"/api/projects/{big}",
            f"/api/projects/{pid}/samples/{big}",
            f"/api/projects/{pid}/jobs/{big}",
            f"/api/projects/{pid}/impulses/{big}",
            f"/api/projects/{pid}/deployments/{big}",
        ):
            r = httpx.get(url + path, headers=auth)
            assert r.status_code == 404 and "not found" in r.json()["detail"], (path, r.status_code, r.text)
        r = httpx.get(f"{url}/api/projects/{pid}/samples", params={"cursor": big}, headers=auth)
        assert r.status_code == 422, r.text
