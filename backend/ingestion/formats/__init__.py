"""Parsing uploaded data into validated samples: pure functions, no HTTP, no SQL.

Entry points: `parse_data_body` (POST /api/{category}/data) and `parse_file`
(POST /api/{category}/files). Every malformed input raises `SampleFormatError`.
"""

from .acquisition import BINARY_TYPES, parse_acquisition_cbor, parse_acquisition_json, parse_message_multipart
from .csv_format import parse_csv
from .dispatch import detect_format, parse_data_body, parse_file
from .errors import SampleFormatError
from .metadata import parse_metadata_header
from .multipart import MessagePart, pick_message, split_multipart
from .naming import label_from_filename, split_category, validate_filename
from .sample import SINGLE_READING_INTERVAL_MS, ParsedSample, content_hash
from .signature import ZERO_SIGNATURE, sign_acquisition_cbor, sign_acquisition_json, verify_signature
from .wav_format import parse_wav

__all__ = [
    "BINARY_TYPES",
    "SINGLE_READING_INTERVAL_MS",
    "ZERO_SIGNATURE",
    "MessagePart",
    "ParsedSample",
    "SampleFormatError",
    "content_hash",
    "detect_format",
    "label_from_filename",
    "parse_acquisition_cbor",
    "parse_acquisition_json",
    "parse_csv",
    "parse_data_body",
    "parse_file",
    "parse_message_multipart",
    "parse_metadata_header",
    "parse_wav",
    "pick_message",
    "sign_acquisition_cbor",
    "sign_acquisition_json",
    "split_category",
    "split_multipart",
    "validate_filename",
    "verify_signature",
]
