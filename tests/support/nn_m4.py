"""Run generated networks bare-metal on a Cortex-M4F under qemu (mps2-an386, -icount shift=0).

Several models go into one program (each with its own prefix) so a test pays for one link and one
qemu start. Inputs are linked in with .incbin; every output vector comes back over semihosting as
hex, and the instructions of each model's invocations are counted with SysTick (one tick per 40
instructions under -icount shift=0).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from support.library_build import qemu_m4_command, run_qemu
from workers.codegen.nn.generator import GeneratedModel

HERE = Path(__file__).resolve().parent
M4_CFLAGS = [
    "-std=c99",
    "-mcpu=cortex-m4",
    "-mthumb",
    "-mfloat-abi=hard",
    "-mfpu=fpv4-sp-d16",
    "-ffunction-sections",
    "-fdata-sections",
    "-Wall",
    "-Wextra",
    "-Werror",
]
_NUMPY = {"int8": np.int8, "float32": np.float32}
_CTYPE = {"int8": "int8_t", "float32": "float"}


@dataclass
class M4Result:
    outputs: list[np.ndarray]  # per model [n, *output_shape]
    instructions: list[int]  # per model: instructions of one invocation (mean over its inputs)
    step_instructions: list[list[int]]  # per model, per kernel call (with step_timing), mean


_CALL = re.compile(r"^    (tf_nn_\w+\(&\w+, [^;]*\);)(.*)$", re.M)


def time_steps(source: str, prefix: str) -> tuple[str, int]:
    """The model's C with every kernel call between two SysTick reads, summed per step into
    `<prefix>_step_ticks[]` (a measuring build only; the generated files are unchanged)."""
    calls = _CALL.findall(source)
    head = (
        f"unsigned int {prefix}_step_ticks[{max(1, len(calls))}];\n"
        "#define TF_TICKS (*(volatile unsigned int *)0xE000E018u)\n"
    )
    counter = iter(range(len(calls)))

    def wrap(m: re.Match) -> str:
        i = next(counter)
        return (
            f"    {{ unsigned int t0 = TF_TICKS; {m.group(1)} "
            f"{prefix}_step_ticks[{i}] += (t0 - TF_TICKS) & 0xFFFFFFu; }}{m.group(2)}"
        )

    body = _CALL.sub(wrap, source)
    marker = f"int {prefix}_invoke("
    return body.replace(marker, head + marker, 1), len(calls)


def _harness(models: list[GeneratedModel], counts: list[int], steps: list[int]) -> str:
    lines = [
        "#include <stdio.h>",
        "#include <stdint.h>",
        *[f'#include "{m.prefix}.h"' for m in models],
        "#define SYST_CSR (*(volatile unsigned int *)0xE000E010u)",
        "#define SYST_RVR (*(volatile unsigned int *)0xE000E014u)",
        "#define SYST_CVR (*(volatile unsigned int *)0xE000E018u)",
        "static unsigned int ticks(void) { return SYST_CVR; }",
    ]
    for k, m in enumerate(models):
        if steps[k]:
            lines.append(f"extern unsigned int {m.prefix}_step_ticks[];")
        lines += [
            f'__asm__(".section .rodata\\n.balign 4\\n.global tf_in{k}\\ntf_in{k}:\\n.incbin \\"in{k}.bin\\"\\n.previous\\n");',
            f"extern const {_CTYPE[m.input_dtype]} tf_in{k}[];",
            f"static {_CTYPE[m.output_dtype]} tf_out{k}[{m.prefix.upper()}_OUTPUT_SIZE];",
        ]
    lines += ["int main(void)", "{", "    unsigned int n, i, t0, spent;", "    const unsigned char *bytes;"]
    lines += ["    SYST_RVR = 0xFFFFFFu;", "    SYST_CVR = 0u;", "    SYST_CSR = 5u;"]
    for k, m in enumerate(models):
        P = m.prefix.upper()
        lines += [
            "    spent = 0u;",
            f"    for (n = 0; n < {counts[k]}u; ++n) {{",
            "        t0 = ticks();",
            f"        if ({m.prefix}_invoke(tf_in{k} + n * {P}_INPUT_SIZE, tf_out{k}) != 0) {{ return 2; }}",
            "        spent += (t0 - ticks()) & 0xFFFFFFu;",
            f"        bytes = (const unsigned char *)tf_out{k};",
            f'        printf("{k} ");',
            f'        for (i = 0; i < sizeof tf_out{k}; ++i) {{ printf("%02x", bytes[i]); }}',
            '        printf("\\n");',
            "    }",
            f'    printf("ticks {k} %u\\n", spent);',
        ]
        if steps[k]:
            lines += [
                f"    for (i = 0; i < {steps[k]}u; ++i) {{",
                f'        printf("step {k} %u %u\\n", i, {m.prefix}_step_ticks[i]);',
                "    }",
            ]
    lines += ["    return 0;", "}", ""]
    return "\n".join(lines)


def run_models_on_m4(
    models: list[tuple[GeneratedModel, np.ndarray]],
    directory: Path,
    opt: str = "-Os",
    defines: tuple[str, ...] = (),
    step_timing: bool = False,
) -> M4Result:
    """Build the models (distinct prefixes) with one harness and run them on their inputs under qemu.

    `defines` are extra -D flags (e.g. "TF_NN_NO_DSP" for the portable kernels); `step_timing`
    also counts the instructions of every kernel call."""
    directory.mkdir(parents=True, exist_ok=True)
    sources = []
    counts = []
    steps = []
    for k, (model, inputs) in enumerate(models):
        for name, text in model.files.items():
            (directory / name).write_text(text, encoding="utf-8")
        n_steps = 0
        if step_timing:
            timed, n_steps = time_steps(model.files[f"{model.prefix}.c"], model.prefix)
            (directory / f"{model.prefix}.c").write_text(timed, encoding="utf-8")
        steps.append(n_steps)
        sources.append(f"{model.prefix}.c")
        batch = np.ascontiguousarray(inputs, dtype=_NUMPY[model.input_dtype]).astype(
            np.dtype(_NUMPY[model.input_dtype]).newbyteorder("<")
        )
        (directory / f"in{k}.bin").write_bytes(batch.tobytes())
        counts.append(len(batch))
    gens = [m for m, _ in models]
    (directory / "main.c").write_text(_harness(gens, counts, steps), encoding="utf-8")
    subprocess.run(
        [
            "arm-none-eabi-gcc",
            *M4_CFLAGS,
            opt,
            *[f"-D{d}" for d in defines],
            "-I.",
            "-nostartfiles",
            "--specs=nano.specs",
            "--specs=rdimon.specs",
            "-T",
            str(HERE / "m4" / "link.ld"),
            "-Wl,--gc-sections",
            "-o",
            "nn_m4.elf",
            str(HERE / "m4" / "startup.c"),
            "main.c",
            *sources,
            "-lm",
        ],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    )
    done = run_qemu(qemu_m4_command("nn_m4.elf"), directory)
    if done.returncode != 0:
        raise AssertionError(f"qemu exited with {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    outputs, instructions, per_step = [], [], []
    for k, (model, _) in enumerate(models):
        rows = re.findall(rf"^{k} ([0-9a-f]+)$", done.stdout, re.M)
        if len(rows) != counts[k]:
            raise AssertionError(f"model {k}: {len(rows)} of {counts[k]} outputs:\n{done.stdout[-2000:]}")
        dtype = np.dtype(_NUMPY[model.output_dtype]).newbyteorder("<")
        flat = np.frombuffer(bytes.fromhex("".join(rows)), dtype=dtype)
        outputs.append(flat.reshape((counts[k], *model.output_shape)).astype(_NUMPY[model.output_dtype]))
        ticks = int(re.search(rf"^ticks {k} (\d+)$", done.stdout, re.M).group(1))
        instructions.append(round(ticks * 40 / counts[k]))
        found = re.findall(rf"^step {k} (\d+) (\d+)$", done.stdout, re.M)
        per_step.append([round(int(t) * 40 / counts[k]) for _, t in found])
    return M4Result(outputs, instructions, per_step)
