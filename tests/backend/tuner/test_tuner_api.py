"""The tuner API without workers: refused search spaces and constraints name the problem and
store nothing, other projects' runs are not found, viewers cannot start runs, cancel stops a run."""

from __future__ import annotations

import pytest
from testkit import wait_for

pytestmark = pytest.mark.services


def _runs(owner, pid):
    return owner.get(f"/api/projects/{pid}/tuner/runs").json()


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"space": {"fft_lengths": [100]}}, "fft_lengths[0] = 100 is not a power of two"),
        ({"space": {"dense_units": [[10, 10, 10]]}}, "dense_units[0] must list 1 or 2 layers"),
        ({"space": {"filters": [{"type": "band"}]}}, "filters"),
        (
            {"space": {"fft_lengths": [256], "conv1d": False, "flatten": False}},
            "space: no configuration of this space can run",
        ),
        ({"constraints": {"ram_kb": -1}}, "ram_kb"),
        ({"constraints": {"cpu": "m4"}}, "cpu"),
        ({"constraints": {"board": "nano-99"}}, "unknown board 'nano-99'"),
        ({"budget": {"candidates": 1000}}, "candidates"),
        ({"budget": {"first_epochs": 50, "final_epochs": 10}}, "budget.final_epochs: must be at least"),
        ({"preset": "audio"}, "preset: audio needs an impulse with one axis"),
        ({"impulse_id": 999999}, "Impulse 999999 not found"),
    ],
)
def test_bad_search_spaces_and_constraints_are_refused_naming_the_problem(motion_project, body, needle):
    _, owner, pid, impulse = motion_project
    before = len(_runs(owner, pid))
    r = owner.post(f"/api/projects/{pid}/tuner/runs", json={"impulse_id": impulse["id"], **body})
    assert 400 <= r.status_code < 500 and r.status_code != 401, r.text
    assert needle in r.text, r.text
    assert len(_runs(owner, pid)) == before


