"""The Edge Impulse ingestion API over HTTP: formats, headers, answers, authorization, limits."""

from __future__ import annotations

import json
import struct

import cbor2
import pytest

from backend.ingestion.formats import sign_acquisition_cbor, sign_acquisition_json

pytestmark = pytest.mark.services


def payload(rows=50, axes=("accX", "accY", "accZ"), interval=16, seed=0.0):
    return {
        "device_name": "ac:87",
        "device_type": "TEST",
        "interval_ms": interval,
        "sensors": [{"name": a, "units": "m/s2"} for a in axes],
        "values": [[seed + i + j / 10 for j in range(len(axes))] for i in range(rows)],
    }


@pytest.fixture()
def project(make_project, api_key):
    pid, people = make_project()
    keys = {role: api_key(people["admin"], pid, role) for role in ("admin", "readonly", "ingestiononly")}
    hmac_key = people["admin"].get(f"/api/projects/{pid}/hmac-key").json()["hmac_key"]
    return pid, people, keys, hmac_key


def samples(people, pid, **params):
    r = people["viewer"].get(f"/api/projects/{pid}/samples", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def post_data(client, key, body, name="idle.01.json", ctype="application/json", category="training", **headers):
    h = {"x-api-key": key, "content-type": ctype, **({"x-file-name": name} if name is not None else {}), **headers}
    return client.post(f"/api/{category}/data", content=body, headers=h)


def test_signed_json_on_data_is_stored_valid_with_label_from_file_name(client, project):
    pid, people, keys, hmac_key = project
    r = post_data(client, keys["ingestiononly"], sign_acquisition_json(payload(), hmac_key))
    assert r.status_code == 200 and r.text == "idle.01"
    [s] = samples(people, pid)
    assert (s["name"], s["label"], s["category"], s["signature_status"]) == ("idle.01", "idle", "training", "valid")
    assert (s["n_rows"], s["n_axes"], s["interval_ms"], s["length_ms"]) == (50, 3, 16, 800)


def test_wrong_signature_is_stored_but_flagged_invalid(client, project):
    pid, people, keys, _ = project
    r = post_data(client, keys["admin"], sign_acquisition_json(payload(), "not-the-project-key"))
    assert r.status_code == 200
    assert samples(people, pid)[0]["signature_status"] == "invalid"


def test_cbor_binary_payload_and_multipart_message_on_data(client, project):
    pid, people, keys, hmac_key = project
    binary = struct.pack("<8h", *range(8))
    body = sign_acquisition_cbor(
        {
            "device_type": "MIC",
            "interval_ms": 0.0625,
            "sensors": [{"name": "audio", "units": "wav"}],
            "values": ["Ref-BINARY-i16"],
        },
        hmac_key,
        binary=binary,
    )
    assert post_data(client, keys["admin"], body, "noise.cbor", "application/octet-stream").status_code == 200
    cbor_body = sign_acquisition_cbor(payload(), hmac_key)
    assert post_data(client, keys["admin"], cbor_body, "wave.cbor", "application/cbor", "testing").status_code == 200
    msg = sign_acquisition_json(payload(seed=5), None)
    boundary = "----tf"
    mp = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="message"\r\nContent-Type: application/json\r\n\r\n'
        ).encode()
        + msg
        + f"\r\n--{boundary}--\r\n".encode()
    )
    r = post_data(client, keys["admin"], mp, "updown.json", f"multipart/form-data; boundary={boundary}", "anomaly")
    assert r.status_code == 200, r.text
    got = {s["name"]: s for s in samples(people, pid)}
    assert got["noise"]["n_rows"] == 8 and got["noise"]["signature_status"] == "valid"
    assert got["wave"]["category"] == "testing"
    assert got["updown"]["category"] == "anomaly" and got["updown"]["signature_status"] == "unsigned"


def test_headers_label_no_label_metadata_date_id_and_duplicates(client, project):
    pid, people, keys, _ = project
    body = sign_acquisition_json(payload(), None)
    r = post_data(
        client,
        keys["admin"],
        body,
        "x%20y.json",
        **{"x-label": "caf%C3%A9", "x-add-date-id": "1", "x-metadata": '{"site": "A"}'},
    )
    assert r.status_code == 200 and r.text.startswith("x y.")
    r = post_data(client, keys["admin"], body, "idle.2.json", **{"x-no-label": "1"})
    assert r.status_code == 200
    r = post_data(client, keys["admin"], body, "idle.3.json", **{"x-disallow-duplicates": "1"})
    assert r.status_code == 409 and "idle.3: the same data is already in the project" in r.json()["detail"]
    got = {s["name"].split(".")[0]: s for s in samples(people, pid)}
    assert got["x y"]["label"] == "café" and got["x y"]["metadata"] == {"site": "A"}
    assert got["idle"]["label"] == "" and len(got) == 2


