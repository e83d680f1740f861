"""The diff's rules on plain data: JSON paths of impulse changes, capped id lists, added and
removed impulses, figures that appear or change."""

from __future__ import annotations

from backend.version import diff


def _entry(impulse_id, config, accuracy=None, ram=None, name="motion", version=1):
    training = None
    if accuracy is not None:
        training = {
            "job_id": 1,
            "result": {
                "metrics": {"int8": {"accuracy": accuracy}},
                "estimates": {"int8": {"total": {"ram_bytes": ram}}},
            },
            "artifacts": [],
        }
    return {
        "id": impulse_id,
        "name": name,
        "version": version,
        "config": config,
        "training": training,
        "deployments": [],
    }


def test_impulse_field_changes_are_listed_by_path_with_before_and_after():
    before = {
        "input": {"window_size_ms": 2000, "axes": ["x", "y"]},
        "processing": [{"id": "spectral", "params": {"fft_length": 64}}],
    }
    after = {
        "input": {"window_size_ms": 1000, "axes": ["x", "y", "z"]},
        "processing": [{"id": "spectral", "params": {"fft_length": 128, "log": True}}],
    }
    (change,) = diff.impulse_changes([_entry(1, before, 0.8, 4000)], [_entry(1, after, 0.9, 3000, version=2)])
    fields = {f.path: (f.before, f.after) for f in change.fields}
    assert fields == {
        "version": (1, 2),
        "config.input.window_size_ms": (2000, 1000),
        "config.input.axes": (["x", "y"], ["x", "y", "z"]),
        "config.processing.0.params.fft_length": (64, 128),
        "config.processing.0.params.log": (None, True),
    }
    assert (change.change, change.accuracy_before, change.accuracy_after) == ("changed", 0.8, 0.9)
    assert {f.path: (f.before, f.after) for f in change.figures} == {
        "estimates.int8.total.ram_bytes": (4000.0, 3000.0),
        "metrics.int8.accuracy": (0.8, 0.9),
    }


def test_added_and_removed_impulses_and_an_unchanged_one():
    kept = _entry(1, {"a": 1}, 0.5, 10)
    changes = diff.impulse_changes([kept, _entry(2, {"b": 1}, name="old")], [kept, _entry(3, {"c": 1}, name="new")])
    assert [(c.impulse_id, c.name, c.change) for c in changes] == [
        (1, "motion", "unchanged"),
        (2, "old", "removed"),
        (3, "new", "added"),
    ]
    assert changes[0].fields == [] and changes[0].figures == []


def test_sample_changes_count_everything_and_list_the_first_ids():
    before = {i: ("idle", "training", True, "h") for i in range(1, 301)}
    after = {i: ("wave", "training", True, "h") for i in range(151, 451)}
    changes = diff.sample_changes(before, after)
    assert (changes.added.count, changes.removed.count, changes.relabeled.count) == (150, 150, 150)
    assert changes.added.ids == list(range(301, 401)) and len(changes.removed.ids) == diff.MAX_IDS
    assert changes.moved.count == changes.enabled_changed.count == changes.values_changed.count == 0
