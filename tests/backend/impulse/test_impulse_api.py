"""Impulse configurations through the API: validation naming the field, versions, access."""

import copy

import pytest

pytestmark = pytest.mark.services


def _impulse(motion):
    return copy.deepcopy(motion.IMPULSE)


def _create(api, pid, config, name="motion"):
    return api.post(f"/api/projects/{pid}/impulses", json={"name": name, "config": config})


def test_block_catalogue_lists_processing_and_learning_specs(client):
    body = client.get("/api/blocks").json()
    assert {b["id"] for b in body["processing"]} >= {"raw", "flatten", "spectral-analysis"}
    assert {b["id"] for b in body["learning"]} == {"keras-classifier", "keras-regression", "kmeans-anomaly"}
    spectral = next(b for b in body["processing"] if b["id"] == "spectral-analysis")
    assert {"name": "filter_cutoff"}.items() <= next(
        p for p in spectral["params"] if p["name"] == "filter_cutoff"
    ).items()


def test_created_impulse_is_normalised_with_version_1_and_stale_outputs(make_project, motion):
    pid, p = make_project()
    r = _create(p["editor"], pid, _impulse(motion))
    assert r.status_code == 201, r.text
    imp = r.json()
    assert imp["version"] == 1 and imp["features_stale"] and imp["model_stale"]
    block = imp["config"]["processing"][0]
    assert block["version"] == 1 and block["params"]["take_log"] is True and block["features"] == 33
    assert block["axes"] == motion.AXES
    assert imp["config"]["learning"][0]["params"]["architecture"][0]["units"] == 20
    assert [i["id"] for i in p["viewer"].get(f"/api/projects/{pid}/impulses").json()] == [imp["id"]]
    # The normalised form is accepted back as is.
    again = p["editor"].patch(f"/api/projects/{pid}/impulses/{imp['id']}", json={"version": 1, "config": imp["config"]})
    assert again.status_code == 200 and again.json()["config"] == imp["config"]


def test_update_with_a_stale_version_is_refused_with_409(make_project, motion):
    pid, p = make_project()
    imp = _create(p["editor"], pid, _impulse(motion)).json()
    url = f"/api/projects/{pid}/impulses/{imp['id']}"
    cfg = _impulse(motion)
    cfg["input"]["window_increase_ms"] = 250
    first = p["editor"].patch(url, json={"version": 1, "config": cfg})
    assert first.status_code == 200 and first.json()["version"] == 2
    cfg["input"]["window_increase_ms"] = 1000
    second = p["admin"].patch(url, json={"version": 1, "config": cfg})
    assert second.status_code == 409 and "version 2" in second.json()["detail"]
    assert p["viewer"].get(url).json()["config"]["input"]["window_increase_ms"] == 250


def test_duplicate_name_is_a_conflict(make_project, motion):
    pid, p = make_project()
    assert _create(p["editor"], pid, _impulse(motion)).status_code == 201
    r = _create(p["editor"], pid, _impulse(motion))
    assert r.status_code == 409 and "motion" in r.json()["detail"]


def _set(cfg, path, value):
    *head, last = path
    for key in head:
        cfg = cfg[key]
    if value is _DELETE:
        del cfg[last]
    else:
        cfg[last] = value


_DELETE = object()
BAD_CONFIGS = [
    (("input", "axes"), [], "input.axes"),
    (("input", "axes"), ["accX", "accX"], "input.axes[1]"),
    (("input", "frequency_hz"), 0, "input.frequency_hz"),
    (("input", "window_size_ms"), "long", "input.window_size_ms"),
    (("input", "window_increase_ms"), _DELETE, "input.window_increase_ms"),
    (("processing",), [], "processing"),
    (("processing", 0, "type"), "wavelets", "processing[0].type"),
    (("processing", 0, "axes"), ["accW"], "processing[0].axes[0]"),
    (("processing", 0, "params", "filter_cutoff"), 40, "processing[0].params.filter_cutoff"),
    (("processing", 0, "params", "fft_length"), 256, "processing[0].params.fft_length"),
    (("processing", 0, "params", "filter_order"), 99, "processing[0].params.filter_order"),
    (("processing", 0, "params", "bogus"), 1, "processing[0].params.bogus"),
    (("learning",), [], "learning"),
    (("learning", 0, "type"), "random-forest", "learning[0].type"),
    (("learning", 0, "inputs"), ["mfcc"], "learning[0].inputs[0]"),
    (("learning", 0, "params", "epochs"), 0, "learning[0].params.epochs"),
    (
        ("learning", 0, "params", "architecture"),
        [{"type": "conv1d", "filters": 4}, {"type": "flatten"}],
        "learning[0].params.architecture[0].type",
    ),
    (("extra",), 1, "extra"),
]


def test_each_bad_configuration_answers_422_naming_the_field(make_user, motion):
    owner = make_user("owner")
    pid = owner.post("/api/projects", json={"name": "Bad configs"}).json()["id"]
    wrong = []
    for path, value, field in BAD_CONFIGS:
        cfg = _impulse(motion)
        _set(cfg, path, value)
        r = _create(owner, pid, cfg)
        if r.status_code != 422 or not r.json()["detail"].startswith(field + ":"):
            wrong.append((field, r.status_code, r.text))
    assert not wrong
    assert owner.get(f"/api/projects/{pid}/impulses").json() == []


