"""HMAC-SHA256 signatures of data acquisition files, the way Edge Impulse clients make them.

The signer puts 64 ASCII zeros in `signature`, serialises the whole file, HMACs those exact
bytes with the project's HMAC key (UTF-8) and writes the hex digest where the zeros were. The
verifier undoes that in place on the received bytes, so key order, whitespace and CBOR
encoding choices of the client never matter.

Decisions (Edge Impulse semantics where known):
- `alg: none`, no `protected` header at all, or HS256 with the all-zero signature: 'unsigned'
  (the client did not sign; zeros are what an unsigned HS256 template carries).
- HS256 with a signature but no HMAC key on our side (`hmac_key=None`): 'invalid', we cannot
  vouch for it; the sample is stored but flagged. An empty string is a key like any other.
- A signature that is not 64 hex characters: 'invalid'.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import cbor2

from .errors import SampleFormatError
from .sample import SignatureStatus, describe_value, is_number

ZERO_SIGNATURE = "0" * 64
_HEX = frozenset("0123456789abcdefABCDEF")
# A body repeating the signature text many times is not from a real client; don't HMAC it 1000x.
_MAX_OFFSETS_TRIED = 8


def _hmac_hex(key: str, body: bytes) -> str:
    return hmac.new(key.encode("utf-8"), body, hashlib.sha256).hexdigest()


def read_protected(filename: str, document: dict[Any, Any]) -> tuple[str, Any, int | None]:
    """Return (alg, signature, iat) from the envelope; alg is 'none' or 'HS256'."""
    protected = document.get("protected")
    signature = document.get("signature")
    if protected is None:
        return "none", signature, None
    if not isinstance(protected, dict):
        raise SampleFormatError(filename, f"'protected' must be an object, not {describe_value(protected)}")
    alg = protected.get("alg")
    if not isinstance(alg, str) or alg.lower() not in ("none", "hs256"):
        raise SampleFormatError(filename, f"protected.alg must be 'HS256' or 'none', not {describe_value(alg)}")
    iat = protected.get("iat")
    if iat is not None:
        if not is_number(iat) or not (0 <= iat < 2**63):
            raise SampleFormatError(
                filename, f"protected.iat must be a time in seconds since 1970, not {describe_value(iat)}"
            )
        iat = int(iat)
    return ("none" if alg.lower() == "none" else "HS256"), signature, iat


def verify_signature(body: bytes, alg: str, signature: Any, hmac_key: str | None) -> SignatureStatus:
    """Check the signature found in `body` (the exact received bytes, header and any payload)."""
    if alg == "none":
        return "unsigned"
    if not isinstance(signature, str) or len(signature) != 64 or not set(signature) <= _HEX:
        return "invalid"
    if signature == ZERO_SIGNATURE:
        return "unsigned"
    if hmac_key is None:
        return "invalid"
    needle = signature.encode("ascii")
    zeros = ZERO_SIGNATURE.encode("ascii")
    expected = signature.lower()
    start = body.find(needle)
    tried = 0
    while start != -1 and tried < _MAX_OFFSETS_TRIED:
        # In place of `body[:start] + zeros + body[start+64:]`: no copy of a 100 MB body.
        mac = hmac.new(hmac_key.encode("utf-8"), digestmod=hashlib.sha256)
        view = memoryview(body)
        for part in (view[:start], zeros, view[start + 64 :]):
            mac.update(part)
        if hmac.compare_digest(mac.hexdigest(), expected):
            return "valid"
        tried += 1
        start = body.find(needle, start + 1)
    return "invalid"


def _envelope(payload: dict[str, Any], hmac_key: str | None, iat: int | None) -> dict[str, Any]:
    protected: dict[str, Any] = {"ver": "v1", "alg": "none" if hmac_key is None else "HS256"}
    if iat is not None:
        protected["iat"] = int(iat)
    return {"protected": protected, "signature": ZERO_SIGNATURE, "payload": payload}


def _sign_in_place(encoded: bytes, marker: bytes, hmac_key: str | None, trailing: bytes = b"") -> bytes:
    body = encoded + trailing
    if hmac_key is None:
        return body
    # The signature field is serialised before the payload, so the first marker is ours.
    at = body.index(marker) + len(marker)
    digest = _hmac_hex(hmac_key, body).encode("ascii")
    return body[:at] + digest + body[at + 64 :]


def sign_acquisition_json(payload: dict[str, Any], hmac_key: str | None, *, iat: int | None = None) -> bytes:
    """Serialise `payload` as a signed data acquisition JSON file (unsigned, alg none, if no key)."""
    encoded = json.dumps(_envelope(payload, hmac_key, iat), allow_nan=False).encode("utf-8")
    return _sign_in_place(encoded, b'"signature": "', hmac_key)


def sign_acquisition_cbor(
    payload: dict[str, Any], hmac_key: str | None, *, iat: int | None = None, binary: bytes = b""
) -> bytes:
    """Serialise `payload` as a signed CBOR acquisition file.

    For a binary payload pass `values=["Ref-BINARY-i16"]` (or another type) in `payload` and
    the raw little-endian samples as `binary`: they follow the CBOR map and are signed with it.
    """
    encoded = cbor2.dumps(_envelope(payload, hmac_key, iat))
    return _sign_in_place(encoded, b"\x69signature\x78\x40", hmac_key, binary)
