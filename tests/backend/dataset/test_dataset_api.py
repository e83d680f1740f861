"""The dataset API: browse, edit, split, rebalance, summary, export/import, roles."""

from __future__ import annotations

import io
import json
import math
import zipfile

import pytest

pytestmark = pytest.mark.services


def acquisition(values, interval=10, axes=("accX", "accY")):
    from backend.ingestion.formats import sign_acquisition_json

    return sign_acquisition_json(
        {
            "device_type": "T",
            "interval_ms": interval,
            "sensors": [{"name": a, "units": "m/s2"} for a in axes],
            "values": values,
        },
        None,
    )


@pytest.fixture()
def ds(client, make_project, api_key):
    pid, people = make_project()
    key = api_key(people["admin"], pid, "ingestiononly")

    def upload(name, values, category="training", interval=10, axes=("accX", "accY"), **headers):
        r = client.post(
            f"/api/{category}/data",
            content=acquisition(values, interval, axes),
            headers={"x-api-key": key, "x-file-name": name, "content-type": "application/json", **headers},
        )
        assert r.status_code == 200, r.text
        return next(s for s in page(people["viewer"], pid)["items"] if s["name"] == r.text)

    return pid, people, upload


def page(api, pid, **params):
    r = api.get(f"/api/projects/{pid}/samples", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def rows(n, axes=2, f=lambda i, j: i + j):
    return [[float(f(i, j)) for j in range(axes)] for i in range(n)]


def test_list_filters_and_keyset_pages(ds):
    pid, people, upload = ds
    upload("idle.1.json", rows(10))
    upload("idle.2.json", rows(20, f=lambda i, j: i * 2), "testing")
    upload("wave.1.json", rows(30, f=lambda i, j: -i))
    v = people["viewer"]
    assert [s["name"] for s in page(v, pid, category="testing")["items"]] == ["idle.2"]
    assert {s["name"] for s in page(v, pid, label="idle")["items"]} == {"idle.1", "idle.2"}
    assert [s["name"] for s in page(v, pid, search="WAV")["items"]] == ["wave.1"]
    assert [s["name"] for s in page(v, pid, min_length_ms=150, max_length_ms=250)["items"]] == ["idle.2"]
    assert page(v, pid, signature_status="invalid")["items"] == []
    first = page(v, pid, limit=2, include_total=True)
    assert first["total"] == 3 and len(first["items"]) == 2 and first["next_cursor"] is not None
    rest = page(v, pid, limit=2, cursor=first["next_cursor"])
    assert [s["name"] for s in rest["items"]] == ["idle.1"] and rest["next_cursor"] is None
    r = v.get(f"/api/projects/{pid}/samples", params={"category": "nope"})
    assert r.status_code == 422 and "category" in r.json()["detail"]


def test_detail_downsamples_keeping_min_and_max(ds):
    pid, people, upload = ds
    values = [[math.sin(i / 50) * 10, 0.0] for i in range(5000)]
    values[1234][0], values[4321][1] = 99.0, -77.0
    s = upload("long.json", values)
    d = people["viewer"].get(f"/api/projects/{pid}/samples/{s['id']}", params={"max_points": 200}).json()
    assert d["downsampled"] is True and len(d["values"]) <= 200 == len(d["timestamps_ms"])
    assert max(r[0] for r in d["values"]) == 99.0 and min(r[1] for r in d["values"]) == -77.0
    assert d["timestamps_ms"] == sorted(d["timestamps_ms"])
    full = people["viewer"].get(f"/api/projects/{pid}/samples/{s['id']}", params={"max_points": 0}).json()
    assert len(full["values"]) == 5000 and full["downsampled"] is False and full["timestamps_ms"][1] == 10


def test_rename_relabel_move_disable_and_roles(ds, make_project):
    pid, people, upload = ds
    s = upload("idle.1.json", rows(10))
    url = f"/api/projects/{pid}/samples/{s['id']}"
    assert people["viewer"].patch(url, json={"label": "x"}).status_code == 403
    r = people["editor"].patch(url, json={"name": "renamed", "label": "wave", "category": "testing", "enabled": False})
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["label"], r.json()["category"], r.json()["enabled"]) == (
        "renamed",
        "wave",
        "testing",
        False,
    )
    assert people["editor"].patch(url, json={"name": "a/b"}).status_code == 422
    assert people["editor"].patch(url, json={}).status_code == 422
    other, op = make_project()
    assert op["owner"].get(f"/api/projects/{pid}/samples/{s['id']}").status_code == 404
    assert op["owner"].get(f"/api/projects/{other}/samples/{s['id']}").status_code == 404
    acts = people["viewer"].get(f"/api/projects/{pid}/activity").json()
    assert any(a["action"] == "sample.updated" for a in (acts["items"] if isinstance(acts, dict) else acts))


