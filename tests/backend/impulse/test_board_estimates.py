"""A trained impulse on a board of the catalogue (GET /api/projects/{pid}/boards/{board}/estimates):
float32 and int8 with the training's accuracy, the board's latency from the Cortex-M4F counts the
training stored (per stage, times the core's measured ratio and cycles per instruction), RAM and
flash, and whether they fit. One real training on a real worker."""

import pytest
from testkit import wait_for

from backend.blocks.boards import BOARDS, Board, get_board
from backend.boards.service import variant_on_board

pytestmark = pytest.mark.services


def _train(ed, pid, motion) -> tuple[dict, dict]:
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    job_id = ed.post(f"/api/projects/{pid}/impulses/{imp['id']}/train").json()["id"]
    job = wait_for(
        lambda: (
            (j := ed.get(f"/api/projects/{pid}/jobs/{job_id}").json())["status"] in ("succeeded", "failed", "cancelled")
            and j
        ),
        timeout=300,
        what="training",
    )
    assert job["status"] == "succeeded", job["error"]
    return imp, job


def test_estimates_per_board_follow_the_training_and_the_core(make_project, make_user, motion, worker):
    pid, p = make_project()
    motion.add_motion_dataset(pid, train_per_class=6, test_per_class=1, seconds=4)
    viewer = p["viewer"]
    r = viewer.get(f"/api/projects/{pid}/boards/raspberry-pi-pico/estimates")
    assert r.status_code == 404 and "trained" in r.json()["detail"], r.text  # nothing trained yet
    imp, job = _train(p["editor"], pid, motion)
    stored = job["result"]["estimates"]

    answers = {}
    for board in BOARDS:
        r = viewer.get(f"/api/projects/{pid}/boards/{board.id}/estimates", params={"impulse_id": imp["id"]})
        assert r.status_code == 200, r.text
        answers[board.id] = body = r.json()
        assert body["impulse_id"] == imp["id"] and body["training_job_id"] == job["id"]
        assert body["board"]["id"] == board.id and body["board"]["latency_derivation"]
        rows = {v["variant"]: v for v in body["variants"]}
        assert set(rows) == {"int8", "float32"}
        for variant, row in rows.items():
            assert row["accuracy"] == job["result"]["metrics"][variant]["accuracy"]
            assert row["fits"] == (
                row["ram_bytes"] <= board.ram_kb * 1024 and row["flash_bytes"] <= board.flash_kb * 1024
            )
            assert row["fits"] and row["problems"] == []  # the small motion impulse fits every board here
    nano = {v["variant"]: v for v in answers["arduino-nano-33-ble-sense"]["variants"]}
    for variant in ("int8", "float32"):  # the Cortex-M4F: the stored figures, at 64 MHz
        total = stored[variant]["total"]
        assert nano[variant]["instructions"] == total["instructions"]
        assert nano[variant]["latency_ms"] == pytest.approx(total["instructions"] * 1.3 / 64e3, abs=1e-3)
        assert (nano[variant]["ram_bytes"], nano[variant]["flash_bytes"]) == (total["ram_bytes"], total["flash_bytes"])
    pico = {v["variant"]: v for v in answers["raspberry-pi-pico"]["variants"]}
    teensy = {v["variant"]: v for v in answers["teensy-4.1"]["variants"]}
    # software float on the Cortex-M0+: many more instructions; the Cortex-M7 at 600 MHz is fastest
    assert pico["int8"]["instructions"] > 10 * nano["int8"]["instructions"]
    assert pico["float32"]["instructions"] > pico["int8"]["instructions"]
    assert teensy["int8"]["latency_ms"] < nano["int8"]["latency_ms"] < pico["int8"]["latency_ms"]
    assert answers["esp32-s3"]["board"]["latency_method"] == "derived"
    assert answers["raspberry-pi-pico"]["board"]["latency_method"] == "measured"

    # a build for the chosen board carries the board's figures in its estimates (and its metadata)
    ed = p["editor"]
    r = ed.post(f"/api/projects/{pid}/deployments", json={"target": "cpp", "variant": "int8", "board": "arduino-uno"})
    assert r.status_code == 422 and "unknown board 'arduino-uno'" in r.text, r.text
    r = ed.post(
        f"/api/projects/{pid}/deployments",
        json={"impulse_id": imp["id"], "target": "cpp", "variant": "int8", "board": "raspberry-pi-pico"},
    )
    assert r.status_code == 201, r.text
    build = wait_for(
        lambda: (
            (d := ed.get(f"/api/projects/{pid}/deployments/{r.json()['id']}").json())["status"]
            in ("succeeded", "failed")
            and d
        ),
        timeout=180,
        what="build",
    )
    assert build["status"] == "succeeded", build["error"]
    on_pico = build["estimates"]["board"]
    assert (on_pico["id"], on_pico["name"]) == ("raspberry-pi-pico", "Raspberry Pi Pico")
    assert {k: on_pico[k] for k in pico["int8"]} == pico["int8"]  # the same figures as the board table
    import io
    import json
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(ed.get(build["download_url"]).content))
    (meta,) = [n for n in archive.namelist() if n.count("/") == 1 and n.endswith(".json")]
    assert json.loads(archive.read(meta))["estimates"]["board"]["id"] == "raspberry-pi-pico"

    r = viewer.get(f"/api/projects/{pid}/boards/arduino-uno/estimates")
    assert r.status_code == 404 and "arduino-uno" in r.json()["detail"]
    r = viewer.get(f"/api/projects/{pid}/boards/esp32-s3/estimates", params={"impulse_id": 999999})
    assert r.status_code == 404
    r = viewer.get(f"/api/projects/{pid}/boards/esp32-s3/estimates", params={"impulse_id": "x"})
    assert r.status_code == 422
    stranger = make_user("stranger")
    assert stranger.get(f"/api/projects/{pid}/boards/esp32-s3/estimates").status_code == 404


def test_a_board_too_small_for_the_impulse_gets_fits_false_and_the_reasons():
    # a catalogue estimate's shape (workers/codegen/estimate.py) on a 16 KB micro:bit and on an
    # imaginary 1 KB RAM / 8 KB flash part with the same core
    estimate = {
        "dsp": {"instructions": 75_000},
        "nn": {"instructions": 12_000},
        "anomaly": {"instructions": 8_600},
        "total": {"instructions": 95_600, "ram_bytes": 1_300, "flash_bytes": 13_700},
    }
    microbit = get_board("bbc-microbit-v1")
    fits = variant_on_board(microbit, "int8", estimate, 0.9)
    assert fits.fits and fits.fits_ram and fits.fits_flash and fits.problems == []
    tiny = Board("tiny", "Tiny part", "cortex-m0", 16, 1, 8, False)
    row = variant_on_board(tiny, "int8", estimate, 0.9)
    assert (row.fits, row.fits_ram, row.fits_flash) == (False, False, False)
    assert row.ram_bytes == 1_300 + tiny.core.extra_stack_bytes and row.flash_bytes > 13_700
    assert "RAM" in row.problems[0] and "1 KB" in row.problems[0] and "flash" in row.problems[1]
    # latency: per stage x the core's ratio x its cycles per instruction / clock
    ratio = tiny.core.ratio
    expected = 75_000 * ratio["dsp"] + 12_000 * ratio["nn_int8"] + 8_600 * ratio["anomaly"]
    assert row.instructions == round(expected)
    assert row.latency_ms == pytest.approx(expected * tiny.core.cycles_per_instruction / 16e3, abs=1e-3)
