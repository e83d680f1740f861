"""Data acquisition files (JSON, CBOR, binary payloads, multipart) and their signatures."""

from __future__ import annotations

import hashlib
import hmac
import json

import cbor2
import numpy as np
import pytest

from backend.ingestion.formats import (
    BINARY_TYPES,
    MessagePart,
    SampleFormatError,
    parse_data_body,
    parse_file,
    parse_message_multipart,
    sign_acquisition_cbor,
    sign_acquisition_json,
)

KEY = "0123456789abcdef0123456789abcdef"


def make_payload(**overrides):
    payload = {
        "device_name": "ac:87:a3:0a:2d:1b",
        "device_type": "DISCO-L475VG-IOT01A",
        "interval_ms": 16,
        "sensors": [
            {"name": "accX", "units": "m/s2"},
            {"name": "accY", "units": "m/s2"},
            {"name": "accZ", "units": "m/s2"},
        ],
        "values": [[-9.81, 0.03, 1.21], [-9.83, 0.04, 1.27], [-9.12, 0.03, 1.23]],
    }
    payload.update(overrides)
    return payload


def unsigned_json(payload) -> bytes:
    return json.dumps({"protected": {"ver": "v1", "alg": "none"}, "signature": "0" * 64, "payload": payload}).encode()


def device_binary_file(kind: str, samples: np.ndarray, hmac_key: str | None = KEY, pad: int = 2) -> bytes:
    """What firmware writes: values as an indefinite array holding a space-padded reference."""
    ref = f"Ref-BINARY-{kind}"
    payload = make_payload(interval_ms=0.0625, sensors=[{"name": "audio", "units": "wav"}], values=[ref])
    signed = sign_acquisition_cbor(payload, None)
    padded = ref + " " * pad
    definite = b"\x81" + cbor2.dumps(ref)
    indefinite = b"\x9f" + cbor2.dumps(padded) + b"\xff"
    header = signed.replace(definite, indefinite).replace(b"dnone", b"eHS256")
    assert indefinite in header and b"eHS256" in header
    body = header + samples.tobytes()
    if hmac_key is None:
        return body
    digest = hmac.new(hmac_key.encode(), body, hashlib.sha256).hexdigest().encode()
    return body.replace(b"0" * 64, digest, 1)


# --- valid files -------------------------------------------------------------------------------


def test_signed_json_parses_into_float32_rows_with_valid_signature():
    sample = parse_data_body(
        sign_acquisition_json(make_payload(), KEY, iat=1564128599), "application/json", "idle.01.json", KEY
    )
    assert sample.signature_status == "valid"
    assert sample.iat == 1564128599
    assert sample.values.dtype == np.float32 and sample.values.flags.c_contiguous
    assert sample.values.shape == (3, 3)
    assert sample.sensors == [("accX", "m/s2"), ("accY", "m/s2"), ("accZ", "m/s2")]
    assert sample.interval_ms == 16.0 and sample.device_name == "ac:87:a3:0a:2d:1b"
    assert sample.format == "json"


def test_cbor_file_gives_the_same_content_hash_as_json():
    json_sample = parse_data_body(sign_acquisition_json(make_payload(), KEY), "application/json", "a.json", KEY)
    cbor_sample = parse_data_body(sign_acquisition_cbor(make_payload(), KEY), "application/cbor", "a.cbor", KEY)
    assert cbor_sample.format == "cbor" and cbor_sample.signature_status == "valid"
    assert cbor_sample.content_hash == json_sample.content_hash


def test_content_hash_ignores_whitespace_signature_and_iat_but_not_values():
    compact = json.dumps(
        {"protected": {"alg": "none"}, "signature": "0" * 64, "payload": make_payload()}, separators=(",", ":")
    )
    a = parse_data_body(compact.encode(), "application/json", "a.json", None)
    b = parse_data_body(
        sign_acquisition_json(make_payload(interval_ms=16.0), KEY, iat=7), "application/json", "b.json", KEY
    )
    c = parse_data_body(
        unsigned_json(make_payload(values=[[-9.81, 0.03, 1.21]] * 3)), "application/json", "c.json", None
    )
    assert a.content_hash == b.content_hash != c.content_hash


