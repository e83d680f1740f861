"""The library generator: byte-stable files, the Arduino 1.5 layout, the public header's macros,
and clear errors for impulses it cannot compile (no compiler needed)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from support.motion_impulse import IMPULSE, LABELS

from workers.codegen.library import (
    LibraryInputError,
    LibraryRequest,
    arduino_zip,
    cpp_zip,
    generate_library,
    library_name,
    library_names,
    tflite_zip,
)
from workers.codegen.library.impulse_config import is_library_name, read_impulse


@pytest.fixture(scope="module")
def trained():
    from support.motion_impulse import train_motion_impulse

    return train_motion_impulse(n_train_per_class=30, n_test_per_class=1, clusters=4)


def request(trained, **changes):
    fields = dict(
        project_name="Gesture Demo!",
        impulse=trained.impulse,
        labels=trained.labels,
        model_tflite=trained.tflite["int8"],
        variant="int8",
        anomaly=trained.anomaly,
        build=42,
    )
    fields.update(changes)
    return LibraryRequest(**fields)


def test_library_name_is_a_c_identifier_from_the_project_and_impulse_names():
    assert library_name("Gesture Demo!") == "gesture_demo_inferencing"
    assert library_name("Gesture Demo!", "Motion (v2)") == "gesture_demo_motion_v2_inferencing"
    assert library_name("42 things", "x") == "project_42_things_x_inferencing"
    assert library_name("åäö", "Größe") == "aao_groe_inferencing"
    assert library_name("日本", "") == "project_inferencing"
    long = library_names("p" * 200, {1: "i" * 200, 2: "I" * 201})
    assert long == {1: f"{'p' * 32}_{'i' * 32}_inferencing", 2: f"{'p' * 32}_{'i' * 32}_2_inferencing"}
    assert all(is_library_name(name) for name in long.values())


def test_each_impulse_of_a_project_gets_its_own_stable_library_name():
    names = library_names("Gestures", {3: "motion", 5: "Motion", 7: "motion 5", 8: "Idle"})
    assert names == {
        3: "gestures_motion_inferencing",
        5: "gestures_motion_5_inferencing",
        7: "gestures_motion_5_7_inferencing",
        8: "gestures_idle_inferencing",
    }
    # a newer impulse never renames an older one's library
    assert (
        library_names("Gestures", {3: "motion", 5: "Motion", 7: "motion 5", 8: "Idle", 9: "MOTION"}).items()
        >= names.items()
    )


def test_same_inputs_give_byte_identical_zips(trained):
    req = request(trained)
    assert arduino_zip(generate_library(req), req) == arduino_zip(generate_library(req), req)
    assert cpp_zip(generate_library(req), req) == cpp_zip(generate_library(req), req)


def test_arduino_zip_has_the_library_15_layout(trained):
    req = request(trained)
    lib = generate_library(req)
    names = zipfile.ZipFile(io.BytesIO(arduino_zip(lib, req))).namelist()
    root = "gesture_demo_inferencing/"
    assert all(n.startswith(root) for n in names)
    assert f"{root}src/gesture_demo_inferencing.h" in names
    assert f"{root}examples/static_buffer/static_buffer.ino" in names
    assert f"{root}examples/nano_ble33_sense_rev2_accelerometer/nano_ble33_sense_rev2_accelerometer.ino" in names
    props = dict(
        line.split("=", 1)
        for line in zipfile.ZipFile(io.BytesIO(arduino_zip(lib, req)))
        .read(f"{root}library.properties")
        .decode()
        .splitlines()
    )
    assert props["name"] == "gesture_demo_inferencing" and props["version"] == "1.0.42"
    assert props["architectures"] == "*" and props["includes"] == "gesture_demo_inferencing.h"
    assert props["depends"] == "Arduino_LSM9DS1,Arduino_BMI270_BMM150"
    assert {"sentence", "paragraph", "category"} <= props.keys()


def test_folder_properties_header_and_examples_agree_on_the_impulses_name(trained):
    req = request(trained, impulse_name="Wave (v2)")
    lib = generate_library(req)
    name = "gesture_demo_wave_v2_inferencing"
    arduino = zipfile.ZipFile(io.BytesIO(arduino_zip(lib, req)))
    assert lib.name == name and {n.split("/")[0] for n in arduino.namelist()} == {name}
    props = arduino.read(f"{name}/library.properties").decode()
    assert f"name={name}\n" in props and f"includes={name}.h\n" in props
    assert 'impulse "Wave (v2) (Gesture Demo!)"' in props
    assert f"#ifndef {name.upper()}_H" in arduino.read(f"{name}/src/{name}.h").decode()
    assert f'#include "{name}.h"' in arduino.read(f"{name}/src/tf_classifier.c").decode()
    examples = [n for n in arduino.namelist() if n.endswith(".ino")]
    assert len(examples) == 4 and all(f"#include <{name}.h>" in arduino.read(n).decode() for n in examples)
    readme = arduino.read(f"{name}/README.md").decode()
    assert "The impulse **Wave (v2)** of the project **Gesture Demo!**" in readme
    cpp = zipfile.ZipFile(io.BytesIO(cpp_zip(lib, req)))
    assert f"project({name} C CXX)" in cpp.read(f"{name}/CMakeLists.txt").decode()
    assert f'#include "{name}.h"' in cpp.read(f"{name}/example/main.cpp").decode()
    assert json.loads(cpp.read(f"{name}/{name}.json"))["impulse_name"] == "Wave (v2)"


def test_header_defines_the_impulse_macros(trained):
    lib = generate_library(request(trained))
    header = lib.sources[lib.header]
    for line in (
        "#define TF_CLASSIFIER_FREQUENCY 62.5f",
        "#define TF_CLASSIFIER_INTERVAL_MS 16.0f",
        "#define TF_CLASSIFIER_RAW_SAMPLE_COUNT 125",
        "#define TF_CLASSIFIER_RAW_SAMPLES_PER_FRAME 3",
        "#define TF_CLASSIFIER_LABEL_COUNT 4",
        "#define TF_CLASSIFIER_FEATURE_COUNT 33",
        '#define TF_CLASSIFIER_LABELS { "idle", "snake", "updown", "wave" }',
        "int run_classifier(signal_t *signal, classifier_result_t *result, bool debug);",
    ):
        assert line in header


def test_tflite_zip_holds_the_model_and_metadata(trained):
    req = request(trained)
    lib = generate_library(req)
    z = zipfile.ZipFile(io.BytesIO(tflite_zip(lib, req, {"int8": trained.tflite["int8"]})))
    assert z.read("gesture_demo_inferencing/gesture_demo_inferencing.int8.tflite") == trained.tflite["int8"]
    meta = json.loads(z.read("gesture_demo_inferencing/gesture_demo_inferencing.json"))
    assert meta["labels"] == LABELS and meta["input"]["raw_sample_count"] == 125 and meta["features"] == 33


def test_network_for_other_features_is_refused_by_name(trained):
    impulse = json.loads(json.dumps(IMPULSE))
    impulse["processing_blocks"][0]["axes"] = ["accX", "accY"]
    with pytest.raises(LibraryInputError, match="takes 33 inputs but the DSP blocks make 22 of the 22 features"):
        generate_library(request(trained, impulse=impulse))


def test_label_count_must_match_the_network(trained):
    with pytest.raises(LibraryInputError, match="4 outputs for 3 labels"):
        generate_library(request(trained, labels=LABELS[:3]))


def test_unknown_axis_and_bad_model_bytes_are_named():
    impulse = json.loads(json.dumps(IMPULSE))
    impulse["processing_blocks"][0]["axes"] = ["gyroX"]
    with pytest.raises(LibraryInputError, match="axis 'gyroX'"):
        read_impulse(impulse)
    with pytest.raises(LibraryInputError, match="not a valid .tflite"):
        generate_library(LibraryRequest("p", IMPULSE, LABELS, b"not a model", "int8"))


def test_anomaly_only_impulse_has_no_network(trained):
    lib = generate_library(request(trained, labels=[], model_tflite=None))
    assert "tf_model.c" not in lib.sources and "tf_anomaly.c" in lib.sources
    assert "#define TF_CLASSIFIER_LABEL_COUNT 0" in lib.sources[lib.header]


def test_a_library_name_that_is_no_identifier_is_refused(trained):
    with pytest.raises(LibraryInputError, match="'../evil' is not a library name"):
        generate_library(request(trained, library="../evil"))


def test_slices_default_to_whole_frame_strides_for_frame_based_dsp(trained):
    from workers.codegen.library.generator import default_slices

    # the keyword impulse: 1 s at 16 kHz, 320-sample stride; 4 slices would be 12.5 frames each
    assert default_slices(16000, 320)[0] == 5
    assert default_slices(15360, 320)[0] == 4  # 960 ms: 12 frames a quarter
    assert default_slices(16000, 0) == (4, "the DSP has no frames: each slice computes the whole window's features")
    n, why = default_slices(16001, 320)  # no count from 4 to 10 cuts it into whole strides
    assert n == 4 and "recomputes every frame" in why
    # the motion impulse has no frame-based block: its header and metadata keep 4
    lib = generate_library(request(trained))
    assert "#define TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW 4\n" in lib.sources[lib.header]


def test_keyword_library_header_readme_and_metadata_name_the_chosen_slices():
    from workers.codegen.library import metadata_json

    impulse = {
        "input": {"type": "time-series", "axes": ["audio"], "frequency_hz": 16000, "window_size_ms": 1000},
        "processing": [{"id": "mfcc", "params": {}}],
    }
    req = LibraryRequest("Keywords", impulse, [], None)
    lib = generate_library(req)
    assert "#define TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW 5\n" in lib.sources[lib.header]
    meta = json.loads(metadata_json(lib, req))["continuous"]
    assert meta["slices_per_model_window"] == 5 and meta["slice_size"] == 3200
    assert "3200 samples" in meta["slices_per_model_window_why"]
    readme = next(
        z.read(n).decode()
        for z in [zipfile.ZipFile(io.BytesIO(cpp_zip(lib, req)))]
        for n in z.namelist()
        if n.endswith("/README.md")
    )
    assert "(default 5: the fewest slices from 4 whose slice (3200 samples)" in readme
