"""The impulse-level library: one public header and `run_classifier` around the generated DSP,
network and anomaly C code. Pure: configuration and model bytes in, file texts out, byte-stable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from workers.codegen.anomaly import AnomalyModelError, render_kmeans_c
from workers.codegen.c_literals import c_float, c_index_array
from workers.codegen.dsp_c import DspCodegenError, plan_dsp, render_dsp_config, render_dsp_header, static_sources
from workers.codegen.library.impulse_config import (
    ImpulseInput,
    LibraryInputError,
    is_library_name,
    library_name,
    read_impulse,
)
from workers.codegen.library.normalization import normalization_c
from workers.codegen.library.user_text import markdown, text_fields
from workers.codegen.nn import CodegenError, generate_model_c
from workers.codegen.templating import load_template

VARIANTS = ("int8", "float32")
# DSP blocks whose features are computed one axis at a time from that axis alone.
_PER_AXIS_BLOCKS = frozenset({"spectral-analysis", "flatten"})
SLICES_PER_MODEL_WINDOW = 4  # TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW's default without frame-based DSP
MAX_SLICES_PER_MODEL_WINDOW = 10  # the most slices the default picks for frame-based DSP
AUDIO_MIN_FREQUENCY_HZ = 8000.0  # one axis at least this fast is sound: the microphone examples apply
MICROPHONE_RATE_HZ = 16000  # the PDM microphone of the Nano 33 BLE Sense


@dataclass(frozen=True)
class LibraryRequest:
    """Everything a library is made of. `anomaly` is the K-means model's JSON (KMeansModel.to_json)."""

    project_name: str
    impulse: dict[str, Any]
    labels: list[str]
    model_tflite: bytes | None
    variant: str = "int8"
    anomaly: dict[str, Any] | None = None
    build: int = 1
    impulse_name: str = ""
    library: str | None = None  # the library's name; None: library_name(project_name, impulse_name)
    example_window: list[float] | None = None  # pasted into the static_buffer example
    model_feature_indices: list[int] | None = None  # features the network reads (None: all, in order)
    model_feature_normalization: dict[str, Any] | None = None  # {mean, std} per network input, or None
    extra: dict[str, Any] = field(default_factory=dict)  # facts for the metadata (metrics, estimates)


@dataclass(frozen=True)
class GeneratedLibrary:
    name: str  # <project>_<impulse>_inferencing
    header: str  # <name>.h
    sources: dict[str, str]  # file name in src/ -> text
    fields: dict[str, Any]  # template fields shared by the packaging
    feature_count: int
    labels: tuple[str, ...]
    arena_size: int  # bytes of the network's activation arena (0 without a network)
    static_ram: int  # bytes of the library's static buffers (window, features, scratch, arena, io)
    input: ImpulseInput  # the impulse's input, for the metadata


