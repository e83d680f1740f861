"""The board catalogue: the microcontroller boards the deployment page and the tuner can aim at,
with their core, clock, RAM, flash and how latency is estimated on them (docs/boards.md).

Latency on a board = instructions on its core x the core's cycles per instruction / the board's
clock. The instructions come from the Cortex-M4F count of each stage (the cost model,
workers/codegen/estimate.py, fitted to qemu mps2-an386 counts) times the core's instruction ratio
for that stage, measured by running the same generated library under qemu on that core
(tests/workers/codegen/test_library_cores.py, bench/bench_boards.py):
- Cortex-M7: qemu mps2-an500, built -mcpu=cortex-m7 -mfpu=fpv5-d16 -mfloat-abi=hard.
- Cortex-M0+: qemu microbit (nRF51, Cortex-M0: the same ARMv6-M instructions), built
  -mcpu=cortex-m0plus -mfloat-abi=soft: float arithmetic in software (libgcc), portable kernels.
  Its DSP is priced per unit of work (DSP_UNIT_ARMV6M) rather than by a ratio: software float
  makes the ratio range from 9 (raw) to 41 (spectrogram).
- Xtensa LX7 (ESP32-S3): no emulator here. Derived: its FPU runs the float stages like the
  Cortex-M4F (ratio 1); the int8 network runs the portable kernel (no SIMD extension used), whose
  count on the Cortex-M4F (-DTF_NN_NO_DSP) is 1.43x the SIMD kernel's.
qemu counts instructions, not cycles: the cycles per instruction are each core's typical figure
for this code (not measured): M4F 1.3, M7 0.9 (dual issue), M0+ 1.4 (two-cycle loads and taken
branches), M0 1.5 (three-cycle taken branches), LX7 1.3. RAM and flash: the Cortex-M4F build's,
with the measured differences of the other cores' builds (flash_ratio, extra_stack_bytes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STAGES = ("dsp", "nn", "anomaly")


@dataclass(frozen=True)
class Core:
    id: str
    name: str
    fpu: str  # "none", "single" or "double" precision
    dsp_extension: bool  # SIMD multiply-accumulate (the int8 kernels use it where present)
    # instructions on this core per Cortex-M4F instruction, per stage (nn per variant)
    ratio: dict[str, float]
    cycles_per_instruction: float  # the core's own, per instruction it executes (an estimate)
    latency_method: str  # "measured" (instruction ratios from qemu) or "derived"
    derivation: str  # how the latency is estimated, in words
    flash_ratio: float = 1.0  # the library's flash on this core / on the Cortex-M4F (measured)
    extra_stack_bytes: int = 0  # run_classifier's stack peak here minus the Cortex-M4F's (measured)
    # instructions per unit of DSP work on this core (fitted like estimate.py's DSP_UNIT); None: ratio
    dsp_unit: dict[str, float] | None = None
    # instructions per int8 network input beyond ratio x the M4F's (its float -> int8 quantization)
    nn_per_input: float = 0.0

    def instructions(
        self,
        stages: dict[str, float],
        variant: str,
        dsp_work: dict[str, float] | None = None,
        nn_work: dict[str, float] | None = None,
    ) -> float:
        """Instructions on this core for the Cortex-M4F count of each stage (dsp, nn, anomaly). With
        the DSP's units of work (the cost model's, estimates' dsp.work) and unit costs fitted for
        this core, the DSP is priced per unit: its ratio to the M4F depends much on the code mix.
        With the network's work (the cost model's nn.work): a core without the DSP extension runs the
        portable network kernels, so its network ratio applies to their price ("portable": the
        DSP-path conv kernels do far less work per MAC), and each quantized input costs
        nn_per_input more or less than ratio x the M4F's (the M7 rounds in hardware)."""
        keys = {"dsp": "dsp", "nn": f"nn_{variant}", "anomaly": "anomaly"}
        if nn_work and "nn" in stages and not self.dsp_extension:
            stages = {**stages, "nn": nn_work.get("portable", stages["nn"])}
        priced = {s: stages.get(s, 0) * self.ratio[keys[s]] for s in STAGES}
        if nn_work and "nn" in stages:
            priced["nn"] += self.nn_per_input * nn_work.get("inputs", 0)
        if dsp_work and self.dsp_unit and set(dsp_work) <= set(self.dsp_unit):
            priced["dsp"] = sum(self.dsp_unit[k] * v for k, v in dsp_work.items())
        return sum(priced.values())


