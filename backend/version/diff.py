"""What changed between two versions: samples, impulse fields, accuracy and on-device figures.
Pure functions over what the repository loaded."""

from __future__ import annotations

from typing import Any

from backend.version.schemas import (
    FieldChange,
    FigureChange,
    IdChanges,
    ImpulseChange,
    SampleChanges,
)
from backend.version.snapshot import accuracy

MAX_IDS = 100  # ids listed per kind of change; the count is always complete
MAX_FIELDS = 200


def _ids(ids: list[int]) -> IdChanges:
    ids = sorted(ids)
    return IdChanges(count=len(ids), ids=ids[:MAX_IDS])


def sample_changes(
    before: dict[int, tuple[str, str, bool, str]], after: dict[int, tuple[str, str, bool, str]]
) -> SampleChanges:
    """Each state is sample id -> (label, category, enabled, content hash)."""
    common = before.keys() & after.keys()

    def differs(i: int) -> list[int]:
        return [s for s in common if before[s][i] != after[s][i]]

    return SampleChanges(
        added=_ids(list(after.keys() - before.keys())),
        removed=_ids(list(before.keys() - after.keys())),
        relabeled=_ids(differs(0)),
        moved=_ids(differs(1)),
        enabled_changed=_ids(differs(2)),
        values_changed=_ids(differs(3)),
    )


def json_changes(before: Any, after: Any, path: str = "") -> list[FieldChange]:
    """Leaf differences between two JSON values, as dotted paths (list items by index)."""
    if isinstance(before, dict) and isinstance(after, dict):
        out = []
        for key in sorted(before.keys() | after.keys(), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in before:
                out.append(FieldChange(path=sub, before=None, after=after[key]))
            elif key not in after:
                out.append(FieldChange(path=sub, before=before[key], after=None))
            else:
                out.extend(json_changes(before[key], after[key], sub))
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        out = []
        for i, (b, a) in enumerate(zip(before, after, strict=False)):
            out.extend(json_changes(b, a, f"{path}.{i}" if path else str(i)))
        return out
    return [] if before == after else [FieldChange(path=path, before=before, after=after)]


def _figures(value: Any, path: str, out: dict[str, float]) -> dict[str, float]:
    """Numeric leaves of an estimates tree, by dotted path."""
    if isinstance(value, dict):
        for key, sub in value.items():
            if key != "work":  # the DSP's units of work (inputs of the board estimates), not figures
                _figures(sub, f"{path}.{key}", out)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[path] = float(value)
    return out


def _entry_figures(entry: dict[str, Any] | None) -> dict[str, float]:
    if entry is None:
        return {}
    result = (entry.get("training") or {}).get("result") or {}
    figures = _figures(result.get("estimates") or {}, "estimates", {})
    for variant, metrics in (result.get("metrics") or {}).items():
        if isinstance(metrics, dict) and isinstance(metrics.get("accuracy"), (int, float)):
            figures[f"metrics.{variant}.accuracy"] = float(metrics["accuracy"])
    return figures


def impulse_changes(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[ImpulseChange]:
    """Impulses matched by id (a version's impulses keep the ids they had in the project)."""
    old = {e["id"]: e for e in before}
    new = {e["id"]: e for e in after}
    out = []
    for impulse_id in sorted(old.keys() | new.keys()):
        b, a = old.get(impulse_id), new.get(impulse_id)
        fields = json_changes(
            {"name": b["name"], "version": b["version"], "config": b["config"]} if b else {},
            {"name": a["name"], "version": a["version"], "config": a["config"]} if a else {},
        )
        fb, fa = _entry_figures(b), _entry_figures(a)
        figures = [
            FigureChange(path=p, before=fb.get(p), after=fa.get(p))
            for p in sorted(fb.keys() | fa.keys())
            if fb.get(p) != fa.get(p)
        ]
        if b is None or a is None:
            change = "added" if b is None else "removed"
        else:
            change = "changed" if fields or figures else "unchanged"
        out.append(
            ImpulseChange(
                impulse_id=impulse_id,
                name=(a or b)["name"],
                change=change,
                fields=fields[:MAX_FIELDS],
                fields_truncated=len(fields) > MAX_FIELDS,
                accuracy_before=accuracy(b) if b else None,
                accuracy_after=accuracy(a) if a else None,
                figures=figures,
            )
        )
    return out