def test_runs_of_another_project_are_not_found_and_cancel_ends_a_run(motion_project, signup):
    _, owner, pid, impulse = motion_project
    r = owner.post(
        f"/api/projects/{pid}/tuner/runs",
        json={"impulse_id": impulse["id"], "budget": {"candidates": 2, "first_epochs": 1, "final_epochs": 1}},
    )
    assert r.status_code == 201, r.text
    run = r.json()
    assert [c["status"] for c in run["candidates"]] == ["queued", "queued"]
    stranger = signup("stranger")
    other = stranger.post("/api/projects", json={"name": "Other"}).json()["id"]
    assert stranger.get(f"/api/projects/{other}/tuner/runs/{run['id']}").status_code == 404
    assert stranger.post(f"/api/projects/{other}/tuner/runs/{run['id']}/cancel").status_code == 404
    cand = run["candidates"][0]["id"]
    assert stranger.post(f"/api/projects/{other}/tuner/runs/{run['id']}/candidates/{cand}/apply").status_code == 404
    assert stranger.get(f"/api/projects/{pid}/tuner/runs/{run['id']}").status_code in (403, 404)
    # a candidate without a result cannot be applied; cancel ends the run and its queued candidates
    assert owner.post(f"/api/projects/{pid}/tuner/runs/{run['id']}/candidates/{cand}/apply").status_code == 409
    cancelled = owner.post(f"/api/projects/{pid}/tuner/runs/{run['id']}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert {c["status"] for c in cancelled["candidates"]} <= {"cancelled", "running", "done"}
    assert owner.post(f"/api/projects/{pid}/tuner/runs/{run['id']}/cancel").status_code == 409
    from backend.core.db import get_sessionmaker
    from backend.models.job import Job

    def jobs_ended():
        # a job that a worker had already claimed stops at its next cancel check
        with get_sessionmaker()() as s:
            states = [s.get(Job, c["job_id"]).status for c in cancelled["candidates"] if c["status"] == "cancelled"]
        return states if all(st in ("cancelled", "succeeded", "failed") for st in states) else None

    wait_for(jobs_ended, timeout=120, interval=0.5, what="the cancelled candidates' jobs to end")


def test_the_audio_preset_searches_mfe_and_mfcc_variants_with_conv1d_and_dense_nets():
    from backend.impulse.validation import DataFacts
    from backend.tuner import space

    inp = {"axes": ["audio"], "window_size_ms": 1000, "window_increase_ms": 500, "frequency_hz": 16000}
    assert space.detect_preset({**inp, "zero_pad": True}) == "audio"
    facts = DataFacts({"audio"}, 2000)
    chosen = space.candidates("audio", {**inp, "zero_pad": True}, {}, facts, 16, 1)
    kinds = {cfg["processing"][0]["type"] for _, cfg in chosen}
    assert len(chosen) == 16 and kinds == {"mfe", "mfcc"}  # the whole grid, each one validated
    nets = {tuple(layer["type"] for layer in cfg["learning"][0]["params"]["architecture"]) for _, cfg in chosen}
    assert nets == {("reshape", "conv1d", "conv1d", "flatten"), ("dense",), ("dense", "dense")}
    conv = [cfg["learning"][0]["params"] for label, cfg in chosen if "conv1d" in label]
    assert len(conv) == 8
    assert {tuple(layer["filters"] for layer in p["architecture"] if layer["type"] == "conv1d") for p in conv} == {
        (8, 16),
        (4, 8),
    }
    assert all(p["time_shift"] > 0 and p["time_masks"] > 0 for p in conv)  # the keyword-spotting augmentation
    # without conv1d, the dense nets only
    dense = space.candidates("audio", {**inp, "zero_pad": True}, {"conv1d": False}, facts, 16, 1)
    assert len(dense) == 8 and all("dense" in label for label, _ in dense)
    assert space.detect_preset({**inp, "frequency_hz": 4000}) == "motion"


def test_a_small_motion_budget_tries_every_family_of_processing_and_window():
    """16 of the motion grid's ~130 configurations: every (processing, window) family is tried at
    least twice, the spectral variants do not crowd out flatten, raw and the half window."""
    from collections import Counter

    from backend.impulse.validation import DataFacts
    from backend.tuner import space

    inp = {"axes": ["x", "y", "z"], "window_size_ms": 2000, "window_increase_ms": 500, "frequency_hz": 62.5}
    facts = DataFacts({"x", "y", "z"}, 6000)
    for seed in range(5):
        chosen = space.candidates("motion", {**inp, "zero_pad": True}, {}, facts, 16, seed)
        families = Counter((cfg["processing"][0]["type"], cfg["input"]["window_size_ms"]) for _, cfg in chosen)
        assert len(chosen) == 16 and len({label for label, _ in chosen}) == 16
        assert set(families) == {(t, w) for t in ("spectral-analysis", "flatten", "raw") for w in (2000, 1000)}
        # raw (one variant per window) and flatten (two) are taken whole; spectral gets the rest
        for w in (2000, 1000):
            assert families[("raw", w)] == 1 and families[("flatten", w)] == len(space.FLATTEN_DENSE), families
            assert families[("spectral-analysis", w)] >= 3, families  # (FFT 64 cannot run on 1 s)
    assert space.candidates("motion", {**inp, "zero_pad": True}, {}, facts, 16, 3) == space.candidates(
        "motion", {**inp, "zero_pad": True}, {}, facts, 16, 3
    )  # seeded


def test_boards_are_listed_and_a_board_sets_the_runs_limits(motion_project):
    from workers.tasks.tuner import tf_threads  # noqa: F401  (the worker's setting parses)
    from workers.tuner.evaluate import cost, fits

    client, owner, pid, impulse = motion_project
    r = owner.get("/api/boards")
    assert r.status_code == 200, r.text
    boards = {b["id"]: b for b in r.json()}
    pico, nano = boards["raspberry-pi-pico"], boards["arduino-nano-33-ble-sense"]
    assert (pico["core"], pico["clock_mhz"], pico["ram_kb"], pico["flash_kb"]) == ("Cortex-M0+", 133, 264, 2048)
    assert (nano["core"], nano["clock_mhz"], nano["ram_kb"], nano["flash_kb"]) == ("Cortex-M4F", 64, 256, 1024)
    assert nano["cpi_measured"] and not pico["cpi_measured"]
    assert {"teensy-4.1", "portenta-h7", "esp32-s3", "generic-cortex-m4f-80"} <= set(boards)
    client.cookies.clear()
    assert client.get("/api/boards").status_code == 401

    body = {
        "impulse_id": impulse["id"],
        "constraints": {"board": "raspberry-pi-pico", "ram_kb": 100, "latency_ms": 50},
        "budget": {"candidates": 2, "first_epochs": 1, "final_epochs": 1},
    }
    r = owner.post(f"/api/projects/{pid}/tuner/runs", json=body)
    assert r.status_code == 201, r.text
    run = r.json()
    c = run["constraints"]
    assert (c["board"], c["ram_kb"], c["flash_kb"], c["latency_ms"], c["clock_mhz"]) == (
        "raspberry-pi-pico",
        100,
        2048,
        50,
        133,
    )
    assert owner.post(f"/api/projects/{pid}/tuner/runs/{run['id']}/cancel").json()["status"] == "cancelled"
    # the worker's latency on that board: instructions x cycles per instruction / clock
    measured = {"ram_bytes": 50_000, "flash_bytes": 60_000, "instructions": 1_000_000, "latency_ms": 16.25}
    on_pico = round(1_000_000 * pico["cycles_per_instruction"] / 133e6 * 1e3, 3)
    assert fits({**measured, "latency_ms": on_pico}, c) == (on_pico <= 50)
    assert fits({**measured, "ram_bytes": 101 * 1024, "latency_ms": on_pico}, c) is False
    assert cost({}, {}, c)["error"].startswith("no on-device estimate")