def test_flat_values_list_becomes_one_column():
    payload = make_payload(sensors=[{"name": "temp", "units": "Cel"}], values=[21.5, 21.6, 21.7])
    sample = parse_data_body(unsigned_json(payload), "application/json", "t.json", None)
    assert sample.values.shape == (3, 1)


def test_cbor_with_indefinite_length_values_array_parses():
    signed = sign_acquisition_cbor(make_payload(sensors=[{"name": "x", "units": "N/A"}], values=[1, 2, 3]), None)
    body = signed.replace(b"\x83\x01\x02\x03", b"\x9f\x01\x02\x03\xff")
    assert body != signed
    sample = parse_data_body(body, "application/cbor", "x.cbor", None)
    assert sample.values.ravel().tolist() == [1, 2, 3]


def test_cbor_with_indefinite_length_rows_parses():
    rows = b"".join(b"\x9f" + cbor2.dumps(v) + b"\xff" for v in (1.5, 2.5))
    signed = sign_acquisition_cbor(make_payload(sensors=[{"name": "x", "units": "N/A"}], values=[[1.5], [2.5]]), None)
    body = signed.replace(b"\x82\x81" + cbor2.dumps(1.5) + b"\x81" + cbor2.dumps(2.5), b"\x9f" + rows + b"\xff")
    assert body != signed
    assert parse_data_body(body, "application/cbor", "x.cbor", None).values.ravel().tolist() == [1.5, 2.5]


@pytest.mark.parametrize("kind", sorted(BINARY_TYPES))
def test_binary_payload_of_each_sample_type_parses(kind):
    dtype = BINARY_TYPES[kind]
    if dtype.kind == "f":
        samples = np.array([-1.5, 0.0, 2.25, 1e6], dtype=dtype)
    else:
        info = np.iinfo(dtype)
        samples = np.array([info.min, 0, 1, info.max], dtype=dtype)
    body = device_binary_file(kind, samples)
    sample = parse_data_body(body, "application/octet-stream", "audio.cbor", KEY)
    assert sample.format == "binary" and sample.signature_status == "valid"
    assert sample.values.shape == (4, 1)
    np.testing.assert_array_equal(sample.values[:, 0], samples.astype(np.float32))
    assert sample.interval_ms == 0.0625


def test_binary_payload_uploaded_as_cbor_file_parses():
    body = device_binary_file("i16", np.arange(8, dtype="<i2"))
    assert parse_file(body, "noise.cbor", None, KEY).format == "binary"


def test_binary_payload_signed_by_our_helper_verifies():
    payload = make_payload(sensors=[{"name": "audio", "units": "wav"}], values=["Ref-BINARY-f32"])
    body = sign_acquisition_cbor(payload, KEY, binary=np.arange(4, dtype="<f4").tobytes())
    assert parse_data_body(body, "application/octet-stream", "a", KEY).signature_status == "valid"


def test_binary_payload_with_tampered_samples_is_invalid():
    body = bytearray(device_binary_file("i16", np.arange(8, dtype="<i2")))
    body[-1] ^= 0x01
    assert parse_data_body(bytes(body), "application/octet-stream", "a", KEY).signature_status == "invalid"


def test_binary_payload_with_partial_sample_is_refused():
    body = device_binary_file("i16", np.arange(8, dtype="<i2"), hmac_key=None) + b"\x01"
    with pytest.raises(SampleFormatError, match="not a whole number of i16 samples"):
        parse_data_body(body, "application/octet-stream", "a.cbor", KEY)


def test_binary_payload_without_samples_is_refused():
    body = device_binary_file("i16", np.zeros(0, dtype="<i2"), hmac_key=None)
    with pytest.raises(SampleFormatError, match="no samples follow"):
        parse_data_body(body, "application/octet-stream", "a.cbor", KEY)


