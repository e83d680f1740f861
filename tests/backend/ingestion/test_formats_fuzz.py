"""Fuzzing: whatever the bytes, the parsers answer a ParsedSample or a SampleFormatError."""

from __future__ import annotations

import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.io import wavfile

from backend.ingestion.formats import (
    ParsedSample,
    SampleFormatError,
    parse_data_body,
    parse_file,
    sign_acquisition_cbor,
    sign_acquisition_json,
)

KEY = "fuzz-key"
PAYLOAD = {
    "device_name": "dev",
    "device_type": "FUZZ",
    "interval_ms": 10,
    "sensors": [{"name": "accX", "units": "m/s2"}, {"name": "accY", "units": "m/s2"}],
    "values": [[1.5, -2], [3, 4.25], [5, 6]],
}


def _wav() -> bytes:
    buffer = io.BytesIO()
    wavfile.write(buffer, 8000, np.arange(-8, 8, dtype=np.int16).reshape(8, 2))
    return buffer.getvalue()


SEEDS = {
    "a.json": sign_acquisition_json(PAYLOAD, KEY),
    "a.cbor": sign_acquisition_cbor(PAYLOAD, KEY),
    "b.cbor": sign_acquisition_cbor(
        {**PAYLOAD, "sensors": PAYLOAD["sensors"][:1], "values": ["Ref-BINARY-i16"]},
        KEY,
        binary=np.arange(16, dtype="<i2").tobytes(),
    ),
    "a.csv": b"timestamp,accX,accY\r\n0,1,2\r\n10,3,4\r\n20,5,6\r\n",
    "a.wav": _wav(),
}
CONTENT_TYPES = ["application/json", "application/cbor", "application/octet-stream", "multipart/form-data; boundary=x"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome_is_sample_or_format_error(call) -> None:
    try:
        result = call()
    except SampleFormatError as error:
        assert error.message
        return
    assert isinstance(result, ParsedSample)
    assert result.values.dtype == np.float32 and result.values.flags.c_contiguous
    assert np.isfinite(result.values).all()


@st.composite
def mutated(draw):
    """A valid seed file with a few bytes flipped, inserted, deleted, or cut off."""
    name = draw(st.sampled_from(sorted(SEEDS)))
    body = bytearray(SEEDS[name])
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "set"]))
        at = draw(st.integers(0, max(len(body) - 1, 0)))
        if op == "flip" and body:
            body[at] ^= 1 << draw(st.integers(0, 7))
        elif op == "set" and body:
            body[at] = draw(st.sampled_from([0x00, 0xFF, 0x7F, 0x80, 0x9F, 0xBF, 0x1B, 0x5B, ord(","), ord("\n")]))
        elif op == "insert":
            body[at:at] = draw(st.binary(min_size=1, max_size=8))
        elif op == "delete":
            del body[at : at + draw(st.integers(1, 8))]
        else:
            del body[at:]
    return name, bytes(body)


@FUZZ
@given(body=st.binary(max_size=512), name=st.sampled_from(["x.json", "x.cbor", "x.csv", "x.wav", "x"]))
def test_random_bytes_to_parse_file(body, name):
    outcome_is_sample_or_format_error(lambda: parse_file(body, name, None, KEY))


@FUZZ
@given(body=st.binary(max_size=512), content_type=st.sampled_from(CONTENT_TYPES))
def test_random_bytes_to_parse_data_body(body, content_type):
    outcome_is_sample_or_format_error(lambda: parse_data_body(body, content_type, "x", KEY))


@FUZZ
@given(case=mutated())
def test_mutated_files_to_parse_file(case):
    name, body = case
    outcome_is_sample_or_format_error(lambda: parse_file(body, name, None, KEY))


@FUZZ
@given(case=mutated(), content_type=st.sampled_from(CONTENT_TYPES[:3]))
def test_mutated_files_to_parse_data_body(case, content_type):
    _, body = case
    outcome_is_sample_or_format_error(lambda: parse_data_body(body, content_type, "x", KEY))


json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=20,
)


@FUZZ
@given(overrides=st.dictionaries(st.sampled_from(sorted(PAYLOAD) + ["extra"]), json_values, max_size=3))
def test_structurally_odd_payloads(overrides):
    payload = {**PAYLOAD, **overrides}
    outcome_is_sample_or_format_error(lambda: parse_file(sign_acquisition_cbor(payload, KEY), "x.cbor", None, KEY))
    try:
        body = sign_acquisition_json(payload, KEY)
    except ValueError:  # NaN/Infinity cannot be written as strict JSON
        return
    outcome_is_sample_or_format_error(lambda: parse_file(body, "x.json", None, KEY))
