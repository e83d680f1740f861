"""Compile a generated model with the host C compiler and run it on inputs.

Used by the parity tests (generated C against the reference interpreter) and
usable by a deployment job to check a library before shipping it.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from .generator import GeneratedModel

STRICT_CFLAGS = ("-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-O2")

_HARNESS = """\
#include <stdio.h>
#include "{prefix}.h"

/* Reads whole input vectors from stdin until EOF, writes one output vector per input. */
int main(void)
{{
    static {in_t} input[{PREFIX}_INPUT_SIZE];
    static {out_t} output[{PREFIX}_OUTPUT_SIZE];
    while (fread(input, sizeof input, 1, stdin) == 1) {{
        if ({prefix}_invoke(input, output) != 0) {{
            return 2;
        }}
        if (fwrite(output, sizeof output, 1, stdout) != 1) {{
            return 3;
        }}
    }}
    return 0;
}}
"""

_NUMPY = {"int8": np.int8, "float32": np.float32}
_CTYPE = {"int8": "int8_t", "float32": "float"}


def build_host_executable(model: GeneratedModel, directory: Path, cc: str = "gcc") -> Path:
    """Write the model and a stdin/stdout harness into ``directory`` and compile them."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in model.files.items():
        (directory / name).write_text(text, encoding="utf-8")
    harness = directory / "main.c"
    harness.write_text(
        _HARNESS.format(
            prefix=model.prefix,
            PREFIX=model.prefix.upper(),
            in_t=_CTYPE[model.input_dtype],
            out_t=_CTYPE[model.output_dtype],
        ),
        encoding="utf-8",
    )
    executable = directory / "model_host"
    command = [cc, *STRICT_CFLAGS, "-o", str(executable), str(harness), str(directory / f"{model.prefix}.c"), "-lm"]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return executable


def run_on_host(model: GeneratedModel, inputs: np.ndarray, cc: str = "gcc") -> np.ndarray:
    """Run the generated C on a batch of inputs ``[n, *input_shape]``; returns ``[n, *output_shape]``."""
    batch = np.ascontiguousarray(inputs, dtype=_NUMPY[model.input_dtype])
    with tempfile.TemporaryDirectory(prefix="tinyforge-nn-") as tmp:
        executable = build_host_executable(model, Path(tmp), cc)
        result = subprocess.run([str(executable)], input=batch.tobytes(), capture_output=True, check=True)
    outputs = np.frombuffer(result.stdout, dtype=_NUMPY[model.output_dtype])
    return outputs.reshape((len(batch), *model.output_shape))
