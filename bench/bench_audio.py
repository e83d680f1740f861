"""Audio DSP throughput (Python, vectorised) for the standard keyword impulse.

1 s windows at 16 kHz, MFCC with Edge Impulse's keyword defaults (13 coefficients, frame 0.02 s,
stride 0.02 s, FFT 256, 32 filters, normalization window 101) -> 50 x 13 = 650 features; MFE and
spectrogram defaults for comparison. Prints windows/s batched (chunks as the feature job uses)
and one window per call, plus the machine's load; never asserts on time. The issue's target:
>= 5,000 MFCC windows/s batched on 2 cores.

With --m4 (needs arm-none-eabi-gcc and qemu-system-arm) it also runs the generated C DSP of the
keyword MFCC bare-metal on a Cortex-M4F (qemu mps2-an386, -icount shift=0: SysTick counts one tick
per 40 instructions) and prints the instructions for the whole window (tf_dsp_run), for one
continuous slice (tf_dsp_run_shifted by 12 frames = 3840 samples, the multiple of the frame stride
closest to a quarter window; and by exactly 4000 samples, not a multiple: a full recompute), and the
DSP's flash and static RAM from the linker map. The issue's targets: <= ~1 M instructions per
window, <= ~20 KB flash, scratch RAM a few KB.

    python bench/bench_audio.py [--windows 4000] [--chunk 256] [--repeat 3] [--blocks mfcc,mfe,spectrogram] [--m4]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from workers.dsp.registry import get_processing_block  # noqa: E402

FS = 16000.0
KEYWORD = {"frequency_hz": FS, "window_size_ms": 1000, "axes": ["audio"]}


def keyword_audio(count: int) -> np.ndarray:
    """int16-range windows: a tone with a noise burst, different per window."""
    rng = np.random.default_rng(0)
    t = np.arange(16000) / FS
    f = rng.uniform(200, 3000, (count, 1))
    x = 8000 * np.sin(2 * np.pi * f * t) * (np.abs(t - 0.5) < 0.3) + rng.normal(0, 300, (count, 16000))
    return np.round(x).astype(np.float32)[:, :, None]


def measure(block_id: str, windows: np.ndarray, chunk: int, repeat: int) -> tuple[int, float, float]:
    block = get_processing_block(block_id)
    params = block.spec.validate({}, KEYWORD)
    features = block.features(windows[:8], params, FS).shape[1]  # warm-up (filterbank, matrices)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for i in range(0, len(windows), chunk):
            block.features(windows[i : i + chunk], params, FS)
        best = min(best, time.perf_counter() - start)
    singles = min(200, len(windows))
    start = time.perf_counter()
    for i in range(singles):
        block.features(windows[i : i + 1], params, FS)
    return features, len(windows) / best, singles / (time.perf_counter() - start)


_M4_MAIN = r"""
#include <stdio.h>
#include <string.h>
#include "tf_dsp.h"
#include "tf_dsp_config.h"

#define SYST_CSR (*(volatile unsigned int *)0xE000E010u)
#define SYST_RVR (*(volatile unsigned int *)0xE000E014u)
#define SYST_CVR (*(volatile unsigned int *)0xE000E018u)

static float recording[TF_DSP_WINDOW_LEN * 2];
static float features[TF_DSP_FEATURES_COUNT];
volatile float sink;
volatile unsigned int seed = 12345u;

static unsigned int ticks(void) { return SYST_CVR; }

static unsigned long measure(const float *window, unsigned int shift)
{
    unsigned int start, end;
    int err;
    start = ticks();
    err = shift ? tf_dsp_run_shifted(window, shift, features) : tf_dsp_run(window, features);
    end = ticks();
    if (err != TF_DSP_OK) {
        printf("error %d\n", err);
    }
    sink = features[TF_DSP_FEATURES_COUNT - 1];
    return (unsigned long)((start - end) & 0xFFFFFFu) * 40ul;
}