# ARMv6-M (Cortex-M0/M0+, soft float): instructions per unit of DSP work (the units of
# workers/codegen/estimate.py's DSP_UNIT), fitted by bench/fit_core_dsp.py to tf_dsp_run's counts
# of 11 configurations (raw, flatten, spectral v1/v2, MFCC, MFE, spectrogram); 5 held-out ones
# within -2.3 % to +2.3 %. (The MFCC's normalization cost is absorbed by the others: one config has it.)
DSP_UNIT_ARMV6M = {
    "raw_value": 134.0,
    "flatten_sample": 2217.5,
    "sample": 2450.1,
    "filter_section": 906.4,
    "butterfly": 615.5,
    "band_bin": 1593.1,
    "bin": 860.8,
    "spectrum_stat": 3775.0,
    "log": 4301.6,
    "mel_weight": 1171.6,
    "dct": 261.8,
    "norm_value": 0.0,
}

# Ratios: measured on the standard motion impulse (spectral analysis, dense 20-10-4, K-means 32),
# first window; M4F counts dsp 75,000, int8 network 12,040, float32 network 8,000, anomaly 8,640.
_MEASURED = "instructions counted on qemu {machine} for each stage of the generated library (ratio to the Cortex-M4F: {ratios}), x {cpi} cycles per instruction (typical for the core) / clock"
CORES: dict[str, Core] = {
    c.id: c
    for c in (
        Core(
            "cortex-m4f",
            "Cortex-M4F",
            "single",
            True,
            {"dsp": 1.0, "nn_int8": 1.0, "nn_float32": 1.0, "anomaly": 1.0},
            1.3,
            "measured",
            "the cost model's instructions, fitted to counts on qemu mps2-an386 (Cortex-M4F), x 1.3 cycles per instruction / clock",
        ),
        Core(
            "cortex-m7",
            "Cortex-M7",
            "double",
            True,
            {"dsp": 1.0, "nn_int8": 1.004, "nn_float32": 0.985, "anomaly": 1.0},
            0.9,
            "measured",
            _MEASURED.format(
                machine="mps2-an500 (Cortex-M7)",
                ratios="1.0, int8 network 1.0 less 24 per input it quantizes, float32 network 0.99",
                cpi=0.9,
            ),
            # the int8 network runs the same kernels; quantizing its float inputs rounds with
            # VRINT on the M7's FPv5 where the M4F calls floorf: fitted to the motion (33 inputs:
            # 11,280 vs 12,040 instructions) and keyword (650: 47,120 vs 62,720) networks
            nn_per_input=-24.3,
        ),
        Core(
            "cortex-m0plus",
            "Cortex-M0+",
            "none",
            False,
            {"dsp": 34.58, "nn_int8": 5.591, "nn_float32": 24.96, "anomaly": 36.61},
            1.4,
            "measured",
            _MEASURED.format(
                machine="microbit (Cortex-M0, same ARMv6-M instructions)",
                ratios="DSP per unit of work (9x to 41x, software float), anomaly 36.6, int8 network 5.6, float32 network 25",
                cpi=1.4,
            ),
            flash_ratio=1.08,
            extra_stack_bytes=120,
            dsp_unit=DSP_UNIT_ARMV6M,
        ),
        Core(  # the micro:bit's nRF51: qemu's microbit machine itself
            "cortex-m0",
            "Cortex-M0",
            "none",
            False,
            {"dsp": 34.58, "nn_int8": 5.591, "nn_float32": 24.96, "anomaly": 36.61},
            1.5,
            "measured",
            _MEASURED.format(
                machine="microbit (Cortex-M0)",
                ratios="DSP per unit of work (9x to 41x, software float), anomaly 36.6, int8 network 5.6, float32 network 25",
                cpi=1.5,
            ),
            flash_ratio=1.08,
            extra_stack_bytes=120,
            dsp_unit=DSP_UNIT_ARMV6M,
        ),
        Core(
            "xtensa-lx7",
            "Xtensa LX7",
            "single",
            False,
            {"dsp": 1.0, "nn_int8": 1.425, "nn_float32": 1.0, "anomaly": 1.0},
            1.3,
            "derived",
            "derived, not measured (no Xtensa emulator): the Cortex-M4F count (its FPU does the float "
            "stages alike; the int8 network x 1.43, the portable kernel's count on the M4F) x 1.3 cycles "
            "per instruction / clock",
        ),
    )
}