def test_binary_reference_in_json_is_refused():
    payload = make_payload(sensors=[{"name": "audio", "units": "wav"}], values=["Ref-BINARY-i16"])
    with pytest.raises(SampleFormatError, match="only CBOR files can carry"):
        parse_data_body(unsigned_json(payload), "application/json", "a.json", None)


def test_multipart_message_part_parses_like_a_data_body():
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="message"; filename="m.json"\r\n'
        b"Content-Type: application/json\r\n\r\n" + sign_acquisition_json(make_payload(), KEY) + b"\r\n--XyZ--\r\n"
    )
    sample = parse_data_body(body, "multipart/form-data; boundary=XyZ", "m.json", KEY)
    assert sample.signature_status == "valid" and sample.values.shape == (3, 3)


def test_multipart_with_image_attachment_is_refused_as_unsupported():
    payload = make_payload(
        interval_ms=0,
        sensors=[{"name": "image", "units": "rgba"}],
        values=["Ref-BINARY-image/jpeg (3 bytes) " + "a" * 64],
    )
    message = MessagePart(name="body", body=sign_acquisition_cbor(payload, KEY), content_type="application/cbor")
    attachment = MessagePart(name="attachments", body=b"\xff\xd8\xff", content_type="image/jpeg", filename="cat.jpg")
    with pytest.raises(SampleFormatError, match="images are not supported yet"):
        parse_message_multipart(message, [attachment], "cat.jpg", KEY)


def test_multipart_without_message_part_is_refused():
    body = b'--b\r\nContent-Disposition: form-data; name="other"\r\n\r\nhello\r\n--b--\r\n'
    with pytest.raises(SampleFormatError, match="no 'message' part"):
        parse_data_body(body, "multipart/form-data; boundary=b", "m", None)


def test_unsupported_content_type_is_refused():
    with pytest.raises(SampleFormatError, match="unsupported Content-Type"):
        parse_data_body(b"1,2", "text/plain", "x.txt", None)


def test_single_row_may_have_zero_interval():
    payload = make_payload(interval_ms=0, values=[[1, 2, 3]])
    assert parse_data_body(unsigned_json(payload), "application/json", "r.json", None).interval_ms == 0


# --- signatures ----------------------------------------------------------------------------------


def test_tampered_json_value_makes_signature_invalid():
    body = sign_acquisition_json(make_payload(), KEY).replace(b"-9.81", b"-9.82")
    assert parse_data_body(body, "application/json", "a.json", KEY).signature_status == "invalid"


def test_wrong_key_makes_signature_invalid():
    body = sign_acquisition_json(make_payload(), KEY)
    assert parse_data_body(body, "application/json", "a.json", "other").signature_status == "invalid"


def test_signed_file_without_project_key_is_invalid():
    body = sign_acquisition_json(make_payload(), KEY)
    assert parse_data_body(body, "application/json", "a.json", None).signature_status == "invalid"


def test_alg_none_is_unsigned():
    assert (
        parse_data_body(unsigned_json(make_payload()), "application/json", "a.json", KEY).signature_status == "unsigned"
    )


def test_hs256_with_zero_signature_is_unsigned():
    body = json.dumps(
        {"protected": {"ver": "v1", "alg": "HS256"}, "signature": "0" * 64, "payload": make_payload()}
    ).encode()
    assert parse_data_body(body, "application/json", "a.json", KEY).signature_status == "unsigned"


def test_missing_protected_header_is_unsigned():
    body = json.dumps({"payload": make_payload()}).encode()
    assert parse_data_body(body, "application/json", "a.json", KEY).signature_status == "unsigned"


def _sign_like_another_client(document_text: str) -> bytes:
    body = document_text.encode()
    digest = hmac.new(KEY.encode(), body, hashlib.sha256).hexdigest()
    return body.replace(b"0" * 64, digest.encode(), 1)


