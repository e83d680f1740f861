"""Versions through the API: save, list, show, diff, restore into a new project, clone, a deleted
or cropped sample kept by a version, and who may do what."""

from __future__ import annotations

import copy

import pytest

pytestmark = pytest.mark.services


def samples(api, pid) -> dict[str, dict]:
    """name -> sample of a project (the test projects hold fewer than 1000)."""
    r = api.get(f"/api/projects/{pid}/samples", params={"limit": 1000})
    assert r.status_code == 200, r.text
    return {s["name"]: s for s in r.json()["items"]}


def state(api, pid) -> dict[str, tuple]:
    return {
        name: (s["label"], s["category"], s["enabled"], s["content_hash"], s["n_rows"])
        for name, s in samples(api, pid).items()
    }


def save(api, pid, description=""):
    r = api.post(f"/api/projects/{pid}/versions", json={"description": description})
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture()
def project(make_project, motion):
    """A project with 6 samples (idle and wave, training and testing) and one impulse."""
    pid, people = make_project()
    ids = {}
    for i, (label, category) in enumerate(
        [
            ("idle", "training"),
            ("idle", "training"),
            ("wave", "training"),
            ("wave", "training"),
            ("idle", "testing"),
            ("wave", "testing"),
        ]
    ):
        ids[f"{label}{i}"] = motion.add_sample(
            pid, label, motion.motion(label, 3, seed=i + 100 * pid), category=category
        )
    r = people["editor"].post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE})
    assert r.status_code == 201, r.text
    return pid, people, ids, r.json()


def test_saving_numbers_versions_per_project_and_records_who_and_what(project):
    pid, people, ids, impulse = project
    ed = people["editor"]
    v1 = save(ed, pid, "first data")
    assert (v1["number"], v1["name"], v1["description"], v1["created_by"]) == (1, "v1", "first data", ed.username)
    assert v1["samples"] == 6 and v1["sample_counts"] == {
        "training": {"idle": 2, "wave": 2},
        "testing": {"idle": 1, "wave": 1},
    }
    detail = v1["impulse_details"][0]
    assert (detail["id"], detail["name"], detail["version"]) == (impulse["id"], "motion", 1)
    assert detail["config"] == impulse["config"] and detail["training"] is None and detail["deployments"] == []
    (head,) = v1["impulses"]
    assert (head["impulse_id"], head["name"], head["version"]) == (impulse["id"], "motion", 1)
    assert head["accuracy"] is None and head["ram_bytes"] is None  # not trained yet
    v2 = save(people["admin"], pid)
    assert v2["number"] == 2
    listed = people["viewer"].get(f"/api/projects/{pid}/versions").json()
    assert [v["number"] for v in listed] == [2, 1] and listed[1]["samples"] == 6
    shown = people["viewer"].get(f"/api/projects/{pid}/versions/{v1['id']}")
    assert shown.status_code == 200 and shown.json() == v1
    first = people["viewer"].get(f"/api/projects/{pid}/versions/{v1['id']}/samples", params={"limit": 4}).json()
    rest = (
        people["viewer"]
        .get(f"/api/projects/{pid}/versions/{v1['id']}/samples", params={"cursor": first["next_cursor"]})
        .json()
    )
    assert [s["id"] for s in first["items"] + rest["items"]] == sorted(ids.values()) and rest["next_cursor"] is None
    testing = people["viewer"].get(f"/api/projects/{pid}/versions/{v1['id']}/samples", params={"category": "testing"})
    assert [s["label"] for s in testing.json()["items"]] == ["idle", "wave"]


def test_numbers_start_at_one_in_every_project(project, make_project):
    pid, people, _, _ = project
    save(people["editor"], pid)
    other_pid, other = make_project()
    assert save(other["editor"], other_pid)["number"] == 1


