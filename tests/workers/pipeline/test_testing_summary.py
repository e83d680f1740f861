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
