"""The test summary recomputed from stored per-window scores (the definition the studio shares)."""

import importlib.util
import json
from pathlib import Path

import pytest

from workers.pipeline.testing_summary import summarize, window_decision

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "testing"


@pytest.mark.parametrize(
    "scores, threshold, anomaly, anomaly_threshold, expected",
    [
        ([0.1, 0.7, 0.2], 0.6, None, None, "b"),
        ([0.2, 0.6, 0.2], 0.6, None, None, "b"),  # at the threshold counts as sure
        ([0.3, 0.4, 0.3], 0.6, None, None, "uncertain"),
        ([0.5, 0.5, 0.0], 0.0, None, None, "a"),  # a tie goes to the first label
        ([0.1, 0.9, 0.0], 0.6, 0.5, 0.3, "anomaly"),
        ([0.1, 0.9, 0.0], 0.6, 0.3, 0.3, "b"),  # not above the anomaly threshold
        ([0.1, 0.9, 0.0], 0.6, 0.9, None, "b"),  # no anomaly threshold: scores ignored
    ],
)
def test_a_window_is_decided_by_its_top_score_then_its_anomaly_score(
    scores, threshold, anomaly, anomaly_threshold, expected
):
    assert window_decision(scores, ["a", "b", "c"], threshold, anomaly, anomaly_threshold) == expected


def test_summary_counts_uncertain_and_anomalous_windows_as_wrong_and_leaves_out_unknown_labels():
    windows = {
        "label": ["a", "a", "b", "b", "other"],
        "anomaly": [0.0, 0.0, 0.0, 0.8, 0.0],
        "scores": {"int8": [[0.9, 0.1], [0.55, 0.45], [0.2, 0.8], [0.1, 0.9], [0.9, 0.1]]},
    }
    plain = summarize(windows, "int8", ["a", "b"], 0.6)
    assert plain["windows"] == 4 and plain["accuracy"] == 0.75 and plain["uncertain"] == 0.25
    assert plain["confusion_matrix"]["matrix"] == [[1, 0, 1], [0, 2, 0]]
    assert "anomalous" not in plain
    flagged = summarize(windows, "int8", ["a", "b"], 0.6, anomaly_threshold=0.5)
    assert flagged["confusion_matrix"]["columns"] == ["a", "b", "uncertain", "anomaly"]
    assert flagged["confusion_matrix"]["matrix"] == [[1, 0, 1, 0], [0, 1, 0, 1]]
    assert flagged["accuracy"] == 0.5 and flagged["anomalous"] == 0.25
    assert flagged["per_class"]["b"] == {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}


def test_the_golden_cases_the_studio_is_checked_against_are_what_the_script_writes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_summary_cases", GOLDEN / "make_summary_cases.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "HERE", tmp_path)
    script.main()
    assert json.loads((tmp_path / "summary_cases.json").read_text()) == json.loads(
        (GOLDEN / "summary_cases.json").read_text()
    )


def test_a_test_run_of_an_anomaly_only_impulse_keeps_each_windows_anomaly_score():
    import numpy as np

    from backend.impulse.validation import validate_config
    from workers.learn.anomaly import fit_kmeans
    from workers.pipeline.features import SampleInfo, generate_features
    from workers.pipeline.impulse import ImpulseRuntime
    from workers.pipeline.inference import TrainedImpulseModel
    from workers.pipeline.testing import run_test_set

    config = validate_config(
        {
            "input": {"axes": ["x"], "window_size_ms": 1000, "window_increase_ms": 500, "frequency_hz": 50},
            "processing": [{"id": "raw", "type": "flatten"}],
            "learning": [{"type": "kmeans-anomaly", "inputs": ["raw"]}],
        }
    )
    rt = ImpulseRuntime(config)
    rng = np.random.default_rng(3)
    values = {i: rng.normal(size=(150, 1)).astype(np.float32) * (1 + 4 * (i == 3)) for i in range(4)}
    samples = [SampleInfo(i, "normal", "testing" if i >= 2 else "training", 20.0, 150, ["x"]) for i in range(4)]
    load = lambda ids: {i: values[i] for i in ids}  # noqa: E731
    train = generate_features(samples[:2], load, rt)
    model = TrainedImpulseModel(rt, [], None, None, None, fit_kmeans(train.features, k=2))
    result = run_test_set(samples[2:], load, model)
    pw = result["per_window"]
    assert "scores" not in pw and "summary" not in result
    assert pw["sample_id"] == [w["sample_id"] for w in result["windows"]] and len(pw["sample_id"]) == 10
    assert pw["anomaly"] == [round(w["anomaly"], 6) for w in result["windows"]]
    loud = [a for a, s in zip(pw["anomaly"], pw["sample_id"], strict=True) if s == 3]
    assert min(loud) > max(a for a, s in zip(pw["anomaly"], pw["sample_id"], strict=True) if s == 2)