def test_diff_counts_added_removed_relabeled_moved_samples_and_impulse_field_changes(project, motion):
    pid, people, ids, impulse = project
    ed = people["editor"]
    v1 = save(ed, pid)
    base = f"/api/projects/{pid}"
    assert ed.delete(f"{base}/samples/{ids['idle0']}").status_code == 204
    added = motion.add_sample(pid, "wave", motion.motion("wave", 3, seed=7), category="testing")
    assert ed.patch(f"{base}/samples/{ids['idle1']}", json={"label": "still"}).status_code == 200
    r = ed.post(f"{base}/samples/bulk-update", json={"ids": [ids["wave2"], ids["wave3"]], "category": "testing"})
    assert r.status_code == 200, r.text
    assert ed.patch(f"{base}/samples/{ids['idle4']}", json={"enabled": False}).status_code == 200
    cfg = copy.deepcopy(impulse["config"])
    cfg["input"]["window_increase_ms"] = 1000
    assert ed.patch(f"{base}/impulses/{impulse['id']}", json={"version": 1, "config": cfg}).status_code == 200
    v2 = save(ed, pid)

    r = people["viewer"].get(f"{base}/versions/{v1['id']}/diff/{v2['id']}")
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["from_version"], d["to_version"]) == (1, 2)
    s = d["samples"]
    assert s["added"] == {"count": 1, "ids": [added]}
    assert s["removed"] == {"count": 1, "ids": [ids["idle0"]]}
    assert s["relabeled"] == {"count": 1, "ids": [ids["idle1"]]}
    assert s["moved"] == {"count": 2, "ids": sorted([ids["wave2"], ids["wave3"]])}
    assert s["enabled_changed"] == {"count": 1, "ids": [ids["idle4"]]}
    assert s["values_changed"]["count"] == 0
    (change,) = d["impulses"]
    assert change["change"] == "changed" and change["impulse_id"] == impulse["id"]
    fields = {f["path"]: (f["before"], f["after"]) for f in change["fields"]}
    assert fields == {"version": (1, 2), "config.input.window_increase_ms": (500, 1000)}
    back = people["viewer"].get(f"{base}/versions/{v2['id']}/diff/{v1['id']}").json()
    assert back["samples"]["added"]["ids"] == [ids["idle0"]] and back["samples"]["removed"]["ids"] == [added]
    same = people["viewer"].get(f"{base}/versions/{v2['id']}/diff/{v2['id']}").json()
    assert all(c["count"] == 0 for c in same["samples"].values()) and same["impulses"][0]["change"] == "unchanged"


def test_restore_makes_a_new_project_with_the_versions_samples_labels_and_impulses(project):
    pid, people, ids, impulse = project
    ed = people["editor"]
    before = state(ed, pid)
    v1 = save(ed, pid)
    base = f"/api/projects/{pid}"
    # Change everything after saving: the restore must give back the saved state.
    ed.patch(f"{base}/samples/{ids['wave2']}", json={"label": "other", "category": "testing", "enabled": False})
    cfg = copy.deepcopy(impulse["config"])
    cfg["input"]["window_size_ms"] = 1000
    ed.patch(f"{base}/impulses/{impulse['id']}", json={"version": 1, "config": cfg, "name": "renamed"})

    r = ed.post(f"{base}/versions/{v1['id']}/restore", json={"name": "Back to v1"})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["name"] == "Back to v1" and new["role"] == "owner" and new["id"] != pid
    assert state(ed, new["id"]) == before
    activity = ed.get(f"/api/projects/{new['id']}/activity").json()
    assert any(a["action"] == "project.restored" and a["details"]["version"] == 1 for a in activity), activity
    (restored,) = ed.get(f"/api/projects/{new['id']}/impulses").json()
    assert (restored["name"], restored["config"], restored["version"]) == ("motion", impulse["config"], 1)
    # The new project is the caller's alone; the source project's other members do not see it.
    assert people["viewer"].get(f"/api/projects/{new['id']}").status_code == 404
    default = ed.post(f"{base}/versions/{v1['id']}/restore", json={}).json()
    assert default["name"] == "Gestures v1"


def test_clone_copies_the_project_as_it_is_now(project):
    pid, people, ids, impulse = project
    ed = people["editor"]
    ed.patch(f"/api/projects/{pid}/samples/{ids['wave2']}", json={"label": "other"})
    r = ed.post(f"/api/projects/{pid}/clone", json={})
    assert r.status_code == 201, r.text
    new = r.json()
    assert new["name"] == "Gestures (copy)"
    assert state(ed, new["id"]) == state(ed, pid)
    (cloned,) = ed.get(f"/api/projects/{new['id']}/impulses").json()
    assert (cloned["name"], cloned["config"], cloned["version"]) == ("motion", impulse["config"], 1)


def test_a_sample_deleted_after_saving_is_kept_by_the_version(project):
    pid, people, ids, _ = project
    ed = people["editor"]
    saved = samples(ed, pid)
    v1 = save(ed, pid)
    gone = next(s for s in saved.values() if s["id"] == ids["wave3"])
    values = ed.get(f"/api/projects/{pid}/samples/{gone['id']}", params={"max_points": 0}).json()["values"]
    assert len(values) == gone["n_rows"] > 0
    r = ed.post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": [ids["wave3"]]})
    assert r.status_code == 200, r.text
    assert gone["name"] not in samples(ed, pid)  # hidden from the project ...
    assert ed.get(f"/api/projects/{pid}/samples/{ids['wave3']}").status_code == 404
    page = ed.get(f"/api/projects/{pid}/versions/{v1['id']}/samples", params={"label": "wave"}).json()
    listed = {s["id"]: s for s in page["items"]}
    assert set(listed) == {ids["wave2"], ids["wave3"], ids["wave5"]} and page["next_cursor"] is None
    assert (listed[ids["wave3"]]["name"], listed[ids["wave3"]]["in_project"]) == (gone["name"], False)
    assert listed[ids["wave3"]]["length_ms"] == gone["length_ms"] and listed[ids["wave2"]]["in_project"]
    new = ed.post(f"/api/projects/{pid}/versions/{v1['id']}/restore", json={}).json()
    copy_ = samples(ed, new["id"])[gone["name"]]  # ... but the version still has it, values and all
    assert (copy_["label"], copy_["category"], copy_["content_hash"]) == ("wave", "training", gone["content_hash"])
    assert (
        ed.get(f"/api/projects/{new['id']}/samples/{copy_['id']}", params={"max_points": 0}).json()["values"] == values
    )


