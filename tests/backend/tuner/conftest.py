"""Fixtures of the tuner tests: a project with the suite's synthetic motion data and its impulse."""

from __future__ import annotations

import importlib.util
import secrets
from pathlib import Path

import pytest
from testkit import Api

MOTION_DATA = Path(__file__).resolve().parents[1] / "impulse" / "motion_data.py"


def load_motion_data():
    spec = importlib.util.spec_from_file_location("tuner_motion_data", MOTION_DATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _signup(client, prefix: str) -> Api:
    username = f"{prefix}_{secrets.token_hex(4)}"
    r = client.post("/api/auth/signup", json={"username": username, "password": "correct horse battery"})
    assert r.status_code == 201, r.text
    client.cookies.clear()
    return Api(client, username, r.json()["token"], r.json()["user"]["id"])


@pytest.fixture(scope="module")
def signup(motion_project):
    """signup(prefix) -> a new signed-in user on the module's client."""
    return lambda prefix: _signup(motion_project[0], prefix)


@pytest.fixture(scope="package")
def motion_project(app):
    """(client, owner Api, project id, default impulse) with 4 gestures x (6 train + 3 test) samples of 6 s,
    shared by the tuner test modules (each test starts its own runs)."""
    from fastapi.testclient import TestClient

    motion = load_motion_data()
    with TestClient(app) as client:
        owner = _signup(client, "tuner")
        pid = owner.post("/api/projects", json={"name": "Tuner"}).json()["id"]
        motion.add_motion_dataset(pid, train_per_class=6, test_per_class=3, seconds=6)
        r = owner.post(f"/api/projects/{pid}/impulses", json={"name": "default", "config": motion.IMPULSE})
        assert r.status_code == 201, r.text
        yield client, owner, pid, r.json()
