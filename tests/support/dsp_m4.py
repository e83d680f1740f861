"""Instructions one tf_dsp_run() call of a generated DSP configuration executes on a Cortex-M4F
(arm-none-eabi-gcc -Os, qemu mps2-an386 -icount shift=0: SysTick then counts instructions, one
tick per 40 of them). What workers/codegen/estimate.py is calibrated against and checked with.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from support.library_build import CORES, Core, qemu_m4_command, run_qemu

HAS_M4 = bool(shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm"))

_MAIN = r"""
#include <stdio.h>
#include "tf_dsp.h"
#include "tf_dsp_config.h"
#define SYST_CSR (*(volatile unsigned int *)0xE000E010u)
#define SYST_RVR (*(volatile unsigned int *)0xE000E014u)
#define SYST_CVR (*(volatile unsigned int *)0xE000E018u)
static float window[TF_DSP_INPUT_FLOATS];
static float features[TF_DSP_FEATURES_COUNT];
int main(void)
{
    unsigned int i, s = 1u, before, after;
    for (i = 0; i < TF_DSP_INPUT_FLOATS; i++) { /* a tone with noise, int16 range */
        s = s * 1103515245u + 12345u;
        window[i] = AMPLITUDE * ((float)((i * 37u) % 200u) / 200.0f - 0.5f + (float)((s >> 16) % 600u) / 4000.0f);
    }
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0u;
    SYST_CSR = 5u;
    before = SYST_CVR;
    if (tf_dsp_run(window, features) != TF_DSP_OK) {
        printf("dsp error\n");
        return 1;
    }
    after = SYST_CVR;
    printf("instructions %u\n", (((before - after) & 0xFFFFFFu) * TF_HARNESS_TICK_MUL) >> TF_HARNESS_TICK_SHIFT);
    return 0;
}
"""


def dsp_instructions(
    blocks: list[dict[str, Any]],
    frequency_hz: float,
    window_len: int,
    axes_count: int,
    directory: Path,
    core: Core = CORES["cortex-m4f"],
) -> int:
    """Instructions of tf_dsp_run on one window (a tone with noise; amplitude 8000 for audio rates,
    1 otherwise) of the C DSP the library generator would emit for `blocks` (dsp_c's shape), on the
    Cortex-M4F or another core of library_build.CORES."""
    from workers.codegen.dsp_c import render_dsp_config, render_dsp_header, static_sources

    directory.mkdir(parents=True, exist_ok=True)
    lib = static_sources()[0].parent
    (directory / "tf_dsp_config.c").write_text(render_dsp_config(blocks, frequency_hz, window_len, axes_count))
    (directory / "tf_dsp_config.h").write_text(render_dsp_header(blocks, frequency_hz, window_len, axes_count))
    amplitude = "8000.0f" if frequency_hz >= 4000 else "1.0f"
    (directory / "main.c").write_text(_MAIN.replace("AMPLITUDE", amplitude))
    shutil.copy(lib / "tf_dsp.c", directory / "tf_dsp.c")
    shutil.copy(lib / "tf_dsp.h", directory / "tf_dsp.h")
    subprocess.run(
        [
            "arm-none-eabi-gcc",
            *core.flags,
            *core.defines(),
            "-I.",
            "-nostartfiles",
            "--specs=nano.specs",
            "--specs=rdimon.specs",
            "-T",
            str(core.link_script),
            "-Wl,--gc-sections",
            str(core.link_script.parent.parent / "m4" / "startup.c"),
            "main.c",
            "tf_dsp.c",
            "tf_dsp_config.c",
            "-lm",
            "-o",
            "dsp.elf",
        ],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    )
    out = run_qemu(qemu_m4_command("dsp.elf", machine=core.machine), directory, timeout=300)
    for line in out.stdout.splitlines():
        if line.startswith("instructions "):
            return int(line.split()[1])
    raise AssertionError(f"no count from qemu (exit {out.returncode}):\n{out.stdout[-2000:]}{out.stderr[-2000:]}")
