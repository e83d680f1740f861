"""The liveness-based arena planner."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workers.codegen.nn import generator
from workers.codegen.nn.kernel_call import KernelCall
from workers.codegen.nn.lowering import LoweredModel, Step
from workers.codegen.nn.planner import BufferRequest, align_up, plan_memory, scratch_key
from workers.codegen.tflite_reader import Graph, Tensor


@st.composite
def buffer_requests(draw):
    count = draw(st.integers(min_value=0, max_value=25))
    requests = []
    for key in range(count):
        first = draw(st.integers(min_value=0, max_value=20))
        last = draw(st.integers(min_value=first, max_value=first + 8))
        size = draw(st.integers(min_value=0, max_value=300))
        requests.append(BufferRequest(key, size, first, last))
    return requests


@settings(max_examples=300, deadline=None)
@given(buffer_requests(), st.sampled_from([1, 4, 16]))
def test_buffers_alive_at_the_same_time_never_share_bytes(requests, alignment):
    plan = plan_memory(requests, alignment=alignment)

    for i, a in enumerate(requests):
        start_a = plan.offsets[a.key]
        assert start_a % alignment == 0
        assert start_a + a.size <= plan.arena_size
        for b in requests[i + 1 :]:
            if a.size == 0 or b.size == 0 or not a.overlaps_in_time(b):
                continue
            start_b = plan.offsets[b.key]
            assert start_a + a.size <= start_b or start_b + b.size <= start_a, (a, b, plan)


@settings(max_examples=300, deadline=None)
@given(buffer_requests(), st.sampled_from([1, 4, 16]))
def test_arena_is_never_larger_than_all_buffers_side_by_side(requests, alignment):
    plan = plan_memory(requests, alignment=alignment)

    assert plan.arena_size <= sum(align_up(r.size, alignment) for r in requests)


def test_buffers_with_disjoint_lifetimes_reuse_the_same_bytes():
    chain = [BufferRequest("a", 20, 0, 1), BufferRequest("b", 10, 1, 2), BufferRequest("c", 4, 2, 3)]

    plan = plan_memory(chain, alignment=4)

    assert plan.offsets["a"] == plan.offsets["c"] == 0
    assert plan.arena_size == 32  # a and b overlap at step 1: 20 (aligned) + 10 -> 32


def test_a_kernel_scratch_lives_beside_its_own_steps_buffers_only():
    """conv1d_s8's scratch (one pixel's window) is planned for its step: it never overlaps that
    step's input or output, and the next step may reuse its bytes."""

    def tensor(index: int, size: int) -> Tensor:
        return Tensor(index, f"t{index}", (size,), "int8")

    graph = Graph(tuple(tensor(i, n) for i, n in enumerate((64, 100, 50, 8))), (), (0,), (3,))
    steps = (
        Step(0, "CONV_2D", KernelCall("conv1d_s8", 0, 1, (), scratch=40)),
        Step(1, "CONV_2D", KernelCall("conv1d_s8", 1, 2, (), scratch=24)),
        Step(2, "FULLY_CONNECTED", KernelCall("fully_connected_s8", 2, 3, ())),
    )
    model = LoweredModel(graph, steps, {0: 0, 1: 1, 2: 2, 3: 3}, 0, 3)
    requests = {r.key: r for r in generator.buffer_requests(model)}
    first = requests[scratch_key(0)]
    assert (first.size, first.first_step, first.last_step) == (40, 0, 0)
    plan = plan_memory(list(requests.values()))
    spans = {k: (plan.offsets[k], plan.offsets[k] + r.size) for k, r in requests.items()}
    for step, live in ((0, [1, scratch_key(0)]), (1, [1, 2, scratch_key(1)])):
        ranges = sorted(spans[k] for k in live)
        assert all(a[1] <= b[0] for a, b in zip(ranges, ranges[1:], strict=False)), (step, ranges)
    assert plan.arena_size == 100 + 52 + 24  # step 1: its input, output (aligned) and scratch
