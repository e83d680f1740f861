"""The DSP preview of a draft: unsaved parameters are previewed as sent, checked as a save would be,
and nothing is stored."""

import copy

import pytest

pytestmark = pytest.mark.services


def _impulse(make_project, motion):
    pid, p = make_project()
    sample_id = motion.add_sample(pid, "wave", motion.motion("wave", seconds=4, seed=1))
    imp = p["editor"].post(f"/api/projects/{pid}/impulses", json={"name": "m", "config": motion.IMPULSE}).json()
    return pid, p, sample_id, imp


def test_preview_of_draft_parameters_uses_them_and_leaves_the_impulse_alone(make_project, motion, interactive_worker):
    pid, p, sample_id, imp = _impulse(make_project, motion)
    base = f"/api/projects/{pid}/impulses/{imp['id']}"
    draft = copy.deepcopy(motion.IMPULSE)
    draft["processing"][0]["params"]["fft_length"] = 32  # wider bands: fewer features

    stored = p["viewer"].post(f"{base}/preview", json={"sample_id": sample_id, "block_id": "spectral"})
    drafted = p["viewer"].post(
        f"{base}/preview", json={"sample_id": sample_id, "block_id": "spectral", "config": draft}
    )
    assert stored.status_code == 200 and drafted.status_code == 200, drafted.text
    n_stored = len(stored.json()["blocks"][0]["features"])
    n_draft = len(drafted.json()["blocks"][0]["features"])
    assert n_stored == 33
    # a 32-point FFT doubles the band width: about half the bands sit under the 8 Hz cutoff
    assert n_draft < n_stored
    after = p["viewer"].get(base).json()
    assert after["version"] == 1 and after["config"]["processing"][0]["params"]["fft_length"] == 64


def test_preview_of_invalid_draft_parameters_is_422_naming_the_field(make_project, motion, interactive_worker):
    pid, p, sample_id, imp = _impulse(make_project, motion)
    base = f"/api/projects/{pid}/impulses/{imp['id']}"
    draft = copy.deepcopy(motion.IMPULSE)
    draft["processing"][0]["params"]["filter_cutoff"] = 40  # above Nyquist at 62.5 Hz

    r = p["viewer"].post(f"{base}/preview", json={"sample_id": sample_id, "config": draft})
    assert r.status_code == 422, r.text
    assert "processing[0].params.filter_cutoff" in r.text

    draft = copy.deepcopy(motion.IMPULSE)
    r = p["viewer"].post(f"{base}/preview", json={"sample_id": sample_id, "block_id": "nope", "config": draft})
    assert r.status_code == 404 and "nope" in r.text

    r = p["viewer"].post(f"{base}/preview", json={"sample_id": sample_id, "config": ["not", "an", "object"]})
    assert r.status_code == 422
