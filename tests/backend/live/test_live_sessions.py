"""Live classification over remote management: a streaming device, windows classified by the
interactive worker as they complete, results pushed to every viewer, nothing stored unless saved."""

from __future__ import annotations

import contextlib
import json
import secrets
import threading

import httpx
import numpy as np
import pytest
from support.eiclients import forwarder_sample
from testkit import wait_for
from websockets.sync.client import connect

from backend.project.sample_data import motion

pytestmark = pytest.mark.services
LABELS = {"idle", "wave", "circle"}
AXES = ["accX", "accY", "accZ"]


class StreamingDevice:
    """A device that announces a streaming accelerometer, as the phone page does."""

    def __init__(self, live_server: str, api_key: str, live_stream: bool = True, frequencies=(62.5,)):
        self.device_id = f"live_{secrets.token_hex(3)}"
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(
            connect(live_server.replace("http://", "ws://") + "/api/remote-management", open_timeout=10)
        )
        sensor = {"name": "Accelerometer", "frequencies": list(frequencies), "maxSampleLengthS": 300,
                  "liveStream": live_stream}  # fmt: skip
        self.send({"hello": {"version": 3, "apiKey": api_key, "deviceId": self.device_id, "deviceType": "TEST",
                             "sensors": [sensor]}})  # fmt: skip
        assert self.recv() == {"hello": True}

    def send(self, message) -> None:
        self.ws.send(message if isinstance(message, str) else json.dumps(message))

    def recv(self, timeout: float = 15):
        raw = self.ws.recv(timeout=timeout)
        return raw if raw == "pong" else json.loads(raw)

    def next_with(self, key: str, timeout: float = 15) -> dict:
        while True:
            msg = self.recv(timeout)
            if isinstance(msg, dict) and key in msg:
                return msg

    def sync(self) -> list:
        """Ping and wait for the pong: every message sent before has been read; returns what came between."""
        self.send("ping")
        between = []
        while (msg := self.recv()) != "pong":
            between.append(msg)
        return between

    def stream(self, rows: np.ndarray, chunk: int = 25, t0: float = 1e12) -> None:
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            self.send({"streamData": {"values": part.tolist(), "t": t0 + (i + len(part) - 1) * 16}})

    def close(self) -> None:
        self._stack.close()


class LiveEvents:
    """A viewer of one device's live session (Server-Sent Events, read in a thread)."""

    def __init__(self, live_server: str, pid: int, device_id: str, token: str):
        self.events: list[dict] = []
        self._ready = threading.Event()
        self._client = httpx.Client(timeout=None, headers={"Authorization": f"Bearer {token}"})
        url = f"{live_server}/api/projects/{pid}/devices/{device_id}/live/events"
        threading.Thread(target=self._read, args=(url,), daemon=True).start()
        assert self._ready.wait(15), "the live event stream did not open"

    def _read(self, url: str) -> None:
        with contextlib.suppress(httpx.HTTPError), self._client.stream("GET", url) as r:
            for line in r.iter_lines():
                if line.startswith("data: "):
                    self.events.append(json.loads(line[6:]))
                    self._ready.set()

    def of_type(self, kind: str) -> list[dict]:
        return [e for e in self.events if e.get("type") == kind]

    def close(self) -> None:
        self._client.close()


@pytest.fixture()
def live(live_server, trained_sample_project):
    opened: list = []
    t = trained_sample_project
    owner = httpx.Client(base_url=live_server, timeout=30, headers={"Authorization": f"Bearer {t['token']}"})

    class Live:
        pid, impulse_id, api, key = t["pid"], t["impulse_id"], owner, t["api_key"]

        def device(self, live_stream: bool = True, frequencies=(62.5,)) -> StreamingDevice:
            d = StreamingDevice(live_server, t["api_key"], live_stream, frequencies)
            opened.append(d)
            return d

        def viewer(self, device: StreamingDevice) -> LiveEvents:
            v = LiveEvents(live_server, t["pid"], device.device_id, t["token"])
            opened.append(v)
            return v

        def url(self, device: StreamingDevice, tail: str = "") -> str:
            return f"/api/projects/{t['pid']}/devices/{device.device_id}/live{tail}"

        def start(self, device: StreamingDevice) -> httpx.Response:
            return owner.post(self.url(device), json={"impulse_id": t["impulse_id"]})

        def sample_total(self) -> int:
            return owner.get(f"/api/projects/{t['pid']}/samples", params={"include_total": True}).json()["total"]

    yield Live()
    for o in opened:
        o.close()
    owner.close()


