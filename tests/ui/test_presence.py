"""Who is online in a project: heartbeats from open studio pages, shown to every member."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.services


def test_members_who_beat_are_online_and_leaving_removes_them(make_project):
    pid, m = make_project()
    assert m["editor"].post(f"/api/projects/{pid}/presence").status_code == 200
    online = m["viewer"].post(f"/api/projects/{pid}/presence").json()
    assert {o["username"] for o in online} == {m["editor"].username, m["viewer"].username}
    assert m["viewer"].post(f"/api/projects/{pid}/presence/leave").status_code == 204
    assert [o["username"] for o in m["owner"].get(f"/api/projects/{pid}/presence").json()] == [m["editor"].username]


def test_presence_of_another_project_is_not_found(make_project):
    pid, _ = make_project()
    _, other = make_project()
    assert other["owner"].get(f"/api/projects/{pid}/presence").status_code == 404
    assert other["owner"].post(f"/api/projects/{pid}/presence").status_code == 404


def test_api_keys_do_not_count_as_people(make_project, api_key, client):
    pid, m = make_project()
    key = api_key(m["owner"], pid, "admin")
    r = client.post(f"/api/projects/{pid}/presence", headers={"x-api-key": key})
    assert r.status_code == 403
    assert "signed-in members" in r.json()["detail"]


def test_a_late_leave_from_a_reloaded_tab_keeps_the_new_tab_online(make_project):
    pid, m = make_project()
    editor = m["editor"]
    editor.post(f"/api/projects/{pid}/presence?tab=old").raise_for_status()
    editor.post(f"/api/projects/{pid}/presence?tab=new").raise_for_status()  # the reloaded page beats first
    assert editor.post(f"/api/projects/{pid}/presence/leave?tab=old").status_code == 204
    assert [o["username"] for o in m["owner"].get(f"/api/projects/{pid}/presence").json()] == [editor.username]
    editor.post(f"/api/projects/{pid}/presence/leave?tab=new")
    assert m["owner"].get(f"/api/projects/{pid}/presence").json() == []
