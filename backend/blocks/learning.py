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

from backend.blocks.network import (  # noqa: F401  (re-exported: the layer contract's older home)
    CONV_TYPES,
    LAYER_TYPES,
    MAX_LAYERS,
    first_error,
    input_grid,
    layer_catalogue,
    trace,
    validate_architecture,
)
from backend.blocks.params import BlockParamError, BlockSpec, Param


def _check_architecture_fits_input(params: dict[str, Any], context: dict[str, Any]) -> None:
    """Conv layers need a framed input (raw window or audio frames) whose rows the reshape keeps
    whole, and every layer must take the shape the one before gives (network.trace).

    Context keys used: input ("raw", "frames" or "features"), features, and the input's own
    columns: "columns" (audio coefficients) or "axes" (raw windows).
    """
    layers = params["architecture"]
    convs = [i for i, layer in enumerate(layers) if layer["type"] in CONV_TYPES]
    first = f"architecture[{convs[0]}].type" if convs else None
    if first and context.get("input") == "features":
        raise BlockParamError(
            first,
            "conv layers need framed input (raw time-series windows or an audio block: MFCC, MFE, "
            "spectrogram); this impulse feeds a feature vector: use dense layers instead",
        )
    columns, n = context.get("columns", context.get("axes")), context.get("features")
    if isinstance(columns, (list, tuple)):
        columns = len(columns)
    if n is None or (convs and columns is None and not (layers[0]["type"] == "reshape" and layers[0]["columns"])):
        return
    if convs:
        where = "architecture[0].columns" if layers[0]["type"] == "reshape" else first
        try:
            input_grid(layers, n, columns)
        except ValueError as e:
            what = "axes" if context.get("input") == "raw" and where == first else "columns"
            raise BlockParamError(where, f"{e} ({what} of the input: {columns})") from None
    error = first_error(trace(layers, n, columns))
    if error is not None:
        raise error


_DEFAULT_DENSE = ({"type": "dense", "units": 20, "dropout": 0.0}, {"type": "dense", "units": 10, "dropout": 0.0})

# Presets proposed for a new learning block, by the processing block that feeds it.
KEYWORD_SPOTTING_CONV1D: tuple[dict[str, Any], ...] = (
    {"type": "reshape", "columns": 0},
    {"type": "conv1d", "filters": 8, "kernel_size": 3, "pool": 2, "dropout": 0.25},
    {"type": "conv1d", "filters": 16, "kernel_size": 3, "pool": 2, "dropout": 0.25},
    {"type": "flatten"},
)
KEYWORD_SPOTTING_CONV2D: tuple[dict[str, Any], ...] = (
    {"type": "reshape", "columns": 0},
    {"type": "conv2d", "filters": 8, "kernel_size": 3, "pool": 2, "dropout": 0.25},
    {"type": "conv2d", "filters": 16, "kernel_size": 3, "pool": 2, "dropout": 0.25},
    {"type": "flatten"},
)
_AUDIO_AUGMENTATION = {"time_shift": 10, "time_masks": 2, "freq_masks": 1}
_PRESET_BY_PROCESSING = {
    "mfcc": KEYWORD_SPOTTING_CONV1D,
    "mfe": KEYWORD_SPOTTING_CONV1D,
    "spectrogram": KEYWORD_SPOTTING_CONV2D,
}


def proposed_params(processing_types: list[str]) -> dict[str, Any]:
    """What a new neural learning block starts with, for the processing blocks feeding it.

    One audio block: the keyword-spotting conv net (conv1d over MFCC/MFE frames, conv2d over a
    spectrogram, whose many bins make 2-D filters pay off) with time shift and SpecAugment masks,
    which on a few dozen clips per class lifted validation accuracy from about 75 % to over 90 %
    (events sit anywhere in the window; see tests/workers/pipeline/test_audio_end_to_end.py).
    Anything else: the small dense net and no augmentation.
    """
    preset = _PRESET_BY_PROCESSING.get(processing_types[0]) if len(processing_types) == 1 else None
    if preset is None:
        return {"architecture": [dict(layer) for layer in _DEFAULT_DENSE], **dict.fromkeys(FRAME_AUGMENTATIONS, 0)}
    return {"architecture": [dict(layer) for layer in preset], **_AUDIO_AUGMENTATION}


