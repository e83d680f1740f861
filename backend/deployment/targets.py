"""The deployment targets the studio offers, and whether this installation can build each: the
wasm target needs clang with wasi-libc (checked once per process, without importing workers)."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from backend.deployment.schemas import TargetPublic

_TARGETS = [
    ("arduino", "Arduino library", "A zip to add in the Arduino IDE (Sketch → Include Library → Add .ZIP)"),
    ("cpp", "C++ library", "Portable C/C++ sources with a CMake project"),
    ("tflite", "TensorFlow Lite", "The .tflite model and its metadata"),
    ("wasm", "WebAssembly", "The same C compiled to a .wasm with a JavaScript wrapper, for browsers and Node"),
]


@cache
def wasm_toolchain_problem() -> str | None:
    """Why clang cannot link a wasm32-wasi module here, or None."""
    if shutil.which("clang") is None:
        return "clang is not installed (Debian: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)"
    for what, package in (
        ("-print-libgcc-file-name", "libclang-rt-14-dev-wasm32"),
        ("-print-file-name=libc.a", "wasi-libc"),
    ):
        done = subprocess.run(["clang", "--target=wasm32-wasi", what], capture_output=True, text=True, timeout=30)
        if done.returncode or not Path(done.stdout.strip()).is_absolute() or not Path(done.stdout.strip()).exists():
            return f"clang has no WebAssembly runtime here (Debian: apt-get install {package})"
    if shutil.which("wasm-ld") is None and shutil.which("wasm-ld-14") is None:
        return "the WebAssembly linker is not installed (Debian: apt-get install lld)"
    return None


def list_targets() -> list[TargetPublic]:
    problems = {"wasm": wasm_toolchain_problem()}
    return [
        TargetPublic(id=i, label=label, help=help_text, available=problems.get(i) is None, reason=problems.get(i))
        for i, label, help_text in _TARGETS
    ]
