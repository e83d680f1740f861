"""The `wasm` target: the library's own C sources, unchanged, plus a small export layer
(tf_wasm.c), compiled by clang for wasm32-wasi into one standalone .wasm, with an ES-module JS
wrapper, a README and a demo page. Browsers and Node run it with no other runtime."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from workers.codegen.library.generator import GeneratedLibrary, LibraryRequest, is_audio, metadata_json
from workers.codegen.library.impulse_config import LibraryInputError
from workers.codegen.library.packaging import deterministic_zip
from workers.codegen.templating import load_template

CLANG = "clang"
WRAPPER = "tinyforge_wasm.js"
GLUE = "tf_wasm.c"
# C99 like the other targets; the stack holds the DSP's and the network's call frames (256 KiB is
# more than any generated impulse uses on the Cortex-M4F). Warnings are gcc's job (check_compiles):
# clang also flags the network's unused `static inline` helpers.
FLAGS = [
    "--target=wasm32-wasi",
    "-std=c99",
    "-O2",
    "-w",
    "-nostartfiles",
    "-Wl,--no-entry",
    "-Wl,-z,stack-size=262144",
    "-Wl,--strip-all",
]


class WasmToolchainMissing(LibraryInputError):
    """clang, its wasm32 runtime or wasi-libc is not installed where the build runs."""


@dataclass(frozen=True)
class WasmBuild:
    wasm: bytes
    glue: str
    wasm_sha256: str
    sources_sha256: str  # of the library's C sources (sources_digest), the ones every target ships


def compiled_sources(lib: GeneratedLibrary) -> dict[str, str]:
    """The library's portable C sources (what the cpp target ships: no Arduino glue)."""
    return {n: t for n, t in lib.sources.items() if not n.endswith("_arduino.cpp")}


def sources_digest(sources: dict[str, str]) -> str:
    """sha256 over the sources sorted by name, each as `name NUL text NUL` (UTF-8): the same for
    the same code whatever zip or folder it came in."""
    h = hashlib.sha256()
    for name in sorted(sources):
        h.update(name.encode("utf-8") + b"\0" + sources[name].encode("utf-8") + b"\0")
    return h.hexdigest()


def toolchain_problem() -> str | None:
    """Why the wasm target cannot be built here, or None (compiles a one-line module to check)."""
    if shutil.which(CLANG) is None:
        return "clang is not installed on the build worker (Debian: apt-get install clang lld wasi-libc)"
    with tempfile.TemporaryDirectory(prefix="tinyforge-wasm-check-") as tmp:
        (Path(tmp) / "check.c").write_text(
            '#include <math.h>\n__attribute__((export_name("f"))) float f(float x) { return expf(x); }\n'
        )
        done = subprocess.run(
            [CLANG, *FLAGS, "-o", "check.wasm", "check.c", "-lm"], cwd=tmp, capture_output=True, text=True
        )
    if done.returncode:
        return (
            "clang cannot build WebAssembly on the build worker (Debian: apt-get install lld wasi-libc "
            f"libclang-rt-14-dev-wasm32): {(done.stderr or done.stdout).strip()[:500]}"
        )
    return None


def info_json(lib: GeneratedLibrary, req: LibraryRequest) -> str:
    f, inp = lib.fields, lib.input
    return json.dumps(
        {
            "library": lib.name,
            "build": req.build,
            "project": req.project_name,
            "impulse_name": req.impulse_name,
            "variant": req.variant,
            "labels": list(lib.labels),
            "axes": list(inp.axes),
            "sensor": "microphone" if is_audio(inp) else "accelerometer" if len(inp.axes) == 3 else "other",
            "frequency_hz": inp.frequency_hz,
            "interval_ms": 1000.0 / inp.frequency_hz,
            "window_samples": inp.window_len,
            "window_ms": inp.window_size_ms,
            "input_length": f["dsp_input_size"],
            "slice_samples": f["slice_size"],
            "slice_length": f["slice_size"] * f["axes_count"],
            "slices_per_window": f["slices_per_model_window"],
            "feature_count": lib.feature_count,
            "has_classifier": bool(f["has_classifier"]),
            "has_anomaly": bool(f["has_anomaly"]),
        },
        sort_keys=True,
        ensure_ascii=True,
    )


def glue_source(lib: GeneratedLibrary, req: LibraryRequest) -> str:
    data = info_json(lib, req).encode("ascii")
    rows = [", ".join(str(b) for b in data[i : i + 24]) for i in range(0, len(data), 24)]
    return load_template(__package__, "wasm_glue.c.tmpl").substitute(
        lib.fields, info_bytes=",\n".join(f"    {row}" for row in rows)
    )


def compile_wasm(lib: GeneratedLibrary, req: LibraryRequest) -> WasmBuild:
    """The library (unchanged) + tf_wasm.c -> .wasm. Raises WasmToolchainMissing without clang's
    wasm32 support and LibraryInputError if the code does not compile."""
    problem = toolchain_problem()
    if problem:
        raise WasmToolchainMissing(problem)
    sources = compiled_sources(lib)
    glue = glue_source(lib, req)
    with tempfile.TemporaryDirectory(prefix="tinyforge-wasm-") as tmp:
        for name, text in {**sources, GLUE: glue}.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        files = sorted(n for n in sources if n.endswith(".c")) + [GLUE]
        out = f"{lib.name}.wasm"
        done = subprocess.run([CLANG, *FLAGS, "-I.", "-o", out, *files, "-lm"], cwd=tmp, capture_output=True, text=True)
        if done.returncode:
            raise LibraryInputError(f"clang could not build the WebAssembly module: {done.stderr.strip()[:2000]}")
        wasm = (Path(tmp) / out).read_bytes()
    return WasmBuild(wasm, glue, hashlib.sha256(wasm).hexdigest(), sources_digest(sources))


def wrapper_js() -> str:
    return resources.files(__package__).joinpath("templates", WRAPPER).read_text(encoding="utf-8")


def wasm_zip(lib: GeneratedLibrary, req: LibraryRequest, build: WasmBuild, metadata_extra: dict | None = None) -> bytes:
    """`<name>/`: <name>.wasm, tinyforge_wasm.js, index.html (demo), README.md, SHA256SUMS, the
    metadata JSON and src/ (the C the module was built from)."""
    root, f = lib.name, {**lib.fields, "wasm_sha256": build.wasm_sha256, "sources_sha256": build.sources_sha256}
    files: dict[str, str | bytes] = {f"{root}/src/{n}": t for n, t in compiled_sources(lib).items()}
    files[f"{root}/src/{GLUE}"] = build.glue
    files[f"{root}/{root}.wasm"] = build.wasm
    files[f"{root}/{WRAPPER}"] = wrapper_js()
    files[f"{root}/index.html"] = load_template(__package__, "wasm_demo.html.tmpl").substitute(f)
    files[f"{root}/README.md"] = load_template(__package__, "wasm_README.md.tmpl").substitute(f)
    files[f"{root}/SHA256SUMS"] = "".join(
        f"{hashlib.sha256(data if isinstance(data, bytes) else data.encode()).hexdigest()}  {path[len(root) + 1 :]}\n"
        for path, data in sorted(files.items())
    )
    extra = {**(metadata_extra or {}), "wasm": {"sha256": build.wasm_sha256, "sources_sha256": build.sources_sha256}}
    files[f"{root}/{root}.json"] = metadata_json(lib, req, extra)
    return deterministic_zip(files)