def test_deleting_a_sample_no_version_references_keeps_nothing(project, motion):
    from backend.core.db import get_sessionmaker
    from backend.version.repository import is_kept

    pid, people, ids, _ = project
    save(people["editor"], pid)
    later = motion.add_sample(pid, "wave", motion.motion("wave", 3, seed=5))
    r = people["editor"].post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": [later, ids["wave3"]]})
    assert r.status_code == 200, r.text
    with get_sessionmaker()() as s:
        assert is_kept(s, ids["wave3"]) and not is_kept(s, later)


def test_a_sample_cropped_after_saving_comes_back_whole(project):
    pid, people, ids, _ = project
    ed = people["editor"]
    whole = next(s for s in samples(ed, pid).values() if s["id"] == ids["idle0"])
    v1 = save(ed, pid)
    r = ed.post(f"/api/projects/{pid}/samples/{ids['idle0']}/crop", json={"start_ms": 0, "end_ms": 1000})
    assert r.status_code == 200, r.text
    assert r.json()["n_rows"] < whole["n_rows"]
    new = ed.post(f"/api/projects/{pid}/versions/{v1['id']}/restore", json={}).json()
    back = samples(ed, new["id"])[whole["name"]]
    assert (back["n_rows"], back["content_hash"]) == (whole["n_rows"], whole["content_hash"])
    v2 = save(ed, pid)
    d = ed.get(f"/api/projects/{pid}/versions/{v1['id']}/diff/{v2['id']}").json()
    assert d["samples"]["values_changed"] == {"count": 1, "ids": [ids["idle0"]]}


def test_viewers_list_and_compare_editors_save_and_restore(project, api_key):
    pid, people, _, _ = project
    v1 = save(people["editor"], pid)
    base = f"/api/projects/{pid}/versions"
    viewer = people["viewer"]
    assert viewer.get(base).status_code == 200
    assert viewer.get(f"{base}/{v1['id']}/diff/{v1['id']}").status_code == 200
    for path, body in (
        (base, {"description": "x"}),
        (f"{base}/{v1['id']}/restore", {}),
        (f"/api/projects/{pid}/clone", {}),
    ):
        r = viewer.post(path, json=body)
        assert r.status_code == 403 and "editor" in r.json()["detail"], (path, r.text)
    key = api_key(people["admin"], pid, "admin")
    r = people["admin"].client.post(f"{base}/{v1['id']}/restore", json={}, headers={"x-api-key": key})
    assert r.status_code == 403 and "sign in" in r.json()["detail"]
    readonly = api_key(people["admin"], pid, "readonly")
    assert people["admin"].client.get(base, headers={"x-api-key": readonly}).status_code == 200


def test_another_projects_versions_answer_404(project, make_project):
    pid, people, _, _ = project
    v1 = save(people["editor"], pid)
    other_pid, other = make_project()
    mine = save(other["editor"], other_pid)
    outsider = other["owner"]
    for method, path in (
        ("get", f"/api/projects/{pid}/versions"),
        ("get", f"/api/projects/{pid}/versions/{v1['id']}"),
        ("post", f"/api/projects/{pid}/versions/{v1['id']}/restore"),
        ("post", f"/api/projects/{pid}/clone"),
        ("post", f"/api/projects/{pid}/versions"),
    ):
        r = getattr(outsider, method)(path, **({"json": {}} if method == "post" else {}))
        assert r.status_code == 404, (path, r.text)
    # Through their own project, someone else's version id is not found either.
    for path in (f"/versions/{v1['id']}", f"/versions/{mine['id']}/diff/{v1['id']}", f"/versions/{v1['id']}/restore"):
        method = outsider.post if path.endswith("restore") else outsider.get
        r = method(f"/api/projects/{other_pid}{path}", **({"json": {}} if path.endswith("restore") else {}))
        assert r.status_code == 404, (path, r.text)


def test_bad_input_answers_422(project):
    pid, people, _, _ = project
    ed = people["editor"]
    assert ed.post(f"/api/projects/{pid}/versions", json={"description": "x" * 2001}).status_code == 422
    assert ed.post(f"/api/projects/{pid}/versions", json={"label": "x"}).status_code == 422
    assert ed.post(f"/api/projects/{pid}/clone", json={"name": "  "}).status_code == 422
    assert ed.get(f"/api/projects/{pid}/versions/{2**31}").status_code == 404
