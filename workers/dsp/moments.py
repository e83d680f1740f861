"""Moments of a signal with the constant-signal rule shared with the C implementation.

A signal is treated as constant when its variance is at most
    CONSTANT_REL_EPS * mean_square + CONSTANT_ABS_EPS      (mean_square = variance + mean**2).
A truly constant signal has exactly zero variance here and in C (whose mean is a compensated sum
kept as two floats), and float32 rounding of near-constant signals stays around 1e-14 *
mean_square, far below the threshold, while real signals sit far above it. For a constant signal the variance, skewness and kurtosis are exactly 0,
so float noise never turns into arbitrary skewness or kurtosis values.

Skewness and kurtosis are the population (biased) moments of the standardised signal: skewness =
mean(z**3), kurtosis = mean(z**4) - 3 (Fisher, 0 for a normal distribution), z = (x - mean) / std,
i.e. what scipy.stats.skew / kurtosis return by default. Standardising first keeps z**4 in range
for float32 in C.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

CONSTANT_REL_EPS = 1e-10
CONSTANT_ABS_EPS = 1e-30


@dataclass(frozen=True)
class Moments:
    mean: np.ndarray
    variance: np.ndarray  # 0 where constant
    skewness: np.ndarray  # 0 where constant
    kurtosis: np.ndarray  # 0 where constant
    constant: np.ndarray  # bool
    centred: np.ndarray  # x - mean, all zeros where constant


def moments(x: np.ndarray, axis: int = 1) -> Moments:
    """Mean, variance, skewness, excess kurtosis of float64 `x` along `axis` (reduced)."""
    mean = x.mean(axis=axis, keepdims=True)
    d = x - mean
    var = np.mean(d * d, axis=axis, keepdims=True)
    constant = var <= CONSTANT_REL_EPS * (var + mean * mean) + CONSTANT_ABS_EPS
    std = np.sqrt(np.where(constant, 1.0, var))
    z = d / std
    z2 = z * z
    skew = np.where(constant, 0.0, np.mean(z2 * z, axis=axis, keepdims=True))
    kurt = np.where(constant, 0.0, np.mean(z2 * z2, axis=axis, keepdims=True) - 3.0)
    return Moments(
        mean=np.squeeze(mean, axis),
        variance=np.squeeze(np.where(constant, 0.0, var), axis),
        skewness=np.squeeze(skew, axis),
        kurtosis=np.squeeze(kurt, axis),
        constant=np.squeeze(constant, axis),
        centred=np.where(constant, 0.0, d),
    )
