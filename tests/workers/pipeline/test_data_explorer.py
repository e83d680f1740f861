"""The data explorer's numbers on synthetic gestures: the 2-D maps keep the classes apart, and
label suggestions find the hidden labels of unlabeled samples."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from backend.impulse.validation import validate_config
from workers.pipeline.explorer import explore, resolve_method
from workers.pipeline.features import SampleInfo, generate_features
from workers.pipeline.impulse import ImpulseRuntime
from workers.pipeline.label_suggestions import suggest_labels

MOTION_DATA = Path(__file__).resolve().parents[2] / "backend" / "impulse" / "motion_data.py"


@pytest.fixture(scope="module")
def gestures():
    """Features of 6 short recordings per gesture, 2 of each stored unlabeled; and the hidden labels."""
    spec = importlib.util.spec_from_file_location("explorer_motion_data", MOTION_DATA)
    m = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(m)
    samples, values, hidden = [], {}, {}
    for label in m.LABELS:
        for k in range(6):
            sid = len(samples) + 1
            values[sid] = m.motion(label, 6, seed=sid)
            if k < 2:
                hidden[sid] = label
            category = "training" if k % 3 else "testing"
            samples.append(SampleInfo(sid, "" if k < 2 else label, category, 1000 / m.HZ, len(values[sid]), m.AXES))
    rt = ImpulseRuntime(validate_config(m.IMPULSE))
    fs = generate_features(samples, lambda ids: {i: values[i] for i in ids}, rt)
    return fs, hidden


def _nearest_centroid_accuracy(points: np.ndarray, truth: np.ndarray) -> float:
    names = sorted(set(truth.tolist()))
    centroids = np.stack([points[truth == n].mean(axis=0) for n in names])
    nearest = np.argmin(((points[:, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
    return float((np.array(names)[nearest] == truth).mean())


@pytest.mark.parametrize("method", ["pca", "tsne"])
def test_two_d_map_keeps_gestures_apart(gestures, method):
    fs, hidden = gestures
    out = explore(fs, method)
    assert out["method"] == method and out["shown"] == out["windows"] == len(fs.features)
    points = np.array(out["embedding2d"] if method == "tsne" else out["points2d"])
    truth = np.array(
        [hidden.get(s) or fs.labels[i] for s, i in zip(out["sample_ids"], out["label_index"], strict=True)]
    )
    # Four gestures: chance is 0.25. Unlabeled windows count with their hidden label.
    accuracy = _nearest_centroid_accuracy(points, truth)
    print(f"{method}: nearest-centroid accuracy in 2-D {accuracy:.3f}")
    assert accuracy >= 0.8
    assert (np.array(out["label_index"]) == -1).sum() == sum(len(fs.sample_ids[fs.sample_ids == s]) for s in hidden)


def test_suggestions_recover_most_hidden_labels(gestures):
    fs, hidden = gestures
    out = explore(fs, "pca")["suggestions"]
    assert out["unlabeled_samples"] == len(hidden)
    proposed = {s: g["label"] for g in out["groups"] for s in g["sample_ids"]}
    assert set(proposed) == set(hidden)
    right = sum(proposed[s] == hidden[s] for s in hidden)
    assert right >= 0.8 * len(hidden)
    for g in out["groups"]:
        assert 0 < g["confidence"] <= 1 and len(g["sample_confidences"]) == len(g["sample_ids"])
        assert g["windows"] == sum(int((fs.sample_ids == s).sum()) for s in g["sample_ids"])


def test_no_labeled_windows_gives_no_suggestions():
    z = np.random.default_rng(0).normal(size=(20, 4))
    out = suggest_labels(z, np.full(20, -1), [], np.repeat(np.arange(4), 5))
    assert out == {"unlabeled_samples": 4, "neighbours": 0, "groups": []}


def test_auto_uses_tsne_only_with_enough_windows():
    assert resolve_method("auto", 49) == "pca" and resolve_method("auto", 50) == "tsne"
    assert resolve_method("tsne", 10) == "pca" and resolve_method("pca", 5000) == "pca"
    with pytest.raises(ValueError, match="unknown method 'umap'"):
        resolve_method("umap", 100)
