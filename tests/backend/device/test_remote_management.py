"""The remote-management WebSocket: hello (JSON, CBOR, v1 and v3 sensors), refusals, keep-alive,
reconnects, and the devices list it feeds."""

from __future__ import annotations

import contextlib
import json
import secrets
import threading

import cbor2
import httpx
import pytest
from testkit import wait_for
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

pytestmark = pytest.mark.services


class Device:
    """A remote-management client (JSON or CBOR), as firmware or the phone page would be."""

    def __init__(self, live_server: str, encoding: str = "json"):
        self.encoding = encoding
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(
            connect(live_server.replace("http://", "ws://") + "/api/remote-management", open_timeout=10)
        )

    def send(self, message) -> None:
        self.ws.send(cbor2.dumps(message) if self.encoding == "cbor" else json.dumps(message))

    def recv(self, timeout: float = 10):
        raw = self.ws.recv(timeout=timeout)
        if self.encoding == "cbor":
            assert isinstance(raw, bytes), f"expected a CBOR (binary) frame, got {raw!r}"
            return cbor2.loads(raw)
        assert isinstance(raw, str), f"expected a JSON (text) frame, got {raw!r}"
        return json.loads(raw)

    def hello(self, api_key: str, device_id: str, sensors=None, version: int = 3) -> dict:
        if sensors is None:
            sensors = [{"name": "Accelerometer", "frequencies": [62.5, 100], "maxSampleLengthS": 60}]
        self.send(
            {
                "hello": {
                    "version": version,
                    "apiKey": api_key,
                    "deviceId": device_id,
                    "deviceType": "TEST_BOARD",
                    "connection": "ip",
                    "sensors": sensors,
                }
            }
        )
        return self.recv()

    def close(self) -> None:
        self._stack.close()


@pytest.fixture()
def make_device(live_server):
    made: list[Device] = []

    def _make(encoding: str = "json") -> Device:
        d = Device(live_server, encoding)
        made.append(d)
        return d

    yield _make
    for d in made:
        d.close()


class EventStream:
    """The project's Server-Sent Events, read in a thread."""

    def __init__(self, url: str, token: str):
        self.events: list[dict] = []
        self._ready = threading.Event()
        self._client = httpx.Client(timeout=None, headers={"Authorization": f"Bearer {token}"})
        self._thread = threading.Thread(target=self._read, args=(url,), daemon=True)
        self._thread.start()
        assert self._ready.wait(10), "the event stream did not open"

    def _read(self, url: str) -> None:
        try:
            with self._client.stream("GET", url) as r:
                for line in r.iter_lines():
                    if line.startswith("data: "):
                        self.events.append(json.loads(line[6:]))
                        self._ready.set()
        except httpx.HTTPError:
            pass

    def of_type(self, kind: str) -> list[dict]:
        return [e for e in self.events if e.get("type") == kind]

    def close(self) -> None:
        self._client.close()


@pytest.fixture()
def event_stream(live_server):
    opened: list[EventStream] = []

    def _open(pid: int, api) -> EventStream:
        s = EventStream(f"{live_server}/api/projects/{pid}/events", api.token)
        opened.append(s)
        return s

    yield _open
    for s in opened:
        s.close()


def _devices(api, pid):
    r = api.get(f"/api/projects/{pid}/devices")
    assert r.status_code == 200, r.text
    return {d["device_id"]: d for d in r.json()}


def test_json_hello_lists_the_device_connected_then_disconnected(make_project, api_key, make_device):
    pid, people = make_project()
    key = api_key(people["owner"], pid, "ingestiononly")
    device = make_device()
    assert device.hello(key, "ac:87:a3:0a:2d:1b") == {"hello": True}
    listed = _devices(people["viewer"], pid)["ac:87:a3:0a:2d:1b"]
    assert listed["connected"] is True and listed["device_type"] == "TEST_BOARD"
    assert listed["name"] == "ac:87:a3:0a:2d:1b"
    assert listed["sensors"] == [
        {"name": "Accelerometer", "frequencies": [62.5, 100.0], "max_sample_length_s": 60.0, "live_stream": False}
    ]
    device.close()
    wait_for(lambda: not _devices(people["viewer"], pid)["ac:87:a3:0a:2d:1b"]["connected"], 10, what="disconnect")


