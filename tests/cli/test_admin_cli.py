"""The admin CLI's exact output, which scripts rely on."""

import os
import re
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.services


def tinyforge(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "backend.cli.main", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_users_projects_and_keys_print_only_what_scripts_need(client):
    name = f"cli_{secrets.token_hex(3)}"
    r = tinyforge("users", "create", "--username", name, "--password", "correct horse battery")
    assert r.returncode == 0 and re.fullmatch(r"\d+\n", r.stdout), r.stderr
    r = tinyforge("projects", "create", "--owner", name, "--name", "From the CLI")
    assert r.returncode == 0 and re.fullmatch(r"\d+\n", r.stdout), r.stderr
    pid = int(r.stdout)
    r = tinyforge("apikeys", "create", "--project", str(pid), "--role", "admin")
    assert r.returncode == 0 and re.fullmatch(r"tf_[A-Za-z0-9_-]+\n", r.stdout), r.stderr
    key = r.stdout.strip()
    project = client.get(f"/api/projects/{pid}", headers={"x-api-key": key}).json()
    assert project["name"] == "From the CLI"
    token = client.post("/api/auth/login", json={"username": name, "password": "correct horse battery"})
    assert token.status_code == 200


def test_errors_go_to_stderr_with_exit_status_2():
    r = tinyforge("projects", "create", "--owner", "no_such_user_xyz", "--name", "X")
    assert r.returncode == 2 and r.stdout == "" and "no user named 'no_such_user_xyz'" in r.stderr
    r = tinyforge("apikeys", "create", "--project", "999999", "--role", "readonly")
    assert r.returncode == 2 and "no project with id 999999" in r.stderr
    r = tinyforge("users", "create", "--username", "x", "--password", "short")
    assert r.returncode == 2 and "username" in r.stderr


def test_duplicate_user_is_refused():
    name = f"cli_{secrets.token_hex(3)}"
    assert tinyforge("users", "create", "--username", name, "--password", "long enough pw").returncode == 0
    r = tinyforge("users", "create", "--username", name, "--password", "long enough pw")
    assert r.returncode == 2 and "taken" in r.stderr


def test_migrate_reports_an_up_to_date_database():
    r = tinyforge("migrate")
    assert r.returncode == 0 and r.stdout == "database is up to date\n"


def test_production_refuses_the_default_secret_key():
    r = tinyforge("migrate", env={"TINYFORGE_ENV": "production", "SECRET_KEY": ""})
    assert r.returncode == 2 and "SECRET_KEY" in r.stderr and "Traceback" not in r.stderr
