"""Big JSON and CSV files are read in pieces: the result is the same sample the whole-file reader
makes, and an error deep inside names the same row."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend.ingestion.formats import SampleFormatError, parse_csv, parse_file
from backend.ingestion.formats.acquisition import decode_json_document, sample_from_document
from backend.ingestion.formats.csv_format import parse_small_csv

ROWS = 120_000  # about 3 MB: several pieces of a megabyte


def _rows(n: int = ROWS, axes: int = 3) -> np.ndarray:
    return np.round(np.random.default_rng(3).standard_normal((n, axes)) * 7, 3)


def _json(values, sensors=("accX", "accY", "accZ"), interval_ms=16) -> bytes:
    return json.dumps(
        {
            "protected": {"ver": "v1", "alg": "none"},
            "signature": "0" * 64,
            "payload": {
                "device_name": "dev",
                "device_type": "TEST",
                "interval_ms": interval_ms,
                "sensors": [{"name": s, "units": "m/s2"} for s in sensors],
                "values": values,
            },
        }
    ).encode()


def test_a_big_json_file_gives_the_same_sample_as_reading_it_whole():
    body = _json(_rows().tolist())
    assert len(body) > 2 * 1024 * 1024
    big = parse_file(body, "big.json", None, None)
    whole = sample_from_document(decode_json_document(body, "big.json"), body, "big.json", None, "json")
    assert big.values.dtype == np.float32 and big.values.shape == (ROWS, 3)
    assert np.array_equal(big.values, whole.values) and big.content_hash == whole.content_hash


def test_a_big_json_file_with_one_axis_as_a_flat_list():
    values = _rows(ROWS * 2, 1)[:, 0].tolist()
    sample = parse_file(_json(values, sensors=("temp",)), "flat.json", None, None)
    assert sample.values.shape == (ROWS * 2, 1) and sample.values[-1, 0] == np.float32(values[-1])


@pytest.mark.parametrize(
    ("bad", "expect"),
    [
        (True, "row 100001 (values[100000]), accY: the boolean true is not a number"),
        ([1, 2], "row 100001 (values[100000]) has 2 values but there are 3 sensors"),
        (1e39, "row 100001 (values[100000]), accY: 1e+39 is too large"),
    ],
)
def test_an_error_deep_in_a_big_json_file_names_its_row(bad, expect):
    values = _rows().tolist()
    if isinstance(bad, list):
        values[100_000] = bad
    else:
        values[100_000][1] = bad
    with pytest.raises(SampleFormatError, match=re.escape(expect)):
        parse_file(_json(values), "bad.json", None, None)


def test_text_in_the_values_of_a_big_json_file_is_refused():
    values = _rows().tolist()
    values[5][0] = "1.5"
    with pytest.raises(SampleFormatError, match="could not be read as one array of rows of numbers"):
        parse_file(_json(values), "text.json", None, None)


def _csv(rows: np.ndarray, step: float = 10) -> bytes:
    lines = ["timestamp,accX,accY,accZ"] + [f"{i * step:g},{x},{y},{z}" for i, (x, y, z) in enumerate(rows.tolist())]
    return ("\n".join(lines) + "\n\n").encode()


def test_a_big_csv_file_gives_the_same_sample_as_reading_it_whole():
    body = _csv(_rows())
    assert len(body) > 2 * 1024 * 1024
    big, whole = parse_csv(body, "big.csv"), parse_small_csv(body, "big.csv")
    assert big.values.shape == (ROWS, 3) and big.interval_ms == whole.interval_ms == 10
    assert np.array_equal(big.values, whole.values) and big.content_hash == whole.content_hash


@pytest.mark.parametrize(
    ("line", "expect"),
    [
        ("oops", "row 100002 has 1 values but the header names 4 columns"),
        ("", "row 100002 is empty"),
        ("1000010,1,nan,3", "row 100002, accY: nan is not allowed"),
        ("1000010,1,2,3,4", "row 100002 has 5 values"),
    ],
)
def test_an_error_deep_in_a_big_csv_file_names_its_line(line, expect):
    lines = _csv(_rows()).decode().split("\n")
    lines[100_001] = line  # the header is line 1
    with pytest.raises(SampleFormatError, match=expect):
        parse_csv("\n".join(lines).encode(), "bad.csv")


def test_uneven_timestamps_deep_in_a_big_csv_file_name_their_line():
    lines = _csv(_rows()).decode().split("\n")
    lines[100_001] = "1000003," + lines[100_001].split(",", 1)[1]  # 13 ms after the row before, not 10
    with pytest.raises(SampleFormatError, match="row 100002: timestamp .* is 13 ms after the previous row"):
        parse_csv("\n".join(lines).encode(), "uneven.csv")


_number_text = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.integers(-(10**6), 10**6).map(str),
    st.text("0123456789+-.eE", min_size=1, max_size=6),  # mostly not JSON numbers
)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    rows=st.lists(st.lists(_number_text, min_size=0, max_size=4), min_size=1, max_size=6),
    axes=st.integers(1, 4),
    flat=st.booleans(),
    spaces=st.sampled_from(["", " ", "\n "]),
    junk=st.sampled_from(["", ",", "]", "[", " 1"]),
)
def test_the_vector_reader_accepts_only_what_json_reads_the_same(rows, axes, flat, spaces, junk):
    """Whatever the fast reader accepts, orjson reads as the same rectangle of numbers."""
    import orjson

    from backend.ingestion.formats.json_values import _vector_rows

    sep = "," + spaces
    items = [sep.join(r) for r in rows] if flat else ["[" + sep.join(r) + "]" for r in rows]
    raw = ("[" + spaces + sep.join(items) + junk + spaces + "]").encode()
    fast = _vector_rows(raw, axes)
    if fast is None:
        return
    reference = np.array(orjson.loads(raw), dtype=np.float64)
    assert reference.reshape(fast.shape).shape == fast.shape and reference.size == fast.size
    assert np.array_equal(reference.reshape(fast.shape), fast)


@pytest.mark.parametrize(
    "raw",
    [
        b"[[+1,2]]",
        b"[[01,2]]",
        b"[[.5,2]]",
        b"[[5.,2]]",
        b"[[1e,2]]",
        b"[[-,2]]",
        b"[[1 2]]",
        b"[[1,2],,[3,4]]",
        b"[[1,[2]]]",
        b"[[1,2] [3,4]]",
        b"[[ , ]]",
        b"[[1,2],[3]]",
        b"[[0x1,2]]",
        b"[[1,2]]]",
    ],
)
def test_the_vector_reader_leaves_what_json_does_not_read_as_numbers_to_the_checks(raw):
    from backend.ingestion.formats.json_values import _vector_rows

    assert _vector_rows(raw, 2) is None


def test_the_vector_reader_reads_json_numbers():
    from backend.ingestion.formats.json_values import _vector_rows

    rows = _vector_rows(b"[[0, -0.5], [1e3,-2E-2] ,\n[10.25e+1, 0]]", 2)
    assert rows.tolist() == [[0, -0.5], [1000, -0.02], [102.5, 0]]
