"""network.trace (pure Python, used by the API before training) against the Keras model the
trainer builds from the same spec: every layer's output shape and parameter count."""

from __future__ import annotations

import pytest

from backend.blocks.network import trace, validate_architecture
from workers.learn.models import build_model

NETWORKS = {
    "dense": (
        [{"type": "dense", "units": 20}, {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 10}],
        33,
        None,
    ),
    "conv1d with pooling layers": (
        [
            {"type": "reshape", "columns": 0},
            {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 1},
            {"type": "max_pool", "pool_size": 2},
            {"type": "conv1d", "filters": 16, "kernel_size": 5, "stride": 2, "activation": "relu6", "pool": 1},
            {"type": "avg_pool", "pool_size": 3, "stride": 2},
            {"type": "dropout", "rate": 0.25},
            {"type": "flatten"},
            {"type": "dense", "units": 12, "activation": "none"},
        ],
        650,
        13,
    ),
    "conv1d with built-in pooling (the keyword preset)": (
        [
            {"type": "reshape", "columns": 0},
            {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 2, "dropout": 0.25},
            {"type": "conv1d", "filters": 16, "kernel_size": 3, "pool": 2, "dropout": 0.25},
            {"type": "flatten"},
        ],
        637,
        13,
    ),
    "conv2d on a raw window": (
        [
            {"type": "conv2d", "filters": 4, "kernel_size": 3, "pool": 1},
            {"type": "max_pool", "pool_size": 2, "stride": 1},
            {"type": "conv2d", "filters": 6, "kernel_size": 2, "stride": 2, "pool": 1},
            {"type": "avg_pool", "pool_size": 2},
            {"type": "flatten"},
            {"type": "dense", "units": 8},
        ],
        375,
        5,
    ),
}


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_shapes_and_parameter_counts_match_the_keras_model(name):
    spec, features, columns = NETWORKS[name]
    layers = validate_architecture(spec)
    traced = trace(layers, features, columns, n_outputs=4)
    assert not any(t.error for t in traced)
    model = build_model(spec, features, 4, axes=columns)
    by_name = {layer.name: layer for layer in model.layers}
    for t in traced:
        if t.index is None:
            keras_layers = [by_name["output"]]
        else:
            kind = spec[t.index]["type"]
            prefix = {"reshape": "window", "max_pool": "max_pool_", "avg_pool": "avg_pool_"}.get(kind, f"{kind}_")
            keras_layers = [
                layer
                for n, layer in by_name.items()
                if (n == "window" if kind == "reshape" else n == f"{prefix.rstrip('_')}_{t.index}")
                or n == f"pool_{t.index}"
            ]
        assert keras_layers, f"no Keras layer for {t.type} {t.index}"
        last = keras_layers[-1]
        assert tuple(last.output.shape[1:]) == t.output_shape, f"{t.type} {t.index}"
        assert sum(layer.count_params() for layer in keras_layers) == t.params, f"{t.type} {t.index}"
    assert sum(t.params for t in traced) == model.count_params()
