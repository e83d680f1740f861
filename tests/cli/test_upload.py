"""`tinyforge upload` against the live server: one line per file, non-zero exit on failure."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.services


def _acquisition(label_values):
    return json.dumps(
        {
            "protected": {"ver": "v1", "alg": "none"},
            "signature": "0" * 64,
            "payload": {
                "device_type": "TEST",
                "interval_ms": 10,
                "sensors": [{"name": "accX", "units": "m/s2"}],
                "values": label_values,
            },
        }
    )


def _upload(live_server, key, *args):
    return subprocess.run(
        [sys.executable, "-m", "backend.cli.main", "upload", "--server", live_server, "--api-key", key, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_prints_one_line_per_file_and_fails_when_one_failed(make_project, api_key, live_server, tmp_path):
    pid, people = make_project()
    key = api_key(people["owner"], pid, "ingestiononly")
    (tmp_path / "idle.01.json").write_text(_acquisition([1, 2, 3]))
    (tmp_path / "wave.02.csv").write_text("timestamp,accX,accY\n0,1,2\n10,3,4\n20,5,6\n")
    (tmp_path / "bad.csv").write_text("timestamp,accX\n0,1\n10,oops\n")
    missing = tmp_path / "missing.json"
    r = _upload(
        live_server,
        key,
        "--category",
        "training",
        str(tmp_path / "idle.01.json"),
        str(tmp_path / "wave.02.csv"),
        str(tmp_path / "bad.csv"),
        str(missing),
    )
    lines = r.stdout.splitlines()
    assert r.returncode == 1, r.stdout + r.stderr
    assert "OK  idle.01.json -> training/idle" in lines
    assert "OK  wave.02.csv -> training/wave" in lines
    assert any(line.startswith("ERR bad.csv: ") and "oops" in line for line in lines), lines
    assert any(line.startswith("ERR missing.json: cannot read") for line in lines), lines
    assert len(lines) == 4
    samples = people["viewer"].get(f"/api/projects/{pid}/samples").json()
    items = samples["items"] if isinstance(samples, dict) else samples
    assert sorted(s["label"] for s in items) == ["idle", "wave"]


def test_label_option_and_all_good_files_exit_zero(make_project, api_key, live_server, tmp_path):
    pid, people = make_project()
    key = api_key(people["owner"], pid, "admin")
    paths = []
    for i in range(3):
        p = tmp_path / f"sample.{i}.json"
        p.write_text(_acquisition([i, i + 1]))
        paths.append(str(p))
    r = _upload(live_server, key, "--category", "testing", "--label", "knock", *paths)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == [f"OK  sample.{i}.json -> testing/knock" for i in range(3)]


def test_a_wrong_key_fails_every_file_with_the_servers_reason(live_server, tmp_path):
    p = tmp_path / "idle.1.json"
    p.write_text(_acquisition([1]))
    r = _upload(live_server, "tf_wrong", str(p))
    assert r.returncode == 1
    assert r.stdout.startswith("ERR idle.1.json: HTTP 401") and "API key" in r.stdout
