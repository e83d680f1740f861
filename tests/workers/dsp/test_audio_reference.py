"""The audio blocks and spectral analysis v2 against independent references.

librosa and scipy provide the parts whose definitions coincide with Edge Impulse's (framing, the
power spectrum, the HTK mel scale, the orthonormal DCT-II, skewness and kurtosis); the rest of
each reference (mel triangles on whole FFT bins, sliding normalization, max-hold frames) is
written out here plainly, one window at a time, from the definitions in the block docstrings.
"""

from __future__ import annotations

import librosa
import numpy as np
import pytest
from scipy import stats

from backend.blocks.audio import mel_points
from workers.dsp.registry import get_processing_block

RTOL = 1e-4


def audio(n: int, fs: float, seed: int, windows: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / fs
    f = rng.uniform(200, fs / 4, (windows, 1))
    x = 5000 * np.sin(2 * np.pi * f * t) * (1 + np.sin(2 * np.pi * 3 * t)) + rng.normal(0, 300, (windows, n))
    return np.round(x).astype(np.float32)[:, :, None]


def ref_power(signal: np.ndarray, frame: int, hop: int, n_fft: int) -> np.ndarray:
    """[frames, n_fft/2 + 1] |FFT|^2 / n_fft of whole, untapered frames."""
    if frame == n_fft:
        spec = librosa.stft(signal, n_fft=n_fft, hop_length=hop, window="boxcar", center=False)
        return (np.abs(spec) ** 2).T / n_fft
    frames = librosa.util.frame(signal, frame_length=frame, hop_length=hop, axis=0)
    return np.abs(np.fft.rfft(frames, n=n_fft, axis=-1)) ** 2 / n_fft


def ref_filterbank(num: int, n_fft: int, fs: float, low: float, high: float) -> np.ndarray:
    mels = np.linspace(1127 * np.log(1 + low / 700), 1127 * np.log(1 + (high or fs / 2) / 700), num + 2)
    hz = 700 * (np.exp(mels / 1127) - 1)
    hz[-1] -= 0.001
    bins = np.floor((n_fft + 1) * hz / fs).astype(int)
    bank = np.zeros((num, n_fft // 2 + 1))
    for i in range(num):
        left, mid, right = bins[i], bins[i + 1], bins[i + 2]
        for z in range(left, min(right, n_fft // 2) + 1):
            w = 0.0
            if left < z <= mid:
                w = (z - left) / (mid - left)
            if mid <= z < right:
                w = (right - z) / (right - mid)
            bank[i, z] = w
    return bank


def ref_cmvnw(x: np.ndarray, win: int) -> np.ndarray:
    pad = (win - 1) // 2
    xp = np.pad(x, ((pad, pad), (0, 0)), mode="symmetric")
    centred = np.array([x[i] - xp[i : i + win].mean(axis=0) for i in range(len(x))])
    cp = np.pad(centred, ((pad, pad), (0, 0)), mode="symmetric")
    return np.array([centred[i] / (cp[i : i + win].std(axis=0) + 1e-10) for i in range(len(x))])


def ref_mfcc(signal: np.ndarray, fs: float, p: dict) -> np.ndarray:
    x = signal.astype(np.float64)
    x = x - p["pre_cof"] * np.roll(x, p["pre_shift"])
    frame, hop = round(fs * p["frame_length"]), round(fs * p["frame_stride"])
    power = ref_power(x, frame, hop, p["fft_length"])
    mel = power @ ref_filterbank(p["num_filters"], p["fft_length"], fs, p["low_frequency"], p["high_frequency"]).T
    cep = librosa.feature.mfcc(
        S=np.log(np.where(mel == 0, 1e-10, mel)).T, n_mfcc=p["num_cepstral"], dct_type=2, norm="ortho"
    ).T
    cep[:, 0] = np.log(power.sum(axis=1))
    return ref_cmvnw(cep, p["win_size"]) if p["win_size"] else cep


MFCC_CASES = [
    (16000.0, 16000, {}),  # the keyword impulse
    (16000.0, 16000, {"frame_length": 0.016, "frame_stride": 0.008, "win_size": 0}),
    (
        8000.0,
        6000,
        {
            "frame_length": 0.025,
            "frame_stride": 0.01,
            "num_filters": 26,
            "num_cepstral": 12,
            "win_size": 51,
            "low_frequency": 100.0,
            "high_frequency": 3800.0,
            "pre_cof": 0.95,
            "pre_shift": 2,
        },
    ),
]


@pytest.mark.parametrize("fs,n,raw", MFCC_CASES)
def test_mfcc_matches_reference(fs, n, raw):
    block = get_processing_block("mfcc", 1)
    p = block.spec.validate(raw, {"frequency_hz": fs, "window_size_ms": n * 1000 / fs, "axes": ["audio"]})
    x = audio(n, fs, seed=n)
    got = block.features(x, p, fs)
    for k in range(x.shape[0]):
        want = ref_mfcc(x[k, :, 0], fs, p)
        np.testing.assert_allclose(got[k].reshape(want.shape), want, rtol=RTOL, atol=1e-5)


def test_mel_points_follow_the_htk_mel_scale():
    hertz, _ = mel_points(32, 256, 16000.0, 0.0, 0.0)
    want = librosa.mel_frequencies(n_mels=34, fmin=0.0, fmax=8000.0, htk=True)
    np.testing.assert_allclose(hertz[:-1], want[:-1], rtol=RTOL)
    assert hertz[-1] == pytest.approx(8000.0 - 0.001, rel=1e-9)


def test_spectrogram_matches_librosa_stft():
    fs, n = 16000.0, 16000
    block = get_processing_block("spectrogram", 1)
    raw = {"frame_length": 0.016, "frame_stride": 0.008, "fft_length": 256, "noise_floor_db": -30.0}
    p = block.spec.validate(raw, {"frequency_hz": fs, "window_size_ms": 1000, "axes": ["audio"]})
    x = audio(n, fs, seed=3)
    got = block.features(x, p, fs)
    for k in range(x.shape[0]):
        power = ref_power(x[k, :, 0].astype(np.float64), 256, 128, 256)
        want = np.maximum((10 * np.log10(np.maximum(power, 1e-30)) + 30.0) / 42.0, 0.0)
        np.testing.assert_allclose(got[k].reshape(want.shape), want, rtol=RTOL, atol=1e-6)


def test_mfe_matches_reference_up_to_its_8_bit_rounding():
    fs, n = 16000.0, 16000
    block = get_processing_block("mfe", 1)
    p = block.spec.validate({}, {"frequency_hz": fs, "window_size_ms": 1000, "axes": ["audio"]})
    x = audio(n, fs, seed=5)
    got = block.features(x, p, fs)
    for k in range(x.shape[0]):
        s = (x[k, :, 0] / np.float32(32768)).astype(np.float64)
        s = s - 0.98 * np.roll(s, 1)
        mel = ref_power(s, 320, 160, 256) @ ref_filterbank(40, 256, fs, 0.0, 0.0).T
        level = np.clip((10 * np.log10(np.maximum(mel, 1e-30)) + 52.0) / 64.0, 0, 1) * 256
        want = np.minimum(np.round(level), 255) / 256
        diff = np.abs(got[k].reshape(want.shape) - want)
        # a value within float rounding of a half step may round either way: one step at most
        assert diff.max() <= 1 / 256 + 1e-7
        near_half = np.abs(level - np.floor(level) - 0.5) < 1e-6
        assert np.all(diff[~near_half] < 1e-7)
        assert got[k].max() > 0.5 and got[k].min() < 0.2  # the test signal spans the range


def test_spectral_v2_matches_max_hold_reference():
    from workers.dsp.spectral_analysis import filtered

    fs = 62.5
    block = get_processing_block("spectral-analysis", 2)
    raw = {"filter_type": "low", "filter_cutoff": 8.0, "fft_length": 64, "take_log": False}
    p = block.spec.validate(raw, {"frequency_hz": fs, "window_size_ms": 2000})
    rng = np.random.default_rng(11)
    t = np.arange(125) / fs
    x = (
        3 * np.sin(2 * np.pi * rng.uniform(1, 8, (3, 1, 2)) * t[None, :, None]) + rng.normal(0, 0.5, (3, 125, 2))
    ).astype(np.float32)
    got = block.features(x, p, fs).reshape(3, 2, -1)
    xf = filtered(x, p, fs).astype(np.float64)
    for k in range(3):
        for a in range(2):
            c = xf[k, :, a] - xf[k, :, a].mean()
            peak = np.zeros(33)
            start = 0
            while start <= len(c):  # frames past the end are zero-padded
                peak = np.maximum(peak, np.abs(np.fft.rfft(c[start : start + 64], 64)) ** 2 / 64)
                start += 32
            want = [c.std(), stats.skew(c), stats.kurtosis(c), stats.skew(peak), stats.kurtosis(peak)]
            want += list(peak[1:9])  # bins 1..8: the low-pass band at 8 Hz
            np.testing.assert_allclose(got[k, a], want, rtol=RTOL, atol=1e-9)
