"""Edge Impulse compatibility mode: `tinyforge api|serve --ei-compat` also listens where Edge
Impulse's CLI looks when given EI_HOST (Studio API, ingestion, remote management at `/`), and a
device may take its time between connecting and saying hello."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import cbor2
import httpx
import pytest
from support.eiclients import cli_api_headers, forwarder_hello, forwarder_sample
from testkit import ROOT, wait_for
from websockets.sync.client import connect

pytestmark = pytest.mark.services
AXES = ["accX", "accY", "accZ"]


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code < 500
    except httpx.HTTPError:
        return False


@pytest.fixture()
def compat_server(tmp_path):
    """`tinyforge api --ei-compat` with the three compatibility ports moved to free ones."""
    main, studio, ingestion, remote = _free_ports(4)
    env = {
        **os.environ,
        "EI_COMPAT_STUDIO_PORT": str(studio),
        "EI_COMPAT_INGESTION_PORT": str(ingestion),
        "EI_COMPAT_REMOTE_MANAGEMENT_PORT": str(remote),
    }
    log = open(tmp_path / "api.log", "w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "api", "--ei-compat", "--host", "127.0.0.1", "--port", str(main)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(
            lambda: (
                proc.poll() is not None
                or (
                    _answers(f"http://127.0.0.1:{main}/api/health")
                    and _answers(f"http://127.0.0.1:{studio}/api/health")
                )
            ),
            timeout=60,
            what="the API and its compatibility listeners",
        )
        assert proc.poll() is None, (tmp_path / "api.log").read_text()
        yield {
            "main": f"http://127.0.0.1:{main}",
            "studio": f"http://127.0.0.1:{studio}",
            "ingestion": f"http://127.0.0.1:{ingestion}",
            "remote": f"ws://127.0.0.1:{remote}/",
        }
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_compat_mode_serves_the_forwarders_whole_path(compat_server, make_project, api_key):
    pid, people = make_project()
    key = "ei_" + api_key(people["admin"], pid, "ingestiononly").removeprefix("tf_")
    # What the forwarder asks the Studio API (port 4800) before its hello.
    projects = httpx.get(compat_server["studio"] + "/v1/api/projects", headers=cli_api_headers(key), timeout=10)
    assert projects.status_code == 200, projects.text
    assert projects.json()["projects"][0]["id"] == pid
    hmac_key = httpx.get(
        compat_server["studio"] + f"/v1/api/{pid}/devkeys/hmac", headers=cli_api_headers(key), timeout=10
    ).json()["hmacKey"]
    device_id = "5C:CF:7F:00:11:22"
    with connect(compat_server["remote"], open_timeout=10) as ws:  # port 4802, path `/`
        ws.send(cbor2.dumps(forwarder_hello(key, device_id, AXES, 62.5)))
        assert cbor2.loads(ws.recv(timeout=10))["hello"] is True
        # The studio (its own port) asks the board to record; the forwarder answers, uploads, finishes.
        asked: dict = {}
        studio_call = threading.Thread(
            target=lambda: asked.update(
                r=httpx.post(
                    compat_server["main"] + f"/api/projects/{pid}/devices/{device_id}/sample",
                    json={"label": "wave", "length_ms": 1000},
                    headers=people["editor"].headers,
                    timeout=30,
                )
            )
        )
        studio_call.start()
        request = cbor2.loads(ws.recv(timeout=20))["sample"]
        ws.send(cbor2.dumps({"sample": True}))
        ws.send(cbor2.dumps({"sampleStarted": True}))
        body, headers = forwarder_sample(key, request["hmacKey"], device_id, request["label"], AXES, 62.5, 62)
        ws.send(cbor2.dumps({"sampleUploading": True}))
        upload = httpx.post(compat_server["ingestion"] + request["path"], content=body, headers=headers, timeout=20)
        assert upload.status_code == 200, upload.text
        ws.send(cbor2.dumps({"sampleFinished": True}))
        studio_call.join(30)
    assert request["hmacKey"] == hmac_key and request["path"] == "/api/training/data"
    assert asked["r"].status_code == 202, asked["r"].text
    [sample] = people["viewer"].get(f"/api/projects/{pid}/samples").json()["items"]
    assert (sample["label"], sample["signature_status"]) == ("wave", "valid")


def test_a_taken_compat_port_stops_the_command_with_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "EI_COMPAT_STUDIO_PORT": str(port)}
        r = subprocess.run(
            [
                sys.executable,
                "-m",
                "backend.cli.main",
                "api",
                "--ei-compat",
                "--host",
                "127.0.0.1",
                "--port",
                str(_free_ports(1)[0]),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert r.returncode == 2
    assert f"127.0.0.1:{port}" in r.stderr and "EI_COMPAT_STUDIO_PORT" in r.stderr


def test_a_device_may_say_hello_well_after_connecting(client, make_project, api_key):
    # The forwarder connects, then asks the user for axis names; only then does it say hello.
    pid, people = make_project()
    key = "ei_" + api_key(people["admin"], pid, "ingestiononly").removeprefix("tf_")
    with client.websocket_connect("/") as ws:
        time.sleep(12)  # longer than the old 10 s limit
        ws.send_bytes(cbor2.dumps(forwarder_hello(key, "slow-typist", AXES, 62.5)))
        assert cbor2.loads(ws.receive_bytes())["hello"] is True


def test_the_compose_override_publishes_the_compat_ports_the_api_listens_on():
    import yaml

    from backend.core.config import Settings

    api = yaml.safe_load((ROOT / "docker-compose.ei-compat.yml").read_text())["services"]["api"]
    settings = Settings(EI_COMPAT=api["environment"]["EI_COMPAT"])
    assert settings.ei_compat is True
    published = {p.split(":")[-1] for p in api["ports"]}
    assert published == {
        str(settings.ei_compat_studio_port),
        str(settings.ei_compat_ingestion_port),
        str(settings.ei_compat_remote_management_port),
    }


def test_serve_with_ei_compat_answers_the_uploader_on_edge_impulses_ports(tmp_path):
    """The embedded default (`tinyforge serve --ei-compat`, SQLite and the filesystem broker)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "INSTANCE_NAME", "TINYFORGE_ENV")
    }
    main, studio, ingestion, remote = _free_ports(4)
    env.update(
        DATA_DIR=str(tmp_path / "data"),
        EI_COMPAT_STUDIO_PORT=str(studio),
        EI_COMPAT_INGESTION_PORT=str(ingestion),
        EI_COMPAT_REMOTE_MANAGEMENT_PORT=str(remote),
    )

    def tinyforge(*args: str) -> str:
        r = subprocess.run(
            [sys.executable, "-m", "backend.cli.main", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    tinyforge("migrate")
    tinyforge("users", "create", "--username", "ada", "--password", "correct horse battery")
    pid = int(tinyforge("projects", "create", "--owner", "ada", "--name", "Embedded"))
    key = tinyforge("apikeys", "create", "--project", str(pid), "--role", "ingestiononly", "--edge-impulse")
    with open(tmp_path / "serve.log", "w+") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "backend.cli.main", "serve", "--ei-compat", "--port", str(main)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_for(
                lambda: proc.poll() is not None or _answers(f"http://127.0.0.1:{studio}/api/health"),
                timeout=90,
                what="serve --ei-compat",
            )
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            # edge-impulse-uploader: project, HMAC key, then multipart `data` to /api/{category}/files.
            r = httpx.get(f"http://127.0.0.1:{studio}/v1/api/projects", headers=cli_api_headers(key), timeout=10)
            assert r.json()["projects"][0]["id"] == pid, r.text
            body, _ = forwarder_sample(key, "0", "board", "idle", AXES, 62.5, 62)
            r = httpx.post(
                f"http://127.0.0.1:{ingestion}/api/training/files",
                files={"data": ("idle.01.json", body, "application/json")},
                headers={
                    "x-api-key": key,
                    "x-upload-source": "EDGE_IMPULSE_CLI_UPLOADER",
                    "x-label": "idle",
                    "x-disallow-duplicates": "1",
                    "x-device-type": "EDGE_IMPULSE_CLI",
                },
                timeout=20,
            )
            assert r.status_code == 200 and r.json()["success"] is True, r.text
            with connect(f"ws://127.0.0.1:{remote}/", open_timeout=10) as ws:
                ws.send(cbor2.dumps(forwarder_hello(key, "AA:BB", AXES, 62.5)))
                assert cbor2.loads(ws.recv(timeout=10))["hello"] is True
        finally:
            proc.terminate()
            proc.wait(timeout=60)
    assert f":{studio}" in (tmp_path / "serve.log").read_text()
