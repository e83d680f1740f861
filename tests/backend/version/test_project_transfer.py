"""Project export and import: the round trip gives back the samples, impulses, trained models,
versions and diffs (with new ids); hostile or broken archives are refused with a 422 naming the
problem and leave nothing behind."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

pytestmark = pytest.mark.services


def by_name(api, pid) -> dict[str, dict]:
    r = api.get(f"/api/projects/{pid}/samples", params={"limit": 1000})
    assert r.status_code == 200, r.text
    return {s["name"]: s for s in r.json()["items"]}


def state(api, pid) -> dict[str, tuple]:
    return {
        n: (s["label"], s["category"], s["enabled"], s["content_hash"], s["n_rows"])
        for n, s in by_name(api, pid).items()
    }


def version_samples(api, pid, vid) -> dict[str, tuple]:
    items = api.get(f"/api/projects/{pid}/versions/{vid}/samples", params={"limit": 1000}).json()["items"]
    return {s["name"]: (s["label"], s["category"], s["enabled"], s["content_hash"], s["in_project"]) for s in items}


def models(pid) -> dict[str, bytes]:
    """kind -> bytes of the model files of each impulse's current training."""
    from sqlalchemy import select

    from backend.core.db import get_sessionmaker
    from backend.models.impulse import Impulse
    from backend.models.sample import Artifact

    with get_sessionmaker()() as s:
        out = {}
        for imp in s.scalars(select(Impulse).where(Impulse.project_id == pid)):
            for a in s.scalars(select(Artifact).where(Artifact.job_id == imp.trained_job_id)):
                out[f"{imp.name}:{a.kind}"] = a.data
        return out


@pytest.fixture(scope="module")
def exported(team_project, motion, trained):
    """A trained project with two versions (a relabel, a deletion and a crop between them), exported."""
    pid, people = team_project()
    ed = people["editor"]
    ids = {
        f"{label}{i}": motion.add_sample(pid, label, motion.motion(label, 2, seed=i + 70 * pid), category=cat)
        for i, (label, cat) in enumerate([("idle", "training"), ("idle", "training"), ("wave", "training"),
                                          ("wave", "training"), ("idle", "testing"), ("wave", "testing")])
    }  # fmt: skip
    imp = ed.post(f"/api/projects/{pid}/impulses", json={"name": "motion", "config": motion.IMPULSE}).json()
    trained(pid, imp["id"], accuracy=0.5)
    v1 = ed.post(f"/api/projects/{pid}/versions", json={"description": "first"}).json()
    base = f"/api/projects/{pid}/samples"
    assert ed.patch(f"{base}/{ids['idle1']}", json={"label": "still"}).status_code == 200
    assert ed.post(f"{base}/bulk-delete", json={"ids": [ids["wave3"]]}).status_code == 200
    assert ed.post(f"{base}/{ids['idle0']}/crop", json={"start_ms": 0, "end_ms": 1000}).status_code == 200
    trained(pid, imp["id"], accuracy=0.9, build=False)
    v2 = ed.post(f"/api/projects/{pid}/versions", json={"description": "second"}).json()
    r = ed.get(f"/api/projects/{pid}/export")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/zip"
    return pid, people, v1, v2, r.content


def test_export_then_import_gives_back_samples_impulses_models_versions_and_diffs(exported):
    pid, people, v1, v2, archive = exported
    ed, importer = people["editor"], people["viewer"]  # any signed-in user may import
    r = importer.post("/api/projects/import", content=archive, headers={"content-type": "application/zip"})
    assert r.status_code == 201, r.text
    new = r.json()
    assert (new["name"], new["role"]) == ("Gestures", "owner") and new["id"] != pid
    nid = new["id"]
    assert state(importer, nid) == state(ed, pid)
    (orig_imp,) = ed.get(f"/api/projects/{pid}/impulses").json()
    (imp,) = importer.get(f"/api/projects/{nid}/impulses").json()
    assert (imp["name"], imp["config"], imp["version"]) == (orig_imp["name"], orig_imp["config"], orig_imp["version"])
    assert imp["trained_job_id"] is not None and not imp["model_stale"]
    assert models(nid) == models(pid) and len(models(nid)) == 2

    mine = importer.get(f"/api/projects/{nid}/versions").json()
    theirs = ed.get(f"/api/projects/{pid}/versions").json()
    keys = ("number", "description", "created_by", "samples", "sample_counts")
    assert [{k: v[k] for k in keys} for v in mine] == [{k: v[k] for k in keys} for v in theirs]
    assert [[h["accuracy"] for h in v["impulses"]] for v in mine] == [[0.9], [0.5]]
    new_v1, new_v2 = mine[1], mine[0]
    assert version_samples(importer, nid, new_v1["id"]) == version_samples(ed, pid, v1["id"])
    assert version_samples(importer, nid, new_v2["id"]) == version_samples(ed, pid, v2["id"])

    d_new = importer.get(f"/api/projects/{nid}/versions/{new_v1['id']}/diff/{new_v2['id']}").json()
    d_old = ed.get(f"/api/projects/{pid}/versions/{v1['id']}/diff/{v2['id']}").json()
    assert {k: c["count"] for k, c in d_new["samples"].items()} == {k: c["count"] for k, c in d_old["samples"].items()}
    assert d_new["samples"]["removed"]["count"] == 1 and d_new["samples"]["values_changed"]["count"] == 1

    def strip(change):
        return {k: v for k, v in change.items() if k != "impulse_id"}

    assert [strip(c) for c in d_new["impulses"]] == [strip(c) for c in d_old["impulses"]]
    # The sample deleted after v1 came along with v1 and restores whole.
    restored = importer.post(f"/api/projects/{nid}/versions/{new_v1['id']}/restore", json={}).json()
    assert state(importer, restored["id"]) == state(
        ed, ed.post(f"/api/projects/{pid}/versions/{v1['id']}/restore", json={}).json()["id"]
    )
    assert any(a["action"] == "project.imported" for a in importer.get(f"/api/projects/{nid}/activity").json())


