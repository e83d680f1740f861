"""The Studio API routes Edge Impulse's device clients call with an API key, in its shapes:
the phone client (projects, then the HMAC key), the CLI uploader and the data forwarder."""

from __future__ import annotations

import cbor2
import pytest
from support.eiclients import PHONE_ORIGIN, cli_api_headers, forwarder_hello, preflight_headers

pytestmark = pytest.mark.services


@pytest.fixture()
def project(make_project, api_key):
    pid, people = make_project()
    hmac_key = people["editor"].get(f"/api/projects/{pid}/hmac-key").json()["hmac_key"]
    return {"id": pid, "people": people, "hmac_key": hmac_key, "key": api_key(people["admin"], pid, "ingestiononly")}


def _ei_error(r, status: int) -> str:
    assert r.status_code == status, r.text
    body = r.json()
    assert body["success"] is False and isinstance(body["error"], str) and body["error"]
    return body["error"]


def test_phone_client_finds_its_project_then_the_hmac_key(client, project):
    # classification-loader.ts getProject(): XHR with x-api-key from the phone's origin.
    r = client.get("/v1/api/projects", headers={"x-api-key": project["key"], "Origin": PHONE_ORIGIN})
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    body = r.json()
    assert body["success"] is True
    first = body["projects"][0]
    assert (first["id"], first["name"], first["owner"]) == (
        project["id"],
        "Gestures",
        project["people"]["owner"].username,
    )
    assert first["studioUrl"].endswith(f"/projects/{project['id']}")
    # getDevelopmentHmacKey(projectId)
    r = client.get(f"/v1/api/{first['id']}/devkeys/hmac", headers={"x-api-key": project["key"], "Origin": PHONE_ORIGIN})
    assert r.status_code == 200, r.text
    assert r.json() == {"success": True, "hmacKey": project["hmac_key"]}


def test_studio_api_answers_the_phone_clients_preflight(client, project):
    for path in ("/v1/api/projects", f"/v1/api/{project['id']}/devkeys/hmac"):
        r = client.options(path, headers=preflight_headers("GET", "x-api-key"))
        assert r.status_code == 200, r.text
        assert r.headers["access-control-allow-origin"] == "*"
        assert "x-api-key" in r.headers["access-control-allow-headers"].lower()
        assert "access-control-allow-credentials" not in r.headers


def test_development_keys_give_the_hmac_key(client, project):
    r = client.get(f"/v1/api/{project['id']}/devkeys", headers=cli_api_headers(project["key"]))
    assert r.status_code == 200, r.text
    assert r.json()["hmacKey"] == project["hmac_key"]


def test_uploader_reads_the_project_info(client, project):
    # init-cli-app.ts: getProjectInfo(projectId) -> project.name, project.owner, project.whitelabelId
    r = client.get(f"/v1/api/{project['id']}", headers=cli_api_headers(project["key"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["success"] is True
    assert body["project"]["name"] == "Gestures" and body["project"]["whitelabelId"] is None
    assert body["project"]["owner"] == project["people"]["owner"].username
    assert body["developmentKeys"]["hmacKey"] == project["hmac_key"]
    assert body["devices"] == []


def test_another_projects_id_is_not_found(client, project, make_project):
    other, _ = make_project()
    for path in (
        f"/v1/api/{other}",
        f"/v1/api/{other}/devkeys/hmac",
        f"/v1/api/{other}/devkeys",
        f"/v1/api/{other}/device/abc",
        f"/v1/api/{other}/devices",
    ):
        assert "not found" in _ei_error(client.get(path, headers=cli_api_headers(project["key"])), 404).lower()
    r = client.post(f"/v1/api/{other}/devices/abc/rename", json={"name": "x"}, headers=cli_api_headers(project["key"]))
    _ei_error(r, 404)


def test_without_a_key_the_answer_is_401_in_edge_impulses_shape(client, project):
    assert "x-api-key" in _ei_error(client.get("/v1/api/projects"), 401)
    _ei_error(client.get("/v1/api/projects", headers=cli_api_headers("ei_unknown")), 401)


def test_a_signed_in_session_does_not_open_the_studio_api(client, project):
    # These routes are open to any origin, so they must not act on a cookie or bearer session.
    owner = project["people"]["owner"]
    _ei_error(client.get(f"/v1/api/{project['id']}/devkeys/hmac", headers=owner.headers), 401)


def test_a_read_only_key_does_not_get_the_hmac_key(client, project, api_key):
    readonly = api_key(project["people"]["admin"], project["id"], "readonly")
    assert client.get("/v1/api/projects", headers=cli_api_headers(readonly)).status_code == 200
    _ei_error(client.get(f"/v1/api/{project['id']}/devkeys/hmac", headers=cli_api_headers(readonly)), 403)
    info = client.get(f"/v1/api/{project['id']}", headers=cli_api_headers(readonly)).json()
    assert info["developmentKeys"].get("hmacKey") is None


def test_unknown_studio_api_routes_answer_404_in_edge_impulses_shape(client, project):
    _ei_error(client.get(f"/v1/api/{project['id']}/deployment/download", headers=cli_api_headers(project["key"])), 404)
    _ei_error(client.get(f"/v1/api/{project['id']}/training/anomaly", headers=cli_api_headers(project["key"])), 404)


def test_forwarder_names_its_device_after_its_hello(client, project):
    # data-forwarder.ts: CBOR hello v4 on the WebSocket at `/`, then checkName(): getDevice, renameDevice.
    key = "ei_" + project["key"].removeprefix("tf_")
    device_id = "5C:CF:7F:AA:BB:CC"
    with client.websocket_connect("/") as ws:
        ws.send_bytes(cbor2.dumps(forwarder_hello(key, device_id, ["accX", "accY", "accZ"], 62.5)))
        assert cbor2.loads(ws.receive_bytes())["hello"] is True
        r = client.get(f"/v1/api/{project['id']}/device/{device_id}", headers=cli_api_headers(key))
        assert r.status_code == 200, r.text
        device = r.json()["device"]
        assert r.json()["success"] is True
        assert (device["deviceId"], device["name"], device["deviceType"]) == (device_id, device_id, "DATA_FORWARDER")
        assert device["remote_mgmt_connected"] is True
        assert device["sensors"][0]["frequencies"] == [62.5]
        r = client.post(
            f"/v1/api/{project['id']}/devices/{device_id}/rename",
            json={"name": "bench board"},
            headers=cli_api_headers(key),
        )
        assert r.status_code == 200, r.text
        assert r.json() == {"success": True}
        r = client.get(f"/v1/api/{project['id']}/devices", headers=cli_api_headers(key))
        assert [d["name"] for d in r.json()["devices"]] == ["bench board"]


def test_an_unknown_device_is_404_in_edge_impulses_shape(client, project):
    _ei_error(client.get(f"/v1/api/{project['id']}/device/nope", headers=cli_api_headers(project["key"])), 404)


def test_rename_refuses_an_empty_name(client, project):
    r = client.post(
        f"/v1/api/{project['id']}/devices/abc/rename", json={"name": ""}, headers=cli_api_headers(project["key"])
    )
    assert "name" in _ei_error(r, 400)


@pytest.mark.parametrize(
    ("link", "page"),
    [
        ("/studio/5", "/projects/5"),
        ("/studio/5/acquisition/training", "/projects/5/data"),
        ("/studio/5/devices", "/projects/5/devices"),
    ],
)
def test_links_the_cli_prints_open_our_pages(client, link, page):
    # uploader.ts prints `${studioUrl}/studio/${projectId}`; the forwarder adds /acquisition/training.
    r = client.get(link, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == page
