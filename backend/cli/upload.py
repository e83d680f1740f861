"""`tinyforge upload`: send data files (JSON, CBOR, CSV, WAV acquisition files) to a studio.

Files go in batches of multipart requests to /api/{category}/files. One line per file:
`OK  idle.01.json -> training/idle` or `ERR bad.csv: <why>`; exit code 1 if any file failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backend.cli.client import (
    MissingSetting,
    ServerError,
    StudioClient,
    add_studio_args,
    studio_settings,
)

CATEGORIES = ("training", "testing", "anomaly", "split")
BATCH_FILES = 50
BATCH_BYTES = 32 * 1024 * 1024


def _batches(paths: list[Path], out) -> list[list[tuple[str, bytes]]]:
    """Read the files into batches; unreadable files are reported now and left out."""
    batches: list[list[tuple[str, bytes]]] = [[]]
    size = 0
    for path in paths:
        try:
            content = path.read_bytes()
        except OSError as e:
            print(f"ERR {path.name}: cannot read {path}: {e.strerror or e}", file=out, flush=True)
            continue
        if batches[-1] and (len(batches[-1]) >= BATCH_FILES or size + len(content) > BATCH_BYTES):
            batches.append([])
            size = 0
        batches[-1].append((path.name, content))
        size += len(content)
    return [b for b in batches if b]


def upload(
    server: str, api_key: str, paths: list[Path], category: str = "split", label: str | None = None, out=sys.stdout
) -> int:
    """Upload `paths`; returns how many failed."""
    failed = 0
    client = StudioClient(server, api_key)
    try:
        readable = _batches(paths, out)
        failed += len(paths) - sum(len(b) for b in readable)
        for batch in readable:
            try:
                results = client.upload_files(category, batch, label=label)
            except ServerError as e:
                for name, _ in batch:
                    print(f"ERR {name}: {e}", file=out, flush=True)
                failed += len(batch)
                continue
            for (name, _), result in zip(batch, results, strict=False):
                if result.get("success"):
                    where = f"{result.get('category') or category}/{result.get('label') or '(no label)'}"
                    print(f"OK  {name} -> {where}", file=out, flush=True)
                else:
                    failed += 1
                    error = str(result.get("error") or "refused").removeprefix(f"{name}: ")
                    print(f"ERR {name}: {error}", file=out, flush=True)
    finally:
        client.close()
    return failed


def cmd_upload(args: argparse.Namespace) -> int:
    try:
        server, api_key = studio_settings(args)
    except MissingSetting as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        failed = upload(server, api_key, [Path(p) for p in args.files], args.category, args.label)
    except ServerError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    total = len(args.files)
    print(f"{total - failed} of {total} files uploaded", file=sys.stderr)
    return 1 if failed else 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("upload", help="upload data files (JSON, CBOR, CSV, WAV) to a studio")
    add_studio_args(p)
    p.add_argument(
        "--category",
        choices=CATEGORIES,
        default="split",
        help="where the files go; split: 80/20 training/testing by content (default)",
    )
    p.add_argument("--label", default=None, help="label for every file (default: from each file name)")
    p.add_argument("files", nargs="+", help="files to upload")
    p.set_defaults(func=cmd_upload)
