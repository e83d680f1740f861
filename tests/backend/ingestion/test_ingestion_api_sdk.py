"""The official `edgeimpulse` Python SDK, pointed at our server with EI_INGESTION_ENDPOINT and
EI_API_KEY, uploads samples that then appear with the right labels and categories.

The SDK runs in its own process: it reads both variables when it is imported (and pulls in
TensorFlow, ~17 s), exactly as a user's script would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.services

SCRIPT = textwrap.dedent("""
    import io, json
    import edgeimpulse as ei
    from edgeimpulse.data import Sample, upload_samples

    csv = b"timestamp,accX,accY\\n0,1,2\\n16,3,4\\n32,5,6\\n"
    acq = json.dumps({"protected": {"ver": "v1", "alg": "none"}, "signature": "0" * 64,
                      "payload": {"device_type": "SDK", "interval_ms": 10,
                                  "sensors": [{"name": "x", "units": "m/s2"}], "values": [1, 2, 3, 4]}}).encode()
    samples = [
        Sample(filename="wave.01.csv", data=io.BytesIO(csv), category="training", label="wave"),
        Sample(filename="idle.01.json", data=io.BytesIO(acq), category="testing", label="idle",
               metadata={"site": "lab"}),
        Sample(filename="x.02.csv", data=io.BytesIO(csv.replace(b"5,6", b"7,8")), label="updown"),
        Sample(filename="again.csv", data=io.BytesIO(csv), category="training", label="wave"),
    ]
    res = upload_samples(samples)
    print(json.dumps({"endpoint": ei.INGESTION_ENDPOINT, "ok": [r.sample.filename for r in res.successes],
                      "ids": [r.sample_id for r in res.successes],
                      "fails": [[r.sample.filename, r.error] for r in res.fails]}))
""")


def test_edgeimpulse_sdk_uploads_appear_with_labels_and_categories(live_server, make_project, api_key):
    from backend.ingestion.formats import parse_file, split_category

    pid, people = make_project()
    key = api_key(people["admin"], pid, "ingestiononly")
    env = {**os.environ, "EI_INGESTION_ENDPOINT": live_server, "EI_API_KEY": key}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["endpoint"] == live_server
    # The SDK uploads in parallel and sends x-disallow-duplicates: one of the two identical files
    # is refused, and says why.
    [[name, error]] = result["fails"]
    assert name in ("again.csv", "wave.01.csv") and "already in the project" in error
    assert sorted(result["ok"] + [name]) == ["again.csv", "idle.01.json", "wave.01.csv", "x.02.csv"]
    assert all(result["ids"])
    got = {s["name"]: s for s in people["viewer"].get(f"/api/projects/{pid}/samples").json()["items"]}
    wave = got.get("wave.01") or got["again"]
    assert (wave["label"], wave["category"]) == ("wave", "training")
    assert (got["idle.01"]["label"], got["idle.01"]["category"], got["idle.01"]["metadata"]) == (
        "idle",
        "testing",
        {"site": "lab"},
    )
    csv = b"timestamp,accX,accY\n0,1,2\n16,3,4\n32,7,8\n"
    expected = split_category(parse_file(csv, "x.02.csv", None, None).content_hash)
    assert (got["x.02"]["label"], got["x.02"]["category"]) == ("updown", expected)
