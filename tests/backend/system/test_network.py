"""Where a phone can reach the studio: the server's LAN addresses, for signed-in people only."""

import ipaddress

import pytest

pytestmark = pytest.mark.services


def test_network_lists_lan_addresses_without_loopback(make_user):
    body = make_user().get("/api/system/network").json()
    assert isinstance(body["lan_addresses"], list)
    for raw in body["lan_addresses"]:
        ip = ipaddress.ip_address(raw)
        assert not ip.is_loopback and not ip.is_link_local


def test_network_needs_a_signed_in_person(client):
    client.cookies.clear()
    assert client.get("/api/system/network").status_code == 401
