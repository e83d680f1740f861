"""Reading a project archive safely: entry names, symlinks, duplicates, counts and sizes, every
read capped at the size the manifest declares, and the manifest checked for its shape."""

from __future__ import annotations

import json
import posixpath
import stat
import zipfile

from pydantic import ValidationError

from backend.core.errors import InvalidInput
from backend.project.transfer_format import MANIFEST, ProjectManifest

MAX_ENTRIES = 100_000
MAX_TOTAL_BYTES = 2 * 1024**3
MAX_MANIFEST_BYTES = 256 * 1024 * 1024


def bad(message: str) -> InvalidInput:
    return InvalidInput(f"Not a valid project archive: {message}")


def safe_name(name: str) -> str | None:
    if not name or "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":") or "\x00" in name:
        return None
    if any(part in ("..", "") for part in name.rstrip("/").split("/")):
        return None
    return posixpath.normpath(name)


def entries(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise bad(f"it has {len(infos)} entries; the limit is {MAX_ENTRIES}")
    declared = sum(i.file_size for i in infos)
    if declared > MAX_TOTAL_BYTES:
        raise bad(f"it unpacks to {declared} bytes; the limit is {MAX_TOTAL_BYTES}")
    out: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = safe_name(info.filename)
        if name is None:
            raise bad(f"the entry {info.filename!r} has a path that leaves the archive")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise bad(f"the entry {info.filename!r} is a symbolic link")
        if info.is_dir():
            continue
        if name in out:
            raise bad(f"the entry {name!r} appears twice")
        out[name] = info
    return out


def read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, size: int) -> bytes:
    """Exactly `size` bytes, never inflating more than one byte past them."""
    try:
        with zf.open(info) as f:
            data = f.read(size + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as exc:
        raise bad(f"the entry {info.filename!r} cannot be read ({exc})") from None
    if len(data) != size:
        raise bad(f"the entry {info.filename!r} holds {'more' if len(data) > size else len(data)} bytes; "
                   f"the manifest says {size}")  # fmt: skip
    return data


def manifest(zf: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> ProjectManifest:
    info = entries.get(MANIFEST)
    if info is None:
        raise bad(f"{MANIFEST} is missing (is this a dataset export rather than a project export?)")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise bad(f"{MANIFEST} is larger than {MAX_MANIFEST_BYTES // 1024 // 1024} MB")
    raw = read(zf, info, info.file_size)
    try:
        doc = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise bad(f"{MANIFEST} is not JSON ({exc})") from None
    try:
        return ProjectManifest.model_validate(doc)
    except ValidationError as exc:
        first = exc.errors()[:3]
        where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in first)
        raise bad(f"{MANIFEST} does not have the expected shape ({where})") from None
