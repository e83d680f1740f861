"""The data page's API: filters (several labels, metadata), the metadata keys, keyset paging that
stays exact while samples come and go, durations in the summary, thumbnails, edit conflicts."""

from __future__ import annotations

import numpy as np
import pytest

from tests.support.sample_rows import insert_samples

pytestmark = pytest.mark.services


@pytest.fixture()
def ds(client, make_project, api_key):
    from backend.ingestion.formats import sign_acquisition_json

    pid, people = make_project()
    key = api_key(people["admin"], pid, "ingestiononly")

    def upload(name, values, category="training", interval=10, **headers):
        body = {"device_type": "T", "interval_ms": interval, "values": values}
        body["sensors"] = [{"name": f"ax{j}", "units": "m/s2"} for j in range(len(values[0]))]
        r = client.post(
            f"/api/{category}/data",
            content=sign_acquisition_json(body, None),
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


def delete_rows(ids: list[int]) -> None:
    from sqlalchemy import delete

    from backend.core.db import session_scope
    from backend.models.sample import Sample

    with session_scope() as s:
        s.execute(delete(Sample).where(Sample.id.in_(ids)))


def walk(api, pid, during=None, **params) -> list[int]:
    seen, cursor, step = [], None, 0
    while True:
        body = page(api, pid, limit=1000, **params, **({"cursor": cursor} if cursor is not None else {}))
        seen += [s["id"] for s in body["items"]]
        if during:
            during(step)
        step += 1
        cursor = body["next_cursor"]
        if cursor is None:
            return seen


def test_filters_by_any_of_several_labels_and_by_metadata_pairs(ds):
    pid, people, upload = ds
    upload("idle.1.json", rows(10), **{"x-metadata": '{"site": "lab", "mic": "a"}'})
    upload("wave.1.json", rows(10), "testing", **{"x-metadata": '{"site": "field", "mic": "a"}'})
    upload("snake.1.json", rows(10), **{"x-metadata": '{"site": "lab"}'})
    v = people["viewer"]
    names = lambda **p: sorted(s["name"] for s in page(v, pid, **p)["items"])  # noqa: E731
    assert names(label=["idle", "wave"]) == ["idle.1", "wave.1"]
    assert names(metadata="site=lab") == ["idle.1", "snake.1"]
    assert names(metadata=["site=lab", "mic=a"]) == ["idle.1"]
    assert names(metadata="site=lab", label="snake", include_total=True) == ["snake.1"]
    assert page(v, pid, metadata="site=lab", include_total=True)["total"] == 2
    assert names(metadata="site=nowhere") == []
    for bad in ("site", "=lab"):
        r = v.get(f"/api/projects/{pid}/samples", params={"metadata": bad})
        assert r.status_code == 422 and "key=value" in r.json()["detail"], r.text
    for name, bad in (("metadata", "site=l\x00ab"), ("label", "id\x00le"), ("search", "\x00")):
        r = v.get(f"/api/projects/{pid}/samples", params={name: bad})
        assert r.status_code == 422 and name in r.json()["detail"] and "NUL" in r.json()["detail"], r.text
    keys = v.get(f"/api/projects/{pid}/samples/metadata").json()
    assert keys["more_keys"] is False
    assert keys["keys"] == [
        {"key": "mic", "values": [{"value": "a", "count": 2}], "more_values": False},
        {"key": "site", "values": [{"value": "lab", "count": 2}, {"value": "field", "count": 1}], "more_values": False},
    ]


def test_metadata_keys_are_capped_most_common_values_first(ds):
    pid, people, _ = ds
    meta = lambda i: {"take": f"t{i}", "site": "lab" if i % 4 else "field", **({f"k{i:03d}": "x"} if i < 60 else {})}  # noqa: E731
    insert_samples(pid, 150, meta=meta)
    keys = people["viewer"].get(f"/api/projects/{pid}/samples/metadata").json()
    assert keys["more_keys"] is True and len(keys["keys"]) == 50  # 62 keys, by name
    assert [k["key"] for k in keys["keys"]] == sorted(k["key"] for k in keys["keys"])
    by_key = {k["key"]: k for k in keys["keys"]}
    assert "take" not in by_key and "site" not in by_key  # after k000..k059 by name
    assert by_key["k000"] == {"key": "k000", "values": [{"value": "x", "count": 1}], "more_values": False}
    from sqlalchemy import update

    from backend.core.db import session_scope
    from backend.models.sample import Sample

    with session_scope() as s:  # leave only the two common keys
        s.execute(update(Sample).where(Sample.project_id == pid).values(meta={"take": "t", "site": "lab"}))
    insert_samples(pid, 150, meta=lambda i: {"take": f"t{i}", "site": "field" if i % 3 else "lab"})
    keys = people["viewer"].get(f"/api/projects/{pid}/samples/metadata").json()
    by_key = {k["key"]: k for k in keys["keys"]}
    assert by_key["site"]["values"] == [{"value": "lab", "count": 200}, {"value": "field", "count": 100}]
    assert len(by_key["take"]["values"]) == 100 and by_key["take"]["more_values"] is True
    assert by_key["take"]["values"][0] == {"value": "t", "count": 150}


def test_walking_every_page_yields_each_sample_once_while_samples_come_and_go(ds):
    pid, people, _ = ds
    ids = insert_samples(pid, 6000, label=lambda i: "wave" if i % 3 == 0 else "idle")
    v = people["viewer"]
    added, deleted = [], []

    def meanwhile(step):
        added.extend(insert_samples(pid, 150, label=lambda i: "wave"))
        if step == 1:  # some not yet reached (old ids: the walk runs newest first) and some already seen
            gone = ids[100:130] + ids[-10:]
            delete_rows(gone)
            deleted.extend(gone)

    seen = walk(v, pid, during=meanwhile)
    assert len(seen) == len(set(seen))
    assert set(seen) >= set(ids) - set(deleted) and not set(seen) & set(added)
    assert set(seen) - set(ids) == set()
    assert seen == sorted(seen, reverse=True)
    still = set(ids) - set(deleted)
    wave = walk(v, pid, label="wave")
    assert len(wave) == len(set(wave))
    assert set(wave) == {i for n, i in enumerate(ids) if n % 3 == 0 and i in still} | set(added)
    oldest = walk(v, pid, order="oldest", label=["wave", "idle"])
    assert oldest == sorted(still | set(added))
    assert page(v, pid, limit=1, include_total=True)["total"] == len(still) + len(added)


def test_a_bad_cursor_or_limit_answers_422(ds):
    pid, people, _ = ds
    for params in ({"cursor": "abc"}, {"cursor": -1}, {"cursor": 2**31}, {"limit": 0}, {"limit": 1001}):
        r = people["viewer"].get(f"/api/projects/{pid}/samples", params=params)
        assert r.status_code == 422, (params, r.text)


def test_summary_gives_durations_per_label_and_per_category(ds):
    pid, people, upload = ds
    upload("idle.1.json", rows(100))  # 1000 ms at 10 ms
    upload("idle.2.json", rows(50), "testing")
    upload("wave.1.json", rows(30), interval=20)
    upload("wave.2.json", rows(25), interval=20)
    s = people["viewer"].get(f"/api/projects/{pid}/samples/summary").json()
    per = {(x["category"], x["label"]): (x["count"], x["total_length_ms"]) for x in s["per_label"]}
    assert per == {("training", "idle"): (1, 1000), ("testing", "idle"): (1, 500), ("training", "wave"): (2, 1100)}
    cats = {c["category"]: (c["count"], c["total_length_ms"]) for c in s["per_category"]}
    assert cats == {"training": (3, 2100), "testing": (1, 500)}
    assert s["total_length_ms"] == 2600 and s["total"] == 4


def test_each_listed_sample_carries_a_small_thumbnail_of_its_first_axis(ds):
    pid, people, upload = ds
    long = [[float(np.sin(i / 40) * 5), 100.0] for i in range(4800)]
    long[2000][0] = 42.0
    big = upload("long.json", long)
    short = upload("short.json", rows(10, f=lambda i, j: i * (j + 1)))
    items = {s["id"]: s for s in page(people["viewer"], pid)["items"]}
    line = items[big["id"]]["sparkline"]
    assert len(line["min"]) == len(line["max"]) == 48
    assert all(lo <= hi for lo, hi in zip(line["min"], line["max"], strict=True))
    assert max(line["max"]) == 42.0 and line["max"][20] == 42.0  # the spike, in its slice of time
    assert -5.0 <= min(line["min"]) < -4.9  # the first axis only (the second is 100 throughout)
    assert items[short["id"]]["sparkline"] == {
        "min": [float(i) for i in range(10)],
        "max": [float(i) for i in range(10)],
    }
    assert "sparkline" not in people["viewer"].get(f"/api/projects/{pid}/samples/{big['id']}").json()


def test_a_sample_without_thumbnail_gets_one_when_first_listed_and_a_crop_renews_it(ds):
    from sqlalchemy import select

    from backend.core.db import session_scope
    from backend.models.sample import SampleValues

    pid, people, _ = ds
    (sid,) = insert_samples(pid, 1, with_sparkline=False)
    listed = page(people["viewer"], pid)["items"][0]
    assert listed["sparkline"] == {"min": [float(i) for i in range(10)], "max": [float(i) for i in range(10)]}
    with session_scope() as s:
        assert s.scalar(select(SampleValues.sparkline).where(SampleValues.sample_id == sid)) == listed["sparkline"]
    r = people["editor"].post(f"/api/projects/{pid}/samples/{sid}/crop", json={"start_ms": 50, "end_ms": 100})
    assert r.status_code == 200, r.text
    assert page(people["viewer"], pid)["items"][0]["sparkline"]["max"] == [5.0, 6.0, 7.0, 8.0, 9.0]


def test_an_edit_from_a_stale_view_answers_409_and_changes_nothing(ds):
    pid, people, upload = ds
    s = upload("idle.1.json", rows(10))
    url = f"/api/projects/{pid}/samples/{s['id']}"
    ed = people["editor"]
    r = ed.patch(url, json={"label": "wave", "expected_updated_at": s["updated_at"]})
    assert r.status_code == 200 and r.json()["label"] == "wave", r.text
    r = ed.patch(url, json={"category": "testing", "expected_updated_at": s["updated_at"]})
    assert r.status_code == 409 and "changed by someone else" in r.json()["detail"]
    now = ed.get(url).json()
    assert now["category"] == "training" and now["label"] == "wave"
    r = ed.patch(url, json={"enabled": False, "expected_updated_at": now["updated_at"]})
    assert r.status_code == 200 and r.json()["enabled"] is False


def test_another_projects_samples_and_metadata_answer_404(ds, make_project):
    pid, people, upload = ds
    s = upload("idle.1.json", rows(10), **{"x-metadata": '{"site": "lab"}'})
    other, op = make_project()
    stranger = op["owner"]
    assert stranger.get(f"/api/projects/{pid}/samples/metadata").status_code == 404
    assert stranger.get(f"/api/projects/{pid}/samples", params={"metadata": "site=lab"}).status_code == 404
    assert stranger.patch(f"/api/projects/{other}/samples/{s['id']}", json={"label": "x"}).status_code == 404
    assert page(stranger, other, metadata="site=lab")["items"] == []
    assert stranger.get(f"/api/projects/{other}/samples/metadata").json() == {"keys": [], "more_keys": False}
