"""Log-in throttling against real uvicorn servers, with parallel requests as an attacker sends them.

Each server here is private to this module, so locking out 127.0.0.1 cannot disturb other tests."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from testkit import ApiServer

pytestmark = pytest.mark.services
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def servers():
    """Two APIs on one database: one behind a trusted proxy (127.0.0.1), one trusting nobody."""
    with ApiServer({"TRUSTED_PROXIES": ""}) as direct, ApiServer({"TRUSTED_PROXIES": "127.0.0.1"}) as proxied:
        yield {"direct": direct.url, "proxied": proxied.url}


def _sign_up(url: str, email: bool = False) -> str:
    name = f"thr_{secrets.token_hex(4)}"
    body = {"username": name, "password": PASSWORD} | ({"email": f"{name}@example.org"} if email else {})
    # Through the proxied server from an address of its own, so sign-ups never touch the limits.
    r = httpx.post(url + "/api/auth/signup", json=body, headers={"X-Forwarded-For": "198.51.100.1"})
    assert r.status_code == 201, r.text
    return name


def _log_in(
    url: str, username: str, password: str, address: str | None = None, client: httpx.Client | None = None
) -> httpx.Response:
    headers = {"X-Forwarded-For": address} if address else {}
    return (client or httpx).post(
        url + "/api/auth/login", json={"username": username, "password": password}, headers=headers, timeout=60
    )


def test_forty_parallel_guesses_get_no_more_password_checks_than_the_limit(servers):
    url = servers["proxied"]
    victim = _sign_up(url)
    with ThreadPoolExecutor(40) as pool:
        codes = list(
            pool.map(lambda i: _log_in(url, victim, f"guess number {i}", f"203.0.113.{i + 1}").status_code, range(40))
        )
    # Every 401 is a password check; the limit is 5 (LOGIN_MAX_FAILURES).
    assert codes.count(401) == 5 and codes.count(429) == 35, codes
    assert _log_in(url, victim, PASSWORD, "203.0.113.99").status_code == 429


def test_username_and_email_count_against_the_same_account(servers):
    url = servers["proxied"]
    victim = _sign_up(url, email=True)
    for i in range(5):
        name = victim if i % 2 else f"{victim}@example.org"
        assert _log_in(url, name, "wrong password", f"192.0.2.{i + 1}").status_code == 401
    assert _log_in(url, f"{victim}@example.org", "wrong password", "192.0.2.50").status_code == 429
    assert _log_in(url, victim, "wrong password", "192.0.2.51").status_code == 429


def test_forwarded_for_from_an_untrusted_client_does_not_bypass_the_address_limit(servers):
    url = servers["direct"]
    codes = [_log_in(url, f"nobody_{i}", "wrong password", f"10.{i}.0.1").status_code for i in range(21)]
    # 20 failures per address (4 x the account limit), whatever X-Forwarded-For claims.
    assert codes[:20] == [401] * 20 and codes[20] == 429, codes


def test_a_known_browser_gets_in_while_its_address_is_locked_out(servers):
    url = servers["proxied"]
    office = "203.0.113.200"  # one NAT: the colleague and the attacker share it
    colleague, newcomer = _sign_up(url), _sign_up(url)
    browser = httpx.Client()
    assert _log_in(url, colleague, PASSWORD, office, browser).status_code == 200  # now a known browser
    codes = [_log_in(url, f"guessed_{i}", "wrong password", office).status_code for i in range(21)]
    assert codes[-1] == 429
    # The address is locked for unknown browsers, even with the right password ...
    assert _log_in(url, newcomer, PASSWORD, office).status_code == 429
    # ... but the colleague's browser, which logged in before, still gets in.
    r = _log_in(url, colleague, PASSWORD, office, browser)
    assert r.status_code == 200, r.text
    # Another address is not affected.
    assert _log_in(url, newcomer, PASSWORD, "203.0.113.201").status_code == 200


def test_session_cookie_is_secure_behind_a_trusted_https_proxy_only(servers):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}

    def sign_up(url: str) -> httpx.Response:
        body = {"username": f"tls_{secrets.token_hex(4)}", "password": PASSWORD}
        return httpx.post(url + "/api/auth/signup", json=body, headers=headers)

    trusted, untrusted = sign_up(servers["proxied"]), sign_up(servers["direct"])

    def session_cookie(r: httpx.Response) -> str:
        assert r.status_code == 201, r.text
        return next(c for c in r.headers.get_list("set-cookie") if c.startswith("tf_session="))

    assert "Secure" in session_cookie(trusted)
    assert "Secure" not in session_cookie(untrusted)


def test_parallel_guesses_are_counted_atomically_on_sqlite_too(tmp_path):
    """The embedded default's database: the same conditional update holds the limit."""
    from sqlalchemy.orm import Session

    from backend.auth import service
    from backend.auth.schemas import LogIn
    from backend.core import migrate
    from backend.core.db import make_engine
    from backend.core.errors import TooManyRequests, Unauthorized
    from backend.core.security import hash_password
    from backend.models.user import User

    url = f"sqlite:///{tmp_path / 'throttle.sqlite'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as s:
        s.add(User(username="sqlite_victim", password_hash=hash_password(PASSWORD)))
        s.commit()

    def guess(i: int) -> str:
        with Session(engine) as s:
            try:
                service.log_in(s, LogIn(username="sqlite_victim", password=f"guess {i}"), f"10.0.0.{i}")
            except (Unauthorized, TooManyRequests) as e:
                return type(e).__name__
        return "logged in"

    with ThreadPoolExecutor(20) as pool:
        outcomes = list(pool.map(guess, range(20)))
    assert outcomes.count("Unauthorized") == 5 and outcomes.count("TooManyRequests") == 15, outcomes
