"""Build a generated impulse library with a test harness and run it on windows: on the host
(gcc) and bare-metal on a Cortex-M4F under qemu (arm-none-eabi-gcc, newlib-nano, semihosting), or on
the other cores of CORES (Cortex-M7 on mps2-an500, ARMv6-M code on the microbit's Cortex-M0).

Both runs print every window's features, scores and anomaly as float bits (library_harness.c);
the M4 run also reports the stack peak of run_classifier, the instructions of each stage and,
from the linker map, the library's flash and RAM.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
HOST_FLAGS = ["-std=c99", "-Wall", "-Wextra", "-Werror", "-O2"]
M4_FLAGS = [
    "-std=c99",
    "-mcpu=cortex-m4",
    "-mthumb",
    "-mfloat-abi=hard",
    "-mfpu=fpv4-sp-d16",
    "-Os",
    "-ffunction-sections",
    "-fdata-sections",
    "-Wall",
    "-Wextra",
    "-Werror",
]


@dataclass(frozen=True)
class Core:
    """A Cortex-M core as the suite builds for it and runs it under qemu -icount shift=0 (one
    instruction per virtual nanosecond), where SysTick counts instructions: tick_mul >> tick_shift
    instructions per tick (mps2 boards: 25 MHz system clock, 40; nRF51: 16 MHz, 62.5)."""

    id: str
    machine: str
    flags: tuple[str, ...]
    link_script: Path
    tick_mul: int = 40
    tick_shift: int = 0
    paint_bytes: int = 16384

    def defines(self) -> list[str]:
        return [
            f"-DTF_HARNESS_TICK_MUL={self.tick_mul}u",
            f"-DTF_HARNESS_TICK_SHIFT={self.tick_shift}u",
            f"-DTF_HARNESS_PAINT_BYTES={self.paint_bytes}u",
        ]


_COMMON = ("-std=c99", "-mthumb", "-Os", "-ffunction-sections", "-fdata-sections", "-Wall", "-Wextra", "-Werror")
CORES = {
    "cortex-m4f": Core("cortex-m4f", "mps2-an386", tuple(M4_FLAGS), HERE / "m4" / "link.ld"),
    # Cortex-M7 with the double-precision FPU of the Teensy 4.x / Portenta H7 (same mps2 memory map)
    "cortex-m7": Core(
        "cortex-m7",
        "mps2-an500",
        ("-mcpu=cortex-m7", "-mfloat-abi=hard", "-mfpu=fpv5-d16", *_COMMON),
        HERE / "m4" / "link.ld",
    ),
    # ARMv6-M as for the Pico's Cortex-M0+, run on qemu's Cortex-M0 (same instruction set): no FPU
    # (soft float), no DSP extension (the portable kernels), 16 KB of RAM
    "cortex-m0plus": Core(
        "cortex-m0plus",
        "microbit",
        ("-mcpu=cortex-m0plus", "-mfloat-abi=soft", *_COMMON),
        HERE / "m0" / "link.ld",
        tick_mul=125,
        tick_shift=1,
        paint_bytes=4096,
    ),
}
# The same ARMv6-M build on qemu's Cortex-M3 (mps2-an385, 4 MB of RAM): for programs too big for the
# microbit's 16 KB (audio windows). It executes the same instructions (ARMv6-M is a subset of ARMv7-M),
# so it counts the same (checked in test_library_cores.py).
CORES["armv6m-on-an385"] = Core("armv6m-on-an385", "mps2-an385", CORES["cortex-m0plus"].flags, HERE / "m4" / "link.ld")


@dataclass
class HarnessRun:
    features: np.ndarray  # [n, f] float32
    scores: np.ndarray  # [n, labels] float32
    anomaly: np.ndarray  # [n] float32
    text: str  # the raw output, for comparing two runs
    stack_bytes: int | None = None
    instructions: dict[str, int] = field(default_factory=dict)
    footprint: dict[str, int] = field(default_factory=dict)


def qemu_m4_command(elf: str, icount: bool = True, machine: str = "mps2-an386") -> list[str]:
    """qemu's command line running `elf` on the emulated Cortex-M4F (mps2-an386, or `machine`) with
    semihosting; with icount, one instruction per virtual clock tick (so SysTick counts instructions)."""
    return [
        "qemu-system-arm",
        *("-M", machine, "-nographic", "-monitor", "none"),
        *("-semihosting-config", "enable=on,target=native"),
        *(("-icount", "shift=0") if icount else ()),
        *("-kernel", elf),
    ]


def run_qemu(command: list[str], directory: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run qemu with its output in files, not pipes: qemu's stdio character device writes without
    blocking, and a pipe its reader (a busy pytest) has let fill up drops part of the output."""
    with open(directory / "qemu.out", "w+b") as out, open(directory / "qemu.err", "w+b") as err:
        code = subprocess.run(command, cwd=directory, stdout=out, stderr=err, timeout=timeout).returncode
        out.seek(0)
        err.seek(0)
        text = lambda f: f.read().decode("utf-8", "replace")  # noqa: E731
        return subprocess.CompletedProcess(command, code, text(out), text(err))


