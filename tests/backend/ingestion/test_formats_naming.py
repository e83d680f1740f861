"""File names, labels, the split and the x-metadata header."""

from __future__ import annotations

import hashlib

import pytest

from backend.ingestion.formats import (
    SampleFormatError,
    label_from_filename,
    parse_metadata_header,
    split_category,
    validate_filename,
)


@pytest.mark.parametrize(
    "name,label",
    [
        ("idle.01.json", "idle"),
        ("wave.json", "wave"),
        ("a/b/idle.1.json", "idle"),
        ("C:\\data\\up down.3.csv", "up down"),
        ("no_label-2.wav", "no_label-2"),
        ("été.json", ""),
        ("updown (1).wav", "updown"),
    ],
)
def test_label_is_the_leading_run_of_the_base_name(name, label):
    assert label_from_filename(name) == label


def test_valid_name_is_trimmed_and_normalised():
    assert validate_filename("  cafe\u0301.json ") == "caf\u00e9.json"


def test_name_as_utf8_bytes_is_accepted():
    assert validate_filename("été.csv".encode()) == "été.csv"


@pytest.mark.parametrize(
    "name,message",
    [
        (b"\xff\xfe.json", "not valid UTF-8"),
        ("bad\udcff.json", "not valid UTF-8"),
        ("a\x00b.json", "control characters"),
        ("a\nb.json", "control characters"),
        ("../etc/passwd", "path separator"),
        ("a\\b.json", "path separator"),
        ("..", "is not a file name"),
        ("", "empty"),
        ("   ", "empty"),
        ("é" * 128 + ".json", "longer than 255 bytes"),
    ],
)
def test_invalid_name_is_refused(name, message):
    with pytest.raises(SampleFormatError, match=message):
        validate_filename(name)


def test_directories_may_be_stripped_for_browser_uploads():
    assert validate_filename("folder/idle.1.csv", strip_directories=True) == "idle.1.csv"
    with pytest.raises(SampleFormatError):
        validate_filename("folder/..", strip_directories=True)


def test_split_is_deterministic_and_close_to_80_20():
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(3000)]
    categories = [split_category(h) for h in hashes]
    assert categories == [split_category(h) for h in hashes]
    assert 0.77 < categories.count("training") / len(categories) < 0.83


def test_split_skips_leading_f_like_the_edge_impulse_uploader():
    assert split_category("ff0" + "0" * 61) == "training"
    assert split_category("fc" + "0" * 62) == "testing"


def test_metadata_header_gives_string_pairs():
    assert parse_metadata_header('{"site": "A", "run": "3"}') == {"site": "A", "run": "3"}


@pytest.mark.parametrize(
    "value,message",
    [
        ("[1]", "must be a JSON object"),
        ('{"a": 1}', "the value of 'a' must be a string"),
        ('{"a": {"b": "c"}}', "must be a string"),
        ('{"": "x"}', "empty key"),
        ("{nope", "not valid JSON"),
        ("", "not valid JSON"),
        ('{"a": "\\u0000"}', "NUL character"),
        ('{"a": "\\udc80"}', "lone surrogate"),
    ],
)
def test_metadata_header_of_another_shape_is_refused(value, message):
    with pytest.raises(SampleFormatError, match=message):
        parse_metadata_header(value)
