"""CSV samples."""

from __future__ import annotations

import numpy as np
import pytest

from backend.ingestion.formats import SampleFormatError, parse_file, sign_acquisition_json

THREE_AXES = "timestamp,accX,accY,accZ\n0,1,2,3\n10,4,5,6\n20,7,8,9\n"


def parse(text: str | bytes, name: str = "idle.01.csv"):
    return parse_file(text.encode() if isinstance(text, str) else text, name, None, None)


def test_time_series_gives_interval_from_timestamps_and_units_from_names():
    sample = parse("timestamp,accX,gyrY\n0,1,2\n16,3,4\n32,5,6\n")
    assert sample.interval_ms == 16.0
    assert sample.sensors == [("accX", "m/s2"), ("gyrY", "N/A")]
    np.testing.assert_array_equal(sample.values, [[1, 2], [3, 4], [5, 6]])
    assert sample.format == "csv" and sample.signature_status == "unsigned"


def test_bom_crlf_quoted_header_and_trailing_empty_lines_are_accepted():
    body = b'\xef\xbb\xbf"timestamp","accX","accY"\r\n0,1,2\r\n10,3,4\r\n\r\n\r\n'
    sample = parse(body)
    assert [name for name, _ in sample.sensors] == ["accX", "accY"]
    assert sample.values.shape == (2, 2)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separators_are_accepted(separator):
    sample = parse(THREE_AXES.replace(",", separator))
    assert sample.values.shape == (3, 3)


def test_utf16_with_bom_is_accepted():
    assert parse(THREE_AXES.encode("utf-16")).values.shape == (3, 3)


def test_header_with_commas_inside_quotes_and_semicolon_separator_is_accepted():
    sample = parse('timestamp;"acc,X";accY\n0;1;2\n10;3;4\n')
    assert [name for name, _ in sample.sensors] == ["acc,X", "accY"]


def test_same_data_as_csv_and_json_share_a_content_hash():
    payload = {
        "device_type": "X",
        "interval_ms": 10,
        "sensors": [{"name": n, "units": "m/s2"} for n in ("accX", "accY", "accZ")],
        "values": [[1, 2, 3], [4, 5, 6], [7, 8, 9]],
    }
    json_sample = parse_file(sign_acquisition_json(payload, "k"), "a.json", None, "k")
    assert parse(THREE_AXES).content_hash == json_sample.content_hash


def test_jittery_timestamps_within_one_ms_are_accepted():
    sample = parse("timestamp,a\n0,1\n16,1\n33,1\n48,1\n64,1\n")
    assert sample.interval_ms == 16.0


def test_single_reading_without_timestamp_has_zero_interval():
    sample = parse("temp,hum\n21.5,40\n")
    assert sample.interval_ms == 0.0
    assert sample.values.shape == (1, 2)


def test_timestamp_column_name_is_case_insensitive():
    assert parse("Timestamp,a\n0,1\n5,2\n").interval_ms == 5.0


BAD_CSV = [
    ("timestamp,accX,accY,accZ\n0,1,2,3\n10,4,5\n", "row 3 has 3 values but the header names 4 columns"),
    ("timestamp,accX,accY\n0,1,2\n10,,5\n", "row 3, accX is empty"),
    ("timestamp,accX,accY\n0,1,2\n10,abc,5\n", "row 3, accX: 'abc' is not a number"),
    ("timestamp;accX;accY\n0;1,5;2\n10;1;5\n", "use '.' as the decimal separator"),
    ("timestamp,accX\n0,1\n10,nan\n", "row 3, accX: nan is not allowed"),
    ("timestamp,accX\n0,1\n10,inf\n", "inf is not allowed"),
    ("timestamp,accX\n0,1\n10,1e999\n", "1e999 is too large"),
    (
        "timestamp,accX\n0,1\n10,1\n40,1\n50,1\n",
        "row 4: timestamp 40 is 30 ms after the previous row, but rows are 10 ms apart",
    ),
    ("timestamp,accX\n0,1\n10,1\n20,1\n21,1\n", "row 5: timestamp 21 is 1 ms after"),
    ("timestamp,accX\n0,1\n10,1\n5,1\n", "row 4: timestamp 5 is earlier than the previous row's 10"),
    ("timestamp,accX\n5,1\n5,1\n", "all timestamps are equal"),
    ("accX,accY\n1,2\n3,4\n", "has 2 data rows but no 'timestamp' first column"),
    ("timestamp,accX,accX\n0,1,2\n", "'accX' appears more than once"),
    ("timestamp,accX,\n0,1,2\n", "column 3 of the header has no name"),
    ("timestamp\n0\n10\n", "has no sensor columns"),
    ("timestamp,accX\n", "has a header but no data rows"),
    ("1,2,3\n4,5,6\n", "the first row must be a header"),
    ("timestamp,accX\n0,1\n\n20,1\n", "row 3 is empty"),
    ("", "is empty"),
    ("\n\n", "is empty"),
    ('"', "has no header row"),
    ('timestamp,"acc\n', "has a header but no data rows"),
    ("timestamp,a;b\n0,1;2\n", "mixes comma and semicolon separators"),
]


@pytest.mark.parametrize("text,message", BAD_CSV, ids=[m for _, m in BAD_CSV])
def test_invalid_csv_is_refused_with_row_and_problem(text, message):
    with pytest.raises(SampleFormatError) as info:
        parse(text)
    assert message in info.value.message
    assert str(info.value).startswith("idle.01.csv: ")


def test_invalid_utf8_csv_is_refused():
    with pytest.raises(SampleFormatError, match="not valid UTF-8"):
        parse(b"timestamp,acc\xe9X\n0,1\n")


def test_nul_byte_in_csv_is_refused():
    with pytest.raises(SampleFormatError, match="contains NUL bytes"):
        parse(b"timestamp,ac\x00X\n0,1\n")


def test_pandas_float_timestamps_with_rounding_noise_are_accepted():
    # upload_pandas_dataframe_with_group writes seconds converted to ms as floats.
    sample = parse("timestamp,accX,accY\n0.0,1.0,2\n10.0,3.0,4\n20.0,5.5,6\n30.000000000000004,7.0,8\n")
    assert sample.interval_ms == pytest.approx(10.0)


def test_semicolon_file_with_quoted_decimal_commas_in_header_is_not_mistaken_for_commas():
    sample = parse('"timestamp";"acc,X"\n0;1\n10;2\n')
    assert sample.sensors == [("acc,X", "m/s2")]


@pytest.mark.parametrize("step", ["0.0000001", "100000000000"])
def test_timestamps_outside_physical_rates_are_refused(step):
    from backend.ingestion.formats import SampleFormatError, parse_csv

    body = f"timestamp,a\n0,1\n{step},2\n".encode()
    with pytest.raises(SampleFormatError, match="ms apart"):
        parse_csv(body, "rate.csv")