int main(void)
{
    unsigned int i, s = seed;
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0u;
    SYST_CSR = 5u;
    for (i = 0; i < TF_DSP_WINDOW_LEN * 2u; i++) { /* a tone with noise, int16 range */
        s = s * 1103515245u + 12345u;
        recording[i] = 8000.0f * (float)((i * 37u) % 200u) / 200.0f - 4000.0f + (float)((s >> 16) % 600u) - 300.0f;
    }
    printf("full %lu\n", measure(recording, 0));
    printf("shifted %lu\n", measure(recording + 3840, 3840));
    printf("quarter %lu\n", measure(recording + 3840 + 4000, 4000));
    return 0;
}
"""

M4_FLAGS = [
    "-std=c99",
    "-mcpu=cortex-m4",
    "-mthumb",
    "-mfloat-abi=hard",
    "-mfpu=fpv4-sp-d16",
    "-Os",
    "-ffunction-sections",
    "-fdata-sections",
]


def m4_keyword_mfcc(params: dict | None = None) -> None:
    """Instructions, flash and RAM of the keyword MFCC's C DSP on a Cortex-M4F (qemu); `params`
    override the defaults (to see what each step costs)."""
    from support.library_build import HERE as SUPPORT
    from support.library_build import library_footprint

    from workers.codegen.dsp_c import plan_dsp, render_dsp_config, render_dsp_header, static_sources

    if not (shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm")):
        print("Cortex-M4F: skipped (arm-none-eabi-gcc or qemu-system-arm missing)")
        return
    blocks = [{"id": "mfcc", "params": params or {}, "axes": [0]}]
    plan = plan_dsp(blocks, FS, 16000, 1)
    lib = static_sources()[0].parent
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "tf_dsp_config.c").write_text(render_dsp_config(blocks, FS, 16000, 1))
        (d / "tf_dsp_config.h").write_text(render_dsp_header(blocks, FS, 16000, 1))
        (d / "main.c").write_text(_M4_MAIN)
        shutil.copy(lib / "tf_dsp.c", d / "tf_dsp.c")
        for name in ("tf_dsp.c", "tf_dsp_config.c"):
            subprocess.run(
                ["arm-none-eabi-gcc", *M4_FLAGS, f"-I{lib}", "-c", name, "-o", name[:-2] + ".o"], cwd=d, check=True
            )
        subprocess.run(
            [
                "arm-none-eabi-gcc",
                *M4_FLAGS,
                f"-I{lib}",
                "-I.",
                "-nostartfiles",
                "--specs=nano.specs",
                "--specs=rdimon.specs",
                "-T",
                str(SUPPORT / "m4" / "link.ld"),
                "-Wl,--gc-sections",
                "-Wl,-Map=m4.map",
                str(SUPPORT / "m4" / "startup.c"),
                "main.c",
                "tf_dsp.o",
                "tf_dsp_config.o",
                "-lm",
                "-o",
                "m4.elf",
            ],
            cwd=d,
            check=True,
        )
        out = subprocess.run(
            [
                "qemu-system-arm",
                "-M",
                "mps2-an386",
                "-nographic",
                "-monitor",
                "none",
                "-semihosting-config",
                "enable=on,target=native",
                "-icount",
                "shift=0",
                "-kernel",
                "m4.elf",
            ],
            cwd=d,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        ).stdout
        counts = dict(
            line.split() for line in out.splitlines() if line.split()[:1] in (["full"], ["shifted"], ["quarter"])
        )
        fp = library_footprint((d / "m4.map").read_text(), {"tf_dsp.o", "tf_dsp_config.o"})
    print("MFCC keyword (50 x 13) in C on a Cortex-M4F (qemu, -Os, instructions counted by -icount)")
    print(
        f"  whole window, tf_dsp_run:                      {int(counts['full']):,} instructions   target <= ~1,000,000"
    )
    print(
        f"  continuous slice of 12 frames (3840 samples):  {int(counts['shifted']):,} instructions (tf_dsp_run_shifted)"
    )
    print(f"  slice of 4000 samples (not a stride multiple): {int(counts['quarter']):,} instructions (full recompute)")
    print(
        f"  DSP flash {fp['flash']:,} B (code {fp['text']:,} + tables {fp['rodata']:,} + libm {fp['libm_flash']:,})"
        "   target <= ~20 KB"
    )
    print(
        f"  DSP static RAM {fp['static_ram']:,} B: scratch {plan.scratch_floats * 4:,} B + "
        f"un-normalised frames kept for continuous runs {plan.history_floats * 4:,} B"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=4000)
    parser.add_argument("--chunk", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--blocks", default="mfcc,mfe,spectrogram")
    parser.add_argument("--m4", action="store_true", help="also measure the C MFCC on a Cortex-M4F (qemu)")
    args = parser.parse_args()

    windows = keyword_audio(args.windows)
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} cores, load average before {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        "(the machine is shared: figures drop as load rises)"
    )
    for block_id in args.blocks.split(","):
        features, batched, single = measure(block_id, windows, args.chunk, args.repeat)
        print(f"{block_id} (defaults, 1 s @ 16 kHz -> {features} features)")
        print(
            f"  batched, chunks of {args.chunk}: {batched:,.0f} windows/s (best of {args.repeat}, "
            f"{args.windows} windows)"
        )
        print(f"  one window per call:  {single:,.0f} windows/s")
    print(f"load average after {os.getloadavg()[0]:.2f}")
    if args.m4:
        m4_keyword_mfcc()


if __name__ == "__main__":
    main()
