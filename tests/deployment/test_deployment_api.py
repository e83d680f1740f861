"""Deployments on real workers: a trained motion project is built for Arduino, C++ and .tflite,
listed with build numbers and estimates, downloaded through the API and with `tinyforge deploy`."""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from testkit import wait_for

pytestmark = pytest.mark.services
ROOT = Path(__file__).resolve().parents[2]
MOTION_DATA = ROOT / "tests" / "backend" / "impulse" / "motion_data.py"


def motion_data():
    spec = importlib.util.spec_from_file_location("deployment_motion_data", MOTION_DATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def finished_job(api, pid, job_id, timeout=240):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"] not in ("queued", "running") and j
        ),
        timeout=timeout,
        what=f"job {job_id}",
    )


def impulse_with_anomaly(motion):
    config = {
        **motion.IMPULSE,
        "learning": [
            *motion.IMPULSE["learning"],
            {"id": "anomaly", "type": "kmeans-anomaly", "inputs": ["spectral"], "params": {"clusters": 16}},
        ],
    }
    return config


def build(api, pid, body):
    r = api.post(f"/api/projects/{pid}/deployments", json=body)
    assert r.status_code == 201, r.text
    job = finished_job(api, pid, r.json()["job_id"])
    assert job["status"] == "succeeded", job["error"]
    return api.get(f"/api/projects/{pid}/deployments/{r.json()['id']}").json()


def test_trained_impulse_builds_lists_and_downloads_for_every_target(
    make_project, worker, api_key, live_server, tmp_path
):
    motion = motion_data()
    pid, p = make_project()
    ed = p["editor"]
    motion.add_motion_dataset(pid, train_per_class=6, test_per_class=1, seconds=10)
    # An older impulse whose name makes the same identifier: the library must not take its name.
    older = ed.post(f"/api/projects/{pid}/impulses", json={"name": "Motion", "config": motion.IMPULSE})
    assert older.status_code == 201, older.text
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": impulse_with_anomaly(motion)})
    assert imp.status_code == 201, imp.text
    base = f"/api/projects/{pid}/impulses/{imp.json()['id']}"
    assert finished_job(ed, pid, ed.post(f"{base}/features").json()["id"])["status"] == "succeeded"
    train = finished_job(ed, pid, ed.post(f"{base}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    lib = f"gestures_motion_{imp.json()['id']}_inferencing"  # project, impulse, and the id that tells it apart

    arduino = build(ed, pid, {"target": "arduino"})
    assert arduino["build_number"] == 1 and arduino["version"] == "1.0.1" and arduino["variant"] == "int8"
    for stage in ("dsp", "nn", "anomaly"):
        assert arduino["estimates"][stage]["instructions"] > 0 and arduino["estimates"][stage]["flash_bytes"] > 0
    assert arduino["estimates"]["total"]["ram_bytes"] > 0
    download = ed.get(arduino["download_url"])
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    assert f'filename="{lib}-1.0.1-arduino.zip"' in download.headers["content-disposition"]
    z = zipfile.ZipFile(io.BytesIO(download.content))
    props = z.read(f"{lib}/library.properties").decode()
    assert f"name={lib}\n" in props and "version=1.0.1\n" in props and f"includes={lib}.h\n" in props
    assert "The impulse **motion** of the project **Gestures**" in z.read(f"{lib}/README.md").decode()
    assert f"#include <{lib}.h>" in z.read(f"{lib}/examples/static_buffer/static_buffer.ino").decode()
    z.extractall(tmp_path / "arduino")
    src = tmp_path / "arduino" / lib / "src"
    header = (src / f"{lib}.h").read_text()
    assert '#define TF_CLASSIFIER_LABELS { "circle", "idle", "shake", "wave" }' in header
    assert "#define TF_CLASSIFIER_HAS_ANOMALY 1" in header
    if shutil.which("gcc"):
        subprocess.run(
            ["gcc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-c", *[f.name for f in src.glob("*.c")]],
            cwd=src,
            check=True,
            capture_output=True,
        )

    tfl = build(ed, pid, {"target": "tflite", "variant": "float32", "impulse_id": imp.json()["id"]})
    names = zipfile.ZipFile(io.BytesIO(ed.get(tfl["download_url"]).content)).namelist()
    assert f"{lib}/{lib}.float32.tflite" in names

    # CI: a project API key builds and downloads the C++ library with the CLI, against a live server.
    out = tmp_path / "lib.zip"
    key = api_key(p["owner"], pid, "admin")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "backend.cli.main",
            "deploy",
            "--server",
            live_server,
            "--api-key",
            key,
            "--project",
            str(pid),
            "--target",
            "cpp",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert f"{lib}/CMakeLists.txt" in zipfile.ZipFile(out).namelist()
    assert "build 3 (cpp, int8)" in done.stdout

    listed = p["viewer"].get(f"/api/projects/{pid}/deployments").json()
    assert [(d["build_number"], d["target"], d["variant"], d["status"]) for d in listed] == [
        (3, "cpp", "int8", "succeeded"),
        (2, "tflite", "float32", "succeeded"),
        (1, "arduino", "int8", "succeeded"),
    ]


def test_deploy_requests_are_checked_and_scoped_to_the_project(make_project, worker):
    motion = motion_data()
    pid, p = make_project()
    other, q = make_project()
    ed = p["editor"]
    url = f"/api/projects/{pid}/deployments"
    assert ed.post(url, json={"target": "arduino"}).status_code == 404  # no impulse yet
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    r = ed.post(url, json={"target": "arduino"})
    assert r.status_code == 409 and "no trained model" in r.json()["detail"]
    r = ed.post(url, json={"target": "esp32"})
    assert r.status_code == 422 and "target" in r.text
    assert ed.post(url, json={"target": "cpp", "variant": "int4"}).status_code == 422
    assert p["viewer"].post(url, json={"target": "arduino"}).status_code == 403
    assert q["owner"].post(f"/api/projects/{pid}/deployments", json={"target": "arduino"}).status_code == 404
    assert ed.post(f"/api/projects/{pid}/deployments", json={"target": "cpp", "impulse_id": 99999}).status_code == 404
    assert ed.get(f"{url}/12345").status_code == 404
    assert ed.get(f"{url}/12345/download").status_code == 404
    assert ed.get(url).json() == [] and imp["id"]