def generate_library(req: LibraryRequest) -> GeneratedLibrary:
    """Generate src/ of the library. Raises LibraryInputError with a message a user can act on."""
    if req.variant not in VARIANTS:
        raise LibraryInputError(f"unknown model variant {req.variant!r}: choose int8 or float32")
    impulse = read_impulse(req.impulse)
    n_axes = len(impulse.axes)
    try:
        plan = plan_dsp(list(impulse.dsp_blocks), impulse.frequency_hz, impulse.window_len, n_axes)
        dsp_config = render_dsp_config(list(impulse.dsp_blocks), impulse.frequency_hz, impulse.window_len, n_axes)
        dsp_header = render_dsp_header(list(impulse.dsp_blocks), impulse.frequency_hz, impulse.window_len, n_axes)
    except (DspCodegenError, ValueError, LookupError) as exc:
        raise LibraryInputError(f"the impulse's DSP cannot be compiled to C: {exc}") from exc
    features = plan.features_count
    name = req.library or library_name(req.project_name, req.impulse_name)
    if not is_library_name(name):
        raise LibraryInputError(f"{name!r} is not a library name: use letters, digits and underscores")
    header = f"{name}.h"
    sources = {"tf_dsp_config.c": dsp_config, "tf_dsp_config.h": dsp_header}
    for path in static_sources():
        sources[path.name] = path.read_text(encoding="utf-8")

    labels = list(req.labels)
    axis_at_a_time = all(b["id"] in _PER_AXIS_BLOCKS for b in impulse.dsp_blocks)
    axis_floats = max(plan.scratch_floats, impulse.window_len) if axis_at_a_time else 0
    # After the DSP its buffer is free: the network's buffers live there (axis at a time: the axis
    # buffer; else the DSP's scratch).
    overlay = ("tf_axis", 4 * axis_floats) if axis_at_a_time else ("tf_dsp_scratch", 4 * plan.scratch_floats)
    model_fields, model_ram, arena = _model_part(req, features, labels, sources, overlay)
    anomaly_fields = _anomaly_part(req, features, sources)
    slots = max(1, len(labels))
    interval = 1000.0 / impulse.frequency_hz
    # axis at a time: one axis, processed in the scratch; else the whole window and the scratch
    dsp_floats = axis_floats or n_axes * impulse.window_len + plan.scratch_floats
    static_ram = 4 * (dsp_floats + features) + model_ram
    # run_classifier_continuous adds its own window and the score history of smoothing (and, axis at
    # a time, the DSP's whole-window scratch, which run_classifier does not use then).
    slices, slices_why = default_slices(impulse.window_len, plan.frame_stride)
    history_ram = 4 * slices * slots
    continuous_ram = 4 * (n_axes * impulse.window_len + (plan.scratch_floats if axis_at_a_time else 0)) + history_ram
    slice_size = impulse.window_len // slices
    fields = {
        "header": header,
        "guard": f"{name.upper()}_H",
        "library_name": name,
        "build": req.build,
        **text_fields(req.project_name, req.impulse_name, labels, impulse.axes),
        "axes_count": n_axes,
        "frequency_text": f"{impulse.frequency_hz:g}",
        "frequency_c": c_float(impulse.frequency_hz),
        "interval_text": f"{interval:.6g}",
        "interval_c": c_float(interval),
        "window_ms": f"{impulse.window_size_ms:g}",
        "window_increase_ms": f"{impulse.window_increase_ms:g}",
        "raw_sample_count": impulse.window_len,
        "dsp_input_size": impulse.window_len * n_axes,
        "feature_count": features,
        "label_count": len(labels),
        "label_slots": slots,
        "variant": req.variant,
        "is_int8": 1 if req.variant == "int8" and req.model_tflite else 0,
        "processing_summary": ", ".join(b["id"] for b in impulse.dsp_blocks),
        "dsp_axis_at_a_time": int(axis_at_a_time),
        "learning_summary": markdown(", ".join(impulse.learning_types)) or "none",
        "ram_text": (
            f"{static_ram} bytes of static buffers (plus stack); run_classifier_continuous adds {continuous_ram} "
            "(its window and score history)"
        ),
        "slices_per_model_window": slices,
        "slices_why": slices_why,
        "slice_size": slice_size,
        "slice_ms": f"{slice_size * interval:.6g}",
        "history_ram": history_ram,
        "continuous_ram": continuous_ram,
        "microphone_decimation": microphone_decimation(impulse),
        "microphone_md": _microphone_md(impulse),
        **model_fields,
        **anomaly_fields,
    }
    sources["tf_classifier.c"] = load_template(__package__, "impulse.c.tmpl").substitute(fields)
    sources[header] = load_template(__package__, "impulse.h.tmpl").substitute(fields)
    sources["tf_classifier_arduino.cpp"] = load_template(__package__, "platform_arduino.cpp.tmpl").substitute(fields)
    fields["source_count"] = len(sources)
    return GeneratedLibrary(
        name, header, dict(sorted(sources.items())), fields, features, tuple(labels), arena, static_ram, impulse
    )


