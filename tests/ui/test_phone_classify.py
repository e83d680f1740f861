"""'Classify on this phone': the phone page builds (on demand) and downloads its project's
WebAssembly build, runs it on synthetic accelerometer events, keeps working offline, and every
window's scores equal the board library's (the same build's C, compiled with gcc) bit for bit."""

from __future__ import annotations

import importlib.util
import io
import json
import secrets
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest
from support.library_build import run_host
from testkit import wait_for
from ui.a11y import assert_accessible
from ui.browserkit import api_user, shot
from ui.test_studio_flow import MOTION_FEEDER

pytestmark = [pytest.mark.services, pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed")]
ROOT = Path(__file__).resolve().parents[2]


def _motion_data():
    spec = importlib.util.spec_from_file_location("phone_motion_data", ROOT / "tests/backend/impulse/motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _finished(api, pid, job_id):
    return wait_for(
        lambda: (
            (j := api.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"] not in ("queued", "running") and j
        ),
        timeout=300,
        what=f"job {job_id}",
    )


def _last_window(phone) -> dict:
    return json.loads(phone.get_by_test_id("phone-last-window").locator("pre").text_content())


def _native_scores(sources: dict[str, str], header: str, values: list[float], directory: Path) -> np.ndarray:
    run = run_host(sources, header, np.asarray([values], dtype=np.float32), directory)
    return run.scores[0]


def test_the_phone_classifies_with_the_boards_code_offline_and_equal_to_the_c_library(
    browser, studio, worker, tmp_path
):
    _, url = studio
    owner = api_user(url, f"phone_wasm_{secrets.token_hex(3)}")
    pid = owner.post("/api/projects", json={"name": "Pocket gestures"}).json()["id"]
    motion = _motion_data()
    motion.add_motion_dataset(pid, train_per_class=5, test_per_class=1, seconds=8)
    imp = owner.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    base = f"/api/projects/{pid}/impulses/{imp['id']}"
    assert _finished(owner, pid, owner.post(f"{base}/features").json()["id"])["status"] == "succeeded"
    train = _finished(owner, pid, owner.post(f"{base}/train").json()["id"])
    assert train["status"] == "succeeded", train["error"]
    key = owner.post(f"/api/projects/{pid}/apikeys/phone").json()["key"]

    phone_ctx = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, base_url=url
    )
    phone_ctx.set_default_timeout(20_000)
    try:
        phone = phone_ctx.new_page()
        phone.goto(f"/phone?apiKey={key}")
        phone.get_by_test_id("phone-state").get_by_text("connected").wait_for()
        phone.evaluate(MOTION_FEEDER, [4.0])
        card = phone.get_by_test_id("classify-on-phone")
        card.get_by_role("button", name="Classify on this phone").click()
        card.get_by_text("Building the WebAssembly build 1").wait_for()  # none yet: the phone starts one
        shot(phone, "70-phone-classify-building")
        card.get_by_test_id("phone-prediction").wait_for(timeout=300_000)

        # the build the phone runs is the project's deployment, named by its checksums
        (built,) = owner.get(f"/api/projects/{pid}/deployments").json()
        assert built["target"] == "wasm" and built["status"] == "succeeded"
        line = card.get_by_test_id("phone-build-line").inner_text()
        assert f"Build 1 (deployment {built['id']})" in line
        assert built["artifact"]["module_sha256"] in line and built["artifact"]["sources_sha256"] in line
        assert "Kept on this phone for offline use" in line
        z = zipfile.ZipFile(io.BytesIO(owner.get(built["download_url"]).content))
        root = z.namelist()[0].split("/")[0]
        sources = {
            n.split("/src/")[1]: z.read(n).decode()
            for n in z.namelist()
            if "/src/" in n and not n.endswith("tf_wasm.c")
        }

        online = _last_window(phone)
        native = _native_scores(sources, f"{root}.h", online["values"], tmp_path / "online")
        assert np.array_equal(native.view(np.uint32), np.asarray(online["scores"], dtype=np.float32).view(np.uint32))
        assert len(online["values"]) == 375 and np.ptp(online["values"]) > 1  # a real, moving window
        assert_accessible(phone, "phone page, classifying on the phone")

        # offline: it keeps classifying, and starting again loads the phone's own copy
        phone_ctx.set_offline(True)
        wait_for(lambda: _last_window(phone)["values"] != online["values"], timeout=30, what="a new window offline")
        card.get_by_role("button", name="Stop classifying").click()
        card.get_by_role("button", name="Classify on this phone").click()
        card.get_by_text("Loaded from this phone's copy (offline)").wait_for()
        card.get_by_test_id("phone-prediction").wait_for()
        offline = _last_window(phone)
        shot(phone, "71-phone-classifying-offline")
        native = _native_scores(sources, f"{root}.h", offline["values"], tmp_path / "offline")
        assert np.array_equal(native.view(np.uint32), np.asarray(offline["scores"], dtype=np.float32).view(np.uint32))
        assert card.get_by_label("Prediction").inner_text() in ("circle", "idle", "shake", "wave")
    finally:
        phone_ctx.close()