def test_each_streamed_window_is_classified_for_every_viewer_and_nothing_is_stored(live, interactive_queue_worker):
    before = live.sample_total()
    device = live.device()
    first = live.start(device)
    assert first.status_code == 200, first.text
    session = first.json()
    assert (session["window_ms"], session["stride_ms"], session["interval_ms"]) == (2000, 500, 16)
    asked = device.next_with("stream")["stream"]
    assert asked == {"id": session["session_id"], "sensor": "Accelerometer", "interval": 16, "chunkMs": 100}
    viewers = [live.viewer(device), live.viewer(device)]
    assert viewers[0].events[0]["type"] == "live.status"
    assert viewers[0].events[0]["session"]["session_id"] == session["session_id"]
    # A second studio starting the same thing joins the running session.
    assert live.start(device).json()["session_id"] == session["session_id"]

    device.stream(motion("wave", np.random.default_rng(7))[:250])  # 4 s: windows end at rows 125, 156 ...
    for v in viewers:
        wait_for(lambda v=v: len(v.of_type("live.result")) >= 2, 60, what="two live results")
    results = viewers[0].of_type("live.result")
    assert [r["index"] for r in results] == sorted(r["index"] for r in results)
    for r in results:
        assert set(r["classification"]) == LABELS
        assert r["reading_ts"] >= 1e12 + 124 * 16  # the newest reading of a window ends at row 125 or later
    assert [r["prediction"] for r in results].count("wave") > len(results) / 2, results
    assert not viewers[0].of_type("live.problem")

    assert live.api.post(live.url(device, "/stop")).status_code == 204
    assert "streamStop" in device.next_with("streamStop")
    for v in viewers:
        wait_for(lambda v=v: v.of_type("live.ended"), 10, what="live.ended")
    assert viewers[1].of_type("live.ended")[0]["reason"].startswith("stopped by")
    assert live.sample_total() == before


def test_save_stores_the_last_seconds_streamed_as_one_testing_sample(live):
    device = live.device()
    assert live.start(device).status_code == 200
    rows = motion("circle", np.random.default_rng(3))[:200]
    device.stream(rows)
    assert not [m for m in device.sync() if "err" in m]  # every chunk before the ping has been read
    before = live.sample_total()
    r = live.api.post(live.url(device, "/save"), json={"label": "circle", "seconds": 2})
    assert r.status_code == 201, r.text
    saved = r.json()
    assert (saved["rows"], saved["label"], saved["category"]) == (125, "circle", "testing")
    assert live.sample_total() == before + 1
    sample = live.api.get(f"/api/projects/{live.pid}/samples/{saved['sample_id']}", params={"max_points": 0}).json()
    assert sample["category"] == "testing" and sample["label"] == "circle"
    np.testing.assert_allclose(np.asarray(sample["values"]), rows[-125:], rtol=1e-6)


@pytest.mark.parametrize(
    ("message", "complaint"),
    [
        ({"streamData": {"values": [[1.0, 2.0]], "t": 1}}, "every row needs 3"),
        ({"streamData": {"values": [[1.0, 2.0, "x"]]}}, "not a finite number"),
        ({"streamData": {"values": "1,2,3"}}, "non-empty list of rows"),
        ({"streamData": [1, 2, 3]}, "must be an object"),
        ({"streamData": {"values": [[0.0, 0.0, 9.8]] * 5000}}, "at most 1000 rows"),
        ({"streamData": {"values": [[0.0, 0.0, 9.8]], "t": "now"}}, "streamData.t"),
    ],
)
def test_a_bad_stream_message_gets_an_error_and_the_session_goes_on(live, message, complaint):
    device = live.device()
    assert live.start(device).status_code == 200
    viewer = live.viewer(device)
    device.send(message)
    assert complaint in device.next_with("err")["err"]
    wait_for(lambda: viewer.of_type("live.problem"), 10, what="the problem shown to the studio")
    assert complaint in viewer.of_type("live.problem")[0]["error"]
    device.send({"streamData": {"values": [[0.0, 0.0, 9.8]] * 10, "t": 1e12}})
    assert not [m for m in device.sync() if "err" in m]  # the good chunk drew no error; the socket is open
    assert live.api.get(live.url(device)).json()["session"]["readings"] == 10