def write_sources(sources: dict[str, str], directory: Path, windows: np.ndarray, header: str) -> list[Path]:
    """Library sources, the harness and windows.bin into `directory`; returns the C files."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in sources.items():
        (directory / name).write_text(text, encoding="utf-8")
    (directory / "windows.bin").write_bytes(np.ascontiguousarray(windows, dtype="<f4").tobytes())
    harness = (HERE / "library_harness.c").read_text().replace("LIBRARY_HEADER", header)
    (directory / "harness.c").write_text(harness, encoding="utf-8")
    return sorted(directory / n for n in sources if n.endswith(".c"))


def parse_output(text: str, n_windows: int) -> HarnessRun:
    rows = [line for line in text.splitlines() if re.match(r"\d+ F ", line)]
    if len(rows) != n_windows:
        raise AssertionError(f"harness printed {len(rows)} of {n_windows} windows:\n{text[-2000:]}")
    feats, scores, anomaly = [], [], []
    for line in rows:
        f_part, rest = line.split(" F ", 1)[1].split(" S")
        s_part, a_part = rest.split(" A ")
        feats.append([int(v, 16) for v in f_part.split()])
        scores.append([int(v, 16) for v in s_part.split()])
        anomaly.append(int(a_part, 16))
    as_f32 = lambda v: np.asarray(v, dtype=np.uint32).view(np.float32)  # noqa: E731
    run = HarnessRun(as_f32(feats), as_f32(scores), as_f32(anomaly), "\n".join(rows))
    stack = re.search(r"^stack (\d+)$", text, re.M)
    if stack:
        run.stack_bytes = int(stack.group(1))
    counts = re.search(r"^instructions dsp (\d+) nn (\d+) anomaly (\d+)$", text, re.M)
    if counts:
        run.instructions = dict(zip(("dsp", "nn", "anomaly"), map(int, counts.groups()), strict=False))
    return run


def _build_and_run_host(sources: dict[str, str], header: str, data: np.ndarray, count: int, directory: Path, *defines):
    files = write_sources(sources, directory, data, header)
    exe = directory / "harness_host"
    subprocess.run(
        [
            "gcc",
            *HOST_FLAGS,
            f"-DTF_HARNESS_WINDOWS={count}",
            *defines,
            "-I.",
            "-o",
            exe.name,
            "harness.c",
            *[f.name for f in files],
            "-lm",
        ],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    )
    return subprocess.run([str(exe)], capture_output=True, text=True, check=True, timeout=120).stdout


def run_host(sources: dict[str, str], header: str, windows: np.ndarray, directory: Path) -> HarnessRun:
    out = _build_and_run_host(sources, header, windows, len(windows), directory)
    return parse_output(out, len(windows))


def run_host_continuous(
    sources: dict[str, str], header: str, slices: np.ndarray, directory: Path
) -> tuple[HarnessRun, np.ndarray]:
    """Feed slices [n, slice_size * axes] to run_classifier_continuous in order: per slice the
    features the library kept, the scores and anomaly without smoothing, and the smoothed scores
    of a second pass over the same slices [n, labels]."""
    out = _build_and_run_host(sources, header, slices, len(slices), directory, "-DTF_HARNESS_CONTINUOUS")
    smoothed = [line.split(" M")[1].split() for line in out.splitlines() if re.match(r"\d+ M", line)]
    if len(smoothed) != len(slices):
        raise AssertionError(f"harness printed {len(smoothed)} of {len(slices)} smoothed slices:\n{out[-2000:]}")
    as_f32 = np.asarray([[int(v, 16) for v in row] for row in smoothed], dtype=np.uint32).view(np.float32)
    return parse_output(out, len(slices)), as_f32


def run_m4(sources: dict[str, str], header: str, windows: np.ndarray, directory: Path) -> HarnessRun:
    """Build with arm-none-eabi-gcc and run under qemu-system-arm -M mps2-an386 -icount shift=0."""
    return run_core("cortex-m4f", sources, header, windows, directory)


def run_core(core: str, sources: dict[str, str], header: str, windows: np.ndarray, directory: Path) -> HarnessRun:
    """Build for `core` (a key of CORES) with arm-none-eabi-gcc and run under qemu -icount shift=0."""
    out, footprint = _build_and_run_m4(sources, header, windows, directory, core=CORES[core])
    run = parse_output(out, len(windows))
    run.footprint = footprint
    return run


@dataclass
class ContinuousM4Run:
    slice_instructions: list[dict[str, int]]  # per slice: dsp, nn, anomaly
    stack_bytes: int  # peak of any run_classifier_continuous call
    footprint: dict[str, int]  # the library's objects in a program that only streams
    stage_instructions: list[list[int]]  # per slice: tf_dsp_stage_ticks x 40 (zeros unless instrumented)


def run_m4_continuous(sources: dict[str, str], header: str, slices: np.ndarray, directory: Path) -> ContinuousM4Run:
    """Feed slices [n, slice_size * axes] to run_classifier_continuous on the Cortex-M4F (qemu): the
    first slice runs the whole window's DSP, the later ones the shifted DSP."""
    out, footprint = _build_and_run_m4(sources, header, slices, directory, "-DTF_HARNESS_CONTINUOUS")
    counts = [
        dict(zip(("dsp", "nn", "anomaly"), map(int, m.groups()), strict=True))
        for m in re.finditer(r"^\d+ I (\d+) (\d+) (\d+)$", out, re.M)
    ]
    stack = re.search(r"^stack (\d+)$", out, re.M)
    if len(counts) != len(slices) or not stack:
        raise AssertionError(f"harness printed {len(counts)} of {len(slices)} slices:\n{out[-2000:]}")
    stages = [[40 * int(v) for v in m.group(1).split()] for m in re.finditer(r"^\d+ T ([\d ]+)$", out, re.M)]
    return ContinuousM4Run(counts, int(stack.group(1)), footprint, stages)


