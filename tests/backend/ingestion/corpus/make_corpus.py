"""Write the regression corpus of nasty upload files and manifest.json.

Run from the repository root: `python tests/backend/ingestion/corpus/make_corpus.py`.
Each manifest entry: file, how it is sent (`via`: "file" for /files, or a Content-Type for
/data), what must come out (`expect`: "ok", or the substring of the SampleFormatError message),
and why the file is here. The output is byte-stable: no clocks, seeded randomness.
"""

from __future__ import annotations

import io
import json
import random
import struct
import sys
from pathlib import Path

import cbor2
import numpy as np
from scipy.io import wavfile

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3]))
from backend.ingestion.formats import sign_acquisition_cbor, sign_acquisition_json  # noqa: E402

KEY = "corpus-hmac-key"  # the manifest's key for signed files
PAYLOAD = {
    "device_name": "ac:87:a3:0a:2d:1b",
    "device_type": "DISCO-L475VG-IOT01A",
    "interval_ms": 16,
    "sensors": [
        {"name": "accX", "units": "m/s2"},
        {"name": "accY", "units": "m/s2"},
        {"name": "accZ", "units": "m/s2"},
    ],
    "values": [[-9.81, 0.03, 1.21], [-9.83, 0.04, 1.27], [-9.12, 0.03, 1.23], [-9.14, 0.01, 1.25]],
}
GOOD_JSON = sign_acquisition_json(PAYLOAD, KEY, iat=1564128599)
GOOD_CBOR = sign_acquisition_cbor(PAYLOAD, KEY, iat=1564128599)


def wav(data: np.ndarray, rate: int = 16000) -> bytes:
    buffer = io.BytesIO()
    wavfile.write(buffer, rate, data)
    return buffer.getvalue()


def envelope_text(payload_text: str) -> bytes:
    return (
        '{"protected": {"ver": "v1", "alg": "none"}, "signature": "' + "0" * 64 + '", "payload": ' + payload_text + "}"
    ).encode()


def device_binary_payload() -> bytes:
    """Firmware style: definite maps, half-float interval, indefinite values with a padded ref."""
    payload = {
        "device_name": "C4:7F:51:8D:18:4A",
        "device_type": "DISCO_L475VG_IOT01A",
        "interval_ms": 0.0625,
        "sensors": [{"name": "audio", "units": "wav"}],
        "values": ["Ref-BINARY-i16"],
    }
    header = sign_acquisition_cbor(payload, None).replace(b"dnone", b"eHS256")
    header = header.replace(cbor2.dumps(0.0625), b"\xf9\x2c\x00")
    header = header.replace(b"\x81\x6eRef-BINARY-i16", b"\x9f\x70Ref-BINARY-i16  \xff")
    return header + np.array([6393, 6394, 6375, 6366, -3, 0], dtype="<i2").tobytes()


def lying_wav(data_size: int | None = None, riff_size: int | None = None) -> bytes:
    body = bytearray(wav(np.arange(-50, 50, dtype=np.int16)))
    if riff_size is not None:
        body[4:8] = struct.pack("<I", riff_size)
    if data_size is not None:
        body[40:44] = struct.pack("<I", data_size)
    return bytes(body)


def multipart(parts: list[tuple[str, str, bytes]], boundary: str = "----corpus") -> bytes:
    out = b""
    for name, content_type, body in parts:
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n"
            ).encode()
            + body
            + b"\r\n"
        )
    return out + f"--{boundary}--\r\n".encode()


