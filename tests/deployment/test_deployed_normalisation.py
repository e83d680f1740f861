"""The feature normalisation of a real training travels through a deployment into the generated C:
the downloaded C++ library, compiled with gcc, gives the int8 outputs of the downloaded .tflite
(LiteRT's reference kernels on the library's own features, normalised as the metadata says) bit
for bit."""

import importlib.util
import io
import json
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from support.library_build import run_host
from testkit import wait_for

pytestmark = [pytest.mark.services, pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")]
MOTION_DATA = Path(__file__).resolve().parents[1] / "backend" / "impulse" / "motion_data.py"


def _motion():
    spec = importlib.util.spec_from_file_location("normalisation_motion_data", MOTION_DATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _finished(api, pid, job_id, timeout=240):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"] not in ("queued", "running") and j
        ),
        timeout=timeout,
        what=f"job {job_id}",
    )


def _download(api, pid, body) -> zipfile.ZipFile:
    r = api.post(f"/api/projects/{pid}/deployments", json=body)
    assert r.status_code == 201, r.text
    job = _finished(api, pid, r.json()["job_id"])
    assert job["status"] == "succeeded", job["error"]
    d = api.get(f"/api/projects/{pid}/deployments/{r.json()['id']}").json()
    return zipfile.ZipFile(io.BytesIO(api.get(d["download_url"]).content))


def test_deployed_library_normalises_features_like_the_training_and_stays_bit_exact(make_project, worker, tmp_path):
    from workers.learn.normalization import normalize
    from workers.optimize.evaluate import run_tflite

    motion = _motion()
    pid, p = make_project()
    ed = p["editor"]
    motion.add_motion_dataset(pid, train_per_class=6, test_per_class=1, seconds=6)
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    train = _finished(ed, pid, ed.post(f"/api/projects/{pid}/impulses/{imp['id']}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    normalization = train["result"]["learning"]["normalization"]
    assert len(normalization["mean"]) == len(normalization["std"]) == 33

    tflite = _download(ed, pid, {"target": "tflite", "variant": "int8"})
    metadata = json.loads(next(tflite.read(n) for n in tflite.namelist() if n.endswith(".json")))
    assert metadata["feature_normalization"] == normalization
    model = next(tflite.read(n) for n in tflite.namelist() if n.endswith(".int8.tflite"))

    cpp = _download(ed, pid, {"target": "cpp", "variant": "int8"})
    sources = {Path(n).name: cpp.read(n).decode() for n in cpp.namelist() if "/src/" in n and n.endswith((".c", ".h"))}
    header = next(
        name
        for name, text in sources.items()
        if name.endswith(".h") and "run_classifier(" in text and not name.startswith("tf_")
    )
    assert "tf_model_feature_mean" in sources["tf_classifier.c"]
    windows = np.stack(
        [motion.motion(label, seconds=2.0, seed=50 + i)[:125] for i, label in enumerate(motion.LABELS * 2)]
    ).reshape(8, -1)
    run = run_host(sources, header, windows, tmp_path / "host")
    reference = run_tflite(model, normalize(run.features, normalization))
    assert run.scores.view(np.uint32).tolist() == reference.view(np.uint32).tolist()
    assert (run.scores.argmax(axis=1) == np.arange(8) % 4).mean() >= 0.75  # and it learned the gestures