def _build_and_run_m4(
    sources: dict[str, str], header: str, windows: np.ndarray, directory: Path, *defines: str, core: Core | None = None
) -> tuple[str, dict[str, int]]:
    core = core or CORES["cortex-m4f"]
    files = write_sources(sources, directory, windows, header)
    objects = []
    for f in files:
        obj = directory / f"lib_{f.stem}.o"
        subprocess.run(
            ["arm-none-eabi-gcc", *core.flags, "-I.", "-c", f.name, "-o", obj.name],
            cwd=directory,
            check=True,
            capture_output=True,
            text=True,
        )
        objects.append(obj.name)
    elf = directory / "harness_m4.elf"
    subprocess.run(
        [
            "arm-none-eabi-gcc",
            *core.flags,
            f"-DTF_HARNESS_WINDOWS={len(windows)}",
            "-DTF_HARNESS_M4",
            *core.defines(),
            *defines,
            "-I.",
            "-nostartfiles",
            "--specs=nano.specs",
            "--specs=rdimon.specs",
            "-T",
            str(core.link_script),
            "-Wl,--gc-sections",
            "-Wl,-Map=harness_m4.map",
            "-o",
            elf.name,
            str(HERE / "m4" / "startup.c"),
            "harness.c",
            *objects,
            "-lm",
        ],
        cwd=directory,
        check=True,
        capture_output=True,
        text=True,
    )
    done = run_qemu(qemu_m4_command(elf.name, machine=core.machine), directory)
    if done.returncode != 0:
        raise AssertionError(f"qemu exited with {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    map_text = (directory / "harness_m4.map").read_text()
    return done.stdout, library_footprint(map_text, set(objects))


_ONE_LINE = re.compile(r"^ (\.\S+|COMMON)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")
_NAME_ONLY = re.compile(r"^ (\.\S+)$")
_REST = re.compile(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$")


def map_sections(map_text: str):
    """(input section, bytes, source file) of every input section a GNU ld map placed."""
    body = map_text.split("Linker script and memory map", 1)[1]
    pending = None
    for line in body.splitlines():
        m = _ONE_LINE.match(line)
        if m:
            section, size, source = m.group(1), int(m.group(3), 16), m.group(4)
        elif pending and (r := _REST.match(line)):
            section, size, source = pending, int(r.group(2), 16), r.group(3)
        else:
            n = _NAME_ONLY.match(line)
            pending = n.group(1) if n else None
            continue
        pending = None
        yield section, size, source


def library_footprint(map_text: str, objects: set[str]) -> dict[str, int]:
    """Bytes the library's objects (and the libm members they pull in) occupy after --gc-sections.

    flash = text + rodata + data (initial values); ram = data + bss."""
    sizes = {"text": 0, "rodata": 0, "data": 0, "bss": 0, "libm_flash": 0}
    for section, size, source in map_sections(map_text):
        if "libm.a(" in source and section.startswith((".text", ".rodata")):
            sizes["libm_flash"] += size
            continue
        if Path(source).name not in objects:
            continue
        for kind in ("text", "rodata", "data", "bss"):
            if section.startswith(f".{kind}") or (kind == "bss" and section == "COMMON"):
                sizes[kind] += size
                break
    sizes["flash"] = sizes["text"] + sizes["rodata"] + sizes["data"] + sizes["libm_flash"]
    sizes["static_ram"] = sizes["data"] + sizes["bss"]
    return sizes
