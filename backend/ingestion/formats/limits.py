"""How big one sample may be, so that no upload can exhaust the server.

Edge Impulse's own studio caps what a sample may hold (files of 100 MB, a handful of axes for
sensor data); these are our caps, checked before anything large is built:
- MAX_SENSORS: axes (sensors, CSV columns, WAV channels) per sample. Real boards send 1-20;
  256 leaves room for wide sensor arrays while a listing never holds a million of them.
- MAX_SAMPLE_VALUES: rows x axes; 2^26 float32 values are 256 MB stored, more than any
  100 MB upload needs except 8-bit audio or Ref-BINARY-i8/u8 at full size.
- Sensor names and units: short labels, like the studio shows them.
- A CBOR document (without its Ref-BINARY payload): 16 MB, about 1.5 h of 3 axes at 100 Hz.
  Its numbers decode to Python objects (~10x the bytes); longer recordings go as Ref-BINARY,
  JSON or CSV, which are read straight into float32.
- interval_ms: between 1 µs (1 MHz, past any MCU's ADC streaming to us) and one day
  (a slow environmental logger); 0 only for a single reading.
"""

from __future__ import annotations

MAX_SENSORS = 256
MAX_SAMPLE_VALUES = 1 << 26
MAX_SENSOR_NAME_CHARS = 128
MAX_UNITS_CHARS = 64
MAX_CBOR_DOCUMENT_BYTES = 16 * 1024 * 1024
MIN_INTERVAL_MS = 0.001
MAX_INTERVAL_MS = 86_400_000.0


def too_many_values(rows: int, axes: int) -> str | None:
    """The error message when rows x axes passes MAX_SAMPLE_VALUES, else None."""
    if rows * axes <= MAX_SAMPLE_VALUES:
        return None
    return (
        f"holds {rows} rows x {axes} axes = {rows * axes} values; one sample may hold at most "
        f"{MAX_SAMPLE_VALUES} values: split the recording into several files"
    )


def too_many_sensors(axes: int, what: str = "sensors") -> str | None:
    if axes <= MAX_SENSORS:
        return None
    return f"has {axes} {what}; a sample may have at most {MAX_SENSORS} axes"
