import pytest
from sqlalchemy import select

pytestmark = pytest.mark.services


def test_key_is_shown_once_and_stored_hashed(make_project):
    from backend.core.db import get_sessionmaker
    from backend.models.project import ApiKey

    pid, p = make_project()
    created = p["admin"].post(f"/api/projects/{pid}/apikeys", json={"role": "readonly", "name": "ci"}).json()
    assert created["key"].startswith("tf_") and created["key"].startswith(created["prefix"])
    listed = p["admin"].get(f"/api/projects/{pid}/apikeys").json()
    assert all("key" not in k for k in listed)
    with get_sessionmaker()() as s:
        stored = s.scalar(select(ApiKey.key_hash).where(ApiKey.id == created["id"]))
    assert stored != created["key"] and len(stored) == 64


def test_key_records_last_use_and_stops_working_when_revoked(client, make_project, api_key):
    pid, p = make_project()
    key = api_key(p["admin"], pid, "readonly")
    assert client.get(f"/api/projects/{pid}", headers={"x-api-key": key}).status_code == 200
    [row] = [k for k in p["admin"].get(f"/api/projects/{pid}/apikeys").json() if k["role"] == "readonly"]
    assert row["last_used_at"] is not None
    assert p["admin"].delete(f"/api/projects/{pid}/apikeys/{row['id']}").json()["revoked_at"] is not None
    r = client.get(f"/api/projects/{pid}", headers={"x-api-key": key})
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_key_of_one_project_cannot_reach_another(client, make_project, api_key):
    pid, p = make_project()
    other, _ = make_project()
    key = api_key(p["admin"], pid, "admin")
    assert client.get(f"/api/projects/{other}", headers={"x-api-key": key}).status_code == 404


def test_unknown_key_is_401_with_a_message(client, make_project):
    pid, _ = make_project()
    r = client.get(f"/api/projects/{pid}", headers={"x-api-key": "tf_not_a_real_key"})
    assert r.status_code == 401 and "API key" in r.json()["detail"]


def test_hmac_key_is_readable_by_editors_and_rotated_by_admins(make_project):
    pid, p = make_project()
    assert p["viewer"].get(f"/api/projects/{pid}/hmac-key").status_code == 403
    old = p["editor"].get(f"/api/projects/{pid}/hmac-key").json()["hmac_key"]
    assert len(old) == 32
    assert p["editor"].post(f"/api/projects/{pid}/hmac-key/rotate").status_code == 403
    new = p["admin"].post(f"/api/projects/{pid}/hmac-key/rotate").json()["hmac_key"]
    assert new != old and p["editor"].get(f"/api/projects/{pid}/hmac-key").json()["hmac_key"] == new


def test_connect_a_phone_reuses_one_key_per_person_until_it_is_revoked(client, make_project):
    pid, p = make_project()
    url = f"/api/projects/{pid}/apikeys/phone"
    first = p["admin"].post(url)
    assert first.status_code == 201 and first.json()["role"] == "ingestiononly"
    again = p["admin"].post(url)
    assert again.status_code == 200 and again.json()["key"] == first.json()["key"]
    assert p["owner"].post(url).json()["key"] != first.json()["key"]  # each person has their own
    listed = [k for k in p["admin"].get(f"/api/projects/{pid}/apikeys").json() if k["name"].startswith("phone of")]
    assert sorted(k["name"] for k in listed) == sorted(
        [f"phone of {p['admin'].username}", f"phone of {p['owner'].username}"]
    )
    key = first.json()["key"]
    assert client.post("/api/training/data", headers={"x-api-key": key}).status_code != 401  # a working key
    p["admin"].delete(f"/api/projects/{pid}/apikeys/{first.json()['id']}").raise_for_status()
    assert client.post("/api/training/data", headers={"x-api-key": key}).status_code == 401
    fresh = p["admin"].post(url)
    assert fresh.status_code == 201 and fresh.json()["key"] != key


def test_a_phone_key_needs_a_person_and_an_admin(client, make_project, api_key):
    pid, p = make_project()
    assert p["editor"].post(f"/api/projects/{pid}/apikeys/phone").status_code == 403
    key = api_key(p["admin"], pid, "admin")
    r = client.post(f"/api/projects/{pid}/apikeys/phone", headers={"x-api-key": key})
    assert r.status_code == 403 and "signed-in" in r.json()["detail"]
