"""WAV audio samples.

scipy.io.wavfile does the decoding (PCM 8/16/24/32-bit, IEEE float 32/64, WAVE_FORMAT_EXTENSIBLE,
RIFF/RIFX/RF64); anything it cannot read becomes a SampleFormatError.

Decisions:
- One axis `audio`, units `wav`. Stereo and multichannel files are down-mixed to mono (the
  mean of the channels): audio models take one channel, and a stereo phone recording split
  into two axes would be read as two sensors. The sample carries a warning saying so, which the
  upload answer shows and the sample's metadata keeps.
- Samples are scaled to the int16 range (-32768..32767) whatever the bit depth, as
  edge-impulse-uploader does (it converts every WAV to 16 bit), so a 16-bit file, a 24-bit file
  and a firmware's Ref-BINARY-i16 upload of the same sound hold comparable numbers. Float WAVs
  are multiplied by 32768 and not clipped.
- interval_ms = 1000 / sample rate.
- Header fields other tools ignore are repaired before decoding rather than refused: a RIFF
  size that disagrees with the file length (streaming recorders leave 0 or 0xFFFFFFFF) and a
  byte rate that disagrees with rate x block align. A data size larger than the file reads
  the samples that are there.
"""

from __future__ import annotations

import io
import struct
import warnings

import numpy as np

from .errors import SampleFormatError
from .limits import too_many_sensors, too_many_values
from .sample import ParsedSample, finish_sample

WAV_DEVICE_TYPE = "WAV"
WAV_UNITS = "wav"
_MAGICS = (b"RIFF", b"RIFX", b"RF64")


def looks_like_wav(body: bytes) -> bool:
    return body[:4] in _MAGICS and body[8:12] == b"WAVE"


def _repair_header(body: bytes) -> bytes:
    if body[:4] != b"RIFF" or len(body) < 12:
        return body
    fixed = bytearray(body)
    fixed[4:8] = struct.pack("<I", min(len(body) - 8, 0xFFFFFFFF))
    offset = 12
    while offset + 8 <= len(fixed):
        chunk_id, size = fixed[offset : offset + 4], struct.unpack_from("<I", fixed, offset + 4)[0]
        if chunk_id == b"fmt " and offset + 8 + 16 <= len(fixed):
            _, _, rate, _, block_align = struct.unpack_from("<HHIIH", fixed, offset + 8)
            struct.pack_into("<I", fixed, offset + 16, (rate * block_align) & 0xFFFFFFFF)
            break
        offset += 8 + size + (size & 1)
    return bytes(fixed)


def _to_int16_range(data: np.ndarray) -> np.ndarray:
    # Straight to float32 (what is stored) so a 100 MB upload does not need a float64 copy.
    if data.dtype == np.uint8:
        return (data.astype(np.float32) - np.float32(128.0)) * np.float32(256.0)
    if data.dtype.kind == "i":
        # scipy returns 24-bit samples left-justified in int32, so one scale fits both.
        return data.astype(np.float32) / np.float32(2 ** (8 * data.dtype.itemsize - 16))
    if data.dtype == np.float32:
        return data * np.float32(32768.0)
    if data.dtype.kind == "f":
        return data.astype(np.float64) * 32768.0  # float64 kept so overflow is reported as such
    raise ValueError(f"unsupported sample type {data.dtype}")


def _downmix(values: np.ndarray) -> np.ndarray:
    # A float64 accumulator (numpy casts in buffered chunks, no float64 copy of a large upload),
    # so float WAVs near float32's limit average instead of overflowing.
    mixed = values.mean(axis=1, keepdims=True, dtype=np.float64)
    return mixed if values.dtype == np.float64 else mixed.astype(np.float32)


def _channel_words(channels: int) -> str:
    return "Stereo" if channels == 2 else f"{channels}-channel"


def parse_wav(body: bytes, filename: str) -> ParsedSample:
    """Parse a WAV file into one axis per channel (see the module docstring)."""
    if not body:
        raise SampleFormatError(filename, "is empty")
    if not looks_like_wav(body):
        raise SampleFormatError(filename, "is not a WAV file (it does not start with RIFF....WAVE)")
    from scipy.io import wavfile  # scipy is slow to import; only audio uploads pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown chunks, odd sizes: scipy copes and warns
            rate, data = wavfile.read(io.BytesIO(_repair_header(body)), mmap=False)
        data = np.asarray(data)
        axes = data.shape[1] if data.ndim == 2 else 1
        message = too_many_sensors(axes, "channels") or too_many_values(data.shape[0] if data.ndim else 0, axes)
        if message:
            raise SampleFormatError(filename, message)
        with np.errstate(over="ignore", invalid="ignore"):  # NaN/overflow are reported below
            values = _to_int16_range(data)
    except SampleFormatError:
        raise
    except MemoryError:
        raise SampleFormatError(filename, "declares more audio data than can be read") from None
    except Exception as exc:  # scipy signals damaged files with ValueError, struct.error, EOFError...
        detail = str(exc) if isinstance(exc, ValueError) else "its header is damaged"
        if isinstance(exc, (struct.error, EOFError)) or "end of file" in detail.lower():
            detail = "the file is truncated"
        elif "multiple of element size" in detail:
            detail = "its data size is not a whole number of samples (truncated file or wrong header)"
        raise SampleFormatError(filename, f"is not a readable WAV file: {detail}") from None
    if values.ndim == 1:
        values = values.reshape(-1, 1)
    if values.ndim != 2 or values.shape[1] == 0:
        raise SampleFormatError(filename, "is not a readable WAV file: it declares no channels")
    if values.shape[0] == 0:
        raise SampleFormatError(filename, "holds no audio samples")
    if not isinstance(rate, (int, np.integer)) or rate <= 0:
        raise SampleFormatError(filename, f"has an invalid sample rate of {rate} Hz")
    channels = values.shape[1]
    notes: tuple[str, ...] = ()
    if channels > 1:
        values = _downmix(values)
        notes = (f"{_channel_words(channels)} audio was down-mixed to mono (the mean of the {channels} channels)",)
    return finish_sample(
        filename,
        values=values,
        sensors=[("audio", WAV_UNITS)],
        interval_ms=1000.0 / float(rate),
        device_name=None,
        device_type=WAV_DEVICE_TYPE,
        signature_status="unsigned",
        iat=None,
        format="wav",
        row_label=lambda i: f"sample {i + 1}",
        warnings=notes,
    )