def proposals_by_processing_block(processing_ids: list[str]) -> dict[str, dict[str, Any]]:
    """proposed_params for each processing block alone (the UI merges them when a block is picked)."""
    return {block_id: proposed_params([block_id]) for block_id in processing_ids}


# Augmentation of framed input (audio frames, raw windows: rows = frames or samples, columns =
# coefficients or axes), applied to training batches only. Off by default: on a few dozen clips
# it slows convergence, and which kind helps depends on the data (shift for events that move in
# the window, masks against over-fitting on large sets).
_AUGMENTATION_PARAMS = (
    Param(
        "time_shift",
        "int",
        0,
        label="Time shift (frames)",
        min=0,
        max=100,
        help="Shift each training window by up to this many frames (rows) earlier or later every epoch; "
        "the frames shifted in are the average window. 0 turns it off. Audio and raw windows only.",
    ),
    Param(
        "time_masks",
        "int",
        0,
        label="Time masks",
        min=0,
        max=10,
        help="SpecAugment: blank this many random runs of frames in each training window every epoch "
        "(0 = off). Audio and raw windows only.",
    ),
    Param(
        "time_mask_width",
        "int",
        5,
        label="Time mask width (frames)",
        min=1,
        max=100,
        help="Longest run of frames a time mask blanks (each mask draws its width from 1 to this).",
    ),
    Param(
        "freq_masks",
        "int",
        0,
        label="Frequency masks",
        min=0,
        max=10,
        help="SpecAugment: blank this many random bands of coefficients (columns) in each training window "
        "every epoch (0 = off). Audio and raw windows only.",
    ),
    Param(
        "freq_mask_width",
        "int",
        2,
        label="Frequency mask width (coefficients)",
        min=1,
        max=100,
        help="Widest band of coefficients a frequency mask blanks (each mask draws its width from 1 to this).",
    ),
)
FRAME_AUGMENTATIONS = ("time_shift", "time_masks", "freq_masks")


def _check_augmentation_fits_input(params: dict[str, Any], context: dict[str, Any]) -> None:
    if context.get("input") != "features":
        return
    for name in FRAME_AUGMENTATIONS:
        if params[name]:
            raise BlockParamError(
                name,
                "works on frames (an audio block or raw windows); this impulse feeds a feature vector: set it to 0",
            )


def _training_params(*, default_architecture: tuple[dict[str, Any], ...], classifier: bool) -> tuple[Param, ...]:
    params = [
        Param(
            "architecture",
            "json",
            default_architecture,
            label="Neural network architecture",
            help="Layers in order: dense(units, activation, dropout) and dropout(rate) for feature vectors; "
            "for raw windows and audio frames an optional reshape(columns; 0 = the input's own), conv1d "
            "or conv2d(filters, kernel_size, stride, activation, pool, dropout) layers with max_pool / "
            "avg_pool(pool_size, stride) and dropout layers between them, then flatten and dense "
            "layers. The output layer is added for you. A new block proposes a network that suits its "
            "processing block.",
            validator=validate_architecture,
            schema=layer_catalogue(),
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
            "feature's standard deviation (after normalisation: on audio, noise on the spectrogram or coefficients). 0 turns it off.",
        ),
        *_AUGMENTATION_PARAMS,
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


KERAS_CLASSIFIER = BlockSpec(
    id="keras-classifier",
    version=1,
    name="Classification",
    kind="learning",
    description="A neural network that learns to tell the classes apart (softmax over the labels).",
    params=_training_params(default_architecture=_DEFAULT_DENSE, classifier=True),
    checks=(_check_architecture_fits_input, _check_augmentation_fits_input),
)

KERAS_REGRESSION = BlockSpec(
    id="keras-regression",
    version=1,
    name="Regression",
    kind="learning",
    description="A neural network that predicts a number (single linear output, mean squared error).",
    params=_training_params(default_architecture=_DEFAULT_DENSE, classifier=False),
    checks=(_check_architecture_fits_input, _check_augmentation_fits_input),
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
