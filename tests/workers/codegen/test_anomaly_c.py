"""The generated K-means anomaly scorer against the Python reference, with real compilers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from workers.codegen.anomaly import AnomalyModelError, render_kmeans_c, score_kmeans

CFLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2"]
M4_FLAGS = ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "-Os", "-std=c99"]

HARNESS = """\
#include <stdio.h>
#include "{prefix}.h"

#define WIDTH {width}

int main(void)
{{
    static float features[WIDTH];
    while (fread(features, sizeof features, 1, stdin) == 1) {{
        const float score = {prefix}_score(features);
        fwrite(&score, sizeof score, 1, stdout);
    }}
    return 0;
}}
"""


def kmeans_model(seed: int, clusters: int = 5, selected: int = 6, width: int = 33):
    rng = np.random.default_rng(seed)
    indices = np.sort(rng.choice(width, size=selected, replace=False))
    centers = rng.normal(0.0, 2.0, size=(clusters, selected)).astype(np.float32)
    radii = rng.uniform(0.5, 2.5, size=clusters).astype(np.float32)
    mean = rng.normal(0.0, 1.0, size=selected).astype(np.float32)
    std = rng.uniform(0.3, 3.0, size=selected).astype(np.float32)
    return centers, radii, indices, mean, std


def run_scorer(files: dict[str, str], prefix: str, features: np.ndarray, tmp_path: Path) -> np.ndarray:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "main.c").write_text(HARNESS.format(prefix=prefix, width=features.shape[1]))
    exe = tmp_path / "scorer"
    subprocess.run(
        ["gcc", *CFLAGS, "-o", str(exe), str(tmp_path / "main.c"), str(tmp_path / f"{prefix}.c"), "-lm"],
        check=True,
        capture_output=True,
        text=True,
    )
    out = subprocess.run([str(exe)], input=features.astype(np.float32).tobytes(), capture_output=True, check=True)
    return np.frombuffer(out.stdout, dtype=np.float32)


def test_scaled_scorer_in_c_matches_python_reference(tmp_path):
    centers, radii, indices, mean, std = kmeans_model(seed=1)
    features = np.random.default_rng(2).normal(0.0, 3.0, size=(400, 33)).astype(np.float32)

    files = render_kmeans_c(centers, radii, indices, mean, std, prefix="motion_anomaly")
    actual = run_scorer(files, "motion_anomaly", features, tmp_path)

    expected = score_kmeans(features, centers, radii, indices, mean, std)
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)


def test_unscaled_scorer_in_c_matches_python_reference(tmp_path):
    centers, radii, indices, _, _ = kmeans_model(seed=3, clusters=1, selected=1, width=4)
    features = np.random.default_rng(4).normal(0.0, 3.0, size=(200, 4)).astype(np.float32)

    files = render_kmeans_c(centers, radii, indices, prefix="tf_anomaly")
    actual = run_scorer(files, "tf_anomaly", features, tmp_path)

    np.testing.assert_allclose(actual, score_kmeans(features, centers, radii, indices), rtol=1e-5, atol=1e-5)


def test_score_is_distance_minus_radius_of_the_nearest_cluster():
    centers = np.array([[0.0, 0.0], [10.0, 0.0]], dtype=np.float32)
    radii = np.array([1.0, 2.0], dtype=np.float32)
    features = np.array([[0.0, 0.5, 99.0], [13.0, 4.0, 99.0]], dtype=np.float32)

    scores = score_kmeans(features, centers, radii, [0, 1])

    np.testing.assert_allclose(scores, [-0.5, 3.0])  # inside the first cluster; 5 - 2 from the second


def test_rendering_is_byte_stable():
    model = kmeans_model(seed=5)
    assert render_kmeans_c(*model, prefix="a") == render_kmeans_c(*model, prefix="a")


def test_inconsistent_model_is_refused_with_a_clear_message():
    centers, radii, indices, mean, std = kmeans_model(seed=6)
    with pytest.raises(AnomalyModelError, match="radii"):
        render_kmeans_c(centers, radii[:-1], indices)
    with pytest.raises(AnomalyModelError, match="zero"):
        render_kmeans_c(centers, radii, indices, mean, np.zeros_like(std))


@pytest.mark.skipif(shutil.which("arm-none-eabi-gcc") is None, reason="arm-none-eabi-gcc not installed")
def test_scorer_compiles_for_cortex_m4(tmp_path):
    files = render_kmeans_c(*kmeans_model(seed=7), prefix="tf_anomaly")
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    subprocess.run(
        ["arm-none-eabi-gcc", *M4_FLAGS, "-Wall", "-Wextra", "-Werror", "-c", "tf_anomaly.c", "-o", "tf_anomaly.o"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    )
