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
    r = client.post("/api/auth/signup", json={"username": user.username, "password": "another password here"})
    assert r.status_code == 409 and "taken" in r.json()["detail"]


@pytest.mark.parametrize(
    "body, fragment",
    [
        ({"username": "x", "password": "long enough pw"}, "username"),
        ({"username": "good_name", "password": "short"}, "password"),
        ({"username": "good_name2", "password": "long enough pw", "email": "nope"}, "email"),
    ],
)
def test_bad_signup_names_the_field(client, body, fragment):
    r = client.post("/api/auth/signup", json=body)
    assert r.status_code == 422 and fragment in r.json()["detail"]


def test_repeated_failed_logins_lock_the_account_for_a_while(client, make_user):
    user = make_user()
    codes = [
        client.post("/api/auth/login", json={"username": user.username, "password": "wrong password"}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5 and codes[5] == 429
    # Even the right password is refused while locked, with a Retry-After.
    r = client.post("/api/auth/login", json={"username": user.username, "password": "correct horse battery"})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0


def test_unknown_user_login_is_401_not_500(client):
    r = client.post("/api/auth/login", json={"username": "nobody_here", "password": "whatever pw"})
    assert r.status_code == 401 and "Wrong username or password" in r.json()["detail"]


def test_signup_with_an_existing_email_answers_like_any_signup_and_links_nothing(client, make_user):
    """Sign-up must not tell an attacker which e-mail addresses have accounts (no 409 naming it)."""
    alice = make_user("alice", email=True)
    taken, fresh = f"{alice.username}@example.org", "nobody.yet@example.org"
    answers = []
    for name, email in (("probe_taken", taken), ("probe_fresh", fresh)):
        r = client.post(
            "/api/auth/signup",
            json={"username": f"{name}_{alice.username[-8:]}", "password": "correct horse battery", "email": email},
        )
        client.cookies.clear()
        answers.append(r.status_code)
        assert email not in r.text or email == fresh
    assert answers == [201, 201]
    # The address still logs in to its real owner only.
    r = client.post("/api/auth/login", json={"username": taken, "password": "correct horse battery"})
    assert r.status_code == 200 and r.json()["user"]["username"] == alice.username


@pytest.mark.parametrize("password", ["12345678", "password", "password1234", "qwertyuiop", "iloveyou123"])
def test_short_or_common_passwords_are_refused_with_a_message(client, password):
    r = client.post("/api/auth/signup", json={"username": "weak_pw_user", "password": password})
    assert r.status_code == 422 and "password" in r.json()["detail"]


@pytest.fixture()
def signup_mode(monkeypatch):
    """Run the API with SIGNUP set (settings are read per request; restored afterwards)."""
    from backend.core.config import get_settings

    def _set(mode: str) -> None:
        monkeypatch.setenv("SIGNUP", mode)
        get_settings.cache_clear()

    yield _set
    monkeypatch.delenv("SIGNUP", raising=False)
    get_settings.cache_clear()


def test_closed_signup_refuses_new_accounts(client, make_user, signup_mode):
    make_user()  # not the first account
    signup_mode("closed")
    r = client.post("/api/auth/signup", json={"username": "closed_door", "password": "correct horse battery"})
    assert r.status_code == 403 and "closed" in r.json()["detail"]


def test_invite_only_signup_needs_a_pending_invitation_link(client, make_user, signup_mode):
    owner = make_user("owner")
    pid = owner.post("/api/projects", json={"name": "Team"}).json()["id"]
    inv = owner.post(f"/api/projects/{pid}/invitations", json={"email": "new.one@company.example"}).json()
    signup_mode("invite")
    body = {"username": f"invitee_{owner.username[-8:]}", "password": "correct horse battery"}
    r = client.post("/api/auth/signup", json=body)
    assert r.status_code == 403 and "invitation" in r.json()["detail"]
    assert client.post("/api/auth/signup", json=body | {"invitation": "tfi_made_up"}).status_code == 403
    r = client.post("/api/auth/signup", json=body | {"invitation": inv["token"]})
    assert r.status_code == 201, r.text
    client.cookies.clear()


def test_signup_defaults_to_invite_on_a_team_server_and_open_embedded():
    from backend.core.config import Settings

    secret = "x" * 40
    assert Settings(TINYFORGE_ENV="production", SECRET_KEY=secret).signup_mode == "invite"
    assert Settings(TINYFORGE_ENV="development").signup_mode == "open"
    assert Settings(TINYFORGE_ENV="production", SECRET_KEY=secret, SIGNUP="open").signup_mode == "open"


def test_the_first_account_can_always_be_created(tmp_path, monkeypatch):
    """On an empty server even SIGNUP=closed lets the first person in (someone has to invite)."""
    from sqlalchemy.orm import Session

    from backend.auth import service
    from backend.auth.schemas import SignUp
    from backend.core import migrate
    from backend.core.config import get_settings
    from backend.core.db import make_engine
    from backend.core.errors import Forbidden

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    migrate.upgrade(url)
    monkeypatch.setenv("SIGNUP", "closed")
    get_settings.cache_clear()
    try:
        with Session(make_engine(url)) as s:
            service.sign_up(s, SignUp(username="first_one", password="correct horse battery"))
            with pytest.raises(Forbidden):
                service.sign_up(s, SignUp(username="second_one", password="correct horse battery"))
    finally:
        monkeypatch.delenv("SIGNUP")
        get_settings.cache_clear()


def test_session_cookie_is_secure_when_served_over_https(app):
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="https://testserver") as https:
        r = https.post("/api/auth/signup", json={"username": "tls_user", "password": "correct horse battery"})
    assert r.status_code == 201, r.text
    session_cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("tf_session="))
    assert "Secure" in session_cookie
