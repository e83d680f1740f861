"""Fixtures of the version tests: the impulse tests' synthetic motion data (stored straight through
the models, as a factory) and a project with one member of each role."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

MOTION_DATA = Path(__file__).resolve().parents[1] / "impulse" / "motion_data.py"


@pytest.fixture(scope="session")
def motion():
    spec = importlib.util.spec_from_file_location("version_motion_data", MOTION_DATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def trained():
    """Factory: record a finished training of an impulse (a succeeded impulse.train job with its
    result and model files) and one build with a library, straight through the models, as the
    worker stores them. Training for real is covered by test_version_training.py."""

    def _make(project_id: int, impulse_id: int, accuracy: float = 0.75, build: bool = True) -> dict:
        import hashlib

        from backend.core import task_names
        from backend.core.db import get_sessionmaker
        from backend.models.base import utcnow
        from backend.models.deployment import Deployment
        from backend.models.impulse import Impulse
        from backend.models.job import Job
        from backend.models.sample import Artifact

        def artifact(job_id, kind, name, data):
            return Artifact(
                project_id=project_id, job_id=job_id, kind=kind, name=name, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), info={}, data=data,
            )  # fmt: skip

        with get_sessionmaker()() as s:
            impulse = s.get(Impulse, impulse_id)
            result = {
                "impulse_id": impulse_id,
                "impulse_version": impulse.version,
                "labels": ["idle", "wave"],
                "metrics": {"int8": {"accuracy": accuracy}, "float32": {"accuracy": accuracy + 0.01}},
                "estimates": {"int8": {"total": {"ram_bytes": 4000, "flash_bytes": 20000, "latency_ms": 3.5}}},
            }
            now = utcnow()
            job = Job(
                project_id=project_id, kind=task_names.TRAIN, queue="never-consumed", status="succeeded",
                progress=1.0, params={"impulse_id": impulse_id}, result=result, finished_at=now,
            )  # fmt: skip
            s.add(job)
            s.flush()
            models = [
                artifact(job.id, "model.tflite.int8", "model-int8.tflite", b"int8 model " + bytes(range(256)) * 4),
                artifact(job.id, "model.tflite.float32", "model.tflite", b"float model " + bytes(range(256)) * 8),
            ]
            s.add_all(models)
            impulse.trained_job_id, impulse.trained_version = job.id, impulse.version
            out = {"job_id": job.id, "result": result, "models": {a.kind: a.data for a in models}}
            if build:
                build_job = Job(
                    project_id=project_id, kind=task_names.BUILD_DEPLOYMENT,
                    queue="never-consumed", status="succeeded", progress=1.0, params={}, finished_at=now,
                )  # fmt: skip
                s.add(build_job)
                s.flush()
                lib = artifact(build_job.id, "deployment.arduino", "motion-arduino.zip", b"PK library " * 50)
                s.add(lib)
                s.flush()
                dep = Deployment(
                    project_id=project_id, build_number=1, impulse_id=impulse_id, impulse_version=impulse.version,
                    training_job_id=job.id, target="arduino", variant="int8", job_id=build_job.id,
                    artifact_id=lib.id, estimates=result["estimates"]["int8"],
                )  # fmt: skip
                s.add(dep)
                s.flush()
                out.update(deployment_id=dep.id, library=lib.data)
            s.commit()
            return out

    return _make


@pytest.fixture(scope="module")
def team(app):
    """One account per role (and an outsider) for a whole module: signing up (argon2) is the slow
    part of making a project with members."""
    import secrets

    from fastapi.testclient import TestClient
    from testkit import Api

    with TestClient(app) as c:
        people = {}
        for role in ("owner", "admin", "editor", "viewer", "outsider"):
            name = f"vt_{role}_{secrets.token_hex(3)}"
            r = c.post("/api/auth/signup", json={"username": name, "password": "correct horse battery"})
            assert r.status_code == 201, r.text
            people[role] = Api(c, name, r.json()["token"], r.json()["user"]["id"])
        c.cookies.clear()
        yield people


@pytest.fixture(scope="module")
def team_project(team):
    """Factory: a new project "Gestures" of the module's team; returns (project id, {role: Api})."""

    def _make() -> tuple[int, dict]:
        owner = team["owner"]
        pid = owner.post("/api/projects", json={"name": "Gestures"}).json()["id"]
        for role in ("admin", "editor", "viewer"):
            inv = owner.post(f"/api/projects/{pid}/invitations", json={"username": team[role].username, "role": role})
            assert team[role].post(f"/api/invitations/{inv.json()['token']}/accept").status_code == 200
        return pid, team

    return _make