def default_slices(window_len: int, frame_stride: int) -> tuple[int, str]:
    """TF_CLASSIFIER_SLICES_PER_MODEL_WINDOW's default and why: with frame-based DSP (MFCC, MFE,
    spectrogram) the fewest slices, from 4, whose slice is a whole number of frame strides (then
    each slice computes only its new frames); else 4."""
    if frame_stride > 0:
        for n in range(SLICES_PER_MODEL_WINDOW, MAX_SLICES_PER_MODEL_WINDOW + 1):
            if window_len % n == 0 and (window_len // n) % frame_stride == 0:
                return n, (
                    f"the fewest slices from {SLICES_PER_MODEL_WINDOW} whose slice ({window_len // n} samples) is a "
                    f"whole number of frame strides ({frame_stride} samples): each slice computes only its new frames"
                )
        return SLICES_PER_MODEL_WINDOW, (
            f"no count from {SLICES_PER_MODEL_WINDOW} to {MAX_SLICES_PER_MODEL_WINDOW} cuts the window into whole "
            f"frame strides ({frame_stride} samples): each slice recomputes every frame of the window"
        )
    return SLICES_PER_MODEL_WINDOW, "the DSP has no frames: each slice computes the whole window's features"


def _model_part(
    req: LibraryRequest,
    features: int,
    labels: list[str],
    sources: dict[str, str],
    free_after_dsp: tuple[str, int] = ("", 0),
) -> tuple[dict[str, str], int, int]:
    """`free_after_dsp`: (name, bytes) of a DSP buffer unused once the features exist; the network's
    input, output and arena are placed there when they fit (0 bytes: they get their own)."""
    empty = {"model_include": "", "model_buffers": "", "has_classifier": 0, "model_files": "", "run_model": ""}
    if req.model_tflite is None:
        if labels:
            raise LibraryInputError("the impulse has labels but no trained network: train it first")
        return empty, 0, 0
    try:
        model = generate_model_c(req.model_tflite, prefix="tf_model")
    except CodegenError as exc:
        raise LibraryInputError(f"the network cannot be compiled to C: {exc}") from exc
    except ValueError as exc:
        raise LibraryInputError(f"the {req.variant} model file is not a valid .tflite model: {exc}") from exc
    n_in = 1
    for d in model.input_shape:
        n_in *= d
    n_out = 1
    for d in model.output_shape:
        n_out *= d
    picked = list(range(features)) if req.model_feature_indices is None else list(req.model_feature_indices)
    if n_in != len(picked) or any(not 0 <= i < features for i in picked):
        source = "the DSP blocks make" if req.model_feature_indices is None else "it is given"
        raise LibraryInputError(
            f"the network takes {n_in} inputs but {source} {len(picked)} of the {features} "
            "features: train the impulse again after changing its blocks"
        )
    if n_out != len(labels):
        raise LibraryInputError(f"the network has {n_out} outputs for {len(labels)} labels")
    if (model.input_dtype == "int8") != (req.variant == "int8"):
        raise LibraryInputError(f"the model given as {req.variant} has {model.input_dtype} input")
    sources.update(model.files)
    ctype = {"int8": "int8_t", "float32": "float"}
    buffers = f"static {ctype[model.output_dtype]} tf_model_output[TF_MODEL_OUTPUT_SIZE];\n"
    source = "tf_features[i]"
    if picked != list(range(features)):  # the network reads some blocks' features only
        buffers = c_index_array("tf_model_feature_index", picked) + buffers
        source = "tf_features[tf_model_feature_index[i]]"
    constants, source = normalization_c(req.model_feature_normalization, n_in, source)
    buffers = constants + buffers
    if model.input_dtype == "int8":
        buffers = "static int8_t tf_model_input[TF_MODEL_INPUT_SIZE];\n" + buffers
        run = _RUN_INT8_INPUT.replace("tf_features[i]", source)
    elif source != "tf_features[i]":
        buffers = "static float tf_model_input[TF_MODEL_INPUT_SIZE];\n" + buffers
        run = (
            f"    for (i = 0; i < TF_MODEL_INPUT_SIZE; ++i) {{\n        tf_model_input[i] = {source};\n    }}\n"
            "    if (tf_model_invoke(tf_model_input, tf_model_output) != 0) {\n"
            "        return TF_CLASSIFIER_ERR_NN;\n    }\n"
        )
    else:
        run = (
            "    if (tf_model_invoke(tf_features, tf_model_output) != 0) {\n"
            "        return TF_CLASSIFIER_ERR_NN;\n    }\n"
        )
    value = (
        "(float)(tf_model_output[i] - TF_MODEL_OUTPUT_ZERO_POINT) * TF_MODEL_OUTPUT_SCALE"
        if model.output_dtype == "int8"
        else "tf_model_output[i]"
    )
    run += (
        f"    for (i = 0; i < TF_CLASSIFIER_LABEL_COUNT; ++i) {{\n"
        f"        result->classification[i].value = {value};\n    }}\n"
    )
    itemsize = {"int8": 1, "float32": 4}
    in_bytes = n_in if model.input_dtype == "int8" else (4 * n_in if source != "tf_features[i]" else 0)
    out_bytes = n_out * itemsize[model.output_dtype]
    out_at = (in_bytes + 3) // 4 * 4
    arena_at = (out_at + out_bytes + 7) // 8 * 8
    area, free = free_after_dsp
    arena_bytes = model.arena_size
    if out_at + out_bytes <= free:
        buffers = _overlay_buffers(buffers, area, in_bytes, out_at)
        in_bytes = out_bytes = 0
        if arena_bytes and arena_at + arena_bytes <= free and _overlay_arena(sources, area, arena_at):
            arena_bytes = 0
    ram = arena_bytes + out_bytes + in_bytes
    files = (
        "- `tf_model.c`, `tf_model.h`, `tf_model_weights.h`: the network "
        f"({', '.join(dict.fromkeys(model.operators))}; arena {model.arena_size} bytes).\n"
    )
    return (
        {
            "model_include": '#include "tf_model.h"\n',
            "model_buffers": buffers,
            "has_classifier": 1,
            "run_model": run,
            "model_files": files,
        },
        ram,
        model.arena_size,
    )


def _overlay_arena(sources: dict[str, str], area: str, at: int) -> bool:
    """The network's activation arena `at` bytes into the DSP buffer `area` (tf_model.c edited);
    False if tf_model.c does not declare its arena as expected."""
    text = sources["tf_model.c"]
    decl = re.search(r"^static (int8_t|float) tf_model_arena\[\d+\];\n", text, flags=re.MULTILINE)
    if decl is None or area != "tf_dsp_scratch":  # tf_axis is static in tf_classifier.c
        return False
    ctype = decl.group(1)
    sources["tf_model.c"] = (
        text[: decl.start()]
        + "/* The DSP's scratch (tf_dsp_config.c) is free while the network runs: the arena lives there. */\n"
        + "extern float tf_dsp_scratch[];\n"
        + f"#define tf_model_arena (({ctype} *)(void *)((char *)tf_dsp_scratch + {at}))\n"
        + text[decl.end() :]
    )
    return True


def _overlay_buffers(buffers: str, area: str, in_bytes: int, out_at: int) -> str:
    """The network's input (if any) at the start of `area` and its output after it (4-aligned)."""
    lines = []
    for line in buffers.splitlines(keepends=True):
        m = re.match(r"static (\w+) (tf_model_input|tf_model_output)\[\w+\];\n", line)
        if not m:
            lines.append(line)
            continue
        ctype, name = m.groups()
        at = 0 if name == "tf_model_input" else out_at
        lines.append(f"#define {name} (({ctype} *)(void *)((char *){area} + {at}))\n")
    what = "axis buffer" if area == "tf_axis" else "scratch"
    head = f"/* After the DSP its {what} is free: the network's input and output live there. */\n"
    return head + "".join(lines)


_MICROPHONE_MD = """
### Sound on the Arduino Nano 33 BLE Sense

Three examples use the board's PDM microphone (the `PDM` library of the Arduino Mbed OS Nano core):

- `nano_ble33_sense_microphone`: records one window, classifies it, prints the scores;
- `nano_ble33_sense_microphone_continuous`: records without pause in double-buffered slices and
  classifies after every slice with `run_classifier_continuous` (smoothed); it warns when a slice
  was dropped because inference took longer than a slice;
- `nano_ble33_sense_microphone_forward`: prints the microphone's samples, one per line, for the
  data forwarder (`tinyforge forward --port /dev/ttyACM0`) or the studio's Web Serial page, to
  record training data with the board itself. The USB serial port carries 16,000 lines per second
  (the forwarder keeps up with that rate); if your computer drops lines, record with a phone in
  the studio instead.
"""

# TFLite's Quantize: q = round_half_away(x / scale) + zero_point, saturated to int8.
_RUN_INT8_INPUT = """\
    for (i = 0; i < TF_MODEL_INPUT_SIZE; ++i) {
        const float scaled = tf_features[i] / TF_MODEL_INPUT_SCALE;
        float rounded = floorf(fabsf(scaled) + 0.5f);
        int32_t q;
        if (rounded > 512.0f) {
            rounded = 512.0f;
        }
        q = (int32_t)(scaled < 0.0f ? -rounded : rounded) + TF_MODEL_INPUT_ZERO_POINT;
        tf_model_input[i] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
    }
    if (tf_model_invoke(tf_model_input, tf_model_output) != 0) {
        return TF_CLASSIFIER_ERR_NN;
    }
"""


def _anomaly_part(req: LibraryRequest, features: int, sources: dict[str, str]) -> dict[str, Any]:
    if req.anomaly is None:
        return {"has_anomaly": 0, "anomaly_include": "", "run_anomaly": "", "anomaly_files": ""}
    a = req.anomaly
    try:
        files = render_kmeans_c(
            a["centers"], a["radii"], a["feature_indices"], a.get("mean"), a.get("std"), prefix="tf_anomaly"
        )
    except (AnomalyModelError, KeyError, TypeError, ValueError) as exc:
        raise LibraryInputError(f"the anomaly model cannot be compiled to C: {exc}") from exc
    if max(int(i) for i in a["feature_indices"]) >= features:
        raise LibraryInputError("the anomaly model reads features the DSP blocks do not make: train it again")
    sources.update(files)
    return {
        "has_anomaly": 1,
        "anomaly_include": '#include "tf_anomaly.h"\n',
        "run_anomaly": "    result->anomaly = tf_anomaly_score(tf_features);\n",
        "anomaly_files": f"- `tf_anomaly.c`, `tf_anomaly.h`: the K-means anomaly scorer "
        f"({len(a['radii'])} clusters).\n",
    }


def is_audio(inp: ImpulseInput) -> bool:
    """One axis sampled at audio rates: the library gets the microphone examples."""
    return len(inp.axes) == 1 and inp.frequency_hz >= AUDIO_MIN_FREQUENCY_HZ


def microphone_decimation(inp: ImpulseInput) -> int:
    """Microphone samples per impulse sample when the board's microphone can feed the impulse
    (one axis at 16 kHz or an integer fraction of it, at least 8 kHz), else 0."""
    ratio = MICROPHONE_RATE_HZ / inp.frequency_hz
    return int(ratio) if is_audio(inp) and ratio == int(ratio) else 0


def _microphone_md(inp: ImpulseInput) -> str:
    if microphone_decimation(inp):
        return _MICROPHONE_MD
    if is_audio(inp):
        return (
            f"\nThe microphone of the Arduino Nano 33 BLE Sense records at {MICROPHONE_RATE_HZ} Hz, which does not "
            f"make {inp.frequency_hz:g} Hz by dropping samples: the library has no microphone examples. "
            "Impulses at 16000 or 8000 Hz get them.\n"
        )
    return ""


def metadata_json(lib: GeneratedLibrary, req: LibraryRequest, extra: dict[str, Any] | None = None) -> str:
    """The JSON file describing the impulse and the library (byte-stable: sorted keys, no dates),
    built from the values themselves: json.dumps escapes every name."""
    inp = lib.input
    data = {
        "library": lib.name,
        "header": lib.header,
        "version": f"1.0.{req.build}",
        "build": req.build,
        "project": req.project_name,
        "impulse_name": req.impulse_name,
        "variant": req.variant,
        "impulse": req.impulse,
        "labels": list(lib.labels),
        "input": {
            "axes": list(inp.axes),
            "frequency_hz": inp.frequency_hz,
            "interval_ms": 1000.0 / inp.frequency_hz,
            "raw_sample_count": inp.window_len,
            "dsp_input_frame_size": inp.window_len * len(inp.axes),
        },
        "features": lib.feature_count,
        "has_anomaly": req.anomaly is not None,
        "memory": {"arena_bytes": lib.arena_size, "static_ram_bytes": lib.static_ram},
        "continuous": {
            "slices_per_model_window": lib.fields["slices_per_model_window"],
            "slices_per_model_window_why": lib.fields["slices_why"],
            "slice_size": lib.fields["slice_size"],
            "static_ram_bytes": lib.fields["continuous_ram"],  # in addition to memory.static_ram_bytes
            "score_history_bytes": lib.fields["history_ram"],
        },
        **req.extra,
        **(extra or {}),
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"
