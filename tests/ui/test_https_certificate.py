"""`tinyforge serve --https`: the self-signed certificate made on first run, and its fingerprint."""

from __future__ import annotations

import re
import ssl

from backend.cli.certificate import ensure_certificate, fingerprint, lan_address


def test_certificate_is_made_once_and_loads_with_its_key(tmp_path):
    cert, key = ensure_certificate(tmp_path, "192.168.1.23")
    first = cert.read_bytes()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)  # raises if the key does not match
    assert ensure_certificate(tmp_path, "10.0.0.9") == (cert, key)
    assert cert.read_bytes() == first
    assert key.stat().st_mode & 0o077 == 0


def test_certificate_names_localhost_and_the_lan_address(tmp_path):
    cert, _ = ensure_certificate(tmp_path, "192.168.1.23")
    info = ssl._ssl._test_decode_cert(str(cert))
    assert ("IP Address", "192.168.1.23") in info["subjectAltName"]
    assert ("DNS", "localhost") in info["subjectAltName"]


def test_fingerprint_is_sha256_in_browser_notation(tmp_path):
    cert, _ = ensure_certificate(tmp_path, "127.0.0.1")
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", fingerprint(cert))


def test_lan_address_is_an_ipv4_address():
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", lan_address())
