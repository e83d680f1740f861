"""The board catalogue: the microcontroller boards the tuner (and later the deployment page) can
aim at, with their core, clock, RAM and flash.

Latency on a board = the cost model's instruction count (workers/codegen/estimate.py, counted for
Cortex-M4 Thumb-2 code) x the core's cycles per such instruction / the board's clock. The factor is
1.3 for the Cortex-M4F (the cost model's own figure, calibrated under qemu); the others are
estimates, not measurements: 0.9 for the dual-issue Cortex-M7, 1.3 for the Xtensa LX7 (no
measured figure for its code mix, taken like the M4), and 3.0 for the Cortex-M0+, which has no
FPU (the DSP's float arithmetic runs in software) and no single-cycle multiply-accumulate.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Board:
    id: str
    name: str
    core: str
    clock_mhz: float
    ram_kb: int
    flash_kb: int
    cycles_per_instruction: float  # per Cortex-M4 instruction of the cost model
    cpi_measured: bool  # False: the factor is an estimate

    def latency_ms(self, instructions: int) -> float:
        return round(instructions * self.cycles_per_instruction / (self.clock_mhz * 1e6) * 1e3, 3)

    def public(self) -> dict[str, Any]:
        return asdict(self)


_M4F, _M7, _M0P, _LX7 = 1.3, 0.9, 3.0, 1.3

BOARDS: tuple[Board, ...] = (
    Board("generic-cortex-m4f-80", "Generic Cortex-M4F 80 MHz", "Cortex-M4F", 80, 128, 512, _M4F, True),
    Board("arduino-nano-33-ble-sense", "Arduino Nano 33 BLE Sense", "Cortex-M4F", 64, 256, 1024, _M4F, True),
    Board("raspberry-pi-pico", "Raspberry Pi Pico", "Cortex-M0+", 133, 264, 2048, _M0P, False),
    Board("teensy-4.1", "Teensy 4.1", "Cortex-M7", 600, 1024, 8192, _M7, False),
    Board("portenta-h7", "Arduino Portenta H7", "Cortex-M7", 480, 1024, 2048, _M7, False),
    Board("esp32-s3", "ESP32-S3", "Xtensa LX7", 240, 512, 8192, _LX7, False),
)
BY_ID = {b.id: b for b in BOARDS}


def get_board(board_id: str) -> Board | None:
    return BY_ID.get(board_id)
