"""Read the parts of a trained impulse the library generator needs, in one checked shape.

The impulse configuration is the training job's (validated) `impulse`: input {axes,
window_size_ms, window_increase_ms, frequency_hz, zero_pad}, processing blocks [{id, type,
version, params, axes}] and learning blocks [{id, type, params}]. A block's kind is its `type`
(falling back to `id`); its axes may be names of the input axes or indices into them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, count
from typing import Any

from backend.blocks.processing import window_length


class LibraryInputError(ValueError):
    """The impulse, model or anomaly model cannot become a library; the message says why."""


@dataclass(frozen=True)
class ImpulseInput:
    axes: tuple[str, ...]
    frequency_hz: float
    window_size_ms: float
    window_increase_ms: float
    window_len: int
    dsp_blocks: tuple[dict[str, Any], ...]  # in dsp_c's shape: {id, version, params, axes: [int]}
    learning_types: tuple[str, ...]


def _slug(text: str, limit: int = 32) -> str:
    """Lower-case ASCII letters and digits joined by single underscores (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower())[:limit].strip("_")


def library_name(project_name: str, impulse_name: str = "", tag: str = "") -> str:
    """`<project>_<impulse>[_<tag>]_inferencing` (`<project>_inferencing` without an impulse name):
    a C identifier, header name and Arduino library name."""
    slug = "_".join(part for part in (_slug(project_name), _slug(impulse_name), _slug(tag)) if part)
    if not slug or not slug[0].isalpha():
        slug = f"project_{slug}".rstrip("_")
    return f"{slug}_inferencing"


def library_names(project_name: str, impulses: Mapping[int, str]) -> dict[int, str]:
    """A distinct library name for each impulse of a project (id -> name), so that their libraries
    can sit side by side in the Arduino IDE. Names are given in id order: an impulse whose name
    makes the same identifier as an older one's gets its id appended, and a new impulse never
    changes the name of an older one."""
    taken: set[str] = set()
    out = {}
    for impulse_id in sorted(impulses):
        tags = chain(["", str(impulse_id)], (f"{impulse_id}_{n}" for n in count(2)))
        names = (library_name(project_name, impulses[impulse_id], tag) for tag in tags)
        out[impulse_id] = next(name for name in names if name not in taken)
        taken.add(out[impulse_id])
    return out


def is_library_name(name: str) -> bool:
    """A C identifier that also makes a file and folder name (library_name's are at most ~90 long)."""
    return re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,127}", name) is not None


def read_impulse(impulse: dict[str, Any]) -> ImpulseInput:
    """Check the configuration and map it to what the C generators take."""
    try:
        inp = impulse["input"]
        axes = (
            tuple(str(a) for a in inp["axes"])
            if isinstance(inp["axes"], list)
            else tuple(f"axis{i}" for i in range(int(inp["axes"])))
        )
        frequency = float(inp["frequency_hz"])
        window_ms = float(inp["window_size_ms"])
        increase_ms = float(inp.get("window_increase_ms") or window_ms)
        processing = list(impulse.get("processing_blocks") or impulse.get("processing") or [])
        learning = list(impulse.get("learning_blocks") or impulse.get("learning") or [])
    except (KeyError, TypeError, ValueError) as exc:
        raise LibraryInputError(f"the impulse configuration lacks its input block ({exc})") from exc
    if not axes or frequency <= 0 or window_ms <= 0:
        raise LibraryInputError("the impulse's input needs axes, a positive frequency and window size")
    if not processing:
        raise LibraryInputError("the impulse has no processing block")
    blocks = []
    for i, block in enumerate(processing):
        kind = block.get("type") or block.get("id")
        blocks.append(
            {
                "id": kind,
                "version": block.get("version"),
                "params": block.get("params") or {},
                "axes": _axis_indices(block.get("axes"), axes, i),
            }
        )
    learning_types = tuple(str(b.get("type") or b.get("id")) for b in learning)
    return ImpulseInput(
        axes, frequency, window_ms, increase_ms, window_length(window_ms, frequency), tuple(blocks), learning_types
    )


def _axis_indices(value: Any, axes: tuple[str, ...], block: int) -> list[int]:
    if value is None:
        return list(range(len(axes)))
    out = []
    for a in value:
        if isinstance(a, int) and not isinstance(a, bool) and 0 <= a < len(axes):
            out.append(a)
        elif isinstance(a, str) and a in axes:
            out.append(axes.index(a))
        else:
            raise LibraryInputError(
                f"processing block {block} reads axis {a!r}, which is not one of the input's axes ({', '.join(axes)})"
            )
    if not out:
        raise LibraryInputError(f"processing block {block} reads no axis")
    return out