def test_second_neural_network_and_anomaly_feature_out_of_range_are_refused(make_project, motion):
    pid, p = make_project()
    cfg = _impulse(motion)
    cfg["learning"].append({"id": "reg", "type": "keras-regression"})
    assert _create(p["editor"], pid, cfg).json()["detail"].startswith("learning[1].type:")
    cfg = _impulse(motion)
    cfg["learning"].append({"type": "kmeans-anomaly", "params": {"feature_indices": [0, 33]}})
    assert _create(p["editor"], pid, cfg).json()["detail"].startswith("learning[1].params.feature_indices[1]:")


def test_window_longer_than_every_sample_and_axes_missing_from_the_data_are_refused(make_project, motion):
    pid, p = make_project()
    motion.add_sample(pid, "idle", motion.motion("idle", seconds=3))
    cfg = _impulse(motion)
    cfg["input"]["window_size_ms"] = 5000
    r = _create(p["editor"], pid, cfg)
    assert r.status_code == 422 and r.json()["detail"].startswith("input.window_size_ms:")
    assert "longest is 2992 ms" in r.json()["detail"]
    cfg = _impulse(motion)
    cfg["input"]["axes"] = ["accX", "gyrX"]
    r = _create(p["editor"], pid, cfg)
    assert r.status_code == 422 and r.json()["detail"].startswith("input.axes[1]:")


def test_who_may_read_and_change_impulses(make_project, make_user, api_key, client, motion):
    pid, p = make_project()
    assert _create(p["viewer"], pid, _impulse(motion)).status_code == 403
    imp = _create(p["editor"], pid, _impulse(motion)).json()
    url = f"/api/projects/{pid}/impulses/{imp['id']}"
    outsider = make_user("outsider")
    assert outsider.get(url).status_code == 404
    assert outsider.patch(url, json={"version": 1, "name": "x"}).status_code == 404
    readonly = {"x-api-key": api_key(p["admin"], pid, "readonly")}
    assert client.get(url, headers=readonly).status_code == 200
    assert client.post(f"{url}/train", headers=readonly).status_code == 403
    ingest = {"x-api-key": api_key(p["admin"], pid, "ingestiononly")}
    assert client.get(url, headers=ingest).status_code == 403
    other_pid, other = make_project()
    assert other["owner"].get(f"/api/projects/{other_pid}/impulses/{imp['id']}").status_code == 404
    assert p["viewer"].post(f"{url}/features").status_code == 403
    assert p["viewer"].delete(url).status_code == 403
    assert p["editor"].delete(url).status_code == 204
    assert p["viewer"].get(url).status_code == 404


def test_rename_keeps_features_current_but_a_config_change_makes_them_stale(make_project, motion):
    from backend.core.db import get_sessionmaker
    from backend.impulse import repository

    pid, p = make_project()
    imp = _create(p["editor"], pid, _impulse(motion)).json()
    with get_sessionmaker()() as s:  # as a finished features job would record it
        repository.mark_features(s, imp["id"], 1, None)
        s.commit()
    url = f"/api/projects/{pid}/impulses/{imp['id']}"
    renamed = p["editor"].patch(url, json={"version": 1, "name": "renamed"}).json()
    assert renamed["name"] == "renamed" and renamed["version"] == 2 and not renamed["features_stale"]
    cfg = _impulse(motion)
    cfg["input"]["window_increase_ms"] = 1000
    changed = p["editor"].patch(url, json={"version": 2, "config": cfg}).json()
    assert changed["version"] == 3 and changed["features_stale"]


def test_test_job_without_a_trained_model_is_a_conflict_and_preview_of_a_foreign_sample_is_404(make_project, motion):
    pid, p = make_project()
    imp = _create(p["editor"], pid, _impulse(motion)).json()
    r = p["editor"].post(f"/api/projects/{pid}/impulses/{imp['id']}/test")
    assert r.status_code == 409 and "train it first" in r.json()["detail"]
    other_pid, _ = make_project()
    foreign = motion.add_sample(other_pid, "idle", motion.motion("idle", seconds=3))
    r = p["viewer"].post(f"/api/projects/{pid}/impulses/{imp['id']}/preview", json={"sample_id": foreign})
    assert r.status_code == 404
    r = p["viewer"].post(f"/api/projects/{pid}/impulses/{imp['id']}/preview", json={"values": [[1, 2, 3]]})
    assert r.status_code == 422 and "interval_ms" in r.json()["detail"]
    r = p["viewer"].post(f"/api/projects/{pid}/impulses/{imp['id']}/classify", json={"sample_id": foreign})
    assert r.status_code == 404


def test_an_edit_without_the_version_it_starts_from_is_refused(make_project, motion):
    pid, p = make_project()
    imp = _create(p["editor"], pid, _impulse(motion)).json()
    r = p["editor"].patch(f"/api/projects/{pid}/impulses/{imp['id']}", json={"config": imp["config"]})
    assert r.status_code == 422 and "version" in r.text


