"""WAV audio samples, generated here for each bit depth and channel count."""

from __future__ import annotations

import io
import struct
import wave

import numpy as np
import pytest
from scipy.io import wavfile

from backend.ingestion.formats import SampleFormatError, parse_file

RATE = 16000


def scipy_wav(data: np.ndarray, rate: int = RATE) -> bytes:
    buffer = io.BytesIO()
    wavfile.write(buffer, rate, data)
    return buffer.getvalue()


def stdlib_wav(frames: bytes, width: int, channels: int, rate: int = RATE) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return buffer.getvalue()


def test_mono_16_bit_keeps_sample_values_and_rate():
    data = np.array([-32768, -1, 0, 1, 32767], dtype=np.int16)
    sample = parse_file(scipy_wav(data), "yes.01.wav", None, None)
    assert sample.sensors == [("audio", "wav")]
    assert sample.interval_ms == pytest.approx(1000 / RATE)
    np.testing.assert_array_equal(sample.values[:, 0], data)
    assert sample.format == "wav" and sample.values.dtype == np.float32


def test_8_bit_unsigned_is_centred_and_scaled_to_int16_range():
    sample = parse_file(stdlib_wav(bytes([0, 128, 255]), 1, 1), "a.wav", None, None)
    np.testing.assert_array_equal(sample.values[:, 0], [-32768, 0, 32512])


def test_24_bit_is_scaled_to_int16_range():
    samples = [-(2**23), 256, 2**23 - 1]
    frames = b"".join(struct.pack("<i", s)[:3] for s in samples)
    sample = parse_file(stdlib_wav(frames, 3, 1), "a.wav", None, None)
    np.testing.assert_allclose(sample.values[:, 0], [-32768, 1, (2**23 - 1) / 256])


def test_32_bit_int_is_scaled_to_int16_range():
    sample = parse_file(scipy_wav(np.array([-(2**31), 65536], dtype=np.int32)), "a.wav", None, None)
    np.testing.assert_array_equal(sample.values[:, 0], [-32768, 1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_wav_is_scaled_by_32768(dtype):
    sample = parse_file(scipy_wav(np.array([-1.0, 0.5, 0.0], dtype=dtype)), "a.wav", None, None)
    np.testing.assert_array_equal(sample.values[:, 0], [-32768, 16384, 0])


@pytest.mark.parametrize("channels", [2, 3, 6])
def test_multichannel_is_down_mixed_to_mono_with_a_warning(channels):
    data = np.arange(10 * channels, dtype=np.int16).reshape(10, channels)
    sample = parse_file(scipy_wav(data), "a.wav", None, None)
    assert sample.sensors == [("audio", "wav")]
    np.testing.assert_allclose(sample.values[:, 0], data.astype(np.float64).mean(axis=1), rtol=1e-6)
    assert len(sample.warnings) == 1 and f"{channels} channels" in sample.warnings[0]
    assert "down-mixed to mono" in sample.warnings[0]


def test_mono_has_no_warning():
    assert parse_file(scipy_wav(np.zeros(4, np.int16)), "a.wav", None, None).warnings == ()


def test_down_mix_of_float_stereo_near_full_scale_does_not_overflow():
    data = np.array([[1.0, 1.0], [-1.0, 1.0]], dtype=np.float32)
    np.testing.assert_array_equal(parse_file(scipy_wav(data), "a.wav", None, None).values[:, 0], [32768, 0])


@pytest.mark.parametrize("rate", [8000, 16000, 44100, 48000])
@pytest.mark.parametrize(
    "dtype, scale", [(np.uint8, None), (np.int16, 1), (np.int32, 2**-16), (np.float32, 32768)], ids=str
)
def test_common_rates_and_depths_keep_rate_and_scale(rate, dtype, scale):
    tone = np.sin(np.arange(rate // 10) * 2 * np.pi * 440 / rate) * 0.5
    if dtype == np.uint8:
        data, expected = np.round(tone * 127 + 128).astype(np.uint8), (np.round(tone * 127 + 128) - 128) * 256
    elif dtype == np.float32:
        data, expected = tone.astype(np.float32), tone.astype(np.float32) * 32768.0
    else:
        full = np.iinfo(dtype).max
        data = np.round(tone * full).astype(dtype)
        expected = data.astype(np.float64) * scale
    sample = parse_file(scipy_wav(data, rate), "tone.wav", None, None)
    assert sample.interval_ms == pytest.approx(1000 / rate) and sample.values.shape == (rate // 10, 1)
    np.testing.assert_allclose(sample.values[:, 0], expected, rtol=1e-6, atol=1e-3)


def extensible_wav(data: np.ndarray, rate: int = RATE) -> bytes:
    """WAVE_FORMAT_EXTENSIBLE with the PCM sub-format GUID, as multichannel recorders write."""
    channels, width = data.shape[1], data.dtype.itemsize
    pcm_guid = struct.pack("<H", 1) + bytes.fromhex("000000001000800000aa00389b71")
    fmt = (
        struct.pack(
            "<HHIIHHHHI", 0xFFFE, channels, rate, rate * channels * width, channels * width, 8 * width, 22, 8 * width, 0
        )
        + pcm_guid
    )
    frames = data.astype("<" + data.dtype.str[1:]).tobytes()
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(frames)) + frames
    return b"RIFF" + struct.pack("<I", 4 + len(chunks)) + b"WAVE" + chunks


def test_wave_format_extensible_is_read():
    data = np.arange(12, dtype=np.int16).reshape(4, 3)
    sample = parse_file(extensible_wav(data), "a.wav", None, None)
    np.testing.assert_allclose(sample.values[:, 0], data.mean(axis=1))


def test_wav_is_detected_by_content_without_extension():
    assert parse_file(scipy_wav(np.zeros(4, np.int16)), "upload", None, None).format == "wav"


def test_data_size_larger_than_file_reads_what_is_there():
    body = bytearray(scipy_wav(np.arange(10, dtype=np.int16)))
    body[40:44] = struct.pack("<I", 0xFFFFFFFF)  # what streaming recorders write
    assert parse_file(bytes(body), "a.wav", None, None).values.shape == (10, 1)


@pytest.mark.parametrize("cut", [0, 4, 12, 20, 30, 40, 43])
def test_truncated_header_is_refused(cut):
    body = scipy_wav(np.arange(10, dtype=np.int16))[:cut]
    with pytest.raises(SampleFormatError):
        parse_file(body, "a.wav", None, None)


def test_wav_without_samples_is_refused():
    with pytest.raises(SampleFormatError, match="holds no audio samples"):
        parse_file(scipy_wav(np.zeros(0, np.int16)), "a.wav", None, None)


def test_nan_in_float_wav_is_refused_naming_the_sample():
    with pytest.raises(SampleFormatError, match="sample 2, audio: nan"):
        parse_file(scipy_wav(np.array([0.0, np.nan], np.float32)), "a.wav", None, None)


def test_zero_sample_rate_is_refused():
    body = bytearray(scipy_wav(np.arange(4, dtype=np.int16)))
    body[24:32] = struct.pack("<II", 0, 0)
    with pytest.raises(SampleFormatError, match="sample rate"):
        parse_file(bytes(body), "a.wav", None, None)


def test_non_wav_with_wav_extension_is_refused():
    with pytest.raises(SampleFormatError, match="is not a WAV file"):
        parse_file(b"timestamp,a\n0,1\n", "a.wav", None, None)