def test_cbor_session_is_answered_in_cbor_and_v1_sensor_names_are_accepted(make_project, api_key, make_device):
    pid, people = make_project()
    device = make_device("cbor")
    reply = device.hello(
        api_key(people["owner"], pid, "admin"), "cbor-board", sensors=["Microphone", "Built-in"], version=1
    )
    assert reply == {"hello": True}
    device.ws.send("ping")
    assert device.ws.recv(timeout=5) == "pong"
    sensors = _devices(people["owner"], pid)["cbor-board"]["sensors"]
    assert [s["name"] for s in sensors] == ["Microphone", "Built-in"]
    assert all(s["frequencies"] == [] and s["max_sample_length_s"] == 300 for s in sensors)


@pytest.mark.parametrize(
    "first, complaint",
    [
        ({"sample": True}, "first message must be a hello"),
        ({"hello": {"apiKey": "KEY", "deviceType": "X"}}, "hello.deviceId"),
        (
            {
                "hello": {
                    "apiKey": "KEY",
                    "deviceId": "d1",
                    "deviceType": "X",
                    "sensors": [{"name": "a", "frequencies": ["fast"]}],
                }
            },
            "hello.sensors[0].frequencies",
        ),
        ({"hello": {"apiKey": "KEY", "deviceId": "a/b", "deviceType": "X"}}, "must not contain '/'"),
    ],
)
def test_bad_hello_is_refused_with_the_reason(make_project, api_key, make_device, first, complaint):
    pid, people = make_project()
    key = api_key(people["owner"], pid, "admin")
    device = make_device()
    if isinstance(first.get("hello"), dict):
        first["hello"]["apiKey"] = key
    device.send(first)
    reply = device.recv()
    assert reply["hello"] is False and complaint in reply["err"]
    with pytest.raises(ConnectionClosed):
        device.recv()
    assert _devices(people["owner"], pid) == {}


def test_malformed_json_hello_is_refused(make_device):
    device = make_device()
    device.ws.send("{not json")
    reply = device.recv()
    assert reply["hello"] is False and "Failed to parse" in reply["err"]


@pytest.mark.parametrize("which", ["unknown", "revoked", "readonly"])
def test_wrong_key_is_refused(make_project, api_key, make_device, which):
    pid, people = make_project()
    owner = people["owner"]
    if which == "unknown":
        key = "tf_" + secrets.token_urlsafe(24)
    elif which == "revoked":
        key = api_key(owner, pid, "admin")
        kid = owner.get(f"/api/projects/{pid}/apikeys").json()[0]["id"]
        assert owner.delete(f"/api/projects/{pid}/apikeys/{kid}").status_code == 200
    else:
        key = api_key(owner, pid, "readonly")
    reply = make_device().hello(key, "dev-1")
    assert reply["hello"] is False
    assert ("read-only" if which == "readonly" else "Unknown or revoked API key") in reply["err"]
    assert _devices(owner, pid) == {}


def test_reconnect_with_the_same_id_replaces_the_old_socket(make_project, api_key, make_device):
    pid, people = make_project()
    key = api_key(people["owner"], pid, "admin")
    first = make_device()
    assert first.hello(key, "phone_k2x9") == {"hello": True}
    assert (
        people["editor"].patch(f"/api/projects/{pid}/devices/phone_k2x9", json={"name": "Ana's phone"}).status_code
        == 200
    )
    second = make_device("cbor")
    assert second.hello(key, "phone_k2x9", sensors=[{"name": "Microphone", "frequencies": [16000]}]) == {"hello": True}
    with pytest.raises(ConnectionClosed) as closed:
        first.recv(timeout=10)
    assert closed.value.rcvd.code == 4001
    devices = _devices(people["owner"], pid)
    assert list(devices) == ["phone_k2x9"]
    # Same row: the name given in the studio survives; the sensors are the new socket's.
    assert devices["phone_k2x9"]["name"] == "Ana's phone" and devices["phone_k2x9"]["connected"]
    assert devices["phone_k2x9"]["sensors"][0]["name"] == "Microphone"
    second.close()
    wait_for(lambda: not _devices(people["owner"], pid)["phone_k2x9"]["connected"], 10, what="disconnect")