def test_a_save_is_announced_with_its_version_and_who_saved_it(make_project, motion):
    import json

    import redis

    from backend.core.config import get_settings
    from backend.core.events import _prefix, project_channel

    pid, p = make_project()
    imp = _create(p["editor"], pid, _impulse(motion)).json()
    pubsub = redis.Redis.from_url(get_settings().resolved_redis_url).pubsub()
    pubsub.subscribe(_prefix() + project_channel(pid))
    pubsub.get_message(timeout=2)
    cfg = _impulse(motion)
    cfg["input"]["window_size_ms"] = 1500
    assert (
        p["admin"].patch(f"/api/projects/{pid}/impulses/{imp['id']}", json={"version": 1, "config": cfg}).status_code
        == 200
    )
    seen = None
    for _ in range(20):
        msg = pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
        if msg and json.loads(msg["data"]).get("type") == "impulse":
            seen = json.loads(msg["data"])
            break
    pubsub.close()
    assert seen == {
        "type": "impulse",
        "action": "updated",
        "impulse_id": imp["id"],
        "version": 2,
        "by": p["admin"].username,
    }


KEYWORD_IMPULSE = {
    "input": {
        "axes": ["audio"],
        "window_size_ms": 1000,
        "window_increase_ms": 500,
        "frequency_hz": 16000,
        "zero_pad": True,
    },
    "processing": [{"id": "mfcc", "type": "mfcc", "params": {}}],
    "learning": [{"id": "classifier", "type": "keras-classifier", "inputs": ["mfcc"], "params": {}}],
}


def test_audio_blocks_are_listed_and_give_edge_impulse_shapes(make_project, client):
    body = client.get("/api/blocks").json()
    listed = {b["id"]: b for b in body["processing"]}
    assert {"mfcc", "mfe", "spectrogram"} <= set(listed)
    mfcc = {p["name"]: p["default"] for p in listed["mfcc"]["params"]}
    assert mfcc["num_cepstral"] == 13 and mfcc["num_filters"] == 32 and mfcc["frame_stride"] == 0.02
    pid, p = make_project()
    shapes = {}
    for block, params in [("mfcc", {}), ("mfe", {}), ("spectrogram", {}), ("mfcc", {"frame_stride": 0.01})]:
        cfg = copy.deepcopy(KEYWORD_IMPULSE)
        cfg["processing"][0].update(type=block, params=params)
        r = _create(p["editor"], pid, cfg, name=f"{block} {len(shapes)}")
        assert r.status_code == 201, r.text
        shapes[(block, len(params))] = r.json()["config"]["processing"][0]["features"]
    # frames x coefficients: 50 x 13, 99 x 40, 99 x 65, 99 x 13
    assert shapes == {("mfcc", 0): 650, ("mfe", 0): 3960, ("spectrogram", 0): 6435, ("mfcc", 1): 1287}


AUDIO_BAD_PARAMS = [
    ({"win_size": 100}, "processing[0].params.win_size"),
    ({"frame_stride": 0.001}, "processing[0].params.frame_stride"),
    ({"frame_length": 2.0}, "processing[0].params.frame_length"),
    ({"num_filters": 200}, "processing[0].params.num_filters"),
    ({"num_cepstral": 40}, "processing[0].params.num_cepstral"),
    ({"high_frequency": 9000}, "processing[0].params.high_frequency"),
    ({"fft_length": 300}, "processing[0].params.fft_length"),
]


def test_bad_audio_parameters_answer_422_naming_the_field(make_project):
    pid, p = make_project()
    wrong = []
    for params, field in AUDIO_BAD_PARAMS:
        cfg = copy.deepcopy(KEYWORD_IMPULSE)
        cfg["processing"][0]["params"] = params
        r = _create(p["editor"], pid, cfg)
        if r.status_code != 422 or not r.json()["detail"].startswith(field + ":"):
            wrong.append((field, r.status_code, r.text))
    assert not wrong
    stereo = copy.deepcopy(KEYWORD_IMPULSE)
    stereo["input"]["axes"] = ["left", "right"]
    r = _create(p["editor"], pid, stereo)
    assert r.status_code == 422 and r.json()["detail"].startswith("processing[0].axes: mfcc processes one axis")
    stereo["processing"][0]["axes"] = ["right"]
    assert _create(p["editor"], pid, stereo).json()["config"]["processing"][0]["features"] == 650


def test_new_impulses_get_spectral_v2_and_v1_is_chosen_by_version(make_project, motion):
    pid, p = make_project()
    cfg = _impulse(motion)
    del cfg["processing"][0]["version"]
    default = _create(p["editor"], pid, cfg, name="default").json()["config"]["processing"][0]
    cfg["processing"][0]["version"] = 1
    r = _create(p["editor"], pid, cfg, name="averaged bins")
    assert r.status_code == 201, r.text
    v1 = r.json()["config"]["processing"][0]
    assert default["version"] == 2 and v1["version"] == 1
    assert default["features"] == v1["features"] + 3 * 2  # spectral skewness and kurtosis per axis