def _rezip(archive: bytes, change) -> bytes:
    """A copy of the archive with `change(entries: dict[name, bytes])` applied."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    change(entries)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in entries.items():
            if isinstance(data, zipfile.ZipInfo):
                zf.writestr(data, b"/etc/passwd")
            else:
                zf.writestr(name, data)
    return out.getvalue()


def _manifest(change):
    def apply(entries):
        doc = json.loads(entries["project.json"])
        change(doc)
        entries["project.json"] = json.dumps(doc).encode()

    return apply


def _symlink(entries):
    info = zipfile.ZipInfo("samples/link.f32")
    info.external_attr = 0o120777 << 16
    entries["samples/link.f32"] = info


def _flip_value(entries):
    blob = bytearray(entries["samples/3.f32"])
    blob[0] ^= 0xFF
    entries["samples/3.f32"] = bytes(blob)


HOSTILE = [
    ("traversal", lambda e: e.__setitem__("../../etc/evil", b"x"), "leaves the archive"),
    ("absolute", lambda e: e.__setitem__("/tmp/evil", b"x"), "leaves the archive"),
    ("symlink", _symlink, "symbolic link"),
    ("unknown entry", lambda e: e.__setitem__("extra.txt", b"x"), "unexpected entry"),
    ("not json", lambda e: e.__setitem__("project.json", b"{nope"), "not JSON"),
    ("wrong shape", _manifest(lambda d: d["samples"][0].__setitem__("n_rows", "many")), "samples.0.n_rows"),
    (
        "duplicate sample key",
        _manifest(lambda d: d["samples"][1].__setitem__("key", d["samples"][0]["key"])),
        "appears twice",
    ),
    ("missing file", lambda e: e.pop("samples/2.f32"), "samples/2.f32 is missing"),
    (
        "more bytes than declared",
        lambda e: e.__setitem__("samples/1.f32", e["samples/1.f32"] * 50),
        "the manifest says",
    ),
    ("huge sample", _manifest(lambda d: d["samples"][0].__setitem__("n_rows", 10**9)), "limit per sample"),
    (
        "dangling reference",
        _manifest(lambda d: d["versions"][0]["samples"][0].__setitem__(0, 10**9)),
        "not in the archive",
    ),
    ("tampered values", _flip_value, "do not match their sha256"),
    ("bad impulse", _manifest(lambda d: d["impulses"][0]["config"].__setitem__("input", 5)), "impulse 'motion'"),
    ("bad headline", _manifest(lambda d: d["versions"][0]["headline"][0].__setitem__("impulse_id", [1])), "headline"),
    ("no manifest", lambda e: e.pop("project.json"), "project.json is missing"),
]


def test_hostile_or_broken_archives_are_refused_and_leave_nothing(exported):
    _, people, _, _, archive = exported
    importer = people["viewer"]
    before = importer.get("/api/projects").json()
    failures = []
    for name, change, message in HOSTILE:
        r = importer.post(
            "/api/projects/import", content=_rezip(archive, change), headers={"content-type": "application/zip"}
        )
        if r.status_code != 422 or message not in r.json()["detail"]:
            failures.append(f"{name}: {r.status_code} {r.text[:300]}")
    r = importer.post("/api/projects/import", content=b"not a zip", headers={"content-type": "application/zip"})
    assert r.status_code == 422 and "not a zip" in r.json()["detail"]
    # A duplicate entry name (zipfile warns, but writes it).
    with pytest.warns(UserWarning):
        dup = _rezip(archive, lambda e: None)
        buf = io.BytesIO(dup)
        with zipfile.ZipFile(buf, "a") as zf:
            zf.writestr("samples/1.f32", b"\0" * 8)
    r = importer.post("/api/projects/import", content=buf.getvalue(), headers={"content-type": "application/zip"})
    assert r.status_code == 422 and "appears twice" in r.json()["detail"], r.text
    assert not failures, "\n".join(failures)
    assert importer.get("/api/projects").json() == before  # nothing half-written


def test_import_needs_a_signed_in_user_and_export_a_member(exported):
    pid, people, _, _, archive = exported
    key = people["admin"].post(f"/api/projects/{pid}/apikeys", json={"role": "admin"}).json()["key"]
    r = people["admin"].client.post(
        "/api/projects/import", content=archive, headers={"x-api-key": key, "content-type": "application/zip"}
    )
    assert r.status_code == 401
    assert people["outsider"].get(f"/api/projects/{pid}/export").status_code == 404
    r = people["owner"].post(
        "/api/projects/import", params={"name": "Moved in"}, files={"file": ("p.zip", archive, "application/zip")}
    )
    assert r.status_code == 201 and r.json()["name"] == "Moved in", r.text
