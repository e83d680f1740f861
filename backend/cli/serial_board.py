"""A board printing readings on a serial port, one line per reading (the data forwarder's input).

Values on a line are separated by ',', TAB or spaces; a line starting with `ERR` is an error from
the board. A thread keeps reading so the port never overflows; lines carry their arrival time.
"""

from __future__ import annotations

import collections
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

SEPARATORS = re.compile(r"[,\t ]+")
MAX_BUFFERED_LINES = 100_000
# Below this the one-second listen cannot tell the rate; the forwarder asks the user.
MIN_DETECTABLE_HZ = 2.0


class BoardError(Exception):
    """The board (or its port) did something the forwarder cannot use; the text says what."""


def parse_line(line: str) -> list[float]:
    """The numbers on one line; raises BoardError for ERR lines and non-numeric values."""
    text = line.strip()
    if text.upper().startswith("ERR"):
        raise BoardError(f"the board reported an error: {text[:200]}")
    if not text:
        raise BoardError("the board sent an empty line")
    values = []
    for cell in SEPARATORS.split(text):
        try:
            value = float(cell)
        except ValueError:
            raise BoardError(f"the board sent a non-numeric value {cell[:40]!r} in line {text[:80]!r}") from None
        if not math.isfinite(value):
            raise BoardError(f"the board sent {cell!r} in line {text[:80]!r}; values must be finite numbers")
        values.append(value)
    return values


@dataclass
class Detected:
    frequency: float  # Hz, measured (rounded), 0 if too slow to tell
    axes: int
    lines: int  # complete lines heard


class SerialBoard:
    def __init__(self, port: str, baud: int = 115200):
        import serial  # pyserial; imported here so other commands do not need it

        try:
            self.serial = serial.Serial(port, baud, timeout=0.05)
        except (serial.SerialException, OSError) as e:
            raise BoardError(f"cannot open serial port {port}: {e}") from None
        self.port = port
        self._lines: collections.deque[tuple[float, str]] = collections.deque(maxlen=MAX_BUFFERED_LINES)
        self._cond = threading.Condition()
        self._error: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name=f"serial {port}", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        partial = b""
        first = True  # the line in progress when we opened the port is probably cut off
        while not self._stop.is_set():
            try:
                chunk = self.serial.read(max(1, self.serial.in_waiting))
            except Exception as e:  # the port went away (board unplugged)
                with self._cond:
                    self._error = f"serial port {self.port} failed: {e}"
                    self._cond.notify_all()
                return
            if not chunk:
                continue
            now = time.monotonic()
            *complete, partial = (partial + chunk).split(b"\n")
            with self._cond:
                for raw in complete:
                    if first:
                        first = False
                        continue
                    line = raw.decode("utf-8", "replace").strip()
                    if line:
                        self._lines.append((now, line))
                self._cond.notify_all()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.serial.close()

    def drain(self) -> None:
        """Forget what arrived so far; the next lines are fresh readings."""
        with self._cond:
            self._lines.clear()

    def next_line(self, timeout: float) -> tuple[float, str] | None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not self._lines:
                if self._error:
                    raise BoardError(self._error)
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return self._lines.popleft()

    def listen(self, seconds: float) -> list[tuple[float, str]]:
        """The lines arriving during the next `seconds`."""
        self.drain()
        deadline = time.monotonic() + seconds
        lines = []
        while (left := deadline - time.monotonic()) > 0:
            item = self.next_line(left)
            if item is not None:
                lines.append(item)
        return lines

    def detect(self, given_frequency: float | None = None) -> Detected:
        """Listen like Edge Impulse's forwarder: about a second (longer for a slow given rate),
        drop the first and last line (they may be cut), count the complete ones."""
        seconds = 1.0 if not given_frequency else max(1.0, 3.5 / given_frequency)
        heard = self.listen(seconds)[1:-1]
        if not heard:
            raise BoardError(
                f"no complete lines from {self.port} in {seconds:g} s; check the port, the baud rate "
                "and that the board prints one reading per line"
            )
        counts = collections.Counter(len(parse_line(line)) for _, line in heard)
        if len(counts) > 1:
            shown = ", ".join(str(n) for n in sorted(counts))
            raise BoardError(
                f"the board sends lines with different numbers of values ({shown}); every line must carry all axes"
            )
        axes = next(iter(counts))
        if len(heard) >= 2 and heard[-1][0] > heard[0][0]:
            hz = (len(heard) - 1) / (heard[-1][0] - heard[0][0])
        else:
            hz = len(heard) / seconds
        return Detected(frequency=round_frequency(hz) if hz >= MIN_DETECTABLE_HZ else 0.0, axes=axes, lines=len(heard))

    def record(
        self, frequency: float, axes: int, length_ms: float, progress: Callable[[float], None] | None = None
    ) -> list[list[float]]:
        """Read frequency x length rows of `axes` values each (the first line is dropped)."""
        needed = max(1, round(frequency * length_ms / 1000))
        seconds = length_ms / 1000
        deadline = time.monotonic() + seconds + max(1.0, 0.25 * seconds) + 2 / frequency
        self.drain()
        rows: list[list[float]] = []
        dropped = False
        step = max(1, needed // 10)
        while len(rows) < needed:
            item = self.next_line(deadline - time.monotonic())
            if item is None:
                raise BoardError(
                    f"the board sent {len(rows)} of {needed} readings in {seconds:g} s; "
                    f"is it really sending at {frequency:g} Hz?"
                )
            values = parse_line(item[1])
            if not dropped:
                dropped = True
                continue
            if len(values) != axes:
                raise BoardError(
                    f"the board now sends {len(values)} values per line instead of {axes}; "
                    "restart the forwarder to detect the new axes"
                )
            rows.append(values)
            if progress and len(rows) % step == 0:
                progress(100.0 * len(rows) / needed)
        return rows


# Sound is sampled at one of these; a measured rate within 2 % of one is that rate.
AUDIO_RATES_HZ = (8000, 11025, 16000, 22050, 32000, 44100, 48000)


def round_frequency(hz: float) -> float:
    """Measured rates jitter: 62.3 Hz is 62.5 Hz, 16,051 Hz is 16 kHz. Round to 0.5 Hz (0.1 Hz
    below 10 Hz), or to the audio rate within 2 %."""
    for rate in AUDIO_RATES_HZ:
        if abs(hz - rate) <= 0.02 * rate:
            return float(rate)
    return round(hz * 2) / 2 if hz >= 10 else round(hz, 1)
