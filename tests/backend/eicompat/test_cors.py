"""CORS on the key-authenticated routes only: Edge Impulse's phone client uploads from its own
origin (preflight with the x-* headers it sends), while the cookie-authenticated studio stays
same-origin."""

from __future__ import annotations

import pytest
from support.eiclients import PHONE_ORIGIN, phone_upload, preflight_headers

pytestmark = pytest.mark.services


def _allowed_headers(response) -> set[str]:
    return {h.strip().lower() for h in response.headers.get("access-control-allow-headers", "").split(",")}


@pytest.mark.parametrize("category", ["training", "testing", "anomaly"])
def test_ingestion_answers_the_phone_clients_preflight(client, category):
    # uploader.ts with a label sends x-api-key and x-file-name (multipart needs no content-type preflight).
    r = client.options(f"/api/{category}/data", headers=preflight_headers("POST", "x-api-key,x-file-name"))
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    assert "POST" in r.headers["access-control-allow-methods"]
    assert {"x-api-key", "x-file-name"} <= _allowed_headers(r)
    assert "access-control-allow-credentials" not in r.headers


def test_ingestion_preflight_allows_the_unlabelled_sample_headers(client):
    # Without a label the phone adds x-no-date-id and x-no-label.
    r = client.options(
        "/api/training/data", headers=preflight_headers("POST", "x-api-key,x-file-name,x-no-date-id,x-no-label")
    )
    assert r.status_code == 200, r.text
    assert {"x-no-date-id", "x-no-label"} <= _allowed_headers(r)


@pytest.mark.parametrize("category", ["training", "split"])
def test_files_preflight_allows_the_uploader_and_sdk_headers(client, category):
    headers = "x-api-key,x-label,x-disallow-duplicates,x-metadata,x-upload-source,x-device-type,x-add-date-id"
    r = client.options(f"/api/{category}/files", headers=preflight_headers("POST", headers))
    assert r.status_code == 200, r.text
    assert set(headers.split(",")) <= _allowed_headers(r)
    assert r.headers["access-control-allow-origin"] == "*"


def test_phone_upload_from_its_own_origin_is_readable(client, make_project, api_key):
    pid, people = make_project()
    key = api_key(people["admin"], pid, "ingestiononly")
    hmac_key = people["editor"].get(f"/api/projects/{pid}/hmac-key").json()["hmac_key"]
    r = client.post("/api/training/data", **phone_upload(hmac_key, key, "wave"))
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    samples = people["viewer"].get(f"/api/projects/{pid}/samples").json()["items"]
    assert [s["label"] for s in samples] == ["wave"]


def test_ingestion_errors_are_readable_cross_origin(client):
    r = client.post("/api/training/data", **phone_upload("k", "tf_not-a-key", "wave"))
    assert r.status_code == 401
    assert r.headers["access-control-allow-origin"] == "*"


@pytest.mark.parametrize("path", ["/api/projects", "/api/auth/login", "/api/projects/1/apikeys"])
def test_cookie_authenticated_routes_stay_same_origin(client, path):
    r = client.options(path, headers=preflight_headers("POST", "content-type"))
    assert "access-control-allow-origin" not in r.headers
    r = client.get(path, headers={"Origin": PHONE_ORIGIN})
    assert "access-control-allow-origin" not in r.headers