def test_readings_faster_than_the_sensor_are_dropped_with_a_reason(live):
    device = live.device()
    assert live.start(device).status_code == 200
    device.stream(np.zeros((1000, 3), dtype=np.float32), chunk=200)  # 16 s of readings at once
    assert "faster than the sensor's 62.5 Hz" in device.next_with("err")["err"]
    status = live.api.get(live.url(device)).json()["session"]
    assert status["rejected_chunks"] >= 1 and status["readings"] < 1000


def test_stream_data_without_a_session_is_refused(live):
    device = live.device()
    device.send({"streamData": {"values": [[0.0, 0.0, 9.8]]}})
    assert "no live session" in device.next_with("err")["err"]


def test_a_device_disconnecting_ends_its_session_for_the_viewers(live):
    device = live.device()
    assert live.start(device).status_code == 200
    viewer = live.viewer(device)
    device.close()
    wait_for(lambda: viewer.of_type("live.ended"), 15, what="live.ended")
    assert viewer.of_type("live.ended")[0]["reason"] == "the device disconnected"


def test_a_device_that_only_records_samples_is_asked_for_one_short_sample_after_another(
    live, live_server, interactive_queue_worker
):
    before = live.sample_total()
    device = live.device(live_stream=False)  # an Edge Impulse board: sample requests only
    r = live.start(device)
    assert r.status_code == 200, r.text
    session = r.json()
    assert session["mode"] == "sampling"
    hmac_key = httpx.get(f"{live_server}/api/device-key", headers={"x-api-key": live.key}).json()["hmac_key"]
    viewer = live.viewer(device)
    for _ in range(2):
        asked = device.next_with("sample")["sample"]
        assert asked["path"] == f"/api/live/{live.pid}/{session['session_id']}/data"
        assert (asked["length"], asked["interval"], asked["sensor"]) == (2500, 16, "Accelerometer")
        device.send({"sample": True})
        body, headers = forwarder_sample(live.key, hmac_key, device.device_id, "live", AXES, 62.5, rows=156)
        up = httpx.post(live_server + asked["path"], content=body, headers=headers, timeout=30)
        assert up.status_code == 200, up.text
        device.send({"sampleFinished": True})
    wait_for(lambda: len(viewer.of_type("live.result")) >= 2, 60, what="results of the uploaded recordings")
    assert all(set(r["classification"]) == LABELS for r in viewer.of_type("live.result"))
    # A recording for a session that does not exist, or from another project's key, is refused.
    body, headers = forwarder_sample(live.key, hmac_key, device.device_id, "live", AXES, 62.5, rows=156)
    assert (
        httpx.post(f"{live_server}/api/live/{live.pid}/nosuchsession/data", content=body, headers=headers).status_code
        == 404
    )
    assert httpx.post(f"{live_server}/api/live/{live.pid + 1000}/{session['session_id']}/data", content=body,
                      headers=headers).status_code == 404  # fmt: skip
    assert live.api.post(live.url(device, "/stop")).status_code == 204
    assert live.sample_total() == before


def test_another_projects_device_answers_404(live, make_user):
    device = live.device()
    stranger = make_user("stranger")
    pid = stranger.post("/api/projects", json={"name": "Theirs"}).json()["id"]
    for method, tail, body in (
        ("post", "", {"impulse_id": live.impulse_id}),
        ("get", "", None),
        ("get", "/events", None),
        ("post", "/stop", None),
        ("post", "/save", {"label": "x"}),
    ):
        url = f"/api/projects/{pid}/devices/{device.device_id}/live{tail}"
        r = getattr(stranger, method)(url, **({"json": body} if body else {}))
        assert r.status_code == 404, (method, tail, r.text)
        r = getattr(stranger, method)(live.url(device, tail), **({"json": body} if body else {}))
        assert r.status_code == 404, (method, tail, r.text)


def test_a_sensor_too_fast_for_live_classification_is_refused_naming_its_rate(live):
    """A device (any holder of an ingestion key) announcing a 10 MHz sensor would make every window
    millions of readings and the session's ring gigabytes: refused before anything starts."""
    device = live.device(frequencies=(10_000_000,))
    r = live.start(device)
    assert r.status_code == 409 and "10000000 Hz" in r.json()["detail"] and "100000 Hz" in r.json()["detail"], r.text
    assert live.api.get(live.url(device)).json().get("session") is None
