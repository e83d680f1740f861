"""Every example of the generated Arduino library compiles with Debian's arduino-builder and AVR
core for arduino:avr:mega, as the IDE builds a library from its zip.

The IMU examples need Arduino_LSM9DS1 / Arduino_BMI270_BMM150, which are not installed here: the
test puts compile-only stand-ins with the same API next to the library (tests/support/
arduino_stubs) instead of guarding the sketches, so the sketches' real code is compiled.
AVR keeps const data in RAM (8 KB on the Mega), so this impulse uses 8 K-means clusters.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from support.motion_impulse import train_motion_impulse

from workers.codegen.library import LibraryRequest, arduino_zip, generate_library

BUILDER = shutil.which("arduino-builder")
pytestmark = pytest.mark.skipif(BUILDER is None or not Path("/usr/share/arduino/hardware").exists(),
                                reason="arduino-builder and the AVR core are not installed")
STUBS = Path(__file__).resolve().parents[2] / "support" / "arduino_stubs"


def compile_sketch(libraries: Path, sketch: Path, build: Path) -> subprocess.CompletedProcess:
    build.mkdir(parents=True)
    return subprocess.run(
        [BUILDER, "-compile", "-hardware", "/usr/share/arduino/hardware", "-hardware", "/usr/share/arduino-builder",
         "-tools", "/usr/bin", "-libraries", str(libraries), "-fqbn", "arduino:avr:mega:cpu=atmega2560",
         "-ide-version", "10819", "-prefs", "compiler.cpp.extra_flags=-DDECIMAL_DIG=17",
         "-build-path", str(build), str(sketch)],
        capture_output=True, text=True, timeout=600)


def test_every_example_compiles_for_arduino_mega(tmp_path):
    motion = train_motion_impulse(n_train_per_class=40, n_test_per_class=1, clusters=8)
    req = LibraryRequest("Motion Demo", motion.impulse, motion.labels, motion.tflite["int8"], "int8",
                         motion.anomaly, build=12)
    lib = generate_library(req)
    libraries = tmp_path / "libraries"
    zipfile.ZipFile(io.BytesIO(arduino_zip(lib, req))).extractall(libraries)
    for stub in STUBS.iterdir():
        shutil.copytree(stub, libraries / stub.name)
    examples = sorted((libraries / lib.name / "examples").iterdir())
    assert [e.name for e in examples] == ["nano_ble33_sense_accelerometer", "nano_ble33_sense_rev2_accelerometer",
                                          "serial_values", "static_buffer"]
    for example in examples:
        done = compile_sketch(libraries, example / f"{example.name}.ino", tmp_path / "build" / example.name)
        assert done.returncode == 0, f"{example.name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        assert "Sketch uses" in done.stdout
