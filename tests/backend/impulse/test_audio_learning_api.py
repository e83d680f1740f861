"""A new learning block behind an audio block: the proposed network, and invalid networks refused."""

from __future__ import annotations

import copy

KEYWORDS = {
    "input": {
        "axes": ["audio"],
        "window_size_ms": 1000,
        "window_increase_ms": 500,
        "frequency_hz": 16000,
        "zero_pad": True,
    },
    "processing": [{"id": "dsp", "type": "mfcc", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["dsp"], "params": {}}],
}


def _create(api, pid, block: str, learning_params: dict | None, name: str):
    cfg = copy.deepcopy(KEYWORDS)
    cfg["processing"][0]["type"] = block
    cfg["learning"][0]["params"] = learning_params
    return api.post(f"/api/projects/{pid}/impulses", json={"name": name, "config": cfg})


def test_new_learning_block_gets_the_network_that_suits_its_processing_block(make_project):
    pid, p = make_project()
    kinds = {}
    for i, block in enumerate(("mfcc", "mfe", "spectrogram")):
        r = _create(p["editor"], pid, block, {"epochs": 5}, f"{block} {i}")
        assert r.status_code == 201, r.text
        params = r.json()["config"]["learning"][0]["params"]
        kinds[block] = [layer["type"] for layer in params["architecture"]]
        assert params["epochs"] == 5 and params["time_masks"] == 2  # given values kept, proposals fill the rest
    assert kinds["mfcc"] == kinds["mfe"] == ["reshape", "conv1d", "conv1d", "flatten"]
    assert kinds["spectrogram"] == ["reshape", "conv2d", "conv2d", "flatten"]
    # a network the user chose is kept as is
    dense = [{"type": "dense", "units": 8}]
    r = _create(p["editor"], pid, "mfcc", {"architecture": dense}, "dense")
    assert r.status_code == 201 and r.json()["config"]["learning"][0]["params"]["architecture"][0]["type"] == "dense"


def test_catalogue_lists_the_proposals_the_form_applies(client):
    learning = {b["id"]: b for b in client.get("/api/blocks").json()["learning"]}
    proposals = learning["keras-classifier"]["proposals"]
    assert proposals["mfcc"]["architecture"][1]["type"] == "conv1d"
    assert proposals["spectrogram"]["architecture"][1]["type"] == "conv2d"
    assert proposals["spectral-analysis"]["architecture"][0]["type"] == "dense"
    assert "proposals" not in learning["kmeans-anomaly"]


def test_network_that_does_not_fit_the_frames_answers_422_before_training(make_project):
    pid, p = make_project()
    bad = [{"type": "reshape", "columns": 7}, {"type": "conv1d", "filters": 8}, {"type": "flatten"}]
    r = _create(p["editor"], pid, "mfcc", {"architecture": bad}, "bad reshape")
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail.startswith("learning[0].params.architecture[0].columns:") and "650 values" in detail
    r = _create(p["editor"], pid, "mfcc", {"architecture": [{"type": "conv2d", "filters": 4}]}, "no flatten")
    assert r.status_code == 422 and "flatten" in r.json()["detail"]
    assert p["editor"].get(f"/api/projects/{pid}/impulses").json() == []  # nothing half-written