@pytest.mark.parametrize(
    "headers,status,words",
    [
        ({"x-api-key": None}, 401, "x-api-key"),
        ({"x-api-key": "tf_unknown"}, 401, "Unknown or revoked API key"),
        ({"x-file-name": None}, 421, "x-file-name"),
        ({"x-file-name": "../evil.json"}, 400, "path separator"),
        ({"x-file-name": "%FF%FE.json"}, 400, "not valid UTF-8"),
        ({"x-metadata": "[1]"}, 400, "x-metadata"),
        ({"x-label": "a%00b"}, 400, "NUL"),
        ({"content-type": "text/plain"}, 400, "idle.01.json: unsupported Content-Type"),
    ],
)
def test_bad_headers_answer_4xx_naming_the_problem(client, project, headers, status, words):
    pid, people, keys, _ = project
    h = {"x-api-key": keys["admin"], "x-file-name": "idle.01.json", "content-type": "application/json", **headers}
    h = {k: v for k, v in h.items() if v is not None}
    r = client.post("/api/training/data", content=sign_acquisition_json(payload(), None), headers=h)
    assert r.status_code == status and words in r.json()["detail"], r.text
    assert samples(people, pid) == []


def test_unknown_category_and_split_on_data_are_refused(client, project):
    _, _, keys, _ = project
    body = sign_acquisition_json(payload(), None)
    r = post_data(client, keys["admin"], body, category="validation")
    assert r.status_code == 400 and "Unknown category 'validation'" in r.json()["detail"]
    assert post_data(client, keys["admin"], body, category="split").status_code == 400


def test_readonly_key_cannot_upload_and_ingestion_key_can_do_nothing_else(client, project):
    pid, _, keys, _ = project
    r = post_data(client, keys["readonly"], sign_acquisition_json(payload(), None))
    assert r.status_code == 403 and "read-only" in r.json()["detail"]
    r = client.get(f"/api/projects/{pid}/samples", headers={"x-api-key": keys["ingestiononly"]})
    assert r.status_code == 403


def test_revoked_key_cannot_upload(client, project):
    pid, people, keys, _ = project
    listed = people["admin"].get(f"/api/projects/{pid}/apikeys").json()
    kid = next(k["id"] for k in listed if k["role"] == "ingestiononly")
    people["admin"].delete(f"/api/projects/{pid}/apikeys/{kid}")
    r = post_data(client, keys["ingestiononly"], sign_acquisition_json(payload(), None))
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_signed_in_editor_uploads_with_project_header_viewer_cannot(client, project, make_project):
    pid, people, _, _ = project
    body = sign_acquisition_json(payload(), None)
    h = {"x-file-name": "wave.1.json", "content-type": "application/json"}
    r = people["editor"].post("/api/training/data", content=body, headers={**h, "x-project-id": str(pid)})
    assert r.status_code == 200
    r = people["editor"].post(f"/api/training/data?project_id={pid}", content=body, headers=h)
    assert r.status_code == 200
    assert (
        people["viewer"].post("/api/training/data", content=body, headers={**h, "x-project-id": str(pid)}).status_code
        == 403
    )
    other, _ = make_project()
    assert (
        people["editor"].post("/api/training/data", content=body, headers={**h, "x-project-id": str(other)}).status_code
        == 404
    )
    r = people["editor"].post("/api/training/data", content=body, headers=h)
    assert r.status_code == 422 and "x-project-id" in r.json()["detail"]


def files_body(files):
    return [("data", f) for f in files]


def test_files_stores_good_files_and_reports_bad_ones(client, project):
    pid, people, keys, hmac_key = project
    csv = b"timestamp,accX,accY\n0,1,2\n16,3,4\n32,5,6\n"
    files = [
        ("idle.1.json", sign_acquisition_json(payload(), hmac_key), "application/json"),
        ("wave.7.csv", csv, "text/csv"),
        ("bad.json", b'{"payload": ', "application/json"),
        ("rag.csv", b"timestamp,a,b\n0,1,2\n16,3\n", "text/csv"),
    ]
    r = client.post("/api/testing/files", files=files_body(files), headers={"x-api-key": keys["ingestiononly"]})
    assert r.status_code == 200, r.text
    res = r.json()
    assert res["success"] is True
    ok = {f["fileName"]: f for f in res["files"] if f["success"]}
    bad = {f["fileName"]: f["error"] for f in res["files"] if not f["success"]}
    assert set(ok) == {"idle.1.json", "wave.7.csv"} and all(isinstance(f["sampleId"], int) for f in ok.values())
    assert bad["bad.json"].startswith("bad.json: ") and "JSON" in bad["bad.json"]
    assert bad["rag.csv"].startswith("rag.csv: row")
    got = {s["name"]: s for s in samples(people, pid)}
    assert set(got) == {"idle.1", "wave.7"} and got["wave.7"]["label"] == "wave"
    assert all(s["category"] == "testing" for s in got.values())


def test_files_with_only_bad_files_is_400_with_each_error(client, project):
    pid, people, keys, _ = project
    r = client.post(
        "/api/training/files",
        files=files_body([("nan.csv", b"timestamp,a\n0,nan\n10,1\n", "text/csv")]),
        headers={"x-api-key": keys["admin"]},
    )
    assert r.status_code == 400 and r.json()["success"] is False
    assert "nan.csv" in r.json()["error"] and r.json()["files"][0]["success"] is False
    assert samples(people, pid) == []


