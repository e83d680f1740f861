"""Zip the generated library for its targets: the Arduino IDE (1.5 library format), CMake, and
the bare .tflite files. Zips are byte-stable: sorted entries, fixed dates and permissions."""

from __future__ import annotations

import io
import zipfile

from workers.codegen.library.generator import GeneratedLibrary, LibraryRequest, is_audio, metadata_json
from workers.codegen.templating import load_template

# example folder -> (board, IMU library, its header); the sketches share one template.
IMU_EXAMPLES = {
    "nano_ble33_sense_accelerometer": ("Arduino Nano 33 BLE Sense", "Arduino_LSM9DS1", "Arduino_LSM9DS1.h"),
    "nano_ble33_sense_rev2_accelerometer": (
        "Arduino Nano 33 BLE Sense Rev2",
        "Arduino_BMI270_BMM150",
        "Arduino_BMI270_BMM150.h",
    ),
}
# example folder -> its template, for impulses the Nano 33 BLE Sense's PDM microphone can feed
# (the PDM library ships with the board's core: no dependency to declare).
MICROPHONE_EXAMPLES = {
    "nano_ble33_sense_microphone": "microphone.ino.tmpl",
    "nano_ble33_sense_microphone_continuous": "microphone_continuous.ino.tmpl",
    "nano_ble33_sense_microphone_forward": "microphone_forward.ino.tmpl",
}
_FIXED_DATE = (2026, 1, 1, 0, 0, 0)


def deterministic_zip(files: dict[str, str | bytes]) -> bytes:
    """A zip of `files` (path -> content) whose bytes depend only on the content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(files):
            info = zipfile.ZipInfo(path, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = files[path]
            z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def _static_buffer_values(lib: GeneratedLibrary, req: LibraryRequest) -> str:
    size = lib.fields["dsp_input_size"]
    if req.example_window is None or len(req.example_window) != size:
        return "    0.0f /* replace with the raw values of one window */"
    values = [f"{float(v):.9g}f" for v in req.example_window]
    values = [v if any(c in v for c in ".en") else v[:-1] + ".0f" for v in values]
    step = lib.fields["axes_count"]
    rows = [", ".join(values[i : i + step]) for i in range(0, len(values), step)]
    return "\n".join(f"    {row}," for row in rows)


def arduino_examples(lib: GeneratedLibrary, req: LibraryRequest) -> dict[str, str]:
    """examples/<name>/<name>.ino -> text."""
    f = lib.fields
    static_text = load_template(__package__, "static_buffer.ino.tmpl").substitute(
        f, example_values=_static_buffer_values(lib, req)
    )
    out = {
        "static_buffer": static_text,
        "serial_values": load_template(__package__, "serial_values.ino.tmpl").substitute(f),
    }
    if f["microphone_decimation"]:
        for example, template in MICROPHONE_EXAMPLES.items():
            out[example] = load_template(__package__, template).substitute(f)
    elif not is_audio(lib.input):  # the IMU examples are for motion, not sound
        for example, (board, imu, imu_header) in IMU_EXAMPLES.items():
            out[example] = load_template(__package__, "accelerometer.ino.tmpl").substitute(
                f, example=example, board=board, imu_library=imu, imu_header=imu_header
            )
    return {f"examples/{name}/{name}.ino": text for name, text in sorted(out.items())}


def library_properties(lib: GeneratedLibrary, req: LibraryRequest) -> str:
    detail = f"classifies {lib.fields['labels_line']}" if lib.labels else "scores anomalies"
    if lib.fields["has_anomaly"] and lib.labels:
        detail += " and scores anomalies"
    depends = "" if is_audio(lib.input) else ",".join(imu for _, imu, _ in IMU_EXAMPLES.values())
    text = load_template(__package__, "library.properties.tmpl").substitute(
        lib.fields, sentence_detail=detail, depends=depends
    )
    return text if depends else text.replace("depends=\n", "")


def arduino_zip(lib: GeneratedLibrary, req: LibraryRequest, metadata_extra: dict | None = None) -> bytes:
    """`<name>/`: library.properties, README.md, src/, examples/, metadata JSON."""
    root = lib.name
    files: dict[str, str | bytes] = {f"{root}/src/{n}": t for n, t in lib.sources.items()}
    files.update({f"{root}/{p}": t for p, t in arduino_examples(lib, req).items()})
    files[f"{root}/library.properties"] = library_properties(lib, req)
    files[f"{root}/README.md"] = load_template(__package__, "README.md.tmpl").substitute(lib.fields)
    files[f"{root}/{root}.json"] = metadata_json(lib, req, metadata_extra)
    return deterministic_zip(files)


def cpp_zip(lib: GeneratedLibrary, req: LibraryRequest, metadata_extra: dict | None = None) -> bytes:
    """`<name>/`: CMakeLists.txt, README.md, src/ (without the Arduino glue), example/main.cpp."""
    root = lib.name
    files: dict[str, str | bytes] = {
        f"{root}/src/{n}": t for n, t in lib.sources.items() if not n.endswith("_arduino.cpp")
    }
    files[f"{root}/CMakeLists.txt"] = load_template(__package__, "CMakeLists.txt.tmpl").substitute(lib.fields)
    files[f"{root}/example/main.cpp"] = load_template(__package__, "main.cpp.tmpl").substitute(lib.fields)
    files[f"{root}/README.md"] = load_template(__package__, "README.md.tmpl").substitute(lib.fields)
    files[f"{root}/{root}.json"] = metadata_json(lib, req, metadata_extra)
    return deterministic_zip(files)


def tflite_zip(
    lib: GeneratedLibrary, req: LibraryRequest, models: dict[str, bytes], metadata_extra: dict | None = None
) -> bytes:
    """`<name>/`: the .tflite files (variant -> bytes) and the metadata JSON."""
    root = lib.name
    files: dict[str, str | bytes] = {f"{root}/{root}.{variant}.tflite": data for variant, data in models.items()}
    files[f"{root}/{root}.json"] = metadata_json(lib, req, metadata_extra)
    return deterministic_zip(files)
