"""`tinyforge deploy`: build a trained impulse on a studio and download the package (for CI)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from backend.cli.client import (
    MissingSetting,
    ServerError,
    StudioClient,
    add_studio_args,
    find_impulse,
    project_of,
    studio_settings,
)

TARGETS = ("arduino", "cpp", "tflite", "wasm")
POLL_S = 1.0


def deploy(
    client: StudioClient,
    project: int,
    target: str,
    variant: str,
    impulse: int | None,
    out: Path,
    timeout: float,
    log=print,
) -> dict:
    """Start a build, wait for its job, write the package to `out`; returns the deployment."""
    base = f"/api/projects/{project}/deployments"
    body = {"target": target, "variant": variant, **({"impulse_id": impulse} if impulse is not None else {})}
    deployment = client.request("POST", base, json=body).json()
    log(f"build {deployment['build_number']} ({target}, {variant}) of impulse {deployment['impulse_id']} started")
    deadline = time.monotonic() + timeout
    while deployment["status"] in ("queued", "running"):
        if time.monotonic() > deadline:
            raise ServerError(f"build {deployment['build_number']} did not finish within {timeout:g} s")
        time.sleep(POLL_S)
        deployment = client.request("GET", f"{base}/{deployment['id']}").json()
    if deployment["status"] != "succeeded":
        raise ServerError(f"build {deployment['build_number']} {deployment['status']}: {deployment.get('error')}")
    data = client.request("GET", f"{base}/{deployment['id']}/download").content
    tmp = out.with_name(out.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(out)  # never leave a half-written package under the requested name
    log(f"wrote {out} ({len(data)} bytes, {deployment['artifact']['name']})")
    return deployment


def cmd_deploy(args: argparse.Namespace) -> int:
    try:
        client = StudioClient(*studio_settings(args))
    except (MissingSetting, ServerError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    try:
        project = project_of(client, args)
        impulse = find_impulse(client, project, args.impulse)
    except (MissingSetting, ServerError) as e:
        print(f"error: {e}", file=sys.stderr)
        client.close()
        return 2
    try:
        deploy(
            client,
            project,
            args.target,
            "float32" if args.float32 else "int8",
            impulse["id"] if impulse else None,
            Path(args.out),
            args.timeout,
        )
    except (ServerError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("deploy", help="build a trained impulse on a studio and download it (for CI)")
    add_studio_args(p, project=True, impulse="the latest trained impulse", role=" (admin role)")
    p.add_argument(
        "--target", choices=TARGETS, required=True, help="arduino library, C++/CMake library, .tflite or WebAssembly"
    )
    p.add_argument("--float32", action="store_true", help="the float32 network instead of int8")
    p.add_argument("--out", required=True, help="file to write the zip to")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for the build (default 600)")
    p.set_defaults(func=cmd_deploy)