@pytest.mark.parametrize(
    "layout",
    [
        lambda d: json.dumps(d, indent=4),
        lambda d: json.dumps(d, separators=(",", ":")),
        lambda d: json.dumps({k: d[k] for k in ("payload", "signature", "protected")}),
        lambda d: json.dumps(d, indent="\t", sort_keys=True).replace("\n", "\r\n"),
    ],
    ids=["indented", "compact", "payload-first", "sorted-tabs-crlf"],
)
def test_signature_verifies_whatever_key_order_and_whitespace(layout):
    document = {"protected": {"ver": "v1", "alg": "HS256", "iat": 1}, "signature": "0" * 64, "payload": make_payload()}
    body = _sign_like_another_client(layout(document))
    assert parse_data_body(body, "application/json", "a.json", KEY).signature_status == "valid"


def test_cbor_signature_verifies_with_payload_before_signature():
    document = {"payload": make_payload(), "protected": {"alg": "HS256", "ver": "v1"}, "signature": "0" * 64}
    body = cbor2.dumps(document)
    digest = hmac.new(KEY.encode(), body, hashlib.sha256).hexdigest().encode()
    body = body.replace(b"0" * 64, digest)
    assert parse_data_body(body, "application/cbor", "a.cbor", KEY).signature_status == "valid"


def test_signature_with_wrong_length_is_invalid():
    document = {"protected": {"alg": "HS256"}, "signature": "abc", "payload": make_payload()}
    assert (
        parse_data_body(json.dumps(document).encode(), "application/json", "a.json", KEY).signature_status == "invalid"
    )


def test_unknown_alg_is_refused():
    document = {"protected": {"alg": "RS256"}, "signature": "0" * 64, "payload": make_payload()}
    with pytest.raises(SampleFormatError, match="protected.alg must be"):
        parse_data_body(json.dumps(document).encode(), "application/json", "a.json", KEY)


# --- validation ----------------------------------------------------------------------------------

BAD_PAYLOADS = [
    ({"values": [[1, 2, 3], [1, 2]]}, "row 2 (values[1]) has 2 values but there are 3 sensors"),
    ({"values": [[1, 2, 3], [1, True, 3]]}, "row 2 (values[1]), accY: the boolean true is not a number"),
    ({"values": [[1, 2, 3], [1, "2", 3]]}, "accY: the text '2' is not a number"),
    ({"values": [[1, 2, 3], [1, {"v": 2}, 3]]}, "accY: an object is not a number"),
    ({"values": [[1, 2, 3], [1, None, 3]]}, "accY: null is not a number"),
    ({"values": [[1, 2, 3], [[1], 2, 3]]}, "accX: a list is not a number"),
    ({"values": [1, 2, 3]}, "row 1 (values[0]) is a single number but there are 3 sensors"),
    ({"values": []}, "has no data rows"),
    ({"values": {"a": 1}}, "payload.values must be a list of rows"),
    ({"values": [[1, 2, 3], [1, 1e300, 3]]}, "row 2 (values[1]), accY: 1e+300 is too large"),
    ({"values": [[1, 2, 3], [1, 10**400, 3]]}, "row 2 (values[1]) holds a number too large"),
    ({"interval_ms": 0}, "interval_ms must be greater than 0"),
    ({"interval_ms": -5}, "interval_ms must be greater than 0"),
    ({"interval_ms": "16"}, "interval_ms must be a number"),
    ({"interval_ms": True}, "interval_ms must be a number"),
    ({"device_type": ""}, "device_type must be non-empty text"),
    ({"device_name": 5}, "device_name must be text"),
    ({"sensors": []}, "payload.sensors must be a non-empty list"),
    ({"sensors": [{"units": "m/s2"}, {"name": "b"}, {"name": "c"}]}, "sensor 1 has no name"),
    ({"sensors": [{"name": " "}, {"name": "b"}, {"name": "c"}]}, "sensor 1 has an empty name"),
    ({"sensors": [{"name": "a"}, {"name": "a"}, {"name": "c"}]}, "sensor name 'a' appears more than once"),
    ({"sensors": [{"name": 1}, {"name": "a"}, {"name": "c"}]}, "sensor 1 name must be text"),
    (
        {"sensors": [{"name": "a\ud800"}, {"name": "b"}, {"name": "c"}]},
        "sensor 1 name contains an invalid Unicode escape",
    ),
    ({"device_name": "dev\u0000"}, "payload.device_name contains a NUL character"),
]


