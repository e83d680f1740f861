"""The headless pipeline CLI against a real server and worker, as a CI job would run it."""
import copy
import importlib.util
import json
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


def test_impulse_set_features_train_and_test_from_the_command_line(make_project, api_key, live_server, worker,
                                                                   tmp_path):
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

    train = _tinyforge("train", "--impulse", "gestures", server=live_server, key=key, pid=pid)
    assert train.returncode == 0, train.stderr + train.stdout
    assert "epoch 10/10" in train.stdout and "int8 validation: accuracy" in train.stdout

    test = _tinyforge("test", server=live_server, key=key, pid=pid)
    assert test.returncode == 0, test.stderr
    line = next(x for x in test.stdout.splitlines() if x.startswith("test accuracy"))
    assert float(line.split("window):")[1].split()[0]) >= 0.9
    assert "confusion matrix" in test.stdout


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
