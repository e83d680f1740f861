"""This server's addresses on the local network, for telling people which URL a phone can reach."""

from __future__ import annotations

import ipaddress
import socket
import struct
import sys


def _linux_interface_addresses() -> list[str]:
    """IPv4 addresses of every interface (Linux: SIOCGIFADDR per interface; no extra package)."""
    if not sys.platform.startswith("linux"):
        return []
    import fcntl

    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for _, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(s.fileno(), 0x8915, struct.pack("256s", name[:15].encode()))
            except OSError:  # an interface without an IPv4 address
                continue
            found.append(socket.inet_ntoa(packed[20:24]))
    return found


def _hostname_addresses() -> list[str]:
    try:
        return [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    except OSError:
        return []


def lan_addresses() -> list[str]:
    """IPv4 addresses a phone on the same network may reach: no loopback, link-local or unspecified."""
    out: list[str] = []
    for raw in _linux_interface_addresses() + _hostname_addresses():
        ip = ipaddress.ip_address(raw)
        if ip.is_loopback or ip.is_link_local or ip.is_unspecified or ip.is_multicast or raw in out:
            continue
        out.append(raw)
    return out