rng = random.Random(20240601)
CASES: list[tuple[str, bytes, str, str, str]] = [
    # name, bytes, via, expect, why
    ("good_signed.json", GOOD_JSON, "file", "ok", "reference signed JSON"),
    ("good_signed.cbor", GOOD_CBOR, "file", "ok", "reference signed CBOR"),
    (
        "good_indented_crlf.json",
        json.dumps(json.loads(GOOD_JSON), indent=2).replace("\n", "\r\n").encode(),
        "file",
        "ok",
        "re-indented signed JSON (the signature still covers the original layout, so it is invalid but parses)",
    ),
    ("good_bom.json", b"\xef\xbb\xbf" + GOOD_JSON, "file", "ok", "UTF-8 BOM before JSON"),
    (
        "device_binary_i16.cbor",
        device_binary_payload(),
        "application/octet-stream",
        "ok",
        "firmware binary payload: half-float interval, padded ref, indefinite array",
    ),
    (
        "multipart_message.bin",
        multipart([("message", "application/json", GOOD_JSON)]),
        "multipart/form-data; boundary=----corpus",
        "ok",
        "multipart /data with a message part",
    ),
    (
        "multipart_image.bin",
        multipart([("message", "application/json", GOOD_JSON), ("image", "image/jpeg", b"\xff\xd8\xff\xe0")]),
        "multipart/form-data; boundary=----corpus",
        "images are not supported yet",
        "image attachment",
    ),
    (
        "multipart_no_boundary.bin",
        multipart([("message", "application/json", GOOD_JSON)]),
        "multipart/form-data",
        "no boundary",
        "Content-Type without boundary",
    ),
    ("truncated.cbor", GOOD_CBOR[: len(GOOD_CBOR) * 2 // 3], "file", "ends in the middle of a value", "cut mid-values"),
    ("truncated.json", GOOD_JSON[: len(GOOD_JSON) // 2], "file", "is not valid JSON", "cut mid-values"),
    ("trailing_garbage.cbor", GOOD_CBOR + b"\x00\x01\x02", "file", "3 unexpected bytes", "bytes after the map"),
    (
        "nan_literal.json",
        envelope_text(json.dumps(PAYLOAD).replace("0.04", "NaN")),
        "file",
        "row 2 (values[1]), accY: nan is not allowed",
        "NaN is not JSON, Python's parser accepts it",
    ),
    (
        "infinity_literal.json",
        envelope_text(json.dumps(PAYLOAD).replace("1.25", "-Infinity")),
        "file",
        "row 4 (values[3]), accZ: -inf is not allowed",
        "Infinity literal",
    ),
    (
        "overflow_double.json",
        envelope_text(json.dumps(PAYLOAD).replace("1.21", "1e400")),
        "file",
        "row 1 (values[0]), accZ: inf is not allowed",
        "literal beyond float64 parses as inf",
    ),
    (
        "overflow_float32.json",
        envelope_text(json.dumps(PAYLOAD).replace("1.21", "1e39")),
        "file",
        "row 1 (values[0]), accZ: 1e+39 is too large",
        "fits float64, not float32",
    ),
    (
        "huge_integer.json",
        envelope_text(json.dumps(PAYLOAD).replace("1.21", "9" * 5000)),
        "file",
        "is not valid JSON: Exceeds the limit",
        "integer beyond Python's digit limit",
    ),
    (
        "huge_bignum.cbor",
        GOOD_CBOR.replace(cbor2.dumps(1.21), b"\xc2\x58\xff" + b"\xff" * 255),
        "file",
        "row 1 (values[0]) holds a number too large",
        "CBOR bignum beyond float64",
    ),
    (
        "deep_nesting.json",
        b'{"payload": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        "file",
        "nested too deeply",
        "recursion bomb",
    ),
    ("deep_nesting.cbor", b"\xa1\x67payload" + b"\x81" * 5000 + b"\x00", "file", "nesting depth", "recursion bomb"),
    (
        "cbor_huge_length.cbor",
        b"\xa1\x67payload\x9b\x00\x00\x10\x00\x00\x00\x00\x00",
        "file",
        "ends in the middle of a value",
        "array claiming 2^44 items",
    ),
    ("top_level_array.json", b"[1, 2, 3]", "file", "must hold an object", "not an envelope"),
    (
        "strings_as_values.json",
        envelope_text(json.dumps(PAYLOAD).replace("-9.83", '"-9.83"')),
        "file",
        "row 2 (values[1]), accX: the text '-9.83' is not a number",
        "quoted numbers",
    ),
    (
        "boolean_value.json",
        envelope_text(json.dumps(PAYLOAD).replace("0.01", "true")),
        "file",
        "row 4 (values[3]), accY: the boolean true is not a number",
        "booleans are not numbers",
    ),
    (
        "ragged_rows.json",
        envelope_text(json.dumps(PAYLOAD).replace(", 1.23]", "]")),
        "file",
        "row 3 (values[2]) has 2 values but there are 3 sensors",
        "row too short",
    ),
    (
        "unknown_ref.cbor",
        sign_acquisition_cbor({**PAYLOAD, "sensors": PAYLOAD["sensors"][:1], "values": ["Ref-BINARY-q7"]}, None)
        + b"\x00\x01",
        "file",
        "unknown type 'Ref-BINARY-q7'",
        "binary ref of an unknown type",
    ),
    (
        "binary_odd_length.cbor",
        device_binary_payload() + b"\x01",
        "application/octet-stream",
        "not a whole number of i16 samples",
        "payload cut mid-sample",
    ),
    ("utf16.json", json.dumps(json.loads(GOOD_JSON)).encode("utf-16"), "file", "is UTF-16 text", "UTF-16 JSON"),
    (
        "latin1.json",
        envelope_text(json.dumps(PAYLOAD).replace("DISCO", "DISC\u00d3")).decode().encode("latin-1"),
        "file",
        "is not valid UTF-8",
        "Latin-1 JSON",
    ),
    (
        "lone_surrogate.json",
        envelope_text(json.dumps(PAYLOAD).replace("ac:87", "\\ud800")),
        "file",
        "invalid Unicode escape",
        "JSON escape decoding to a lone surrogate",
    ),
    ("zero_length.json", b"", "file", "is not valid JSON", "empty"),
    ("zero_length.cbor", b"", "file", "is empty", "empty"),
    ("zero_length.csv", b"", "file", "is empty", "empty"),
    ("zero_length.wav", b"", "file", "is empty", "empty"),
    ("zero_length_data.bin", b"", "application/cbor", "is empty", "empty /data body"),
    (
        "garbage.bin",
        bytes(rng.randrange(256) for _ in range(4096)),
        "file",
        "is not a JSON, CBOR, CSV or WAV file",
        "random bytes, unknown extension",
    ),
    ("garbage.cbor", bytes(rng.randrange(256) for _ in range(4096)), "file", "", "random bytes as CBOR"),
    ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "file", "images are not supported yet", "image upload"),
    (
        "good.csv",
        b"timestamp,accX,accY,accZ\n0,-9.81,0.03,1.21\n16,-9.83,0.04,1.27\n32,-9.12,0.03,1.23\n",
        "file",
        "ok",
        "plain time series",
    ),
    (
        "excel_semicolon_bom_crlf.csv",
        b'\xef\xbb\xbf"timestamp";"accX";"accY"\r\n0;1.5;2\r\n10;3;4\r\n\r\n',
        "file",
        "ok",
        "spreadsheet export",
    ),
    ("utf16_tab.csv", "timestamp\taccX\n0\t1\n10\t2\n".encode("utf-16"), "file", "ok", "spreadsheet 'Unicode text'"),
    (
        "ragged.csv",
        b"timestamp,accX,accY,accZ\n0,1,2,3\n10,4,5,6\n20,7,8\n30,1,2,3\n",
        "file",
        "row 4 has 3 values but the header names 4 columns",
        "row too short",
    ),
    (
        "decimal_comma.csv",
        b"timestamp;accX\n0;1,5\n10;2,5\n",
        "file",
        "use '.' as the decimal separator",
        "European decimals",
    ),
    (
        "gap.csv",
        b"timestamp,accX\n0,1\n10,1\n20,1\n60,1\n70,1\n",
        "file",
        "row 5: timestamp 60 is 40 ms after",
        "missing rows",
    ),
    ("no_header.csv", b"0,1,2\n10,3,4\n", "file", "the first row must be a header", "numbers only"),
    (
        "readings_without_timestamp.csv",
        b"temp,hum\n21,40\n22,41\n",
        "file",
        "no 'timestamp' first column",
        "series without time",
    ),
    ("single_reading.csv", b"temp,hum\n21.5,40\n", "file", "ok", "one reading, interval 0"),
    ("nul.csv", b"timestamp,accX\n0,1\x00\n", "file", "contains NUL bytes", "binary in a CSV"),
    ("good_16bit.wav", wav(np.arange(-100, 100, dtype=np.int16)), "file", "ok", "plain WAV"),
    ("riff_size_too_small.wav", lying_wav(riff_size=4), "file", "ok", "RIFF size smaller than the file: repaired"),
    ("riff_size_zero.wav", lying_wav(riff_size=0), "file", "ok", "streaming recorders leave the RIFF size at 0"),
    (
        "byte_rate_wrong.wav",
        lying_wav()[:28] + struct.pack("<I", 12345) + lying_wav()[32:],
        "file",
        "ok",
        "byte rate disagreeing with rate x block align: repaired",
    ),
    (
        "chunk_size_huge.wav",
        lying_wav()[:12] + b"LIST\xff\xff\xff\x7f" + lying_wav()[12:],
        "file",
        "is not a readable WAV file",
        "a chunk claiming 2 GB before fmt",
    ),
    ("riff_size_too_big.wav", lying_wav(riff_size=0xFFFFFFF0), "file", "ok", "RIFF size larger than the file"),
    ("data_size_too_big.wav", lying_wav(data_size=0xFFFFFFFF), "file", "ok", "streaming writers leave the size at max"),
    ("data_size_odd.wav", lying_wav(data_size=7), "file", "not a whole number of samples", "size not a whole frame"),
    ("header_only.wav", lying_wav()[:44], "file", "holds no audio samples", "no frames"),
    ("truncated_fmt.wav", lying_wav()[:30], "file", "is not a readable WAV file", "cut inside fmt"),
    ("not_wave.wav", b"RIFF\x24\x00\x00\x00AVI LIST", "file", "is not a WAV file", "RIFF but not WAVE"),
    (
        "float_inf.wav",
        wav(np.array([0.0, np.inf, 0.5], dtype=np.float32)),
        "file",
        "sample 2, audio: inf is not allowed",
        "non-finite float audio",
    ),
    (
        "adpcm.wav",
        lying_wav()[:20] + struct.pack("<H", 2) + lying_wav()[22:],
        "file",
        "is not a readable WAV file",
        "compressed WAV",
    ),
]


def main() -> None:
    manifest = []
    for name, body, via, expect, why in CASES:
        (HERE / name).write_bytes(body)
        manifest.append({"file": name, "via": via, "expect": expect, "why": why})
    (HERE / "manifest.json").write_text(json.dumps({"hmac_key": KEY, "cases": manifest}, indent=1) + "\n")


if __name__ == "__main__":
    main()
