"""Static memory planner: one arena, offsets chosen from tensor lifetimes.

Each buffer lives from the step that writes it to the last step that reads it
(inclusive). Buffers are placed largest first, each at the lowest aligned
offset that does not overlap a placed buffer whose lifetime intersects its own
(the greedy-by-size strategy of TFLite Micro's planner).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class BufferRequest:
    key: Hashable
    size: int  # bytes
    first_step: int
    last_step: int

    def overlaps_in_time(self, other: BufferRequest) -> bool:
        return self.first_step <= other.last_step and other.first_step <= self.last_step


@dataclass(frozen=True)
class MemoryPlan:
    offsets: dict[Hashable, int]
    arena_size: int
    alignment: int


def scratch_key(position: int) -> tuple[str, int]:
    """The key of the scratch buffer of the kernel call at ``position`` (activations are keyed by
    their tensor index)."""
    return ("scratch", position)


def align_up(value: int, alignment: int) -> int:
    return (value + alignment - 1) // alignment * alignment


def plan_memory(requests: Sequence[BufferRequest], alignment: int = 4) -> MemoryPlan:
    """Assign an arena offset to every buffer; the arena size is a multiple of ``alignment``."""
    if alignment < 1:
        raise ValueError("alignment must be positive")
    for request in requests:
        if request.size < 0 or request.first_step > request.last_step:
            raise ValueError(f"invalid buffer request {request}")
    order = sorted(
        range(len(requests)),
        key=lambda i: (-requests[i].size, requests[i].first_step, requests[i].last_step, i),
    )
    placed: list[tuple[int, BufferRequest]] = []
    offsets: dict[Hashable, int] = {}
    arena_size = 0
    for i in order:
        request = requests[i]
        offset = 0
        if request.size > 0:
            conflicts = sorted((o, r.size) for o, r in placed if r.size > 0 and r.overlaps_in_time(request))
            for other_offset, other_size in conflicts:
                if offset + request.size <= other_offset:
                    break
                offset = max(offset, align_up(other_offset + other_size, alignment))
        placed.append((offset, request))
        offsets[request.key] = offset
        arena_size = max(arena_size, offset + request.size)
    return MemoryPlan(offsets=offsets, arena_size=align_up(arena_size, alignment), alignment=alignment)
