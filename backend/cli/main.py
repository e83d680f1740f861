"""`tinyforge`: the admin command line. Output is plain so scripts can read it."""

from __future__ import annotations

import argparse
import sys

from backend.cli import admin, deploy, forward, pipeline, processes, upload


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tinyforge", description="TinyForge, a self-hosted TinyML studio")
    sub = parser.add_subparsers(dest="command", required=True)
    processes.add_commands(sub)
    admin.add_commands(sub)
    pipeline.add_commands(sub)
    forward.add_commands(sub)
    upload.add_commands(sub)
    deploy.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from pydantic import ValidationError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except admin.CommandError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ValidationError as e:  # the settings: name what is wrong, no traceback
        print("error: " + "; ".join(err["msg"].removeprefix("Value error, ") for err in e.errors()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
