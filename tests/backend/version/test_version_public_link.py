"""A version's public read-only link: off by default, turned on by an editor, browsed without
signing in (samples and values, impulses, metrics, libraries), nothing writable, revoked -> 404."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.services


@pytest.fixture()
def shared(team_project, motion, trained):
    pid, people = team_project()
    ed = people["editor"]
    ids = [
        motion.add_sample(pid, label, motion.motion(label, 2, seed=i + 50 * pid))
        for i, label in enumerate(["idle", "wave", "wave"])
    ]
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    model = trained(pid, imp["id"])
    version = ed.post(f"/api/projects/{pid}/versions", json={"description": "shared"}).json()
    return pid, people, ids, version, model


@pytest.fixture()
def anonymous(app):
    with TestClient(app) as c:
        yield c


def test_the_link_is_off_until_an_editor_turns_it_on(shared, anonymous):
    pid, people, _, version, _ = shared
    assert version["public_since"] is None
    base = f"/api/projects/{pid}/versions/{version['id']}/public-link"
    assert people["viewer"].post(base).status_code == 403
    r = people["editor"].post(base)
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert len(token) >= 43  # 32 random bytes, url-safe base64
    listed = people["viewer"].get(f"/api/projects/{pid}/versions").json()[0]
    assert listed["public_since"] is not None and token not in str(listed)
    shown = anonymous.get(f"/api/public/versions/{token}")
    assert shown.status_code == 200, shown.text
    doc = shown.json()
    assert (doc["name"], doc["description"], doc["samples"], doc["project_name"]) == ("v1", "shared", 3, "Gestures")
    head = doc["impulses"][0]
    assert (head["accuracy"], head["accuracy_int8"], head["accuracy_float32"]) == (0.75, 0.75, 0.76)
    assert (head["ram_bytes"], head["flash_bytes"], head["latency_ms"]) == (4000, 20000, 3.5)
    assert "created_by" not in doc


def test_anyone_with_the_link_browses_samples_values_metrics_and_libraries(shared, anonymous):
    pid, people, ids, version, model = shared
    ed = people["editor"]
    token = ed.post(f"/api/projects/{pid}/versions/{version['id']}/public-link").json()["token"]
    gone = ids[2]
    values = ed.get(f"/api/projects/{pid}/samples/{gone}", params={"max_points": 0}).json()["values"]
    assert ed.post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": [gone]}).status_code == 200

    base = f"/api/public/versions/{token}"
    page = anonymous.get(f"{base}/samples").json()
    assert [s["id"] for s in page["items"]] == ids and page["items"][2]["in_project"] is False
    kept = anonymous.get(f"{base}/samples/{gone}", params={"max_points": 0})
    assert kept.status_code == 200, kept.text
    assert kept.json()["values"] == values and kept.json()["label"] == "wave"
    (detail,) = anonymous.get(base).json()["impulse_details"]
    assert detail["training"]["metrics"] == model["result"]["metrics"]
    lib = anonymous.get(f"{base}/deployments/{model['deployment_id']}/download")
    assert lib.status_code == 200 and lib.content == model["library"]
    # Only what the version holds: another sample id or build is not found.
    other = people["editor"].post(f"/api/projects/{pid}/versions", json={}).json()
    assert anonymous.get(f"{base}/samples/{ids[0] + 10**6}").status_code == 404
    assert anonymous.get(f"{base}/deployments/{model['deployment_id'] + 10**6}/download").status_code == 404
    assert other["public_since"] is None
    for method in ("post", "patch", "delete", "put"):
        assert getattr(anonymous, method)(f"{base}/samples").status_code == 405


def test_revoked_unknown_and_replaced_links_answer_404(shared, anonymous):
    pid, people, ids, version, _ = shared
    link = f"/api/projects/{pid}/versions/{version['id']}/public-link"
    first = people["editor"].post(link).json()["token"]
    second = people["editor"].post(link).json()["token"]
    assert anonymous.get(f"/api/public/versions/{first}").status_code == 404  # a new link replaces the old
    assert anonymous.get(f"/api/public/versions/{second}").status_code == 200
    assert people["viewer"].delete(link).status_code == 403
    assert people["editor"].delete(link).status_code == 204
    for path in ("", "/samples", f"/samples/{ids[0]}"):
        r = anonymous.get(f"/api/public/versions/{second}{path}")
        assert r.status_code == 404 and "revoked" in r.json()["detail"], (path, r.text)
    assert anonymous.get("/api/public/versions/" + "A" * 43).status_code == 404
    assert anonymous.get("/api/public/versions/" + "A" * 500).status_code == 404
    assert people["viewer"].get(f"/api/projects/{pid}/versions").json()[0]["public_since"] is None