def test_split_is_deterministic_80_20_by_content(client, project):
    from backend.ingestion.formats import parse_file, split_category

    pid, people, keys, _ = project
    files = [
        (f"s.{i}.json", sign_acquisition_json(payload(rows=4, seed=i), None), "application/json") for i in range(40)
    ]
    r = client.post("/api/split/files", files=files_body(files), headers={"x-api-key": keys["admin"]})
    assert r.status_code == 200
    expected = {
        f"s.{i}": split_category(parse_file(b, n, None, None).content_hash) for i, (n, b, _) in enumerate(files)
    }
    got = {s["name"]: s["category"] for s in samples(people, pid)}
    assert got == expected and 20 <= list(got.values()).count("training") <= 39


def test_wav_file_and_label_header_on_files(client, project):
    import io
    import wave

    pid, people, keys, _ = project
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(2), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes(struct.pack("<8h", *range(8)))
    r = client.post(
        "/api/training/files",
        files=files_body([("clip.wav", buf.getvalue(), "audio/wav")]),
        headers={"x-api-key": keys["admin"], "x-label": "noise"},
    )
    assert r.status_code == 200, r.text
    assert "down-mixed to mono" in r.json()["files"][0]["warnings"][0]
    [s] = samples(people, pid)
    assert (s["label"], s["n_axes"], s["n_rows"], s["interval_ms"]) == ("noise", 1, 4, 0.0625)
    assert "down-mixed to mono" in s["metadata"]["upload_warning"]


def test_files_without_data_field_or_multipart_is_400(client, project):
    _, _, keys, _ = project
    r = client.post(
        "/api/training/files",
        files=[("other", ("a.json", b"{}", "application/json"))],
        headers={"x-api-key": keys["admin"]},
    )
    assert r.status_code == 400 and "'data'" in r.json()["error"]
    r = client.post(
        "/api/training/files", content=b"{}", headers={"x-api-key": keys["admin"], "content-type": "application/json"}
    )
    assert r.status_code == 400 and "multipart/form-data" in r.json()["error"]


def test_file_names_with_path_or_bad_utf8_are_reported(client, project):
    _, _, keys, _ = project
    body = sign_acquisition_json(payload(), None)
    boundary = "xx"
    parts = b""
    for raw in (b"../../etc/passwd.json", b"\xff\xfe.json", b"ok.json"):
        parts += (
            b'--xx\r\nContent-Disposition: form-data; name="data"; filename="'
            + raw
            + b'"\r\nContent-Type: application/json\r\n\r\n'
            + body
            + b"\r\n"
        )
    parts += b"--xx--\r\n"
    r = client.post(
        "/api/training/files",
        content=parts,
        headers={"x-api-key": keys["admin"], "content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert r.status_code == 200, r.text
    files = r.json()["files"]
    assert "file 1: the file name" in files[0]["error"] and "path" in files[0]["error"]
    assert files[1]["error"] == "file 2: the file name is not valid UTF-8"
    assert files[2]["success"] is True


def test_files_duplicates_within_and_across_requests(client, project):
    pid, people, keys, _ = project
    body = sign_acquisition_json(payload(), None)
    h = {"x-api-key": keys["admin"], "x-disallow-duplicates": "1"}
    files = [("a.json", body, "application/json"), ("b.json", body, "application/json")]
    res = client.post("/api/training/files", files=files_body(files), headers=h).json()["files"]
    assert [f["success"] for f in res] == [True, False] and "already in the project" in res[1]["error"]
    assert client.post("/api/training/files", files=files_body(files[:1]), headers=h).status_code == 400
    assert len(samples(people, pid)) == 1


def test_samples_added_event_on_the_project_channel(client, project):
    import redis

    from backend.core.config import get_settings
    from backend.core.events import _prefix, project_channel

    pid, _, keys, _ = project
    pubsub = redis.Redis.from_url(get_settings().resolved_redis_url).pubsub()
    pubsub.subscribe(_prefix() + project_channel(pid))
    pubsub.get_message(timeout=2)
    assert post_data(client, keys["admin"], sign_acquisition_json(payload(), None)).status_code == 200
    events = []
    for _ in range(10):
        msg = pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        if msg:
            events.append(json.loads(msg["data"]))
        if any(e["type"] == "samples.added" for e in events):
            break
    added = next(e for e in events if e["type"] == "samples.added")
    assert added["count"] == 1 and added["categories"] == ["training"] and len(added["ids"]) == 1
    pubsub.close()


def test_cbor_map_body_on_data(client, project):
    pid, people, keys, _ = project
    body = cbor2.dumps({"protected": {"ver": "v1", "alg": "none"}, "signature": "0" * 64, "payload": payload()})
    assert post_data(client, keys["admin"], body, "c.cbor", "application/cbor").status_code == 200
    assert samples(people, pid)[0]["signature_status"] == "unsigned"
