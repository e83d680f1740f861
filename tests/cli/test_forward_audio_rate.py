"""The data forwarder's serial reader keeps up with sound: a board printing 16,000 lines per second
of one int16 value (the nano_ble33_sense_microphone_forward example at 16 kHz) on a pseudo-
terminal. The simulated board writes what is due every millisecond, as a USB serial port delivers
it in packets; a reader that falls behind blocks the writer, which the test sees as a lower rate.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tty

from backend.cli.serial_board import SerialBoard, round_frequency

RATE_HZ = 16_000


# The board: a separate process (as a real board is), writing what is due every millisecond until
# its stdin closes, then reporting how many lines it wrote and the most it was ever behind.
BOARD = """
import os, select, sys, time
fd, rate = int(sys.argv[1]), int(sys.argv[2])
start, written, behind = time.monotonic(), 0, 0
while not select.select([sys.stdin], [], [], 0.001)[0]:
    due = int((time.monotonic() - start) * rate)
    behind = max(behind, due - written)
    if due > written:
        os.write(fd, "".join(f"{i % 65536 - 32768}\\r\\n" for i in range(written, due)).encode())
        written = due
print(written, time.monotonic() - start, behind)
"""


class SoundBoard:
    """Writes the int16 counter sequence -32768, -32767, ... one value per line at RATE_HZ."""

    def __init__(self) -> None:
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)
        self.port = os.ttyname(self.slave)
        self.process = subprocess.Popen(
            [sys.executable, "-c", BOARD, str(self.master), str(RATE_HZ)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            pass_fds=[self.master],
        )

    def stop(self) -> tuple[int, float, int]:
        """Lines written, seconds, most lines ever due but not written yet."""
        out, _ = self.process.communicate("", timeout=10)
        written, seconds, behind = out.split()
        return int(written), float(seconds), int(behind)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)
        os.close(self.slave)


def test_forwarder_detects_16_khz_and_records_two_seconds_without_losing_a_line(record_property):
    board = SoundBoard()
    serial = SerialBoard(board.port, 115200)
    try:
        detected = serial.detect()
        rows = serial.record(detected.frequency, detected.axes, 2000)
        written, seconds, behind = board.stop()
    finally:
        serial.close()
        board.close()
    assert detected.axes == 1
    assert detected.frequency == RATE_HZ  # measured within 2 % and taken as the audio rate
    values = [int(r[0]) for r in rows]
    assert len(values) == 2 * RATE_HZ
    gaps = [k for k in range(1, len(values)) if (values[k] - values[k - 1]) % 65536 != 1]
    assert not gaps, f"{len(gaps)} lines lost or reordered, first after line {gaps[0]}"
    # A reader that fell behind would have blocked the board (the pty holds a few KB): it kept its rate.
    assert written >= 0.98 * RATE_HZ * seconds, (written, seconds)
    record_property("forwarder_16khz", {"detected_hz": detected.frequency, "board_most_behind_lines": behind})
    print(f"\n16 kHz lines: board at most {behind} lines behind")


def test_measured_rates_near_an_audio_rate_are_that_rate_and_others_round_to_half_hertz():
    assert [round_frequency(hz) for hz in (16051.3, 7900.0, 44000.0, 62.3, 1234.4, 7.77)] == [
        16000.0,
        8000.0,
        44100.0,
        62.5,
        1234.5,
        7.8,
    ]