def test_bulk_update_and_delete_refuse_unknown_ids(ds):
    pid, people, upload = ds
    a, b = upload("a.json", rows(10)), upload("b.json", rows(11))
    ed = people["editor"]
    r = ed.post(
        f"/api/projects/{pid}/samples/bulk-update",
        json={"ids": [a["id"], b["id"]], "label": "z", "category": "testing"},
    )
    assert r.json() == {"updated": 2, "deleted": 0}
    assert {s["label"] for s in page(ed, pid, category="testing")["items"]} == {"z"}
    r = ed.post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": [a["id"], 99999999]})
    assert r.status_code == 404 and "99999999" in r.json()["detail"]
    assert len(page(ed, pid)["items"]) == 2  # nothing deleted
    assert people["viewer"].post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": [a["id"]]}).status_code == 403
    assert ed.post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": [a["id"], b["id"]]}).json()["deleted"] == 2
    assert ed.delete(f"/api/projects/{pid}/samples/{a['id']}").status_code == 404


def test_crop_and_split_into_windows(ds):
    pid, people, upload = ds
    s = upload("idle.1.json", rows(100))  # 1000 ms at 10 ms
    ed = people["editor"]
    r = ed.post(f"/api/projects/{pid}/samples/{s['id']}/crop", json={"start_ms": 100, "end_ms": 900})
    assert r.status_code == 200 and r.json()["n_rows"] == 80 and r.json()["content_hash"] != s["content_hash"]
    d = ed.get(f"/api/projects/{pid}/samples/{s['id']}", params={"max_points": 0}).json()
    assert d["values"][0] == [10.0, 11.0]
    bad = ed.post(f"/api/projects/{pid}/samples/{s['id']}/crop", json={"start_ms": 5000, "end_ms": 6000})
    assert bad.status_code == 422 and "idle.1: start_ms 5000 is past the end" in bad.json()["detail"]
    r = ed.post(f"/api/projects/{pid}/samples/{s['id']}/split", json={"window_ms": 300})
    assert r.status_code == 201, r.text
    assert [(p["name"], p["n_rows"], p["label"]) for p in r.json()] == [
        ("idle.1.s1", 30, "idle"),
        ("idle.1.s2", 30, "idle"),
    ]
    assert ed.get(f"/api/projects/{pid}/samples/{s['id']}").status_code == 404


def test_split_by_events_finds_each_burst(ds):
    pid, people, upload = ds
    values = [[0.01 * ((i * 7) % 3), 0.0] for i in range(1000)]  # 10 s of near-silence
    for centre in (200, 500, 800):
        for i in range(centre - 10, centre + 10):
            values[i] = [5.0 * (-1) ** i, 3.0]
    s = upload("knock.json", values)
    r = people["editor"].post(
        f"/api/projects/{pid}/samples/{s['id']}/split", json={"mode": "events", "window_ms": 1000}
    )
    assert r.status_code == 201, r.text
    pieces = r.json()
    assert len(pieces) == 3 and all(p["n_rows"] == 100 for p in pieces)
    flat = upload("flat.json", [[1.0, 1.0]] * 300)
    r = people["editor"].post(
        f"/api/projects/{pid}/samples/{flat['id']}/split", json={"mode": "events", "window_ms": 500}
    )
    assert r.status_code == 422 and "no events found" in r.json()["detail"]


def test_rebalance_is_deterministic_and_idempotent(ds):
    from backend.ingestion.formats import split_category

    pid, people, upload = ds
    made = [upload(f"s.{i}.json", rows(5, f=lambda r, c, i=i: r * i + c)) for i in range(15)]
    r = people["editor"].post(f"/api/projects/{pid}/samples/rebalance").json()
    assert r["training"] + r["testing"] == 15
    got = {s["id"]: s["category"] for s in page(people["viewer"], pid)["items"]}
    assert got == {s["id"]: split_category(s["content_hash"]) for s in made}
    assert people["editor"].post(f"/api/projects/{pid}/samples/rebalance").json()["moved"] == 0


