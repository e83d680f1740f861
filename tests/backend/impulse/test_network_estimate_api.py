"""The network editor's estimate: shapes, parameters and on-device cost before training, the
same validation as saving (422 naming the layer and field), and access like the impulse's."""

import copy

import pytest

pytestmark = pytest.mark.services

DENSE = [{"type": "dense", "units": 20}, {"type": "dense", "units": 10}]
CONV = [
    {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 1},
    {"type": "max_pool", "pool_size": 2},
    {"type": "flatten"},
    {"type": "dense", "units": 8},
]


def _raw_impulse(motion):
    cfg = copy.deepcopy(motion.IMPULSE)
    cfg["processing"] = [{"id": "raw", "type": "raw"}]
    cfg["learning"] = [{"id": "nn", "type": "keras-classifier", "params": {"architecture": DENSE}}]
    return cfg


def _impulse(api, pid, cfg):
    r = api.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": cfg})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _estimate(api, pid, iid, architecture, **extra):
    return api.post(
        f"/api/projects/{pid}/impulses/{iid}/network-estimate", json={"architecture": architecture, **extra}
    )


def test_estimate_gives_shapes_parameters_and_device_cost_including_the_dsp(make_project, motion, interactive_worker):
    pid, p = make_project()
    for label in motion.LABELS[:3]:
        motion.add_sample(pid, label, motion.motion(label, seconds=3))
    iid = _impulse(p["editor"], pid, _raw_impulse(motion))
    r = _estimate(p["viewer"], pid, iid, CONV)
    assert r.status_code == 200, r.text
    est = r.json()
    # 2 s at 62.5 Hz: 125 rows of 3 axes; conv keeps 125 ('same'), pooling 2 leaves 62
    assert est["input_features"] == 375 and est["outputs"] == 3
    assert [(x["type"], x["output_shape"]) for x in est["layers"]] == [
        ("conv1d", [125, 8]),
        ("max_pool", [62, 8]),
        ("flatten", [496]),
        ("dense", [8]),
        ("output", [3]),
    ]
    assert [x["parameters"] for x in est["layers"]] == [3 * 3 * 8 + 8, 0, 0, 496 * 8 + 8, 8 * 3 + 3]
    assert est["parameters"] == sum(x["parameters"] for x in est["layers"])
    assert est["dsp"] is not None and est["dsp"]["instructions"] > 0, est["note"]
    total, nn = est["total"], est["network"]
    assert total["instructions"] == est["dsp"]["instructions"] + nn["instructions"]
    assert total["ram_bytes"] > nn["ram_bytes"] > 375 and total["flash_bytes"] > nn["flash_bytes"] > 4000
    assert est["board_id"] == "arduino-nano-33-ble-sense" and est["fits"] == {"ram": True, "flash": True}
    # a wider network costs more, and a slower board takes longer for the same work
    wider = copy.deepcopy(CONV)
    wider[0]["filters"] = 32
    bigger = _estimate(p["viewer"], pid, iid, wider).json()
    assert bigger["parameters"] > est["parameters"]
    assert bigger["network"]["instructions"] > nn["instructions"]
    assert bigger["network"]["flash_bytes"] > nn["flash_bytes"]
    pico = _estimate(p["viewer"], pid, iid, CONV, board_id="raspberry-pi-pico").json()
    assert pico["parameters"] == est["parameters"] and pico["network"]["latency_ms"] > nn["latency_ms"]


@pytest.mark.parametrize(
    "architecture, field, words",
    [
        (
            [
                {"type": "conv1d", "filters": 8, "pool": 16},
                {"type": "conv1d", "filters": 4, "kernel_size": 9},
                {"type": "flatten"},
            ],
            "architecture[1].kernel_size",
            "larger than the 8 rows",
        ),
        (
            [{"type": "conv1d", "filters": 8, "pool": 16}, {"type": "max_pool", "pool_size": 16}, {"type": "flatten"}],
            "architecture[1].pool_size",
            "leaves nothing",
        ),
        ([{"type": "conv1d", "filters": 8}, {"type": "dense", "units": 4}], "architecture[1].type", "flatten"),
        (
            [{"type": "reshape", "columns": 7}, {"type": "conv1d", "filters": 8}, {"type": "flatten"}],
            "architecture[0].columns",
            "divide",
        ),
        ([{"type": "dense", "units": 0}], "architecture[0].units", "at least 1"),
    ],
)
def test_an_invalid_network_answers_422_naming_the_layer_and_field(make_project, motion, architecture, field, words):
    pid, p = make_project()
    iid = _impulse(p["editor"], pid, _raw_impulse(motion))
    r = _estimate(p["viewer"], pid, iid, architecture)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail.startswith(f"{field}:") and words in detail
    # saving the same network is refused with the same words
    imp = p["editor"].get(f"/api/projects/{pid}/impulses/{iid}").json()
    cfg = imp["config"]
    cfg["learning"][0]["params"]["architecture"] = architecture
    saved = p["editor"].patch(f"/api/projects/{pid}/impulses/{iid}", json={"version": imp["version"], "config": cfg})
    assert saved.status_code == 422 and words in saved.json()["detail"]


def test_estimate_of_another_projects_impulse_is_404_and_an_unknown_board_422(make_project, motion):
    pid, p = make_project()
    iid = _impulse(p["editor"], pid, _raw_impulse(motion))
    other_pid, other = make_project()
    assert _estimate(other["owner"], other_pid, iid, DENSE).status_code == 404
    assert _estimate(other["owner"], pid, iid, DENSE).status_code == 404
    r = _estimate(p["viewer"], pid, iid, DENSE, board_id="a-toaster")
    assert r.status_code == 422 and r.json()["detail"].startswith("board_id:")
