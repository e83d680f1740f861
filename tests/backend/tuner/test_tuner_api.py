"""The tuner API without workers: refused search spaces and constraints name the problem and
store nothing, other projects' runs are not found, viewers cannot start runs, cancel stops a run."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.services


def _runs(owner, pid):
    return owner.get(f"/api/projects/{pid}/tuner/runs").json()


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"space": {"fft_lengths": [100]}}, "fft_lengths[0] = 100 is not a power of two"),
        ({"space": {"dense_units": [[10, 10, 10]]}}, "dense_units[0] must list 1 or 2 layers"),
        ({"space": {"filters": [{"type": "band"}]}}, "filters"),
        ({"space": {"fft_lengths": [256], "conv1d": False}}, "space: no configuration of this space can run"),
        ({"constraints": {"ram_kb": -1}}, "ram_kb"),
        ({"constraints": {"cpu": "m4"}}, "cpu"),
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

    with get_sessionmaker()() as s:
        for c in cancelled["candidates"]:
            if c["status"] == "cancelled":
                assert s.get(Job, c["job_id"]).status in ("cancelled", "succeeded", "failed")


def test_the_audio_preset_searches_mfe_and_mfcc_variants():
    from backend.impulse.validation import DataFacts
    from backend.tuner import space

    inp = {"axes": ["audio"], "window_size_ms": 1000, "window_increase_ms": 500, "frequency_hz": 16000}
    assert space.detect_preset({**inp, "zero_pad": True}) == "audio"
    chosen = space.candidates("audio", {**inp, "zero_pad": True}, {}, DataFacts({"audio"}, 2000), 8, 1)
    kinds = {cfg["processing"][0]["type"] for _, cfg in chosen}
    assert len(chosen) == 8 and kinds == {"mfe", "mfcc"}
    assert all(cfg["learning"][0]["params"]["architecture"][0]["type"] == "dense" for _, cfg in chosen)
    assert space.detect_preset({**inp, "frequency_hz": 4000}) == "motion"
