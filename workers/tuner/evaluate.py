"""One tuner candidate, end to end: features for its DSP, training, float32 + int8 models,
accuracy on the project's test split, and its on-device cost from the generated C library.

No SQL here beyond the sample loading of workers.pipeline.project_data; the task stores the outcome.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from workers.pipeline.features import CATEGORY_CODES, FeatureSet, generate_features, usable_samples
from workers.pipeline.impulse import ImpulseRuntime
from workers.pipeline.inference import TrainedImpulseModel
from workers.pipeline.project_data import list_samples, values_loader


def with_epochs(config: dict[str, Any], epochs: int) -> dict[str, Any]:
    out = copy.deepcopy(config)
    for block in out["learning"]:
        if block["type"] in ("keras-classifier", "keras-regression"):
            block["params"]["epochs"] = int(epochs)
    return out


def _test_accuracy(fs: FeatureSet, result: dict[str, Any], model: bytes | None, variant: str) -> float | None:
    """Window accuracy of the classifier on the test split (argmax, no uncertainty threshold)."""
    rows = np.flatnonzero((fs.categories == CATEGORY_CODES["testing"]) & (fs.label_index >= 0))
    if model is None or len(rows) == 0:
        return None
    trained = TrainedImpulseModel.from_training(result, model, None, variant)
    outputs, _ = trained.run(fs.features[rows])
    predicted = np.asarray(trained.labels)[np.argmax(outputs, axis=1)]
    actual = np.asarray(fs.labels)[fs.label_index[rows]]
    return float(np.mean(predicted == actual))


def cost(result: dict[str, Any], models: dict[str, bytes], constraints: dict[str, Any] | None = None) -> dict[str, Any]:
    """int8 flash, RAM, instructions and latency of the generated library (workers/codegen/estimate.py).
    With a board in the constraints, latency is the instructions x its cycles per instruction / its
    clock (backend/blocks/boards.py); otherwise the cost model's Cortex-M4F at 80 MHz."""
    from workers.codegen.library import LibraryInputError
    from workers.codegen.library.targets import estimates_for_training

    try:
        total = estimates_for_training(result, {"int8": models["int8"]}, None, "tuner")["int8"]["total"]
    except (LibraryInputError, ValueError, KeyError) as exc:  # CodegenError is a ValueError
        return {"error": f"no on-device estimate: {exc}"}
    latency = total["latency_ms"]
    c = constraints or {}
    if c.get("clock_mhz") and c.get("cycles_per_instruction"):
        latency = round(total["instructions"] * c["cycles_per_instruction"] / (c["clock_mhz"] * 1e6) * 1e3, 3)
    return {
        "ram_bytes": total["ram_bytes"],
        "flash_bytes": total["flash_bytes"],
        "instructions": total["instructions"],
        "latency_ms": latency,
    }


def fits(measured: dict[str, Any], constraints: dict[str, Any]) -> bool | None:
    """Within the RAM/flash/latency limits (None: no limits, or nothing to compare)."""
    checks = [("ram_kb", "ram_bytes", 1024), ("flash_kb", "flash_bytes", 1024), ("latency_ms", "latency_ms", 1)]
    asked = [(limit, key, unit) for limit, key, unit in checks if constraints.get(limit) is not None]
    if not asked:
        return None
    if any(measured.get(key) is None for _, key, _ in asked):
        return False
    return all(measured[key] <= constraints[limit] * unit for limit, key, unit in asked)


def evaluate_candidate(
    maker,
    project_id: int,
    config: dict[str, Any],
    epochs: int,
    constraints: dict[str, Any],
    *,
    should_stop: Callable[[], bool] | None = None,
    log: Callable[[str], None] = print,
    continue_from: bytes | None = None,
) -> tuple[dict[str, Any], bytes | None]:
    """The candidate's measured values (epochs_done, accuracy_float, accuracy_int8, ram_bytes,
    flash_bytes, instructions, latency_ms, fits, and error when the cost cannot be estimated) and
    its network's weights (.npz) for a later round.

    continue_from: the weights an earlier round left; training then goes on from them for `epochs`
    more epochs instead of starting again (successive halving's later rounds)."""
    from workers.learn.train import weights_from_bytes
    from workers.pipeline.training import train_impulse

    config = with_epochs(config, epochs)
    runtime = ImpulseRuntime(config)
    samples, skipped = usable_samples(list_samples(maker, project_id, ("training", "testing"), False), runtime)
    if skipped:
        log(f"skipped {len(skipped)} samples (e.g. {skipped[0]})")
    fs = generate_features(samples, values_loader(maker, samples), runtime)
    log(f"{len(fs.features)} windows x {runtime.n_features} features")
    initial = weights_from_bytes(continue_from) if continue_from else None
    if initial is not None:
        log(f"continuing from the previous round's weights for {epochs} more epochs")
    trained = train_impulse(fs, runtime, should_stop=should_stop, log=log, initial_weights=initial, keep_weights=True)
    result = {**trained.result, "impulse": config}
    files = {kind: data for kind, _n, data, _t in trained.files}
    models = {kind.rsplit(".", 1)[1]: data for kind, data in files.items() if kind.startswith("model.tflite.")}
    out: dict[str, Any] = {
        "epochs_done": len(trained.result.get("history") or []),
        "accuracy_float": _test_accuracy(fs, result, models.get("float32"), "float32"),
        "accuracy_int8": _test_accuracy(fs, result, models.get("int8"), "int8"),
    }
    measured = cost(result, models, constraints)
    out.update(measured)
    out["fits"] = fits(measured, constraints)
    return out, files.get("keras.weights")
