"""The data forwarder against a simulated board on a pseudo-terminal pair, and a live server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import tty

import pytest
from testkit import wait_for

pytestmark = pytest.mark.services


class SimulatedBoard:
    """Writes `x,y,z` lines at `hz` on the master side of a pty; the forwarder opens the slave."""

    def __init__(self, hz: float = 62.5, line=lambda i: f"{i % 7}.5,{-i % 5},{9.81 + i % 3}"):
        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no line editing: a serial line
        self.port = os.ttyname(self.slave)
        self.hz, self.line = hz, line
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        start, i = time.monotonic(), 0
        while not self._stop.is_set():
            os.write(self.master, (self.line(i) + "\r\n").encode())
            i += 1
            delay = start + i / self.hz - time.monotonic()
            if delay > 0:
                time.sleep(delay)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        os.close(self.master)
        os.close(self.slave)


@pytest.fixture()
def board():
    made = []

    def _make(**kw) -> SimulatedBoard:
        b = SimulatedBoard(**kw)
        made.append(b)
        return b

    yield _make
    for b in made:
        b.close()


def _samples(pid):
    from sqlalchemy import select

    from backend.core.db import get_sessionmaker
    from backend.models.sample import Sample

    with get_sessionmaker()() as s:
        return list(s.scalars(select(Sample).where(Sample.project_id == pid)))


def _forward(live_server, key, port, config, *extra, stdin=subprocess.DEVNULL, wait=True):
    cmd = [
        sys.executable,
        "-m",
        "backend.cli.main",
        "forward",
        "--server",
        live_server,
        "--api-key",
        key,
        "--port",
        port,
        "--config",
        str(config),
        *extra,
    ]
    if wait:
        return subprocess.run(
            cmd,
            input=stdin if isinstance(stdin, str) else None,
            stdin=None if isinstance(stdin, str) else stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    return subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_detects_frequency_and_axes_like_edge_impulse(board):
    from backend.cli.serial_board import SerialBoard

    sim = board(hz=62.5)
    serial = SerialBoard(sim.port)
    try:
        detected = serial.detect()
    finally:
        serial.close()
    assert detected.axes == 3
    assert 60 <= detected.frequency <= 65  # measured on a busy machine; rounded to 0.5 Hz
    assert 55 <= detected.lines <= 65


def test_board_errors_and_bad_lines_stop_a_recording_with_the_reason(board):
    from backend.cli.serial_board import BoardError, SerialBoard, parse_line

    assert parse_line("1.5\t-2 3e2") == [1.5, -2.0, 300.0]
    for line, reason in [
        ("ERR: IMU not found", "board reported an error"),
        ("1,abc,3", "non-numeric"),
        ("1,nan,3", "finite"),
    ]:
        with pytest.raises(BoardError, match=reason):
            parse_line(line)
    sim = board(hz=62.5, line=lambda i: "1,2,3" if i < 150 else "1,2,3,4")
    serial = SerialBoard(sim.port)
    try:
        with pytest.raises(BoardError, match="now sends 4 values per line instead of 3"):
            serial.record(62.5, 3, 5000)
    finally:
        serial.close()


def test_direct_recording_uploads_one_signed_sample_and_remembers_the_axis_names(
    board, make_project, api_key, live_server, tmp_path
):
    pid, people = make_project()
    key = api_key(people["owner"], pid, "ingestiononly")
    sim = board(hz=62.5)
    config = tmp_path / "forwarder.json"
    r = _forward(
        live_server,
        key,
        sim.port,
        config,
        "--frequency",
        "62.5",
        "--label",
        "wave",
        "--length-ms",
        "2000",
        stdin="accX, accY, accZ\n",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Name them" in r.stdout and "-> training/wave" in r.stdout
    [sample] = _samples(pid)
    assert (sample.label, sample.category, sample.signature_status) == ("wave", "training", "valid")
    assert sample.n_rows == 125 and sample.n_axes == 3 and sample.interval_ms == 16
    assert [s["name"] for s in sample.sensors] == ["accX", "accY", "accZ"] and sample.sensors[0]["units"] == "m/s2"
    assert json.loads(config.read_text())["ports"][sim.port]["axes"] == ["accX", "accY", "accZ"]
    # The second run asks nothing (standard input is closed) and uses the remembered names.
    r = _forward(
        live_server,
        key,
        sim.port,
        config,
        "--frequency",
        "62.5",
        "--label",
        "idle",
        "--length-ms",
        "500",
        "--category",
        "testing",
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Name them" not in r.stdout
    idle = [s for s in _samples(pid) if s.label == "idle"]
    assert len(idle) == 1 and idle[0].category == "testing" and idle[0].n_rows == 31


def test_studio_triggered_recording_produces_the_sample(board, make_project, api_key, live_server, tmp_path):
    pid, people = make_project()
    key = api_key(people["owner"], pid, "ingestiononly")
    sim = board(hz=62.5)
    proc = _forward(
        live_server,
        key,
        sim.port,
        tmp_path / "f.json",
        "--axes",
        "accX,accY,accZ",
        "--frequency",
        "62.5",
        "--device-id",
        "bench-board",
        wait=False,
    )
    try:
        editor = people["editor"]

        def connected():
            r = editor.get(f"/api/projects/{pid}/devices/bench-board")
            return r.status_code == 200 and r.json()["connected"]

        wait_for(connected, 30, what="forwarder connected")
        device = editor.get(f"/api/projects/{pid}/devices/bench-board").json()
        assert device["device_type"] == "DATA_FORWARDER" and device["sensors"][0]["frequencies"] == [62.5]
        r = editor.post(
            f"/api/projects/{pid}/devices/bench-board/sample",
            json={"label": "circle", "length_ms": 1600, "category": "testing"},
        )
        assert r.status_code == 202, r.text
        [sample] = wait_for(lambda: _samples(pid), 30, what="uploaded sample")
        assert (sample.label, sample.category, sample.signature_status) == ("circle", "testing", "valid")
        assert sample.n_rows == 100 and sample.device_name == "bench-board"
        r = editor.post(
            f"/api/projects/{pid}/devices/bench-board/sample",
            json={"label": "x", "length_ms": 100, "frequency": 62.5, "sensor": "nope"},
        )
        assert r.status_code == 422
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
    assert "Connected as device 'bench-board'" in out
