"""A self-signed HTTPS certificate for `tinyforge serve --https`: phones need a secure page for
motion sensors and the microphone. Made once with the `openssl` tool and kept in the data folder."""

from __future__ import annotations

import hashlib
import socket
import ssl
import subprocess
from pathlib import Path


class CertificateError(Exception):
    """The certificate could not be made; the message says what to install or do instead."""


def lan_address() -> str:
    """This machine's address on the local network (the one a phone on the same Wi-Fi reaches)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent; this only picks the outgoing interface
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def ensure_certificate(folder: Path, ip: str) -> tuple[Path, Path]:
    """(cert, key) in `folder`, created on first use for localhost and `ip`."""
    cert, key = folder / "https-cert.pem", folder / "https-key.pem"
    if cert.is_file() and key.is_file():
        return cert, key
    folder.mkdir(parents=True, exist_ok=True)
    cmd = [
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-days",
        "825",
        "-keyout",
        str(key),
        "-out",
        str(cert),
        "-subj",
        "/CN=TinyForge studio",
        "-addext",
        f"subjectAltName=DNS:localhost,IP:127.0.0.1,IP:{ip}",
    ]
    try:
        subprocess.run(cmd, check=True, capture_output=True)
    except FileNotFoundError:
        raise CertificateError(
            "`openssl` is not installed: install it (apt install openssl) or put the studio "
            "behind an HTTPS reverse proxy"
        ) from None
    except subprocess.CalledProcessError as e:
        raise CertificateError(
            f"openssl could not make a certificate: {e.stderr.decode(errors='replace').strip()}"
        ) from None
    key.chmod(0o600)
    return cert, key


def fingerprint(cert: Path) -> str:
    """SHA-256 fingerprint as browsers show it (AB:CD:...)."""
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))
