"""The headless pipeline CLI against a real server and worker, as a CI job would run it."""

import copy
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.services
ROOT = Path(__file__).resolve().parents[2]


def _motion():
    spec = importlib.util.spec_from_file_location("cli_motion_data", ROOT / "tests/backend/impulse/motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tinyforge(*args, server, key, pid):
    cmd = [sys.executable, "-m", "backend.cli.main", *args, "--server", server, "--api-key", key, "--project", str(pid)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _tinyforge_env(*args, server, key, **env):
    """The server and key from the environment only, as a CI job sets them."""
    env = {**os.environ, "TINYFORGE_SERVER": server, "TINYFORGE_API_KEY": key, **env}
    return subprocess.run(
        [sys.executable, "-m", "backend.cli.main", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def test_impulse_set_features_train_and_test_from_the_command_line(
    make_project, api_key, live_server, worker, tmp_path
):
    motion = _motion()
    pid, p = make_project()
    motion.add_motion_dataset(pid, train_per_class=4, test_per_class=2, seconds=6, labels=["idle", "wave"])
    key = api_key(p["owner"], pid, "admin")
    config = copy.deepcopy(motion.IMPULSE)
    config["learning"][0]["params"] = {"epochs": 10, "learning_rate": 0.01}
    path = tmp_path / "impulse.json"
    path.write_text(json.dumps({"name": "gestures", "config": config}))

    created = _tinyforge("impulse", "set", "--file", str(path), server=live_server, key=key, pid=pid)
    assert created.returncode == 0, created.stderr
    assert "created impulse" in created.stdout and "version 1" in created.stdout
    updated = _tinyforge("impulse", "set", "--file", str(path), server=live_server, key=key, pid=pid)
    assert updated.returncode == 0 and "version 2" in updated.stdout

    features = _tinyforge("features", server=live_server, key=key, pid=pid)
    assert features.returncode == 0, features.stderr
    assert "features per window: 33" in features.stdout and "features: 100%" in features.stdout

    train = _tinyforge_env("train", "--impulse", "gestures", server=live_server, key=key)
    assert train.returncode == 0, train.stderr + train.stdout
    assert "epoch 10/10" in train.stdout and "int8 validation: accuracy" in train.stdout

    test = _tinyforge("test", server=live_server, key=key, pid=pid)
    assert test.returncode == 0, test.stderr
    line = next(x for x in test.stdout.splitlines() if x.startswith("test accuracy"))
    assert float(line.split("window):")[1].split()[0]) >= 0.9
    assert "confusion matrix" in test.stdout

    out = tmp_path / "model.zip"
    deployed = _tinyforge_env(
        "deploy", "--impulse", "gestures", "--target", "tflite", "--out", str(out), server=live_server, key=key
    )
    assert deployed.returncode == 0, deployed.stderr
    assert "build 1 (tflite, int8)" in deployed.stdout and out.stat().st_size > 0


def test_a_bad_impulse_file_exits_2_naming_the_field(make_project, api_key, live_server, tmp_path):
    motion = _motion()
    pid, p = make_project()
    key = api_key(p["owner"], pid, "admin")
    config = copy.deepcopy(motion.IMPULSE)
    config["processing"][0]["params"]["filter_cutoff"] = 50
    path = tmp_path / "impulse.json"
    path.write_text(json.dumps(config))
    r = _tinyforge("impulse", "set", "--file", str(path), server=live_server, key=key, pid=pid)
    assert r.returncode == 2 and "processing[0].params.filter_cutoff" in r.stderr
    r = _tinyforge("train", server=live_server, key=key, pid=pid)
    assert r.returncode == 2 and "0 impulses" in r.stderr


def test_every_client_command_reads_server_key_and_project_from_the_environment(
    make_project, api_key, live_server, tmp_path
):
    motion = _motion()
    pid, p = make_project()
    motion.add_motion_dataset(pid, train_per_class=2, test_per_class=1, seconds=4, labels=["idle", "wave"])
    key = api_key(p["owner"], pid, "admin")
    path = tmp_path / "impulse.json"
    path.write_text(json.dumps({"name": "gestures", "config": motion.IMPULSE}))
    created = _tinyforge_env("impulse", "set", "--file", str(path), server=live_server, key=key)
    assert created.returncode == 0, created.stderr
    impulse_id = created.stdout.split()[2]
    updated = _tinyforge_env(
        "impulse",
        "set",
        "--impulse",
        impulse_id,
        "--file",
        str(path),
        server=live_server,
        key=key,
        TINYFORGE_PROJECT=str(pid),
    )
    assert updated.returncode == 0 and "version 2" in updated.stdout, updated.stderr
    for ref in ("gestures", impulse_id):  # by name and by id, with no --project: the key's project
        features = _tinyforge_env("features", "--impulse", ref, server=live_server, key=key)
        assert features.returncode == 0 and "features: 100%" in features.stdout, features.stderr
    # deploy takes a name like every other command (it said `invalid int value`); nothing is trained yet
    r = _tinyforge_env(
        "deploy",
        "--impulse",
        "gestures",
        "--target",
        "cpp",
        "--out",
        str(tmp_path / "x.zip"),
        server=live_server,
        key=key,
    )
    assert r.returncode == 1 and "no trained model" in r.stderr, r.stderr
    r = _tinyforge_env(
        "deploy", "--impulse", "nope", "--target", "cpp", "--out", str(tmp_path / "x.zip"), server=live_server, key=key
    )
    assert (
        r.returncode == 2 and f"no impulse 'nope' in project {pid}; its impulses: gestures ({impulse_id})" in r.stderr
    )
    for command in (
        ["train"],
        ["test"],
        ["features"],
        ["impulse", "set", "--file", str(path)],
        ["deploy", "--target", "cpp", "--out", "x.zip"],
        ["upload", str(path)],
    ):
        missing = subprocess.run(
            [sys.executable, "-m", "backend.cli.main", *command],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={k: v for k, v in os.environ.items() if not k.startswith("TINYFORGE_SERVER")},
        )
        assert missing.returncode == 2 and "give --server or set TINYFORGE_SERVER" in missing.stderr, (
            command,
            missing.stderr,
        )
