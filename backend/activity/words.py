"""Activity records in plain words, made in one place: ("samples.updated", {count: 3,
changes: {label: "wave"}}) -> "relabeled 3 samples as wave". The actor's name goes in front.

The words are made when the activity is read, so records written before a wording change read
the new way too. An action without words here falls back to its name with the dots spelled out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backend.job.titles import TARGET_WORDS, job_phrase


def _n(count: Any, noun: str) -> str:
    n = int(count) if isinstance(count, int | float) else 0
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _samples_updated(d: dict[str, Any]) -> str:
    changes, what = d.get("changes") or {}, _n(d.get("count"), "sample")
    if set(changes) == {"label"}:
        return f"relabeled {what} as {changes['label']}" if changes["label"] else f"unlabeled {what}"
    if set(changes) == {"category"}:
        return f"moved {what} to {changes['category']}"
    if set(changes) == {"enabled"}:
        return f"{'enabled' if changes['enabled'] else 'disabled'} {what}"
    return f"changed {what}"


def _sample_updated(d: dict[str, Any]) -> str:
    changes, name = d.get("changes") or {}, d.get("name", "a sample")
    if set(changes) == {"label"}:
        return f"relabeled {name} as {changes['label'][1]}"
    if set(changes) == {"name"}:
        return f"renamed {changes['name'][0]} to {changes['name'][1]}"
    if set(changes) == {"category"}:
        return f"moved {name} to {changes['category'][1]}"
    if set(changes) == {"enabled"}:
        return f"{'enabled' if changes['enabled'][1] else 'disabled'} {name}"
    return f"changed {name}"


def _uploaded(d: dict[str, Any]) -> str:
    failed = d.get("failed") or 0
    return f"uploaded {_n(d.get('count'), 'sample')}" + (f" ({failed} refused)" if failed else "")


def _build(d: dict[str, Any]) -> str:
    what = TARGET_WORDS.get(d.get("target", ""), "the library")
    return f"started build {d['build']} of {what}" if "build" in d else f"started building {what}"


def _version(verb: str) -> Callable[[dict[str, Any]], str]:
    return lambda d: f"{verb} version {d['number']}" if "number" in d else f"{verb} a version"


WORDS: dict[str, Callable[[dict[str, Any]], str]] = {
    "project.created": lambda d: "created the project",
    "project.renamed": lambda d: f"renamed the project to {d['new']}" if d.get("new") else "renamed the project",
    "project.cloned": lambda d: "cloned the project",
    "project.cloned_from": lambda d: f"cloned this project from {d.get('source_project', 'another project')}",
    "project.restored": lambda d: (
        f"restored this project from version {d.get('version', '?')} of {d.get('source_project', 'another project')}"
    ),
    "project.ownership_transferred": lambda d: f"handed the project over to {d.get('to', 'someone')}",
    "project.sample_data_added": lambda d: f"filled the project with sample data ({_n(d.get('count'), 'sample')})",
    "member.role_changed": lambda d: f"made {d.get('user', 'a member')} {d.get('new', 'something else')}",
    "member.removed": lambda d: f"removed {d.get('user', 'a member')}",
    "member.left": lambda d: "left the project",
    "member.joined": lambda d: f"joined the project as {d['role']}" if d.get("role") else "joined the project",
    "invitation.created": lambda d: f"invited {d.get('invitee', 'someone')} as {d.get('role', 'member')}",
    "invitation.revoked": lambda d: f"took back the invitation of {d.get('invitee', 'someone')}",
    "apikey.created": lambda d: f"created an API key ({d['name']})" if d.get("name") else "created an API key",
    "apikey.revoked": lambda d: f"revoked an API key ({d['name']})" if d.get("name") else "revoked an API key",
    "hmac_key.rotated": lambda d: "rotated the HMAC key",
    "job.started": lambda d: "started " + job_phrase(d.get("kind", ""), d),
    "job.cancel_requested": lambda d: "cancelled " + job_phrase(d.get("kind", ""), d),
    "samples.uploaded": _uploaded,
    "samples.imported": lambda d: f"imported {_n(d.get('count'), 'sample')}",
    "samples.updated": _samples_updated,
    "samples.deleted": lambda d: f"deleted {_n(d.get('count'), 'sample')}",
    "samples.rebalanced": lambda d: f"rebalanced training and testing (moved {_n(d.get('moved'), 'sample')})",
    "sample.updated": _sample_updated,
    "sample.cropped": lambda d: f"cropped {d.get('name', 'a sample')}",
    "sample.split": lambda d: f"split {d.get('name', 'a sample')} into {_n(d.get('pieces'), 'sample')}",
    "impulse.created": lambda d: f"designed the impulse {d['name']}" if d.get("name") else "designed an impulse",
    "impulse.updated": lambda d: "changed the impulse",
    "impulse.deleted": lambda d: f"deleted the impulse {d['name']}" if d.get("name") else "deleted an impulse",
    "device.renamed": lambda d: f"renamed the device {d.get('old_name', '')} to {d.get('name', '')}".replace("  ", " "),
    "device.deleted": lambda d: f"removed the device {d['name']}" if d.get("name") else "removed a device",
    "device.sample_requested": lambda d: (
        f"asked a device to record {d['label']}" if d.get("label") else "asked a device to record"
    ),
    "device.live_started": lambda d: f"started live classification on {d.get('device_id', 'a device')}",
    "device.live_saved": lambda d: f"saved live readings as the test sample {d.get('name', '')}".rstrip(),
    "deployment.started": _build,
    "version.saved": _version("saved"),
    "version.restored": _version("restored"),
}


def describe(action: str, details: dict[str, Any] | None) -> str:
    """What happened, as the rest of a sentence that starts with the actor's name."""
    words = WORDS.get(action)
    if words is not None:
        try:
            return words(details or {})
        except (KeyError, TypeError, ValueError, IndexError):
            pass  # a record older than its words: say what kind of thing happened
    return action.replace(".", " ").replace("_", " ")
