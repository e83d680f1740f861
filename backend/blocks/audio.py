"""Audio processing blocks (MFE, MFCC, spectrogram): parameters and the geometry they imply.

Pure Python (no numpy): the API validates impulses with these, the workers compute with the
same helpers so both agree on frame counts and mel filter positions.

Parameter names, defaults and definitions follow Edge Impulse's current implementations (MFCC
and MFE implementation version 4, spectrogram version 4), so a user switching tools sees the same
shapes: the output is frames x coefficients, flattened row-major (frame after frame).

Framing (shared by the three blocks): a frame has ceil(frequency * frame_length) samples and
frames start every ceil(frequency * frame_stride) samples ("ceil" unless the product is within
0.001 above an integer, so 0.02 s at 16 kHz is 320 samples despite float rounding). Only whole
frames are kept: count = floor((n - (frame - stride)) / stride). Each frame is zero-padded (or
cut) to fft_length before the FFT.

Mel filters: points evenly spaced on the mel scale mel = 1127 ln(1 + f / 700) between the low
and high frequency (high 0 = Nyquist; the top point is lowered by 0.001 Hz as Edge Impulse does
to keep it off a bin edge), placed on FFT bin floor((fft_length + 1) * f / frequency); filter i is
the triangle rising from point i to point i+1 and falling to point i+2, evaluated on whole bins.
"""

from __future__ import annotations

import math
from typing import Any

from backend.blocks.params import BlockParamError, BlockSpec, Param

AUDIO_FFT_LENGTHS = (16, 32, 64, 128, 256, 512, 1024, 2048, 4096)
MAX_FRAMES = 500  # as Edge Impulse: more frames make a feature vector too large for a device


def _ceil_unless_close(v: float) -> int:
    floor = math.floor(v)
    return floor if 0 < v - floor < 0.001 else int(math.ceil(v))


def frame_geometry(
    window_len: int, frequency_hz: float, frame_length: float, frame_stride: float
) -> tuple[int, int, int]:
    """(samples per frame, samples between frame starts, frame count) of a window."""
    size = _ceil_unless_close(frequency_hz * frame_length)
    stride = _ceil_unless_close(frequency_hz * frame_stride)
    count = (window_len - (size - stride)) // stride if stride > 0 else 0
    return size, stride, max(0, count)


def hz_to_mel(f: float) -> float:
    return 1127.0 * math.log(1.0 + f / 700.0)


def mel_to_hz(m: float) -> float:
    return 700.0 * (math.exp(m / 1127.0) - 1.0)


def mel_points(
    num_filters: int, fft_length: int, frequency_hz: float, low_hz: float, high_hz: float
) -> tuple[list[float], list[int]]:
    """The num_filters + 2 mel points in Hz and the FFT bin each falls on (see module doc)."""
    high = high_hz or frequency_hz / 2.0
    lo_mel, hi_mel = hz_to_mel(low_hz), hz_to_mel(high)
    step = (hi_mel - lo_mel) / (num_filters + 1)
    hertz = [mel_to_hz(lo_mel + i * step) for i in range(num_filters + 1)] + [mel_to_hz(hi_mel)]
    hertz[-1] -= 0.001
    bins = [math.floor((fft_length + 1) * f / frequency_hz) for f in hertz]
    return hertz, bins


def mel_filter_weights(left: int, middle: int, right: int) -> dict[int, float]:
    """Non-zero weights {bin: weight} of one triangular filter on whole bins."""
    out = {}
    for z in range(left, right + 1):
        w = 0.0
        if left < z <= middle:
            w = (z - left) / (middle - left)
        if middle <= z < right:  # wins where both halves apply (the peak), as in the reference
            w = (right - z) / (right - middle)
        if w:
            out[z] = w
    return out


def empty_mel_filter(
    num_filters: int, fft_length: int, frequency_hz: float, low_hz: float, high_hz: float
) -> int | None:
    """Index of the first mel filter that covers no FFT bin, or None."""
    _, bins = mel_points(num_filters, fft_length, frequency_hz, low_hz, high_hz)
    for i in range(num_filters):
        if not mel_filter_weights(bins[i], bins[i + 1], bins[i + 2]):
            return i
    return None


def audio_frames(params: dict[str, Any], window_len: int, frequency_hz: float) -> int:
    return frame_geometry(window_len, frequency_hz, params["frame_length"], params["frame_stride"])[2]


def audio_coefficients(block_id: str, params: dict[str, Any]) -> int:
    """Values per frame: cepstral coefficients, mel filters or FFT bins."""
    if block_id == "mfcc":
        return params["num_cepstral"]
    if block_id == "mfe":
        return params["num_filters"]
    return params["fft_length"] // 2 + 1


def audio_feature_count(block_id: str, params: dict[str, Any], window_len: int, frequency_hz: float) -> int:
    return audio_frames(params, window_len, frequency_hz) * audio_coefficients(block_id, params)