def test_deleting_a_connected_device_closes_its_socket(make_project, api_key, make_device):
    pid, people = make_project()
    device = make_device()
    assert device.hello(api_key(people["owner"], pid, "admin"), "board-7") == {"hello": True}
    assert people["viewer"].delete(f"/api/projects/{pid}/devices/board-7").status_code == 403
    assert people["editor"].delete(f"/api/projects/{pid}/devices/board-7").status_code == 204
    with pytest.raises(ConnectionClosed) as closed:
        device.recv(timeout=10)
    assert closed.value.rcvd.code == 4004
    assert _devices(people["owner"], pid) == {}


def test_devices_of_another_project_answer_404(make_project, api_key, make_device):
    pid, people = make_project()
    other_pid, other = make_project()
    assert make_device().hello(api_key(people["owner"], pid, "admin"), "mine") == {"hello": True}
    owner_b = other["owner"]
    assert owner_b.get(f"/api/projects/{pid}/devices").status_code == 404
    assert owner_b.get(f"/api/projects/{other_pid}/devices/mine").status_code == 404
    assert owner_b.patch(f"/api/projects/{other_pid}/devices/mine", json={"name": "x"}).status_code == 404
    r = people["editor"].patch(f"/api/projects/{pid}/devices/mine", json={"name": "  "})
    assert r.status_code == 422 and "name" in r.json()["detail"]


# ---- remote sampling ------------------------------------------------------------------------------
def _play_device(device: Device, answers: list[dict], seen: list) -> threading.Thread:
    """Answer the next sample request with `answers`, in a thread (the API call waits for the ack)."""

    def run():
        seen.append(device.recv(timeout=20))
        for msg in answers:
            device.send(msg)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_record_call_reaches_the_device_and_its_progress_streams_on_the_project_events(
    make_project, api_key, make_device, event_stream
):
    pid, people = make_project()
    stream = event_stream(pid, people["viewer"])
    device = make_device("cbor")
    assert device.hello(api_key(people["owner"], pid, "ingestiononly"), "board-1") == {"hello": True}
    seen: list = []
    player = _play_device(
        device,
        [
            {"sample": True},
            {"sampleStarted": True},
            {"sampleReading": True, "progressPercentage": 50},
            {"sampleProcessing": True},
            {"sampleUploading": True},
            {"sampleFinished": True},
        ],
        seen,
    )
    # The test process is an API process of its own; the socket lives in the live server's.
    r = people["editor"].post(
        f"/api/projects/{pid}/devices/board-1/sample",
        json={"label": "wave", "length_ms": 2000, "frequency": 100, "category": "testing"},
    )
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["stage"] == "accepted" and body["interval_ms"] == 10 and body["sensor"] == "Accelerometer"
    player.join(10)
    hmac_key = people["owner"].get(f"/api/projects/{pid}/hmac-key").json()["hmac_key"]
    assert seen == [
        {
            "sample": {
                "label": "wave",
                "length": 2000,
                "path": "/api/testing/data",
                "hmacKey": hmac_key,
                "interval": 10.0,
                "sensor": "Accelerometer",
            }
        }
    ]

    def stages():
        return [
            (e["stage"], e["progress"])
            for e in stream.of_type("device.sampling")
            if e["request_id"] == body["request_id"]
        ]

    wait_for(lambda: stages() and stages()[-1][0] == "finished", 10, what="sampling finished event")
    assert stages() == [
        ("requested", None),
        ("accepted", None),
        ("started", None),
        ("reading", 50.0),
        ("processing", None),
        ("uploading", None),
        ("finished", 100.0),
    ]
    assert any(e["device_id"] == "board-1" and e["connected"] for e in stream.of_type("devices.changed"))


def test_device_refusal_answers_409_with_its_reason(make_project, api_key, make_device):
    pid, people = make_project()
    device = make_device()
    assert device.hello(api_key(people["owner"], pid, "admin"), "board-2") == {"hello": True}
    player = _play_device(device, [{"sample": False, "error": "battery low"}], [])
    r = people["editor"].post(f"/api/projects/{pid}/devices/board-2/sample", json={"label": "idle", "length_ms": 1000})
    player.join(10)
    assert r.status_code == 409 and "battery low" in r.json()["detail"]


