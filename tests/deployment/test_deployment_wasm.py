"""The wasm target on a real worker: a trained motion project is built to WebAssembly by the
phone's device key and through the API; the zip holds the module, wrapper, demo and the C it came
from; the module runs in Node; the device key sees, starts and downloads only its project's builds."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from testkit import wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
]
ROOT = Path(__file__).resolve().parents[2]


def motion_data():
    spec = importlib.util.spec_from_file_location("wasm_motion_data", ROOT / "tests/backend/impulse/motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def finished_job(api, pid, job_id, timeout=300):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"] not in ("queued", "running") and j
        ),
        timeout=timeout,
        what=f"job {job_id}",
    )


def trained_project(make_project):
    motion = motion_data()
    pid, p = make_project()
    ed = p["editor"]
    motion.add_motion_dataset(pid, train_per_class=5, test_per_class=1, seconds=8)
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE})
    assert imp.status_code == 201, imp.text
    base = f"/api/projects/{pid}/impulses/{imp.json()['id']}"
    assert finished_job(ed, pid, ed.post(f"{base}/features").json()["id"])["status"] == "succeeded"
    train = finished_job(ed, pid, ed.post(f"{base}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    return pid, p


def sources_digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for name in sorted(files):
        h.update(name.encode() + b"\0" + files[name] + b"\0")
    return h.hexdigest()


def test_wasm_builds_from_the_phone_and_the_api_ship_the_module_of_their_c_sources_and_run_in_node(
    make_project, worker, client, api_key, tmp_path
):
    pid, p = trained_project(make_project)
    ed = p["editor"]
    # the phone, holding only the project's ingestion key, starts the first build and waits for it
    phone_key = p["owner"].post(f"/api/projects/{pid}/apikeys/phone").json()["key"]
    phone = {"x-api-key": phone_key}
    none = client.get("/api/device-key/wasm", headers=phone)
    assert none.status_code == 404 and "no WebAssembly build yet" in none.json()["detail"]
    started = client.post("/api/device-key/wasm", headers=phone)
    assert started.status_code == 201, started.text
    first = started.json()
    assert first["status"] in ("queued", "running", "succeeded") and first["build_number"] == 1
    assert client.post("/api/device-key/wasm", headers=phone).json()["deployment_id"] == first["deployment_id"]
    wait_for(
        lambda: client.get("/api/device-key/wasm", headers=phone).json()["status"] == "succeeded",
        timeout=300,
        what="the phone's build",
    )

    targets = {t["id"]: t for t in p["viewer"].get(f"/api/projects/{pid}/deployments/targets").json()}
    assert targets["wasm"]["available"] is True and targets["wasm"]["reason"] is None
    assert set(targets) == {"arduino", "cpp", "tflite", "wasm"}

    r = ed.post(f"/api/projects/{pid}/deployments", json={"target": "wasm"})
    assert r.status_code == 201, r.text
    job = finished_job(ed, pid, r.json()["job_id"])
    assert job["status"] == "succeeded", job["error"]
    d = ed.get(f"/api/projects/{pid}/deployments/{r.json()['id']}").json()
    assert d["target"] == "wasm" and d["artifact"]["name"].endswith("-1.0.2-wasm.zip")
    z = zipfile.ZipFile(io.BytesIO(ed.get(d["download_url"]).content))
    root = z.namelist()[0].split("/")[0]
    wasm = z.read(f"{root}/{root}.wasm")
    assert hashlib.sha256(wasm).hexdigest() == d["artifact"]["module_sha256"]
    src = {n.split("/src/")[1]: z.read(n) for n in z.namelist() if "/src/" in n and not n.endswith("tf_wasm.c")}
    assert f"{root}.h" in src and "tf_classifier.c" in src and "tf_dsp.c" in src
    assert sources_digest(src) == d["artifact"]["sources_sha256"]
    sums = dict(reversed(line.split("  ")) for line in z.read(f"{root}/SHA256SUMS").decode().splitlines())
    assert sums[f"{root}.wasm"] == d["artifact"]["module_sha256"]
    assert {f"{root}/tinyforge_wasm.js", f"{root}/index.html", f"{root}/README.md"} <= set(z.namelist())
    assert json.loads(z.read(f"{root}/{root}.json"))["wasm"]["sources_sha256"] == d["artifact"]["sources_sha256"]

    # the project's own route answers the module itself, the same bytes
    module = ed.get(f"/api/projects/{pid}/deployments/{d['id']}/module.wasm")
    assert module.status_code == 200 and module.headers["content-type"] == "application/wasm"
    assert module.content == wasm

    z.extractall(tmp_path)
    script = (
        f"import {{ load }} from {str(tmp_path / root / 'tinyforge_wasm.js')!r};"
        "import { readFileSync } from 'node:fs';"
        f"const i = await load(readFileSync({str(tmp_path / root / (root + '.wasm'))!r}));"
        "const r = i.classify(new Float32Array(i.info.input_length).fill(1));"
        "console.log(JSON.stringify({ info: i.info, scores: r.scores }));"
    )
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["info"]["labels"] == ["circle", "idle", "shake", "wave"] and out["info"]["input_length"] == 375
    assert abs(sum(out["scores"].values()) - 1.0) < 0.02

    # the phone now sees the newest build and downloads the same module
    seen = client.get("/api/device-key/wasm", headers={"x-api-key": phone_key}).json()
    assert seen["deployment_id"] == d["id"] and seen["module_sha256"] == d["artifact"]["module_sha256"]
    again = client.post("/api/device-key/wasm", headers={"x-api-key": phone_key})
    assert again.status_code == 200 and again.json()["deployment_id"] == d["id"]  # usable: no new build
    got = client.get(seen["module_url"], headers={"x-api-key": phone_key})
    assert got.status_code == 200 and got.content == wasm

    # another project's keys and members get 404; a read-only key and a C++ build are refused
    other, q = make_project()
    other_key = q["owner"].post(f"/api/projects/{other}/apikeys/phone").json()["key"]
    assert client.get(seen["module_url"], headers={"x-api-key": other_key}).status_code == 404
    untrained = client.post("/api/device-key/wasm", headers={"x-api-key": other_key})
    assert untrained.status_code == 404 and "no trained impulse" in untrained.json()["detail"]
    assert client.post("/api/device-key/wasm", headers={"x-api-key": "not-a-key"}).status_code == 401
    assert q["owner"].get(f"/api/projects/{pid}/deployments/{d['id']}/module.wasm").status_code == 404
    readonly = api_key(p["owner"], pid, "readonly")
    assert client.get(seen["module_url"], headers={"x-api-key": readonly}).status_code == 403
    assert client.get(seen["module_url"]).status_code == 401
    assert client.get("/api/device-key/wasm/999999/module.wasm", headers={"x-api-key": phone_key}).status_code == 404
    cpp = ed.post(f"/api/projects/{pid}/deployments", json={"target": "cpp"}).json()
    refused = client.get(f"/api/device-key/wasm/{cpp['id']}/module.wasm", headers={"x-api-key": phone_key})
    assert refused.status_code == 409 and "only wasm builds" in refused.json()["detail"]
    listed = p["viewer"].get(f"/api/projects/{pid}/deployments").json()
    assert [(b["build_number"], b["target"]) for b in listed] == [(3, "cpp"), (2, "wasm"), (1, "wasm")]