@dataclass(frozen=True)
class Board:
    id: str
    name: str
    core_id: str
    clock_mhz: float
    ram_kb: int
    flash_kb: int
    cpi_measured: bool  # False: the cycles-per-instruction factor is an estimate

    @property
    def core(self) -> Core:
        return CORES[self.core_id]

    @property
    def cycles_per_instruction(self) -> float:
        """Cycles per Cortex-M4F instruction of the cost model, for a whole impulse (the tuner's
        single factor): the core's ratios weighted by the motion impulse's int8 stages."""
        m4 = {"dsp": 75_000, "nn": 12_040, "anomaly": 8_640}
        on_core = self.core.instructions(m4, "int8", None, {"inputs": 33})  # its network quantizes 33 features
        return round(on_core / sum(m4.values()) * self.core.cycles_per_instruction, 3)

    def latency_ms(self, instructions: float) -> float:
        return round(instructions * self.cycles_per_instruction / (self.clock_mhz * 1e6) * 1e3, 3)

    def stage_latency_ms(
        self,
        stages: dict[str, float],
        variant: str,
        dsp_work: dict[str, float] | None = None,
        nn_work: dict[str, float] | None = None,
    ) -> tuple[int, float]:
        """(instructions on this board's core, latency in ms) for Cortex-M4F counts per stage."""
        instructions = self.core.instructions(stages, variant, dsp_work, nn_work)
        return int(round(instructions)), round(
            instructions * self.core.cycles_per_instruction / (self.clock_mhz * 1e6) * 1e3, 3
        )

    def public(self) -> dict[str, Any]:
        c = self.core
        return {
            "id": self.id,
            "name": self.name,
            "core": c.name,
            "clock_mhz": self.clock_mhz,
            "ram_kb": self.ram_kb,
            "flash_kb": self.flash_kb,
            "fpu": c.fpu,
            "dsp_extension": c.dsp_extension,
            "cycles_per_instruction": self.cycles_per_instruction,
            "core_cycles_per_instruction": c.cycles_per_instruction,
            "cpi_measured": self.cpi_measured,
            "latency_method": c.latency_method,
            "latency_derivation": c.derivation,
        }


BOARDS: tuple[Board, ...] = (
    Board("generic-cortex-m4f-80", "Generic Cortex-M (M4F, 80 MHz)", "cortex-m4f", 80, 128, 512, True),
    Board("arduino-nano-33-ble-sense", "Arduino Nano 33 BLE Sense", "cortex-m4f", 64, 256, 1024, True),
    Board("raspberry-pi-pico", "Raspberry Pi Pico", "cortex-m0plus", 133, 264, 2048, False),
    Board("bbc-microbit-v1", "BBC micro:bit v1", "cortex-m0", 16, 16, 256, False),
    Board("teensy-4.1", "Teensy 4.1", "cortex-m7", 600, 1024, 8192, False),
    Board("portenta-h7", "Arduino Portenta H7", "cortex-m7", 480, 1024, 2048, False),
    Board("esp32-s3", "ESP32-S3", "xtensa-lx7", 240, 512, 8192, False),
)
BY_ID = {b.id: b for b in BOARDS}


def get_board(board_id: str) -> Board | None:
    return BY_ID.get(board_id)
