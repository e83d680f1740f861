"""Deployment targets: one packager per target id, from a trained impulse to one zip file."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workers.codegen.estimate import estimate_library
from workers.codegen.library.generator import GeneratedLibrary, LibraryRequest, generate_library
from workers.codegen.library.impulse_config import read_impulse
from workers.codegen.library.packaging import arduino_zip, cpp_zip, tflite_zip
from workers.codegen.library.wasm import compile_wasm, wasm_zip
from workers.codegen.nn import generate_model_c


@dataclass(frozen=True)
class BuiltPackage:
    filename: str
    data: bytes
    estimates: dict[str, Any]
    library: GeneratedLibrary
    info: dict[str, Any] = field(default_factory=dict)  # what the stored artifact records (wasm: checksums)


def _arduino(lib: GeneratedLibrary, req: LibraryRequest, models: dict[str, bytes], extra: dict) -> tuple[str, bytes]:
    return f"{lib.name}-1.0.{req.build}-arduino.zip", arduino_zip(lib, req, extra)


def _cpp(lib: GeneratedLibrary, req: LibraryRequest, models: dict[str, bytes], extra: dict) -> tuple[str, bytes]:
    return f"{lib.name}-1.0.{req.build}-cpp.zip", cpp_zip(lib, req, extra)


def _tflite(lib: GeneratedLibrary, req: LibraryRequest, models: dict[str, bytes], extra: dict) -> tuple[str, bytes]:
    chosen = {req.variant: models[req.variant]} if req.variant in models else {}
    return f"{lib.name}-1.0.{req.build}-tflite.zip", tflite_zip(lib, req, chosen, extra)


def _wasm(lib: GeneratedLibrary, req: LibraryRequest, models: dict[str, bytes], extra: dict) -> tuple[str, bytes]:
    build = compile_wasm(lib, req)
    # `extra` is also how a packager hands facts back: the stored artifact records the checksums
    extra["package_info"] = {"module_sha256": build.wasm_sha256, "sources_sha256": build.sources_sha256}
    return f"{lib.name}-1.0.{req.build}-wasm.zip", wasm_zip(lib, req, build, {"estimates": extra["estimates"]})


TARGETS: dict[str, Callable[..., tuple[str, bytes]]] = {
    "arduino": _arduino,
    "cpp": _cpp,
    "tflite": _tflite,
    "wasm": _wasm,
}


def estimates_for(lib: GeneratedLibrary, req: LibraryRequest) -> dict[str, Any]:
    impulse = read_impulse(req.impulse)
    weights = generate_model_c(req.model_tflite).weights_bytes if req.model_tflite else 0
    if req.model_tflite and req.model_feature_normalization:  # a float mean and deviation per input
        weights += 8 * len(req.model_feature_normalization["mean"])
    return estimate_library(
        list(impulse.dsp_blocks),
        impulse.window_len,
        req.model_tflite,
        req.variant,
        weights,
        req.anomaly,
        lib.static_ram,
        frequency_hz=impulse.frequency_hz,
    )


def request_from_training(
    result: dict[str, Any],
    models: dict[str, bytes],
    anomaly: dict[str, Any] | None,
    variant: str,
    project_name: str,
    build: int = 1,
    extra: dict[str, Any] | None = None,
    impulse_name: str = "",
    library: str | None = None,
) -> LibraryRequest:
    """The library request for a succeeded `impulse.train` job's result and artifacts."""
    learning = result.get("learning") or {}
    n_features = len(result.get("feature_names") or [])
    indices = learning.get("feature_indices")
    return LibraryRequest(
        project_name=project_name,
        impulse=result["impulse"],
        labels=list(result.get("labels") or []),
        model_tflite=models.get(variant),
        variant=variant,
        anomaly=anomaly,
        build=build,
        impulse_name=impulse_name,
        library=library,
        model_feature_indices=None if indices is None or list(indices) == list(range(n_features)) else list(indices),
        model_feature_normalization=learning.get("normalization"),
        extra={
            **({"feature_normalization": learning["normalization"]} if learning.get("normalization") else {}),
            **(extra or {}),
        },
    )


def estimates_for_training(
    result: dict[str, Any], models: dict[str, bytes], anomaly: dict[str, Any] | None, project_name: str
) -> dict[str, Any]:
    """On-device estimates of each variant a training produced, as its result shows them."""
    out = {}
    for variant in ("int8", "float32"):
        if variant in models:
            req = request_from_training(result, models, anomaly, variant, project_name)
            out[variant] = estimates_for(generate_library(req), req)
    return out


def check_compiles(lib: GeneratedLibrary, cc: str = "gcc") -> str | None:
    """Compile the library's C files with strict flags on this host; the compiler's complaint or None.
    Skipped (None) when no compiler is installed."""
    if shutil.which(cc) is None:
        return None
    with tempfile.TemporaryDirectory(prefix="tinyforge-lib-") as tmp:
        for name, text in lib.sources.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        files = [n for n in lib.sources if n.endswith(".c")]
        done = subprocess.run(
            [cc, "-std=c99", "-Wall", "-Wextra", "-Werror", "-fsyntax-only", *files],
            cwd=tmp,
            capture_output=True,
            text=True,
        )
    return done.stderr.strip() or "compiler failed" if done.returncode else None


def build_package(
    target: str,
    req: LibraryRequest,
    models: dict[str, bytes],
    annotate: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
) -> BuiltPackage:
    """Generate the library for `req` and package it for `target` (arduino, cpp, tflite, wasm).
    `annotate` may add to the estimates before they are packaged (the chosen board's figures)."""
    if target not in TARGETS:
        raise ValueError(f"unknown deployment target {target!r} (known: {', '.join(TARGETS)})")
    lib = generate_library(req)
    estimates = estimates_for(lib, req)
    if annotate is not None:
        estimates = annotate(estimates)
    extra: dict[str, Any] = {"estimates": estimates}
    filename, data = TARGETS[target](lib, req, models, extra)
    return BuiltPackage(filename, data, estimates, lib, extra.get("package_info", {}))
