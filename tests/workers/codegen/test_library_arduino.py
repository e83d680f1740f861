"""Every example of the generated Arduino library compiles with Debian's arduino-builder and AVR
core for arduino:avr:mega, as the IDE builds a library from its zip, with all warnings on and none
in the library or the sketch (the AVR core's own warnings aside). The libraries of two impulses of
one project sit side by side in one libraries folder, and hostile names compile too.

The IMU examples need Arduino_LSM9DS1 / Arduino_BMI270_BMM150 and the microphone examples the
Nano 33 BLE core's PDM library, which are not installed here: the test puts compile-only
stand-ins with the same API next to the library (tests/support/arduino_stubs) instead of guarding
the sketches, so the sketches' real code is compiled.
AVR keeps const data in RAM (8 KB on the Mega), so this impulse uses 8 K-means clusters.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from support.hostile_names import IMPULSE_NAME, LABELS, PROJECT, hostile_impulse
from support.motion_impulse import train_motion_impulse
from support.tone_impulse import train_audio_impulse

from workers.codegen.library import LibraryRequest, arduino_zip, generate_library, library_names

BUILDER = shutil.which("arduino-builder")
pytestmark = pytest.mark.skipif(
    BUILDER is None or not Path("/usr/share/arduino/hardware").exists(),
    reason="arduino-builder and the AVR core are not installed",
)
STUBS = Path(__file__).resolve().parents[2] / "support" / "arduino_stubs"


def compile_sketch(
    libraries: Path, sketch: Path, build: Path, core_cache: Path | None = None
) -> subprocess.CompletedProcess:
    build.mkdir(parents=True)
    cache = ["-build-cache", str(core_cache)] if core_cache else []
    return subprocess.run(
        [
            BUILDER,
            "-compile",
            "-hardware",
            "/usr/share/arduino/hardware",
            "-hardware",
            "/usr/share/arduino-builder",
            "-tools",
            "/usr/bin",
            "-libraries",
            str(libraries),
            "-fqbn",
            "arduino:avr:mega:cpu=atmega2560",
            "-ide-version",
            "10819",
            "-prefs",
            "compiler.cpp.extra_flags=-DDECIMAL_DIG=17",
            "-warnings",
            "all",
            "-build-path",
            str(build),
            *cache,
            str(sketch),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def motion():
    return train_motion_impulse(n_train_per_class=40, n_test_per_class=1, clusters=8)


def install(libraries: Path, *libs: tuple[LibraryRequest, object]) -> None:
    """Unzip the libraries and the IMU stand-ins into one folder, as the IDE's libraries folder."""
    for req, lib in libs:
        zipfile.ZipFile(io.BytesIO(arduino_zip(lib, req))).extractall(libraries)
    for stub in STUBS.iterdir():
        shutil.copytree(stub, libraries / stub.name)


def assert_compiles(libraries: Path, lib, example: str, build: Path, core_cache: Path | None = None) -> None:
    """The example compiles against `lib` with no warning outside the AVR core."""
    done = compile_sketch(libraries, libraries / lib.name / "examples" / example / f"{example}.ino", build, core_cache)
    assert done.returncode == 0, f"{lib.name}/{example} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "Sketch uses" in done.stdout
    ours = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        if "warning:" in line and "/usr/share/arduino/hardware/" not in line
    ]
    assert not ours, f"{lib.name}/{example} warns:\n" + "\n".join(ours)
    assert (build / "libraries" / lib.name).is_dir()  # built against this library, not a namesake


def test_two_impulses_of_a_project_install_side_by_side_and_every_example_compiles(motion, tmp_path):
    names = library_names("Motion Demo", {1: "motion", 2: "Motion"})
    built = []
    for impulse_id, impulse_name in ((1, "motion"), (2, "Motion")):
        req = LibraryRequest(
            "Motion Demo",
            motion.impulse,
            motion.labels,
            motion.tflite["int8"],
            "int8",
            motion.anomaly,
            build=12,
            impulse_name=impulse_name,
            library=names[impulse_id],
        )
        built.append((req, generate_library(req)))
    (_, first), (_, second) = built
    assert (first.name, second.name) == ("motion_demo_motion_inferencing", "motion_demo_motion_2_inferencing")
    libraries = tmp_path / "libraries"
    install(libraries, *built)
    examples = sorted(e.name for e in (libraries / first.name / "examples").iterdir())
    assert examples == [
        "nano_ble33_sense_accelerometer",
        "nano_ble33_sense_rev2_accelerometer",
        "serial_values",
        "static_buffer",
    ]
    for example in examples:
        assert_compiles(libraries, first, example, tmp_path / "build" / example)
    assert_compiles(libraries, second, "static_buffer", tmp_path / "build" / "second")
    assert not (tmp_path / "build" / "second" / "libraries" / first.name).exists()


def test_hostile_names_compile_in_every_example(motion, tmp_path):
    req = LibraryRequest(
        PROJECT, hostile_impulse(), LABELS, motion.tflite["int8"], "int8", motion.anomaly, impulse_name=IMPULSE_NAME
    )
    lib = generate_library(req)
    libraries = tmp_path / "libraries"
    install(libraries, (req, lib))
    for example in sorted(e.name for e in (libraries / lib.name / "examples").iterdir()):
        assert_compiles(libraries, lib, example, tmp_path / "build" / example)


def test_a_sound_impulse_gets_the_microphone_examples_and_they_compile(tmp_path):
    sound = train_audio_impulse()  # one axis at 8 kHz: the microphone is decimated 2:1
    req = LibraryRequest(
        "Sounds",
        sound.case.impulse,
        sound.labels,
        sound.tflite_int8,
        "int8",
        sound.anomaly,
        model_feature_normalization=sound.extra["normalization"],
    )
    lib = generate_library(req)
    libraries = tmp_path / "libraries"
    install(libraries, (req, lib))
    examples = sorted(e.name for e in (libraries / lib.name / "examples").iterdir())
    assert examples == [
        "nano_ble33_sense_microphone",
        "nano_ble33_sense_microphone_continuous",
        "nano_ble33_sense_microphone_forward",
        "serial_values",
        "static_buffer",
    ]
    assert "depends=" not in (libraries / lib.name / "library.properties").read_text()
    (tmp_path / "core").mkdir()
    for example in examples[:3]:
        assert_compiles(libraries, lib, example, tmp_path / "build" / example, tmp_path / "core")
