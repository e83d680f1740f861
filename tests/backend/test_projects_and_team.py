import pytest

pytestmark = pytest.mark.services


def test_creator_owns_the_project_and_sees_it_listed(make_user):
    alice = make_user("alice")
    r = alice.post("/api/projects", json={"name": "  Keyword spotting  "})
    assert r.status_code == 201 and r.json()["role"] == "owner" and r.json()["name"] == "Keyword spotting"
    assert [p["id"] for p in alice.get("/api/projects").json()] == [r.json()["id"]]


def test_users_see_only_their_projects_and_others_answer_404(make_user):
    alice, bob = make_user("alice"), make_user("bob")
    pid = alice.post("/api/projects", json={"name": "Private"}).json()["id"]
    assert bob.get("/api/projects").json() == []
    assert bob.get(f"/api/projects/{pid}").status_code == 404
    assert bob.get("/api/projects/999999").status_code == 404


def test_empty_project_name_is_refused_with_a_message(make_user):
    r = make_user().post("/api/projects", json={"name": "   "})
    assert r.status_code == 422 and "name" in r.json()["detail"]


def test_rename_and_delete(make_project):
    pid, p = make_project()
    assert p["admin"].patch(f"/api/projects/{pid}", json={"name": "Renamed"}).json()["name"] == "Renamed"
    assert p["admin"].delete(f"/api/projects/{pid}").status_code == 403
    assert p["owner"].delete(f"/api/projects/{pid}").status_code == 204
    assert p["owner"].get(f"/api/projects/{pid}").status_code == 404


def test_invitation_by_email_is_accepted_through_its_link(make_user):
    owner, carol = make_user("owner"), make_user("carol")
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    inv = owner.post(
        f"/api/projects/{pid}/invitations", json={"email": "carol@company.example", "role": "viewer"}
    ).json()
    assert inv["accept_url"].endswith(f"/invitations/{inv['token']}")
    assert carol.get(f"/api/invitations/{inv['token']}").json()["project_name"] == "Team"
    r = carol.post(f"/api/invitations/{inv['token']}/accept")
    assert r.status_code == 200 and r.json()["role"] == "viewer"
    assert carol.post(f"/api/invitations/{inv['token']}/accept").status_code == 409


def test_signing_up_with_an_invited_email_grants_nothing(make_user, client):
    """An attacker registers the (unverified) invited address: no pending invitation, no way in."""
    owner = make_user("owner")
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    inv = owner.post(
        f"/api/projects/{pid}/invitations", json={"email": "new.colleague@company.example", "role": "admin"}
    ).json()
    r = client.post(
        "/api/auth/signup",
        json={
            "username": f"mallory_{owner.username[-8:]}",
            "password": "correct horse battery",
            "email": "new.colleague@company.example",
        },
    )
    assert r.status_code == 201
    client.cookies.clear()
    mallory = {"Authorization": f"Bearer {r.json()['token']}"}
    assert client.get("/api/invitations", headers=mallory).json() == []
    assert client.post(f"/api/invitations/pending/{inv['id']}/accept", headers=mallory).status_code == 404
    assert client.get(f"/api/projects/{pid}", headers=mallory).status_code == 404
    assert owner.get(f"/api/projects/{pid}/invitations").json()[0]["status"] == "pending"


def test_inviting_a_username_that_does_not_exist_is_an_error_naming_it(make_user):
    owner = make_user("owner")
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    r = owner.post(f"/api/projects/{pid}/invitations", json={"username": "not_registered_yet", "role": "admin"})
    assert r.status_code == 422 and "not_registered_yet" in r.json()["detail"]
    assert owner.get(f"/api/projects/{pid}/invitations").json() == []


def test_an_invited_username_registered_after_the_invitation_gets_nothing(make_user):
    """Invitations made before usernames were checked (or for an account deleted since) belong to
    the account as it was then, not to whoever registers the name later."""
    from datetime import timedelta

    from backend.core.db import get_sessionmaker
    from backend.models.base import utcnow
    from backend.models.project import Invitation
    from backend.models.user import User

    owner = make_user("owner")
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    invited_name = f"late_{owner.username[-8:]}"
    with get_sessionmaker()() as s:
        inv = Invitation(
            project_id=pid,
            token_hash=owner.username.ljust(64, "0"),
            invitee_username=invited_name,
            role="admin",
            expires_at=utcnow() + timedelta(days=1),
        )
        s.add(inv)
        s.commit()
        inv_id = inv.id
    late = make_user("late")  # registered after the invitation; give it the invited name
    with get_sessionmaker()() as s:
        s.get(User, late.user_id).username = invited_name
        s.commit()
    assert late.get("/api/invitations").json() == []
    assert late.post(f"/api/invitations/pending/{inv_id}/accept").status_code == 404
    assert late.get(f"/api/projects/{pid}").status_code == 404