@pytest.mark.parametrize("overrides,message", BAD_PAYLOADS, ids=[m for _, m in BAD_PAYLOADS])
def test_invalid_payload_is_refused_with_a_message_naming_the_problem(overrides, message):
    with pytest.raises(SampleFormatError) as info:
        parse_data_body(unsigned_json(make_payload(**overrides)), "application/json", "idle.01.json", None)
    assert message in info.value.message
    assert info.value.filename == "idle.01.json"
    assert str(info.value).startswith("idle.01.json: ")


@pytest.mark.parametrize("field", ["device_type", "interval_ms", "sensors", "values"])
def test_missing_required_field_is_named(field):
    payload = make_payload()
    del payload[field]
    with pytest.raises(SampleFormatError, match=f"payload.{field} is missing"):
        parse_data_body(unsigned_json(payload), "application/json", "a.json", None)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_json_literals_are_refused_naming_the_row(literal):
    body = unsigned_json(make_payload()).replace(b"0.04", literal.encode())
    with pytest.raises(SampleFormatError, match=r"row 2 \(values\[1\]\), accY: .* values must be finite"):
        parse_data_body(body, "application/json", "a.json", None)


def test_nan_in_cbor_is_refused():
    body = sign_acquisition_cbor(make_payload(values=[[1.0, float("nan"), 2.0]]), None)
    with pytest.raises(SampleFormatError, match="finite"):
        parse_data_body(body, "application/cbor", "a.cbor", None)


def test_invalid_utf8_json_is_refused():
    body = unsigned_json(make_payload()).replace(b"DISCO", b"DI\xffCO")
    with pytest.raises(SampleFormatError, match="not valid UTF-8"):
        parse_data_body(body, "application/json", "a.json", None)


def test_trailing_bytes_after_cbor_map_are_refused():
    body = sign_acquisition_cbor(make_payload(), None) + b"\x00\x01"
    with pytest.raises(SampleFormatError, match="2 unexpected bytes"):
        parse_data_body(body, "application/cbor", "a.cbor", None)


def test_truncated_cbor_is_refused():
    body = sign_acquisition_cbor(make_payload(), None)[:-5]
    with pytest.raises(SampleFormatError, match="not valid CBOR"):
        parse_data_body(body, "application/cbor", "a.cbor", None)


def test_python_sdk_json_with_null_iat_signature_and_device_name_parses():
    # The shape `json.dumps(asdict(DataAcquisition(...)))` of the edgeimpulse SDK produces.
    body = (
        b'{"protected": {"ver": "v1", "alg": "none", "iat": null}, "payload": {"device_type": '
        b'"EDGE_IMPULSE_PYTHON_SDK", "sensors": [{"name": "accX", "units": "m/s2"}], "values": '
        b'[[1.0], [2.0]], "interval_ms": 10, "device_name": null}, "signature": null}'
    )
    sample = parse_file(body, "0a1b2c3d.json", "application/json", KEY)
    assert sample.signature_status == "unsigned" and sample.iat is None and sample.device_name is None
    assert sample.values.shape == (2, 1)


def test_float_iat_is_truncated_to_seconds():
    body = json.dumps(
        {
            "protected": {"ver": "v1", "alg": "none", "iat": 1564128599.75},
            "signature": "0" * 64,
            "payload": make_payload(),
        }
    ).encode()
    assert parse_data_body(body, "application/json", "a.json", None).iat == 1564128599
