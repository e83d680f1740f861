"""`tinyforge serve --https`: the browser's session cookie is Secure over TLS."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import httpx
from testkit import ROOT, wait_for


def test_serve_https_sets_a_secure_session_cookie(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "INSTANCE_NAME", "TINYFORGE_ENV")
    }
    env["DATA_DIR"] = str(tmp_path / "data")
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "backend.cli.main", "serve", "--https", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"https://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=url, verify=False, timeout=5) as client:  # the self-signed certificate

            def up():
                try:
                    return client.get("/api/health").status_code in (200, 503)
                except httpx.HTTPError:
                    return False

            wait_for(up, timeout=90, what="serve --https to answer")
            r = client.post("/api/auth/signup", json={"username": "tls_owner", "password": "correct horse battery"})
            assert r.status_code == 201, r.text
            cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith("tf_session="))
            assert "Secure" in cookie and "HttpOnly" in cookie
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
