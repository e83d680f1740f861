"""The API's price of a network being edited (backend/blocks/network_cost.py, from network.trace)
against the workers' price of the same network trained and converted to int8 (from its .tflite
graph and the C generator): the same instructions, weights and activation arena."""

from __future__ import annotations

import numpy as np
import pytest

from backend.blocks.network import trace, validate_architecture
from backend.blocks.network_cost import NN_CODE_BYTES, estimate_network
from workers.codegen.estimate import estimate_library
from workers.codegen.nn import generate_model_c
from workers.learn.models import build_model
from workers.optimize.convert import to_tflite_int8

NETWORKS = {
    "dense (the motion default)": ([{"type": "dense", "units": 20}, {"type": "dense", "units": 10}], 33, None),
    "conv1d with pooling layers and stride": (
        [
            {"type": "conv1d", "filters": 4, "kernel_size": 3, "stride": 4, "pool": 1},
            {"type": "max_pool", "pool_size": 2},
            {"type": "dropout", "rate": 0.2},
            {"type": "flatten"},
            {"type": "dense", "units": 16},
        ],
        375,
        3,
    ),
    "conv1d keyword preset (built-in pooling)": (
        [
            {"type": "reshape", "columns": 0},
            {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 2},
            {"type": "conv1d", "filters": 16, "kernel_size": 3, "pool": 2},
            {"type": "flatten"},
        ],
        650,
        13,
    ),
    "conv2d with average pooling": (
        [
            {"type": "conv2d", "filters": 4, "kernel_size": 3, "pool": 1, "activation": "relu6"},
            {"type": "avg_pool", "pool_size": 2},
            {"type": "flatten"},
        ],
        240,
        8,
    ),
}


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_estimate_before_training_equals_the_estimate_of_the_converted_model(name):
    spec, features, columns = NETWORKS[name]
    classes = 3
    model = build_model(spec, features, classes, axes=columns)
    rows = np.random.default_rng(0).normal(size=(40, features)).astype(np.float32)
    tflite = to_tflite_int8(model, rows)
    generated = generate_model_c(tflite)
    weights = generated.weights_bytes + 8 * features  # + the features' mean and deviation
    worker = estimate_library([], 0, tflite, "int8", weights, None, 0)["nn"]
    before = estimate_network(
        trace(validate_architecture(spec), features, columns, n_outputs=classes), features, classes
    )
    assert before["instructions"] == worker["instructions"]
    assert before["flash_bytes"] == worker["flash_bytes"] == NN_CODE_BYTES["nn_int8"] + weights
    assert before["arena_bytes"] == generated.arena_size
