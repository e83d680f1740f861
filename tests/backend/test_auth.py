import pytest

pytestmark = pytest.mark.services


def test_signup_sets_httponly_samesite_cookie_and_returns_token(client):
    r = client.post("/api/auth/signup", json={"username": "ada_cookie", "password": "correct horse battery"})
    assert r.status_code == 201, r.text
    cookie = r.headers["set-cookie"]
    assert "tf_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert r.json()["token"].startswith("tfs_")
    assert client.get("/api/auth/me").json()["username"] == "ada_cookie"


def test_bearer_token_authenticates_scripts(client, make_user):
    user = make_user()
    assert client.get("/api/auth/me").status_code == 401
    assert user.get("/api/auth/me").json()["username"] == user.username


def test_login_with_username_or_email_and_logout_revokes_the_token(client, make_user):
    user = make_user(email=True)
    for name in (user.username, f"{user.username}@example.org"):
        r = client.post("/api/auth/login", json={"username": name, "password": "correct horse battery"})
        assert r.status_code == 200, r.text
    token = r.json()["token"]
    h = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/auth/me", headers=h).status_code == 200
    assert client.post("/api/auth/logout", headers=h).status_code == 204
    assert client.get("/api/auth/me", headers=h).status_code == 401


def test_passwords_are_stored_as_argon2_hashes(client, make_user):
    from sqlalchemy import select

    from backend.core.db import get_sessionmaker
    from backend.models.user import User

    user = make_user()
    with get_sessionmaker()() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == user.username))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_duplicate_username_is_a_conflict(client, make_user):
    user = make_user()
    r = client.post("/api/auth/signup", json={"username": user.username, "password": "another password"})
    assert r.status_code == 409 and "taken" in r.json()["detail"]


@pytest.mark.parametrize("body, fragment", [
    ({"username": "x", "password": "long enough pw"}, "username"),
    ({"username": "good_name", "password": "short"}, "password"),
    ({"username": "good_name2", "password": "long enough pw", "email": "nope"}, "email"),
])
def test_bad_signup_names_the_field(client, body, fragment):
    r = client.post("/api/auth/signup", json=body)
    assert r.status_code == 422 and fragment in r.json()["detail"]


def test_repeated_failed_logins_lock_the_account_for_a_while(client, make_user):
    user = make_user()
    codes = [client.post("/api/auth/login", json={"username": user.username, "password": "wrong password"}).status_code
             for _ in range(6)]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    # Even the right password is refused while locked, with a Retry-After.
    r = client.post("/api/auth/login", json={"username": user.username, "password": "correct horse battery"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_unknown_user_login_is_401_not_500(client):
    r = client.post("/api/auth/login", json={"username": "nobody_here", "password": "whatever pw"})
    assert r.status_code == 401 and "Wrong username or password" in r.json()["detail"]
