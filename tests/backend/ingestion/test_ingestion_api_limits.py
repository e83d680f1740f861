"""Size and count limits (checked while streaming), the regression corpus over HTTP, and fuzzing:
the ingestion endpoints answer 200 or a 4xx naming the problem, never a 500."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.services

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())


@pytest.fixture(scope="module")
def keyed(app):
    """One project for the module (signing up four people per case would dominate the run)."""
    import secrets

    from fastapi.testclient import TestClient
    from testkit import Api

    with TestClient(app) as c:
        r = c.post(
            "/api/auth/signup", json={"username": f"lim_{secrets.token_hex(4)}", "password": "correct horse battery"}
        )
        c.cookies.clear()
        owner = Api(c, "lim", r.json()["token"], r.json()["user"]["id"])
        pid = owner.post("/api/projects", json={"name": "Limits"}).json()["id"]
        key = owner.post(f"/api/projects/{pid}/apikeys", json={"role": "ingestiononly"}).json()["key"]
        yield pid, {"viewer": owner}, key


@pytest.fixture()
def small_limits(monkeypatch):
    from backend.core.config import get_settings

    monkeypatch.setattr(get_settings(), "max_file_bytes", 2000)
    monkeypatch.setattr(get_settings(), "max_files_per_request", 3)


def count(people, pid) -> int:
    return people["viewer"].get(f"/api/projects/{pid}/samples", params={"include_total": True}).json()["total"]


def test_data_over_the_limit_is_413_declared_or_streamed(client, keyed, small_limits):
    pid, people, key = keyed
    before = count(people, pid)
    h = {"x-api-key": key, "x-file-name": "big.json", "content-type": "application/json"}
    r = client.post("/api/training/data", content=b"{" + b" " * 5000 + b"}", headers=h)
    assert r.status_code == 413 and "big.json" in r.json()["detail"] and "limit" in r.json()["detail"]
    sent = []

    def chunks():  # no Content-Length: the server must stop counting at the limit
        for _ in range(100):
            sent.append(1)
            yield b" " * 1000

    r = client.post("/api/training/data", content=chunks(), headers=h)
    assert r.status_code == 413 and "larger than the limit" in r.json()["detail"]
    assert count(people, pid) == before


def test_files_over_size_or_count_limit_is_413_and_stores_nothing(client, keyed, small_limits):
    pid, people, key = keyed
    before = count(people, pid)
    good = b"timestamp,a\n0,1\n10,2\n"
    r = client.post(
        "/api/training/files",
        headers={"x-api-key": key},
        files=[("data", ("ok.csv", good, "text/csv")), ("data", ("huge.csv", good + b"0" * 3000, "text/csv"))],
    )
    assert r.status_code == 413 and r.json()["success"] is False and "huge.csv" in r.json()["error"]
    r = client.post(
        "/api/training/files",
        headers={"x-api-key": key},
        files=[("data", (f"f{i}.csv", good, "text/csv")) for i in range(4)],
    )
    assert r.status_code == 413 and "too many files" in r.json()["error"] and "3" in r.json()["error"]
    assert count(people, pid) == before


def test_files_within_their_own_limit_but_over_the_request_total_are_413(client, keyed, small_limits, monkeypatch):
    """Each file under its limit, together over MAX_REQUEST_BYTES: refused while streaming, nothing stored
    (what one request may spool to disk is bounded, not files x file limit)."""
    from backend.core.config import get_settings

    monkeypatch.setattr(get_settings(), "max_request_bytes", 2500)
    pid, people, key = keyed
    before = count(people, pid)
    part = b"timestamp,a\n" + b"".join(b"%d,1\n" % (i * 10) for i in range(200))[:1400]
    assert 1000 < len(part) < 2000
    r = client.post(
        "/api/training/files",
        headers={"x-api-key": key},
        files=[("data", (f"part{i}.csv", part, "text/csv")) for i in range(2)],
    )
    assert r.status_code == 413 and "per request" in r.json()["error"], r.text
    assert count(people, pid) == before


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=[c["file"] for c in MANIFEST["cases"]])
def test_corpus_file_over_http(client, keyed, case):
    pid, people, key = keyed
    before = count(people, pid)
    body = (CORPUS / case["file"]).read_bytes()
    if case["via"] == "file":
        r = client.post(
            "/api/training/files",
            headers={"x-api-key": key},
            files=[("data", (case["file"], body, "application/octet-stream"))],
        )
        if case["expect"] == "ok":
            assert r.status_code == 200 and r.json()["files"][0]["success"], r.text
        else:
            assert r.status_code == 400, r.text
            error = r.json()["files"][0]["error"]
            assert error.startswith(case["file"] + ": ") and case["expect"] in error
    else:
        r = client.post(
            "/api/training/data",
            content=body,
            headers={"x-api-key": key, "x-file-name": case["file"], "content-type": case["via"]},
        )
        if case["expect"] == "ok":
            assert r.status_code == 200, r.text
        else:
            assert r.status_code == 400 and case["file"] in r.json()["detail"] and case["expect"] in r.json()["detail"]
    assert count(people, pid) - before == (1 if case["expect"] == "ok" else 0)


_header_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30)
_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@_FUZZ
@given(
    body=st.one_of(
        st.binary(max_size=300),
        st.builds(
            lambda d: json.dumps(d).encode(),
            st.recursive(
                st.none() | st.booleans() | st.floats() | st.text(max_size=5) | st.integers(),
                lambda kids: (
                    st.lists(kids, max_size=4)
                    | st.dictionaries(
                        st.sampled_from(
                            ["payload", "values", "sensors", "interval_ms", "protected", "signature", "name"]
                        ),
                        kids,
                        max_size=4,
                    )
                ),
                max_leaves=20,
            ),
        ),
    ),
    ctype=st.sampled_from(
        [
            "application/json",
            "application/cbor",
            "application/octet-stream",
            "multipart/form-data; boundary=x",
            "text/plain",
            "",
        ]
    ),
    name=_header_text,
    label=st.one_of(st.none(), _header_text),
    meta=st.one_of(st.none(), _header_text),
)
def test_fuzz_data_endpoint_never_500(client, keyed, body, ctype, name, label, meta):
    _, _, key = keyed
    h = {"x-api-key": key, "x-file-name": name, "content-type": ctype}
    if label is not None:
        h["x-label"] = label
    if meta is not None:
        h["x-metadata"] = meta
    r = client.post("/api/training/data", content=body, headers=h)
    assert r.status_code == 200 or (400 <= r.status_code < 500 and r.json()["detail"]), (r.status_code, r.text)


@_FUZZ
@given(
    files=st.lists(
        st.tuples(
            st.binary(min_size=1, max_size=40).filter(lambda b: b'"' not in b and b"\r" not in b and b"\n" not in b),
            st.binary(max_size=200),
        ),
        min_size=1,
        max_size=3,
    ),
    category=st.sampled_from(["training", "split", "anomaly", "nope"]),
)
def test_fuzz_files_endpoint_never_500(client, keyed, files, category):
    _, _, key = keyed
    body = b""
    for name, data in files:
        body += (
            b'--zz\r\nContent-Disposition: form-data; name="data"; filename="' + name + b'"\r\n\r\n' + data + b"\r\n"
        )
    body += b"--zz--\r\n"
    r = client.post(
        f"/api/{category}/files",
        content=body,
        headers={"x-api-key": key, "content-type": "multipart/form-data; boundary=zz"},
    )
    assert r.status_code in (200, 400, 413), (r.status_code, r.text)
    doc = r.json()
    if r.status_code == 200:
        assert len(doc["files"]) == len(files) and all(f["success"] or f["error"] for f in doc["files"])
    else:
        assert doc["success"] is False and doc["error"]


def test_files_of_one_request_are_bounded_together(client, keyed, monkeypatch):
    """All files of a /files request are held until stored together, so their values count as one."""
    from backend.ingestion import endpoints

    monkeypatch.setattr(endpoints, "MAX_SAMPLE_VALUES", 5)
    pid, people, key = keyed
    before = count(people, pid)
    two_rows = b"timestamp,a\n0,1\n10,2\n"  # 2 values each
    r = client.post(
        "/api/training/files",
        headers={"x-api-key": key},
        files=[("data", (f"f{i}.csv", two_rows.replace(b"1", str(i + 1).encode()), "text/csv")) for i in range(3)],
    )
    assert r.status_code == 200, r.text
    results = r.json()["files"]
    assert [f["success"] for f in results] == [True, True, False]
    assert "another request" in results[2]["error"]
    assert count(people, pid) == before + 2
