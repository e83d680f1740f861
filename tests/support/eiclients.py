"""Requests shaped exactly as Edge Impulse's open-source clients send them (edgeimpulse/mobile-client
and edgeimpulse/edge-impulse-cli, read from their sources): headers, bodies, hello messages."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

# The phone client is served from Edge Impulse's site: every call to us is cross-origin.
PHONE_ORIGIN = "https://smartphone.edgeimpulse.com"


def preflight_headers(method: str, request_headers: str, origin: str = PHONE_ORIGIN) -> dict[str, str]:
    """What a browser sends before a cross-origin request with custom headers."""
    return {
        "Origin": origin,
        "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": request_headers,
    }


def phone_sample_message(hmac_key: str, device_id: str = "phone_lx9k2m1a") -> bytes:
    """client/messages.ts dataMessage() + utils.ts createSignature(): JSON.stringify with 64 zeros,
    HMAC-SHA256 over it, the hex digest put in `signature`."""
    data = {
        "protected": {"ver": "v1", "alg": "HS256", "iat": int(time.time())},
        "signature": "0" * 64,
        "payload": {
            "device_name": device_id,
            "device_type": "MOBILE_CLIENT",
            "interval_ms": 16,
            "sensors": [
                {"name": "accX", "units": "m/s2"},
                {"name": "accY", "units": "m/s2"},
                {"name": "accZ", "units": "m/s2"},
            ],
            "values": [[0.1 * i, -9.8, 0.3] for i in range(40)],
        },
    }
    zeros = json.dumps(data, separators=(",", ":"))
    data["signature"] = hmac.new(hmac_key.encode(), zeros.encode(), hashlib.sha256).hexdigest()
    return json.dumps(data, separators=(",", ":")).encode()


def phone_upload(hmac_key: str, api_key: str, label: str) -> dict:
    """client/uploader.ts uploadSample(): multipart `message` part (message.json), x-api-key,
    x-file-name = the URI-encoded label; kwargs for httpx/TestClient .post()."""
    return {
        "files": {"message": ("message.json", phone_sample_message(hmac_key), "application/json")},
        "headers": {"Origin": PHONE_ORIGIN, "x-api-key": api_key, "x-file-name": label},
    }


def cli_api_headers(api_key: str) -> dict[str, str]:
    """sdk/studio: every Studio API call of the CLI (x-api-key, JSON, the CLI's user agent)."""
    return {
        "x-api-key": api_key,
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": "EDGE_IMPULSE_CLI",
    }


def forwarder_hello(api_key: str, device_id: str, axes: list[str], frequency: float) -> dict:
    """cli/data-forwarder.ts sendHello(): MgmtInterfaceHelloV4, sent as CBOR."""
    return {
        "hello": {
            "version": 4,
            "apiKey": api_key,
            "deviceId": device_id,
            "deviceType": "DATA_FORWARDER",
            "connection": "daemon",
            "sensors": [
                {
                    "name": f"Sensor with {len(axes)} axes ({', '.join(axes)})",
                    "maxSampleLengthS": 5 * 60 * 1000,
                    "frequencies": [frequency],
                }
            ],
            "supportsSnapshotStreaming": False,
            "mode": "ingestion",
        }
    }


def forwarder_sample(
    api_key: str, hmac_key: str, device_id: str, label: str, axes: list[str], frequency: float, rows: int
) -> tuple[bytes, dict[str, str]]:
    """data-forwarder.ts on a sample request: JSON signed over JSON.stringify with 64 zeros, posted
    to the ingestion host + the request's path with these headers."""
    from urllib.parse import quote

    data = {
        "protected": {"ver": "v1", "alg": "HS256", "iat": int(time.time())},
        "signature": "0" * 64,
        "payload": {
            "device_name": device_id,
            "device_type": "DATA_FORWARDER",
            "interval_ms": 1000 / frequency,
            "sensors": [{"name": a, "units": "m/s2" if a.startswith("acc") else "N/A"} for a in axes],
            "values": [[float(i % 7), -9.81, 0.5][: len(axes)] for i in range(rows)],
        },
    }
    zeros = json.dumps(data, separators=(",", ":"))
    data["signature"] = hmac.new(hmac_key.encode(), zeros.encode(), hashlib.sha256).hexdigest()
    headers = {
        "x-api-key": api_key,
        "x-file-name": quote(label + ".json"),
        "x-label": quote(label),
        "x-upload-source": "EDGE_IMPULSE_CLI_FORWARDER",
        "Content-Type": "application/json",
    }
    return json.dumps(data, separators=(",", ":")).encode(), headers