def test_pending_invitation_can_be_accepted_from_the_invitees_list(make_user):
    owner, dan = make_user("owner"), make_user("dan")
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    owner.post(f"/api/projects/{pid}/invitations", json={"username": dan.username, "role": "editor"})
    [pending] = dan.get("/api/invitations").json()
    assert dan.post(f"/api/invitations/pending/{pending['id']}/accept").json()["role"] == "editor"


def test_revoked_invitation_cannot_be_accepted(make_user):
    owner, erin = make_user("owner"), make_user("erin")
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    inv = owner.post(f"/api/projects/{pid}/invitations", json={"username": erin.username}).json()
    assert owner.delete(f"/api/projects/{pid}/invitations/{inv['id']}").status_code == 204
    assert erin.post(f"/api/invitations/{inv['token']}/accept").status_code == 409


def test_invitation_needs_exactly_one_invitee(make_user):
    owner = make_user()
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    r = owner.post(f"/api/projects/{pid}/invitations", json={"role": "viewer"})
    assert r.status_code == 422 and "exactly one of username or email" in r.json()["detail"]


def test_admin_changes_roles_but_not_the_owners(make_project):
    pid, p = make_project()
    r = p["admin"].patch(f"/api/projects/{pid}/members/{p['viewer'].user_id}", json={"role": "editor"})
    assert r.status_code == 200 and r.json()["role"] == "editor"
    r = p["admin"].patch(f"/api/projects/{pid}/members/{p['owner'].user_id}", json={"role": "viewer"})
    assert r.status_code == 403
    r = p["admin"].patch(f"/api/projects/{pid}/members/{p['viewer'].user_id}", json={"role": "owner"})
    assert r.status_code == 422


def test_members_leave_admins_remove_and_the_owner_must_transfer_first(make_project):
    pid, p = make_project()
    assert p["viewer"].delete(f"/api/projects/{pid}/members/{p['editor'].user_id}").status_code == 403
    assert p["viewer"].delete(f"/api/projects/{pid}/members/{p['viewer'].user_id}").status_code == 204
    assert p["viewer"].get(f"/api/projects/{pid}").status_code == 404
    assert p["admin"].delete(f"/api/projects/{pid}/members/{p['editor'].user_id}").status_code == 204
    r = p["owner"].delete(f"/api/projects/{pid}/members/{p['owner'].user_id}")
    assert r.status_code == 403 and "transfer ownership" in r.json()["detail"]


def test_transfer_ownership(make_project):
    pid, p = make_project()
    assert p["owner"].post(f"/api/projects/{pid}/transfer", json={"user_id": p["editor"].user_id}).status_code == 204
    roles = {m["username"]: m["role"] for m in p["owner"].get(f"/api/projects/{pid}/members").json()}
    assert roles[p["editor"].username] == "owner" and roles[p["owner"].username] == "admin"
    assert p["owner"].delete(f"/api/projects/{pid}").status_code == 403
    assert p["editor"].delete(f"/api/projects/{pid}").status_code == 204


def test_activity_log_records_who_did_what(make_project):
    pid, p = make_project()
    p["admin"].patch(f"/api/projects/{pid}", json={"name": "New name"})
    events = p["viewer"].get(f"/api/projects/{pid}/activity").json()
    latest = events[0]
    assert latest["action"] == "project.renamed" and latest["actor_name"] == p["admin"].username
    assert latest["details"] == {"old": "Gestures", "new": "New name"}
    actions = [e["action"] for e in events]
    assert actions.count("member.joined") == 3 and actions[-1] == "project.created"
    older = p["viewer"].get(f"/api/projects/{pid}/activity", params={"before_id": latest["id"], "limit": 2}).json()
    assert len(older) == 2 and all(e["id"] < latest["id"] for e in older)


def test_one_invitation_link_opened_by_two_people_at_once_admits_only_one(make_user):
    """Both read the invitation as pending before either accepts: the second acceptance is refused
    (the accept is a compare-and-set on the invitation's status), so a link admits one person."""
    from backend.core.db import get_sessionmaker
    from backend.core.errors import Conflict
    from backend.models.project import Membership
    from backend.models.user import User
    from backend.team import service

    owner, carol, mallory = make_user("owner"), make_user("carol"), make_user("mallory")
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    token = owner.post(
        f"/api/projects/{pid}/invitations", json={"email": "carol@company.example", "role": "editor"}
    ).json()["token"]
    maker = get_sessionmaker()
    with maker() as a, maker() as b:
        inv_a = service._invitation_for(a, token, a.get(User, carol.user_id))
        inv_b = service._invitation_for(b, token, b.get(User, mallory.user_id))
        assert inv_a.status == inv_b.status == "pending"
        service._accept(a, inv_a, a.get(User, carol.user_id))
        with pytest.raises(Conflict, match="accepted already"):
            service._accept(b, inv_b, b.get(User, mallory.user_id))
    with maker() as s:
        members = {m.user_id for m in s.query(Membership).filter_by(project_id=pid)}
    assert carol.user_id in members and mallory.user_id not in members
    assert mallory.get(f"/api/projects/{pid}").status_code == 404
