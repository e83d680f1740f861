"""Spectral analysis feature throughput (Python, vectorised) on the standard motion config.

10k windows of 125 samples x 3 axes (62.5 Hz, 2000 ms, low-pass 8 Hz order 6, FFT 64), processed
in chunks as the feature-generation job does. Prints windows/s; never asserts on time.
With --m4 (needs arm-none-eabi-gcc and qemu-system-arm) it also counts the Cortex-M4 instructions
the C library executes for one window of the same config (bare-metal on qemu mps2-an386, one
instruction per translation block, counted between two marker calls).

    python bench/bench_spectral.py [--windows 10000] [--chunk 1024] [--repeat 3] [--m4]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workers.dsp.registry import get_processing_block  # noqa: E402

STANDARD = {"filter_type": "low", "filter_cutoff": 8.0, "filter_order": 6, "fft_length": 64}

_M4_STARTUP = r"""
#include <stdint.h>
#include <string.h>
#include "tf_dsp.h"
extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
void reset_handler(void);
__attribute__((section(".vectors"), used)) const void *vectors[2] = { &_estack, (void *)reset_handler };
static float window[125 * 3], features[33];
volatile float sink;
__attribute__((noinline)) void marker_start(void) { __asm__ volatile(""); }
__attribute__((noinline)) void marker_end(void) { __asm__ volatile(""); }
static void semihosting_exit(void) {
    register uint32_t r0 __asm__("r0") = 0x18;
    register uint32_t r1 __asm__("r1") = 0x20026;
    __asm__ volatile("bkpt 0xab" : : "r"(r0), "r"(r1) : "memory");
}
void reset_handler(void) {
    int i;
    *(volatile uint32_t *)0xE000ED88 |= (0xFu << 20); /* enable the FPU */
    __asm__ volatile("dsb; isb");
    memcpy(&_sdata, &_sidata, (uint32_t)((char *)&_edata - (char *)&_sdata));
    memset(&_sbss, 0, (uint32_t)((char *)&_ebss - (char *)&_sbss));
    for (i = 0; i < 375; i++) window[i] = (float)((i * 7919) % 1000) * 0.01f - 5.0f;
    marker_start();
    tf_dsp_run(window, features);
    marker_end();
    sink = features[3];
    semihosting_exit();
    for (;;) {}
}
"""
_M4_LINK = """
MEMORY { FLASH (rx) : ORIGIN = 0x0, LENGTH = 4M  RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 4M }
SECTIONS {
  .text : { KEEP(*(.vectors)) *(.text*) *(.rodata*) . = ALIGN(4); } > FLASH
  .ARM.exidx : { *(.ARM.exidx*) } > FLASH
  _sidata = LOADADDR(.data);
  .data : { _sdata = .; *(.data*) . = ALIGN(4); _edata = .; } > RAM AT > FLASH
  .bss : { _sbss = .; *(.bss*) *(COMMON) . = ALIGN(4); _ebss = .; } > RAM
  _estack = ORIGIN(RAM) + LENGTH(RAM);
}
"""


def m4_instructions() -> str:
    from workers.codegen.dsp_c import render_dsp_config, static_sources

    if not (shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm")):
        return "skipped (arm-none-eabi-gcc or qemu-system-arm missing)"
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        (d / "tf_dsp_config.c").write_text(
            render_dsp_config([{"id": "spectral-analysis", "params": STANDARD, "axes": [0, 1, 2]}], 62.5, 125, 3)
        )
        (d / "startup.c").write_text(_M4_STARTUP)
        (d / "link.ld").write_text(_M4_LINK)
        lib = static_sources()[0].parent
        subprocess.run(
            [
                "arm-none-eabi-gcc",
                "-std=c99",
                "-mcpu=cortex-m4",
                "-mthumb",
                "-mfloat-abi=hard",
                "-mfpu=fpv4-sp-d16",
                "-Os",
                f"-I{lib}",
                "-nostartfiles",
                "-T",
                str(d / "link.ld"),
                "--specs=nosys.specs",
                str(d / "startup.c"),
                str(d / "tf_dsp_config.c"),
                str(lib / "tf_dsp.c"),
                "-lm",
                "-o",
                str(d / "m4.elf"),
            ],
            check=True,
        )
        symbols = subprocess.run(
            ["arm-none-eabi-nm", str(d / "m4.elf")], capture_output=True, text=True, check=True
        ).stdout
        addr = {
            name: int(a, 16)
            for a, _, name in (line.split() for line in symbols.splitlines())
            if name in ("marker_start", "marker_end")
        }
        subprocess.run(
            [
                "qemu-system-arm",
                "-M",
                "mps2-an386",
                "-nographic",
                "-semihosting-config",
                "enable=on,target=native",
                "-kernel",
                str(d / "m4.elf"),
                "-singlestep",
                "-d",
                "nochain,exec",
                "-D",
                str(d / "trace.log"),
            ],
            check=True,
            timeout=300,
        )
        pcs = [int(m.group(1), 16) for m in re.finditer(r"\[[0-9a-f]+/([0-9a-f]+)/", (d / "trace.log").read_text())]
        count = pcs.index(addr["marker_end"]) - pcs.index(addr["marker_start"]) - 1
        return f"{count:,} instructions per window (3 axes, 33 features)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=10_000)
    parser.add_argument("--chunk", type=int, default=1024)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--m4", action="store_true", help="also count Cortex-M4 instructions of the C code")
    args = parser.parse_args()

    block = get_processing_block("spectral-analysis")
    params = block.spec.validate(STANDARD, {"frequency_hz": 62.5, "window_size_ms": 2000})
    rng = np.random.default_rng(0)
    windows = rng.normal(0, 2, (args.windows, 125, 3)).astype(np.float32)

    block.features(windows[:16], params, 62.5)  # warm-up (imports, filter design)
    best = float("inf")
    for _ in range(args.repeat):
        start = time.perf_counter()
        for i in range(0, args.windows, args.chunk):
            block.features(windows[i : i + args.chunk], params, 62.5)
        best = min(best, time.perf_counter() - start)
    one = time.perf_counter()
    for i in range(200):
        block.features(windows[i : i + 1], params, 62.5)
    single = (time.perf_counter() - one) / 200

    print(f"spectral-analysis v{block.version}, 125x3 @ 62.5 Hz, low 8 Hz order 6, FFT 64 -> 33 features")
    print(
        f"  vectorised, chunks of {args.chunk}: {args.windows / best:,.0f} windows/s "
        f"({best * 1e3:.0f} ms for {args.windows} windows, best of {args.repeat})"
    )
    print(f"  one window per call:      {1 / single:,.0f} windows/s")
    if args.m4:
        print(f"  C on Cortex-M4 (qemu, -Os): {m4_instructions()}")


if __name__ == "__main__":
    main()