def test_record_call_is_checked_against_what_the_device_announced(make_project, api_key, make_device):
    pid, people = make_project()
    other_pid, other = make_project()
    device = make_device()
    assert device.hello(api_key(people["owner"], pid, "admin"), "board-3") == {"hello": True}
    url = f"/api/projects/{pid}/devices/board-3/sample"
    editor = people["editor"]
    cases = [
        ({"label": "x", "length_ms": 1000, "sensor": "Gyro"}, 422, "no sensor 'Gyro'"),
        ({"label": "x", "length_ms": 1000, "frequency": 50}, 422, "62.5, 100 Hz, not 50 Hz"),
        ({"label": "x", "length_ms": 61000}, 422, "at most 60000 ms"),
        ({"label": "x", "length_ms": 0}, 422, "length_ms"),
        ({"label": "a/b", "length_ms": 1000}, 422, "label"),
        ({"label": "x", "length_ms": 1000, "category": "split"}, 422, "category"),
    ]
    for body, status, message in cases:
        r = editor.post(url, json=body)
        assert r.status_code == status and message in r.json()["detail"], (body, r.text)
    assert people["viewer"].post(url, json={"label": "x", "length_ms": 1000}).status_code == 403
    assert other["owner"].post(url, json={"label": "x", "length_ms": 1000}).status_code == 404
    assert (
        other["owner"]
        .post(f"/api/projects/{other_pid}/devices/board-3/sample", json={"label": "x", "length_ms": 1000})
        .status_code
        == 404
    )
    device.close()
    wait_for(lambda: not _devices(editor, pid)["board-3"]["connected"], 10, what="disconnect")
    r = editor.post(url, json={"label": "x", "length_ms": 1000})
    assert r.status_code == 409 and "not connected" in r.json()["detail"]


def test_a_device_whose_holder_stopped_beating_is_not_connected(make_project, api_key, make_device):
    from datetime import timedelta

    from sqlalchemy import update

    from backend.core.db import get_sessionmaker
    from backend.device.service import SEEN_TIMEOUT_S
    from backend.models.base import utcnow
    from backend.models.device import Device as DeviceRow

    pid, people = make_project()
    device = make_device()
    assert device.hello(api_key(people["owner"], pid, "admin"), "board-4") == {"hello": True}
    assert _devices(people["owner"], pid)["board-4"]["connected"]
    # What a crashed API process leaves behind: a holder, and a heartbeat that stopped.
    with get_sessionmaker()() as s:
        s.execute(
            update(DeviceRow)
            .where(DeviceRow.project_id == pid)
            .values(last_seen_at=utcnow() - timedelta(seconds=SEEN_TIMEOUT_S + 1))
        )
        s.commit()
    assert _devices(people["owner"], pid)["board-4"]["connected"] is False


def test_sockets_waiting_for_their_hello_are_capped_and_a_slot_frees_when_one_leaves(make_project, api_key):
    """Before its hello a socket is nobody's: past DEVICE_MAX_CONNECTING such sockets a new one is
    closed at once (1013, try again later); when one of them leaves, a device gets in again."""
    from testkit import ApiServer

    pid, people = make_project()
    key = api_key(people["owner"], pid, "ingestiononly")
    with ApiServer({"DEVICE_MAX_CONNECTING": "2"}) as server:
        silent = [Device(server.url), Device(server.url)]
        try:
            late = Device(server.url)
            with pytest.raises(ConnectionClosed) as closed:
                late.recv(timeout=10)
            assert closed.value.rcvd.code == 1013 and "try again" in closed.value.rcvd.reason
            late.close()
            silent.pop().close()

            def admitted():
                d = Device(server.url)
                try:
                    answer = d.hello(key, f"dev-{secrets.token_hex(3)}")
                except ConnectionClosed:
                    d.close()
                    return None  # the freed slot is noticed when the server sees the close
                d.close()
                return answer

            assert wait_for(admitted, timeout=15, what="a slot to free") == {"hello": True}
        finally:
            for d in silent:
                d.close()
