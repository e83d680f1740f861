"""Headless pipeline commands for CI: `tinyforge impulse set`, `features`, `train`, `test`.

They talk to a server over HTTP with a project API key (admin role to change things), wait for
the job with a progress bar (plain lines when stdout is not a terminal) and print the metrics.
Exit status: 0 when the job succeeded, 1 when it failed or was cancelled, 2 on usage errors.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from backend.cli.client import (
    MissingSetting,
    ServerError,
    StudioClient,
    add_studio_args,
    find_impulse,
    project_of,
    studio_settings,
)

# The pipeline commands' errors are the clients' errors: one readable line.
PipelineError = ServerError


class Studio:
    def __init__(self, args: argparse.Namespace):
        self.client = StudioClient(*studio_settings(args), timeout=60)
        self.project = project_of(self.client, args)

    def call(self, method: str, path: str, **kw) -> Any:
        r = self.client.request(method, f"/api/projects/{self.project}{path}", **kw)
        return r.json() if r.content else None

    def impulse_id(self, ref: str | None) -> int:
        if ref is not None:
            return find_impulse(self.client, self.project, ref)["id"]
        impulses = self.call("GET", "/impulses")
        if len(impulses) != 1:
            names = ", ".join(i["name"] for i in impulses) or "none"
            raise PipelineError(f"the project has {len(impulses)} impulses ({names}): pick one with --impulse")
        return impulses[0]["id"]


class Progress:
    """A bar on a terminal, a line per change of 10 % (and every log line) otherwise."""

    def __init__(self, what: str, stream=sys.stdout):
        self.what, self.stream, self.tty = what, stream, stream.isatty()
        self.shown = -1

    def update(self, fraction: float, lines: list[str]) -> None:
        pct = int(fraction * 100)
        if self.tty:
            for line in lines:
                self.stream.write("\r\033[K" + line + "\n")
            bar = "#" * (pct // 4)
            self.stream.write(f"\r{self.what} [{bar:<25}] {pct:3d}%")
        else:
            for line in lines:
                self.stream.write(f"  {line}\n")
            if pct // 10 != self.shown // 10:
                self.stream.write(f"{self.what}: {pct}%\n")
        self.shown = pct
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")


def wait_for_job(studio: Studio, job: dict[str, Any], what: str, poll_s: float = 0.5) -> dict[str, Any]:
    bar, seen, said = Progress(what), 0, None
    while True:
        job = studio.call("GET", f"/jobs/{job['id']}")
        if job.get("waiting") and job["waiting"] != said:  # no worker for its queue: say so, once
            said = job["waiting"]
            print(said, file=sys.stderr, flush=True)
        logs = job.get("logs", [])
        bar.update(job["progress"], [x["line"] for x in logs[seen:]])
        seen = len(logs)
        if job["status"] in ("succeeded", "failed", "cancelled"):
            bar.close()
            return job
        time.sleep(poll_s)


def _print_metrics(kind: str, result: dict[str, Any]) -> None:
    if kind == "features":
        print(
            f"windows: {result['windows']}  features per window: {result['features']}  labels: "
            f"{', '.join(result['labels'])}"
        )
        return
    metrics = result.get("metrics") or {}
    if kind == "train":
        for variant in ("float32", "int8"):
            m = metrics.get(variant)
            if m:
                shown = {k: round(m[k], 4) for k in ("accuracy", "loss", "weighted_f1", "mse", "mae") if k in m}
                print(f"{variant} validation: " + "  ".join(f"{k} {v}" for k, v in shown.items()))
        if "int8_float_agreement" in metrics:
            print(f"int8/float32 agreement: {metrics['int8_float_agreement']:.4f}")
        if result.get("anomaly"):
            print(f"anomaly: {result['anomaly']['clusters']} clusters")
    else:
        if "accuracy" in metrics:
            print(
                f"test accuracy (int8, per window): {metrics['accuracy']:.4f}  weighted F1: "
                f"{metrics['weighted_f1']:.4f}  uncertain: {metrics['uncertain']:.4f}"
            )
            print(f"per sample: {result['sample_metrics']['accuracy']:.4f}")
            cm = metrics["confusion_matrix"]
            print("confusion matrix (rows actual, columns predicted: " + ", ".join(cm["columns"]) + ")")
            for label, row in zip(cm["labels"], cm["matrix"], strict=False):
                print(f"  {label:>12} " + " ".join(f"{v:5d}" for v in row))
        elif metrics:
            print("test: " + "  ".join(f"{k} {v}" for k, v in metrics.items()))


def _guarded(func):
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except (PipelineError, MissingSetting) as e:
            print(f"error: {e}", file=sys.stderr)
            return 2

    return run


def cmd_impulse_set(args: argparse.Namespace) -> int:
    try:
        doc = json.loads(Path(args.file).read_text())
    except (OSError, ValueError) as e:
        raise PipelineError(f"cannot read {args.file}: {e}") from None
    if not isinstance(doc, dict):
        raise PipelineError(f"{args.file} must hold a JSON object")
    config = doc.get("config", doc) if "config" in doc else {k: v for k, v in doc.items() if k != "name"}
    name = args.name or doc.get("name") or "impulse"
    studio = Studio(args)
    impulses = studio.call("GET", "/impulses")
    existing = next((i for i in impulses if i["name"] == name), None) or next(
        (i for i in impulses if str(i["id"]) == str(name)), None
    )  # an impulse by name, else by id
    if existing is None:
        impulse = studio.call("POST", "/impulses", json={"name": name, "config": config})
        print(f"created impulse {impulse['id']} ({name}), version {impulse['version']}")
    else:
        impulse = studio.call(
            "PATCH", f"/impulses/{existing['id']}", json={"version": existing["version"], "config": config}
        )
        print(f"updated impulse {impulse['id']} ({name}) to version {impulse['version']}")
    return 0


def _run(kind: str, path: str, body: dict[str, Any]):
    def run(args: argparse.Namespace) -> int:
        studio = Studio(args)
        impulse_id = studio.impulse_id(args.impulse)
        job = studio.call("POST", f"/impulses/{impulse_id}/{path}", json=body(args) if body else None)
        print(f"job {job['id']} ({job['kind']}) queued")
        job = wait_for_job(studio, job, kind)
        if job["status"] != "succeeded":
            print(f"job {job['id']} {job['status']}: {job.get('error') or ''}", file=sys.stderr)
            return 1
        _print_metrics(kind, job["result"] or {})
        return 0

    return run


def _common(p: argparse.ArgumentParser, impulse: bool = True) -> None:
    add_studio_args(
        p,
        project=True,
        impulse="the project's only impulse" if impulse else None,
        role=" (admin role to change things)",
    )


def add_commands(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("impulse", help="impulse configurations").add_subparsers(dest="action", required=True)
    p = imp.add_parser("set", help="create or update an impulse from a JSON file (docs/impulse-json.md)")
    _common(p, impulse=False)
    p.add_argument("--file", required=True)
    p.add_argument(
        "--impulse",
        "--name",
        dest="name",
        default=None,
        help="impulse name or id to update, or name to create (default: the file's 'name', else 'impulse')",
    )
    p.set_defaults(func=_guarded(cmd_impulse_set))

    invalid = {"include_invalid_signatures": False}
    for kind, path, helptext in (
        ("features", "features", "generate features and wait"),
        ("train", "train", "train the impulse and wait; prints validation metrics"),
        ("test", "test", "test the trained impulse on the test set; prints metrics"),
    ):
        p = sub.add_parser(kind, help=helptext)
        _common(p)
        if kind == "test":
            p.add_argument("--threshold", type=float, default=0.6)
            p.set_defaults(func=_guarded(_run(kind, path, lambda a: {"threshold": a.threshold})))
        else:
            p.add_argument("--include-invalid-signatures", action="store_true")
            p.set_defaults(
                func=_guarded(
                    _run(kind, path, lambda a: {**invalid, "include_invalid_signatures": a.include_invalid_signatures})
                )
            )