def test_summary_counts_durations_and_warnings(ds):
    pid, people, upload = ds
    upload("idle.1.json", rows(100))
    upload("idle.2.json", rows(50), "testing")
    upload("wave.1.json", rows(10), interval=20)
    upload("x.json", rows(10, axes=3), axes=("a", "b", "c"), **{"x-no-label": "1"})
    s = people["viewer"].get(f"/api/projects/{pid}/samples/summary").json()
    per = {(x["category"], x["label"]): (x["count"], x["total_length_ms"]) for x in s["per_label"]}
    assert per[("training", "idle")] == (1, 1000) and per[("testing", "idle")] == (1, 500)
    assert s["total"] == 4 and s["frequencies_hz"] == [50.0, 100.0]
    text = " | ".join(s["warnings"])
    assert "mixed frequencies" in text and "'wave' is only in training" in text
    assert "1 unlabeled" in text and "different sensors" in text


def test_export_then_import_round_trips_labels_categories_and_flags(ds, make_project):
    pid, people, upload = ds
    a = upload("idle.1.json", rows(20))
    upload("wave.1.json", rows(30, f=lambda i, j: i * j), "testing", **{"x-metadata": '{"site": "B"}'})
    people["editor"].patch(f"/api/projects/{pid}/samples/{a['id']}", json={"enabled": False})
    r = people["viewer"].get(f"/api/projects/{pid}/samples/export")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    assert sorted(zf.namelist()) == ["info.labels", "testing/wave.1.json", "training/idle.1.json"]
    labels = json.loads(zf.read("info.labels"))
    assert {f["path"]: f["label"]["label"] for f in labels["files"]} == {
        "training/idle.1.json": "idle",
        "testing/wave.1.json": "wave",
    }
    other, op = make_project()
    r = op["editor"].post(
        f"/api/projects/{other}/samples/import", content=r.content, headers={"content-type": "application/zip"}
    )
    assert r.status_code == 200 and all(f["success"] for f in r.json()["files"]), r.text
    got = {s["name"]: s for s in page(op["viewer"], other)["items"]}
    src = {s["name"]: s for s in page(people["viewer"], pid)["items"]}
    for name in ("idle.1", "wave.1"):
        for field in ("category", "label", "content_hash", "enabled", "metadata", "n_rows"):
            assert got[name][field] == src[name][field], (name, field)


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_import_refuses_zip_slip_bombs_and_garbage(ds):
    pid, people, _ = ds
    ed = people["editor"]
    url = f"/api/projects/{pid}/samples/import"
    ok = acquisition(rows(5))
    body = _zip(
        {
            "../../evil.json": ok,
            "/abs.json": ok,
            "training/good.1.json": ok,
            "training/bomb.json": b"[" + b" " * (50 * 1024 * 1024) + b"]",
        }
    )
    r = ed.post(url, content=body, headers={"content-type": "application/zip"})
    assert r.status_code == 200, r.text
    res = {f["fileName"]: f for f in r.json()["files"]}
    assert "leaves the archive" in res["../../evil.json"]["error"]
    assert "leaves the archive" in res["/abs.json"]["error"]
    assert "zip bomb" in res["training/bomb.json"]["error"]
    assert res["training/good.1.json"]["success"] and [s["name"] for s in page(ed, pid)["items"]] == ["good.1"]
    r = ed.post(url, content=b"not a zip", headers={"content-type": "application/zip"})
    assert r.status_code == 422 and "not a zip" in r.json()["detail"]
    assert people["viewer"].post(url, content=body, headers={"content-type": "application/zip"}).status_code == 403


def test_edits_publish_changed_and_deleted_events(ds):
    import redis

    from backend.core.config import get_settings
    from backend.core.events import _prefix, project_channel

    pid, people, upload = ds
    s = upload("idle.1.json", rows(10))
    pubsub = redis.Redis.from_url(get_settings().resolved_redis_url).pubsub()
    pubsub.subscribe(_prefix() + project_channel(pid))
    pubsub.get_message(timeout=2)
    people["editor"].patch(f"/api/projects/{pid}/samples/{s['id']}", json={"label": "b"})
    people["editor"].delete(f"/api/projects/{pid}/samples/{s['id']}")
    seen = []
    for _ in range(20):
        msg = pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
        if msg:
            seen.append(json.loads(msg["data"]))
        if {"samples.changed", "samples.deleted"} <= {e["type"] for e in seen}:
            break
    types = [e["type"] for e in seen]
    assert "samples.changed" in types and "samples.deleted" in types
    assert next(e for e in seen if e["type"] == "samples.deleted")["ids"] == [s["id"]]
    pubsub.close()
