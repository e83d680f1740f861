"""Processing blocks: the parameters of feature extraction, declared once for the API, UI and workers.

Pure Python (no numpy): the API imports this module to validate impulse configurations.

Validation context (what a processing block receives from the impulse's input block):
  frequency_hz: the impulse frequency every sample is resampled to
  window_size_ms: the window length; the sample count is `window_length(window_size_ms, frequency_hz)`
  axes: the names of the axes the block processes
Missing keys are not checked, so a partial context (or none) validates what it can.

Versions: a spec is registered under (id, version). A change that alters the features of an
existing configuration gets a new version; `PROCESSING_BLOCKS` holds the latest of each id and
`get_processing_spec(id, version)` any older one, so old impulses keep their features.

New impulses get `DEFAULT_VERSIONS` (the latest unless pinned there): a newer version whose C
implementation has not landed yet stays opt-in, so every default impulse can still be deployed.

Audio blocks (mfe, mfcc, spectrogram) live in backend.blocks.audio.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from backend.blocks.audio import AUDIO_SPECS
from backend.blocks.params import BlockParamError, BlockSpec, Param

FFT_LENGTHS = (8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
MAX_FILTER_ORDER = 8
# Butterworth designs in float32 lose accuracy when the cutoff sits very near 0 or Nyquist; the
# same coefficients run on microcontrollers, so we keep the cutoff inside this fraction of Nyquist.
MIN_CUTOFF_FRACTION = 0.002
MAX_CUTOFF_FRACTION = 0.998


class UnknownProcessingBlockError(LookupError):
    """No processing block is registered under this id (and version)."""


def window_length(window_size_ms: float, frequency_hz: float) -> int:
    """Number of samples in a window: floor(ms * Hz / 1000), at least 1.

    The one rule shared by validation, windowing and code generation (62.5 Hz, 2000 ms -> 125).
    """
    return max(1, int(math.floor(window_size_ms * frequency_hz / 1000.0 + 1e-9)))


def _context_window(context: dict[str, Any]) -> int | None:
    if "window_size_ms" in context and "frequency_hz" in context:
        return window_length(context["window_size_ms"], context["frequency_hz"])
    return None


def _scale_param() -> Param:
    return Param(
        "scale_axes",
        "float",
        1.0,
        label="Scale axes",
        min=1e-6,
        max=1e6,
        help="Multiplies every value before processing, e.g. to convert units.",
    )


# ---------------------------------------------------------------------------------------------
# raw

RAW = BlockSpec(
    id="raw",
    version=1,
    name="Raw data",
    kind="processing",
    description="Passes the window through unchanged (after scaling): samples x axes, flattened "
    "sample by sample. Use with convolutional models that learn their own features.",
    params=(_scale_param(),),
)

# ---------------------------------------------------------------------------------------------
# flatten

FLATTEN_STATS = ("average", "minimum", "maximum", "rms", "stdev", "skewness", "kurtosis")
_FLATTEN_HELP = {
    "average": "Mean of each axis.",
    "minimum": "Smallest value of each axis.",
    "maximum": "Largest value of each axis.",
    "rms": "Root mean square of each axis.",
    "stdev": "Standard deviation (population) of each axis.",
    "skewness": "Asymmetry of the distribution of values (0 for a constant axis).",
    "kurtosis": "Excess kurtosis: tailedness relative to a normal distribution (0 for a constant axis).",
}


def _check_flatten_any(params: dict[str, Any], context: dict[str, Any]) -> None:
    if not any(params[name] for name in FLATTEN_STATS):
        raise BlockParamError("average", "select at least one statistic")


FLATTEN = BlockSpec(
    id="flatten",
    version=1,
    name="Flatten",
    kind="processing",
    description="Summarises each axis of the window with simple statistics. Good for slow-moving "
    "signals such as temperature or gestures with a clear offset.",
    params=(_scale_param(),)
    + tuple(
        Param(name, "bool", True, label=name.capitalize() if name != "rms" else "RMS", help=_FLATTEN_HELP[name])
        for name in FLATTEN_STATS
    ),
    checks=(_check_flatten_any,),
)

# ---------------------------------------------------------------------------------------------
# spectral-analysis


def spectral_bin_range(filter_type: str, cutoff_hz: float, fft_length: int, frequency_hz: float) -> tuple[int, int]:
    """FFT bins [first, last) whose power the spectral block outputs in "fft-bins" mode.

    Bin k covers the band (k +- 1/2) * frequency_hz / fft_length. DC (k = 0) is skipped: the signal
    is mean-centred. Low-pass keeps the bins whose band starts at or below the cutoff, high-pass
    the bins whose band ends at or above it, none keeps all bins 1..fft_length/2.
    (62.5 Hz, FFT 64, low-pass 8 Hz -> bins 1..8.)
    """
    half = fft_length // 2
    first, last = 1, half + 1
    if filter_type == "low":
        # (k - 1/2) * fs / N <= cutoff  <=>  (2k - 1) * fs <= 2 * N * cutoff
        last = 1
        while last <= half and (2 * last - 1) * frequency_hz <= 2 * fft_length * cutoff_hz:
            last += 1
    elif filter_type == "high":
        while first <= half and (2 * first + 1) * frequency_hz < 2 * fft_length * cutoff_hz:
            first += 1
    return first, last


def spectral_edge_bins(edges: list[float], fft_length: int, frequency_hz: float) -> list[tuple[int, int]]:
    """Per band [edges[i], edges[i+1]) Hz: the FFT bins [first, last) whose centre falls in it.

    DC is never part of a band. A band may come out empty; validation refuses that.
    """
    bands = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=False):
        ks = [k for k in range(1, fft_length // 2 + 1) if lo <= k * frequency_hz / fft_length < hi]
        bands.append((ks[0], ks[-1] + 1) if ks else (0, 0))
    return bands


def _check_spectral(params: dict[str, Any], context: dict[str, Any]) -> None:
    n_fft = params["fft_length"]
    if n_fft not in FFT_LENGTHS:
        raise BlockParamError("fft_length", f"must be a power of two between {FFT_LENGTHS[0]} and {FFT_LENGTHS[-1]}")
    n = _context_window(context)
    if n is not None and n_fft > n:
        raise BlockParamError(
            "fft_length", f"must not exceed the window length ({n} samples); lower the FFT length or enlarge the window"
        )
    fs = context.get("frequency_hz")
    if params["filter_type"] != "none" and fs is not None:
        nyquist = fs / 2.0
        cutoff = params["filter_cutoff"]
        if cutoff >= nyquist:
            raise BlockParamError(
                "filter_cutoff", f"must be below Nyquist ({nyquist:g} Hz = half the {fs:g} Hz sampling frequency)"
            )
        if not MIN_CUTOFF_FRACTION * nyquist <= cutoff <= MAX_CUTOFF_FRACTION * nyquist:
            raise BlockParamError(
                "filter_cutoff",
                f"must be between {MIN_CUTOFF_FRACTION * nyquist:.4g} and "
                f"{MAX_CUTOFF_FRACTION * nyquist:.4g} Hz at {fs:g} Hz: "
                "closer to 0 or Nyquist the filter is not accurate",
            )
    if fs is None:
        return
    if params["spectral_power"] == "fft-bins":
        first, last = spectral_bin_range(params["filter_type"], params["filter_cutoff"], n_fft, fs)
        if last <= first:
            raise BlockParamError(
                "filter_cutoff", f"leaves no FFT bin (bin width {fs / n_fft:g} Hz); raise the cutoff or the FFT length"
            )
    else:
        edges = params["spectral_power_edges"]
        if len(edges) < 2:
            raise BlockParamError("spectral_power_edges", "needs at least two edges (one band)")
        if any(b <= a for a, b in zip(edges[:-1], edges[1:], strict=False)):
            raise BlockParamError("spectral_power_edges", "must be strictly increasing")
        for (lo, hi), (first, last) in zip(
            zip(edges[:-1], edges[1:], strict=False), spectral_edge_bins(edges, n_fft, fs), strict=False
        ):
            if last <= first:
                raise BlockParamError(
                    "spectral_power_edges",
                    f"band {lo:g}-{hi:g} Hz contains no FFT bin (bin width {fs / n_fft:g} Hz); "
                    "widen the band or raise the FFT length",
                )


SPECTRAL_ANALYSIS = BlockSpec(
    id="spectral-analysis",
    version=1,
    name="Spectral analysis",
    kind="processing",
    description="Filters each axis, then extracts RMS, skewness, kurtosis and the power spectrum. "
    "Great for repetitive motion such as accelerometer data.",
    params=(
        _scale_param(),
        Param(
            "filter_type",
            "select",
            "low",
            label="Filter type",
            options=("none", "low", "high"),
            help="Butterworth filter applied before the analysis: low-pass keeps slow movements, "
            "high-pass removes gravity and drift.",
        ),
        Param(
            "filter_cutoff",
            "float",
            3.0,
            label="Cut-off frequency (Hz)",
            min=0.0,
            help="Corner frequency of the filter; must be below half the sampling frequency.",
        ),
        Param(
            "filter_order",
            "int",
            6,
            label="Order",
            min=1,
            max=MAX_FILTER_ORDER,
            help="Steepness of the filter; higher orders cut sharper.",
        ),
        Param(
            "fft_length",
            "int",
            16,
            label="FFT length",
            min=FFT_LENGTHS[0],
            max=FFT_LENGTHS[-1],
            help="Samples per FFT frame (power of two, at most the window length). Longer gives finer frequency bins.",
        ),
        Param(
            "take_log",
            "bool",
            True,
            label="Take log of spectrum",
            help="Outputs log10 of the spectral power, which compresses its range.",
        ),
        Param(
            "overlap_frames",
            "bool",
            True,
            label="Overlap FFT frames",
            help="Averages FFT frames that overlap by half, which smooths the spectrum.",
        ),
        Param(
            "spectral_power",
            "select",
            "fft-bins",
            label="Spectral power",
            options=("fft-bins", "edges"),
            help="fft-bins: one feature per FFT bin inside the filter's pass band. edges: the "
            "average power between user-given band edges (older impulses).",
        ),
        Param(
            "spectral_power_edges",
            "float_list",
            (0.1, 0.5, 1.0, 2.0, 5.0),
            label="Spectral power edges (Hz)",
            min=0.0,
            help="Band edges in Hz, comma separated; each band needs at least one FFT bin.",
            show_if=("spectral_power", "edges"),
        ),
    ),
    checks=(_check_spectral,),
)

# Version 2: Edge Impulse's current spectral bins (the per-bin maximum over FFT frames, frames from
# the window's start zero-padded past its end) plus the spectral skewness and kurtosis of each axis.
SPECTRAL_ANALYSIS_V2 = replace(
    SPECTRAL_ANALYSIS,
    version=2,
    description="Filters each axis, then extracts RMS, skewness, kurtosis, the skewness and kurtosis "
    "of the spectrum and its peak power per frequency bin. Great for repetitive motion "
    "and vibration.",
)

# ---------------------------------------------------------------------------------------------

_ALL_SPECS: tuple[BlockSpec, ...] = (RAW, FLATTEN, SPECTRAL_ANALYSIS, SPECTRAL_ANALYSIS_V2) + AUDIO_SPECS

# The version new impulses get, where it is not the latest (a version whose C implementation has
# not landed stays opt-in). Every version now has one; impulses keep the version they name.
DEFAULT_VERSIONS: dict[str, int] = {}

PROCESSING_BLOCK_VERSIONS: dict[tuple[str, int], BlockSpec] = {(s.id, s.version): s for s in _ALL_SPECS}

# The catalogue (GET /api/blocks) and the version an impulse gets when it names none.
PROCESSING_BLOCKS: dict[str, BlockSpec] = {}
for _spec in sorted(_ALL_SPECS, key=lambda s: s.version):
    if _spec.version <= DEFAULT_VERSIONS.get(_spec.id, _spec.version):
        PROCESSING_BLOCKS[_spec.id] = _spec


def get_processing_spec(block_id: str, version: int | None = None) -> BlockSpec:
    """The spec of a processing block; the default version (see DEFAULT_VERSIONS) when `version` is None."""
    spec = PROCESSING_BLOCKS.get(block_id) if version is None else PROCESSING_BLOCK_VERSIONS.get((block_id, version))
    if spec is None:
        known = ", ".join(sorted(PROCESSING_BLOCKS))
        which = block_id if version is None else f"{block_id} v{version}"
        raise UnknownProcessingBlockError(f"unknown processing block {which} (known: {known})")
    return spec
