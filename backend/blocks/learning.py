"""Learning blocks: the parameters of training, declared once for the API, the UI and the workers.

Pure Python (no numpy): the API imports this module to validate impulse configurations.

Validation context (what the learning block receives from the processing blocks before it):
  input: "features" (a feature vector, e.g. spectral analysis) or "raw" (a flat time series
         window [samples * axes], e.g. the raw block)
  axes: the axes of a raw window, as names (like the processing blocks' context) or a count
  features: length of the flat input vector
Missing keys are not checked, so a partial context (or none) validates what it can.
"""

from __future__ import annotations

from typing import Any

from backend.blocks.params import BlockParamError, BlockSpec, Param

LAYER_TYPES = ("dense", "conv1d", "flatten")
MAX_LAYERS = 16

# Per layer type: allowed keys with (kind, default, min, max). Kind "int" or "float".
_LAYER_FIELDS: dict[str, dict[str, tuple[str, Any, float, float]]] = {
    "dense": {"units": ("int", None, 1, 1024), "dropout": ("float", 0.0, 0.0, 0.9)},
    "conv1d": {
        "filters": ("int", None, 1, 256),
        "kernel_size": ("int", 3, 1, 64),
        "pool": ("int", 2, 1, 16),  # max-pool size and stride after the conv; 1 = no pooling
        "dropout": ("float", 0.0, 0.0, 0.9),
    },
    "flatten": {},
}


def _layer_number(where: str, name: str, value: Any, kind: str, lo: float, hi: float) -> int | float:
    field = f"{where}.{name}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BlockParamError(field, f"must be a number, got {value!r}")
    if kind == "int":
        if float(value) != int(value):
            raise BlockParamError(field, f"must be a whole number, got {value!r}")
        value = int(value)
    else:
        value = float(value)
        if value != value:
            raise BlockParamError(field, "must be a finite number")
    if value < lo:
        raise BlockParamError(field, f"must be at least {lo:g}, got {value}")
    if value > hi:
        raise BlockParamError(field, f"must be at most {hi:g}, got {value}")
    return value


def validate_architecture(value: Any, where: str = "architecture") -> list[dict[str, Any]]:
    """Normalise a list of layer dicts (fill per-layer defaults) or raise BlockParamError.

    Order rules: conv1d layers come first, then one flatten, then dense layers. The output layer
    (softmax or linear) is not listed: the trainer adds it.
    """
    if not isinstance(value, (list, tuple)):
        raise BlockParamError(where, "must be a list of layers")
    if len(value) > MAX_LAYERS:
        raise BlockParamError(where, f"must have at most {MAX_LAYERS} layers, got {len(value)}")
    out: list[dict[str, Any]] = []
    stage = "conv"  # conv -> (flatten) -> dense
    for i, layer in enumerate(value):
        here = f"{where}[{i}]"
        if not isinstance(layer, dict):
            raise BlockParamError(here, "must be an object with a 'type'")
        kind = layer.get("type")
        if kind not in LAYER_TYPES:
            raise BlockParamError(f"{here}.type", f"must be one of {', '.join(LAYER_TYPES)}, got {kind!r}")
        fields = _LAYER_FIELDS[kind]
        unknown = sorted(set(layer) - set(fields) - {"type"})
        if unknown:
            raise BlockParamError(f"{here}.{unknown[0]}", f"is not a setting of a {kind} layer")
        norm: dict[str, Any] = {"type": kind}
        for name, (num_kind, default, lo, hi) in fields.items():
            if name in layer:
                norm[name] = _layer_number(here, name, layer[name], num_kind, lo, hi)
            elif default is None:
                raise BlockParamError(f"{here}.{name}", f"is required for a {kind} layer")
            else:
                norm[name] = default
        if kind == "conv1d" and stage != "conv":
            raise BlockParamError(f"{here}.type", "conv1d layers must come before flatten and dense layers")
        if kind == "flatten":
            if stage != "conv" or not any(layer["type"] == "conv1d" for layer in out):
                raise BlockParamError(f"{here}.type", "flatten belongs right after the conv1d layers")
            stage = "flat"
        if kind == "dense":
            if stage == "conv" and out:
                raise BlockParamError(f"{here}.type", "add a flatten layer between conv1d and dense layers")
            stage = "dense"
        out.append(norm)
    if out and out[-1]["type"] == "conv1d":
        raise BlockParamError(f"{where}[{len(out) - 1}]", "end the conv1d stack with a flatten layer")
    return out


