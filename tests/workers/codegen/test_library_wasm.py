"""The wasm target runs the same generated C as the board: a trained motion impulse (int8 and
float32, 300 test windows, and continuous slices) and a trained keyword audio impulse (int8, MFCC)
are built natively with gcc (tests/support/library_harness.c) and to WebAssembly with clang; the
module runs through the shipped JS wrapper in Node 20 and in Chromium. Every feature, score and
anomaly value must have the same float32 bits on both sides.

Why exact also for float32: both builds are IEEE 754 single precision with no excess precision
(x86-64 SSE, wasm f32) and no fused multiply-add (gcc's x86-64 baseline has no FMA instruction,
WebAssembly has none), and the few libm calls (expf, logf, powf) come from the same ARM
optimized-routines code in glibc and in wasi-libc's musl."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from support.audio_impulse import train_audio_impulse
from support.library_build import run_host, run_host_continuous
from support.motion_impulse import train_motion_impulse

from workers.codegen.library import LibraryRequest, generate_library
from workers.codegen.library.wasm import WRAPPER, compile_wasm, toolchain_problem, wrapper_js

SUPPORT = Path(__file__).resolve().parents[2] / "support" / "wasm"
pytestmark = [
    pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not installed"),
    pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed"),
]


@pytest.fixture(scope="module", autouse=True)
def toolchain():
    problem = toolchain_problem()
    assert problem is None, problem  # the wasm toolchain is part of the CI image (.ci/run)


@pytest.fixture(scope="module")
def motion():
    return train_motion_impulse()


@pytest.fixture(scope="module")
def audio():
    return train_audio_impulse()


def _motion_request(motion, variant: str) -> LibraryRequest:
    return LibraryRequest(
        "Motion Demo",
        motion.impulse,
        motion.labels,
        motion.tflite[variant],
        variant,
        motion.anomaly,
        build=3,
        model_feature_normalization=motion.normalization,
    )


def _built(req: LibraryRequest, directory: Path):
    lib = generate_library(req)
    build = compile_wasm(lib, req)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "impulse.wasm").write_bytes(build.wasm)
    (directory / WRAPPER).write_text(wrapper_js())
    return lib, build


def _node(directory: Path, data: np.ndarray, count: int, continuous: bool = False) -> str:
    (directory / "data.bin").write_bytes(np.ascontiguousarray(data, dtype="<f4").tobytes())
    done = subprocess.run(
        [
            "node",
            str(SUPPORT / "run_node.mjs"),
            str(directory / WRAPPER),
            str(directory / "impulse.wasm"),
            str(directory / "data.bin"),
            str(count),
            *(["continuous"] if continuous else []),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _assert_same_lines(native: str, wasm: str) -> None:
    a, b = native.strip().splitlines(), wasm.strip().splitlines()
    assert len(a) == len(b), f"{len(a)} native lines, {len(b)} wasm lines"
    differ = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    assert not differ, f"{len(differ)} of {len(a)} lines differ; first:\n{a[differ[0]]}\n{b[differ[0]]}"


@pytest.fixture(scope="module", params=["int8", "float32"])
def motion_builds(request, motion, tmp_path_factory):
    req = _motion_request(motion, request.param)
    directory = tmp_path_factory.mktemp(f"motion-{request.param}")
    lib, build = _built(req, directory)
    windows = motion.test_windows.reshape(len(motion.test_windows), -1)
    native = run_host(lib.sources, lib.header, windows, directory / "native")
    return lib, build, directory, windows, native


def test_wasm_outputs_equal_the_native_library_on_every_motion_window_in_node(motion_builds):
    _, _, directory, windows, native = motion_builds
    assert len(windows) >= 300
    _assert_same_lines(native.text, _node(directory, windows, len(windows)))


def test_wasm_outputs_equal_the_native_library_on_every_motion_window_in_chromium(motion_builds):
    _, _, directory, windows, native = motion_builds
    _assert_same_lines(native.text, _chromium(directory, windows, len(windows)))


def test_wasm_continuous_slices_equal_the_native_library_with_and_without_smoothing(motion, tmp_path):
    req = _motion_request(motion, "int8")
    lib, _ = _built(req, tmp_path)
    slice_floats = lib.fields["slice_size"] * lib.fields["axes_count"]
    stream = np.concatenate([w.reshape(-1) for w in motion.test_windows[::10]])  # a few gestures in a row
    slices = stream[: len(stream) // slice_floats * slice_floats].reshape(-1, slice_floats)
    native, smoothed = run_host_continuous(lib.sources, lib.header, slices, tmp_path / "native")
    smoothed_text = "\n".join(
        f"{i} M" + "".join(f" {v:08x}" for v in row.view(np.uint32)) for i, row in enumerate(smoothed)
    )
    _assert_same_lines(native.text + "\n" + smoothed_text, _node(tmp_path, slices, len(slices), continuous=True))


def test_wasm_keyword_audio_impulse_equals_the_native_library_in_node_and_chromium(audio, tmp_path):
    req = LibraryRequest(
        "Keywords",
        audio.impulse,
        audio.labels,
        audio.tflite_int8,
        "int8",
        None,
        build=1,
        model_feature_normalization=audio.normalization,
    )
    lib, _ = _built(req, tmp_path)
    windows = audio.test_windows.reshape(len(audio.test_windows), -1)
    native = run_host(lib.sources, lib.header, windows, tmp_path / "native")
    _assert_same_lines(native.text, _node(tmp_path, windows, len(windows)))
    _assert_same_lines(native.text, _chromium(tmp_path, windows, len(windows)))


def test_the_wrapper_reports_the_impulse_and_refuses_a_window_of_the_wrong_length(motion_builds):
    lib, _, directory, _, _ = motion_builds
    script = (
        f"import {{ load }} from {str(directory / WRAPPER)!r};"
        "import { readFileSync } from 'node:fs';"
        f"const i = await load(readFileSync({str(directory / 'impulse.wasm')!r}));"
        "console.log(JSON.stringify(i.info));"
        "try { i.classify(new Float32Array(3)); } catch (e) { console.log(e.message); }"
    )
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    info_line, error_line = done.stdout.strip().splitlines()
    import json

    info = json.loads(info_line)
    assert info["labels"] == list(lib.labels) and info["axes"] == ["accX", "accY", "accZ"]
    assert info["frequency_hz"] == 62.5 and info["input_length"] == 375 and info["sensor"] == "accelerometer"
    assert error_line == "a window needs 375 values, got 3"


def test_the_wasm_package_is_byte_stable(motion):
    from workers.codegen.library.wasm import wasm_zip

    req = _motion_request(motion, "int8")
    lib = generate_library(req)
    first, second = compile_wasm(lib, req), compile_wasm(generate_library(req), req)
    assert first.wasm_sha256 == second.wasm_sha256 and first.sources_sha256 == second.sources_sha256
    assert wasm_zip(lib, req, first) == wasm_zip(lib, req, second)


def _chromium(directory: Path, data: np.ndarray, count: int) -> str:
    """The harness's output in Chromium. Run in a thread of its own: Playwright's sync API refuses a
    thread where another sync Playwright (the UI tests' session browser) already runs its loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_chromium_here, directory, data, count).result()


def _chromium_here(directory: Path, data: np.ndarray, count: int) -> str:
    from playwright.sync_api import sync_playwright
    from ui.browserkit import CHROMIUM_ARGS

    files = {
        "/index.html": (
            "text/html",
            (
                "<!doctype html><script type=module>"
                "import { load } from './tinyforge_wasm.js'; import { runHarness } from './harness.mjs';"
                "const impulse = await load('impulse.wasm');"
                "const data = new Float32Array(await (await fetch('data.bin')).arrayBuffer());"
                f"window.harnessOut = runHarness(impulse, data, {count}, false);"
                "</script>"
            ).encode(),
        ),
        f"/{WRAPPER}": ("text/javascript", (directory / WRAPPER).read_bytes()),
        "/harness.mjs": ("text/javascript", (SUPPORT / "harness.mjs").read_bytes()),
        "/impulse.wasm": ("application/wasm", (directory / "impulse.wasm").read_bytes()),
        "/data.bin": ("application/octet-stream", np.ascontiguousarray(data, dtype="<f4").tobytes()),
    }
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route(
                "http://wasm.test/**",
                lambda route: route.fulfill(
                    status=200,
                    content_type=files[route.request.url[len("http://wasm.test") :]][0],
                    body=files[route.request.url[len("http://wasm.test") :]][1],
                ),
            )
            page.goto("http://wasm.test/index.html")
            page.wait_for_function("window.harnessOut !== undefined || false", timeout=120_000)
            assert not errors, errors
            return page.evaluate("window.harnessOut")
        finally:
            browser.close()


def test_without_clang_the_wasm_target_fails_with_a_message_naming_the_packages(motion, monkeypatch, tmp_path):
    from backend.deployment.targets import list_targets, wasm_toolchain_problem
    from workers.codegen.library import LibraryInputError
    from workers.codegen.library.targets import build_package

    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no compiler at all
    wasm_toolchain_problem.cache_clear()
    try:
        with pytest.raises(LibraryInputError, match="clang is not installed.*apt-get install clang"):
            build_package("wasm", _motion_request(motion, "int8"), motion.tflite)
        wasm = next(t for t in list_targets() if t.id == "wasm")
        assert not wasm.available and "clang is not installed" in wasm.reason
    finally:
        wasm_toolchain_problem.cache_clear()