def _check_audio(block_id: str):
    def check(params: dict[str, Any], context: dict[str, Any]) -> None:
        if params["fft_length"] not in AUDIO_FFT_LENGTHS:
            raise BlockParamError(
                "fft_length", f"must be a power of two between {AUDIO_FFT_LENGTHS[0]} and {AUDIO_FFT_LENGTHS[-1]}"
            )
        if block_id == "mfcc" and params["num_cepstral"] > params["num_filters"]:
            raise BlockParamError("num_cepstral", f"must not exceed the number of filters ({params['num_filters']})")
        if params.get("win_size", 1) > 0 and params.get("win_size", 1) % 2 == 0:
            raise BlockParamError("win_size", "must be odd (the window is centred on each frame), or 0 for none")
        axes = context.get("axes")
        if axes is not None and len(axes) != 1:
            raise BlockParamError(
                "axes", f"{block_id} processes one axis; add one block per axis (this one has {len(axes)})"
            )
        fs = context.get("frequency_hz")
        if fs is None:
            return
        if fs * params["frame_stride"] < 1 - 1e-9:
            raise BlockParamError("frame_stride", f"is shorter than one sample at {fs:g} Hz")
        if fs * params["frame_length"] < 4 - 1e-9:
            raise BlockParamError("frame_length", f"must hold at least 4 samples at {fs:g} Hz")
        if "num_filters" in params:
            nyquist = fs / 2.0
            high = params["high_frequency"] or nyquist
            if high > nyquist:
                raise BlockParamError("high_frequency", f"must not exceed Nyquist ({nyquist:g} Hz), or 0 for Nyquist")
            if params["low_frequency"] >= high:
                raise BlockParamError("low_frequency", f"must be below the high frequency ({high:g} Hz)")
            empty = empty_mel_filter(
                params["num_filters"], params["fft_length"], fs, params["low_frequency"], params["high_frequency"]
            )
            if empty is not None:
                raise BlockParamError(
                    "num_filters",
                    f"mel filter {empty + 1} covers no FFT bin: lower the number of filters or raise the FFT length",
                )
        if "window_size_ms" in context:
            from backend.blocks.processing import window_length  # processing imports this module

            n = window_length(context["window_size_ms"], fs)
            frames = audio_frames(params, n, fs)
            if frames < 1:
                raise BlockParamError("frame_length", f"is longer than the window ({n} samples)")
            if frames > MAX_FRAMES:
                raise BlockParamError(
                    "frame_stride",
                    f"gives {frames} frames (at most {MAX_FRAMES}); raise the stride or shorten the window",
                )

    return check


def _frame_params(stride: float) -> tuple[Param, ...]:
    return (
        Param(
            "frame_length",
            "float",
            0.02,
            label="Frame length (s)",
            min=1e-4,
            max=10.0,
            help="The length of each frame in seconds.",
        ),
        Param(
            "frame_stride",
            "float",
            stride,
            label="Frame stride (s)",
            min=1e-4,
            max=10.0,
            help="The step between successive frames in seconds.",
        ),
    )


def _fft_param(default: int) -> Param:
    return Param(
        "fft_length",
        "int",
        default,
        label="FFT length",
        min=AUDIO_FFT_LENGTHS[0],
        max=AUDIO_FFT_LENGTHS[-1],
        help="Number of FFT points (a power of two); frames are zero-padded or cut to it.",
    )


def _mel_params(filters: int) -> tuple[Param, ...]:
    return (
        Param(
            "num_filters",
            "int",
            filters,
            label="Filter number",
            min=2,
            max=512,
            help="The number of filters in the mel filterbank.",
        ),
        _fft_param(256),
        Param(
            "low_frequency",
            "float",
            0.0,
            label="Low frequency (Hz)",
            min=0.0,
            help="Lowest band edge of the mel filters.",
        ),
        Param(
            "high_frequency",
            "float",
            0.0,
            label="High frequency (Hz)",
            min=0.0,
            help="Highest band edge of the mel filters; 0 means half the sampling frequency.",
        ),
    )


def _noise_floor() -> Param:
    return Param(
        "noise_floor_db",
        "float",
        -52.0,
        label="Noise floor (dB)",
        min=-200.0,
        max=0.0,
        help="Power below this level becomes 0 when the output is rescaled.",
    )


MFCC = BlockSpec(
    id="mfcc",
    version=1,
    name="Audio (MFCC)",
    kind="processing",
    description="Mel-frequency cepstral coefficients per frame: great for human voice and keywords.",
    params=_frame_params(0.02)
    + _mel_params(32)
    + (
        Param(
            "num_cepstral",
            "int",
            13,
            label="Number of coefficients",
            min=1,
            max=512,
            help="Cepstral coefficients kept per frame.",
        ),
        Param(
            "win_size",
            "int",
            101,
            label="Normalization window size",
            min=0,
            max=10001,
            help="Frames in the sliding window for mean and variance normalization (odd; 0 for none).",
        ),
        Param(
            "pre_cof",
            "float",
            0.98,
            label="Pre-emphasis coefficient",
            min=0.0,
            max=1.0,
            help="Boosts high frequencies: x[t] - coefficient * x[t - shift]; 0 disables it.",
        ),
        Param(
            "pre_shift",
            "int",
            1,
            label="Pre-emphasis shift",
            min=1,
            max=100,
            help="The delay in samples of the pre-emphasis.",
        ),
    ),
    checks=(_check_audio("mfcc"),),
)

MFE = BlockSpec(
    id="mfe",
    version=1,
    name="Audio (MFE)",
    kind="processing",
    description="Mel-filterbank energies per frame, in dB above the noise floor: great for non-voice audio.",
    params=_frame_params(0.01)
    + _mel_params(40)
    + (
        Param(
            "win_size",
            "int",
            101,
            label="Normalization window size",
            min=0,
            max=10001,
            help="Kept for compatibility with older Edge Impulse versions; the current "
            "definition normalizes with the noise floor instead.",
        ),
        _noise_floor(),
    ),
    checks=(_check_audio("mfe"),),
)

SPECTROGRAM = BlockSpec(
    id="spectrogram",
    version=1,
    name="Spectrogram",
    kind="processing",
    description="Power spectrum per frame in dB above the noise floor: great for non-voice audio "
    "and vibration with continuous frequencies.",
    params=_frame_params(0.01) + (_fft_param(128), _noise_floor()),
    checks=(_check_audio("spectrogram"),),
)

AUDIO_SPECS = (MFCC, MFE, SPECTROGRAM)