def _check_architecture_fits_input(params: dict[str, Any], context: dict[str, Any]) -> None:
    layers = params["architecture"]
    convs = [i for i, layer in enumerate(layers) if layer["type"] == "conv1d"]
    if not convs:
        return
    first = f"architecture[{convs[0]}].type"
    if context.get("input") == "features":
        raise BlockParamError(
            first,
            "conv1d layers need raw time-series windows; this impulse feeds a "
            "feature vector: use dense layers, or a raw processing block",
        )
    axes, n = context.get("axes"), context.get("features")
    if isinstance(axes, (list, tuple)):
        axes = len(axes)
    if axes is None or n is None:
        return
    if axes < 1 or n % axes:
        raise BlockParamError(first, f"input of {n} values does not split into {axes} axes")
    steps = n // axes
    for i in convs:
        steps = -(-steps // layers[i]["pool"])  # 'same' padding: ceil
    if steps < 1:
        raise BlockParamError(first, "the conv1d stack pools the window down to nothing")


def _training_params(*, default_architecture: tuple[dict[str, Any], ...], classifier: bool) -> tuple[Param, ...]:
    params = [
        Param(
            "architecture",
            "json",
            default_architecture,
            label="Neural network architecture",
            help="Layers in order, e.g. dense(units, dropout), or conv1d(filters, kernel_size, pool) "
            "layers followed by flatten for raw windows. The output layer is added for you.",
            validator=validate_architecture,
        ),
        # Defaults that converge on a few dozen windows (3-4 classes, 8-10 short samples each) and
        # on thousands: features are normalised, so a larger step is stable, and early stopping
        # ends long runs on large sets once validation stops improving (keeping the best epoch).
        Param(
            "epochs",
            "int",
            100,
            label="Number of training cycles",
            min=1,
            max=1000,
            help="Passes over the training set (at most: training stops early when it stops improving).",
        ),
        Param(
            "learning_rate",
            "float",
            0.005,
            label="Learning rate",
            min=1e-6,
            max=1.0,
            help="Step size of the Adam optimizer. Lower trains slower but steadier.",
        ),
        Param("batch_size", "int", 32, label="Batch size", min=1, max=1024),
        Param(
            "validation_split",
            "float",
            0.2,
            label="Validation set size",
            min=0.05,
            max=0.5,
            help="Fraction of the training data held out to measure the model while it trains.",
        ),
        Param(
            "validation_group_key",
            "string",
            "",
            label="Split train/validation set on metadata key",
            help="Windows whose samples share this metadata value (e.g. 'participant') stay on the "
            "same side of the split, so validation measures unseen groups. Empty: split per window.",
        ),
    ]
    if classifier:
        params.append(
            Param(
                "class_weights",
                "bool",
                False,
                label="Auto-weight classes",
                help="Give rare classes more weight so the model does not ignore them.",
            )
        )
    params += [
        Param(
            "noise_stdev",
            "float",
            0.0,
            label="Add noise",
            min=0.0,
            max=1.0,
            help="Gaussian noise added to each training window every epoch, as a fraction of each "
            "feature's standard deviation. 0 turns augmentation off.",
        ),
        Param(
            "seed",
            "int",
            1,
            label="Random seed",
            min=0,
            max=2**31 - 1,
            help="Same data, settings and seed give the same model.",
        ),
        Param(
            "early_stopping",
            "bool",
            True,
            label="Stop early",
            help="Stop when the validation loss has not improved for a while and keep the best epoch.",
        ),
        Param(
            "early_stopping_patience",
            "int",
            20,
            label="Patience (epochs)",
            min=1,
            max=1000,
            help="Epochs without a better validation loss before training stops (the best epoch's "
            "weights are kept); as many as the epochs or more: never stops early.",
            show_if=("early_stopping", True),
        ),
    ]
    return tuple(params)


_DEFAULT_DENSE = ({"type": "dense", "units": 20, "dropout": 0.0}, {"type": "dense", "units": 10, "dropout": 0.0})

KERAS_CLASSIFIER = BlockSpec(
    id="keras-classifier",
    version=1,
    name="Classification",
    kind="learning",
    description="A neural network that learns to tell the classes apart (softmax over the labels).",
    params=_training_params(default_architecture=_DEFAULT_DENSE, classifier=True),
    checks=(_check_architecture_fits_input,),
)

KERAS_REGRESSION = BlockSpec(
    id="keras-regression",
    version=1,
    name="Regression",
    kind="learning",
    description="A neural network that predicts a number (single linear output, mean squared error).",
    params=_training_params(default_architecture=_DEFAULT_DENSE, classifier=False),
    checks=(_check_architecture_fits_input,),
)


def validate_feature_indices(value: Any, where: str = "feature_indices") -> list[int]:
    """A list of distinct non-negative feature positions; empty means all features."""
    if not isinstance(value, (list, tuple)):
        raise BlockParamError(where, "must be a list of feature positions")
    out = []
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise BlockParamError(f"{where}[{i}]", f"must be a feature position (0 or more), got {v!r}")
        if v in out:
            raise BlockParamError(f"{where}[{i}]", f"feature {v} is listed twice")
        out.append(v)
    return out


def _check_feature_indices(params: dict[str, Any], context: dict[str, Any]) -> None:
    n = context.get("features")
    for i, v in enumerate(params["feature_indices"]):
        if n is not None and v >= n:
            raise BlockParamError(f"feature_indices[{i}]", f"feature {v} does not exist (the input has {n})")


KMEANS_ANOMALY = BlockSpec(
    id="kmeans-anomaly",
    version=1,
    name="Anomaly detection (K-means)",
    kind="learning",
    description="Clusters the normal data; a window's anomaly score is its distance to the nearest "
    "cluster boundary (negative inside a cluster, positive outside).",
    params=(
        Param(
            "clusters",
            "int",
            32,
            label="Cluster count",
            min=1,
            max=256,
            help="Number of clusters the normal data is grouped into.",
        ),
        Param(
            "feature_indices",
            "json",
            (),
            label="Selected features",
            help="Positions of the features to use (pick a few that separate normal from "
            "abnormal, e.g. RMS per axis). Empty: all features.",
            validator=validate_feature_indices,
        ),
        Param(
            "radius_percentile",
            "float",
            100.0,
            label="Cluster radius percentile",
            min=50.0,
            max=100.0,
            help="A cluster's boundary encloses this percentage of its training windows. 100 = the "
            "farthest member, so every training window scores 0 or less.",
        ),
        Param("seed", "int", 1, label="Random seed", min=0, max=2**31 - 1),
    ),
    checks=(_check_feature_indices,),
)

LEARNING_BLOCKS: dict[str, BlockSpec] = {spec.id: spec for spec in (KERAS_CLASSIFIER, KERAS_REGRESSION, KMEANS_ANOMALY)}
