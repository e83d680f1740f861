"""The sliding window over streamed readings: windows at the impulse's size and stride, the
device's time of each window's newest reading, the bounded ring a save reads from."""

from __future__ import annotations

import numpy as np
import pytest

from backend.live.windowing import ChunkError, SlidingWindows, parse_chunk


def _rows(start: int, n: int) -> np.ndarray:
    return np.arange(start, start + n, dtype=np.float32)[:, None].repeat(2, axis=1)


def test_windows_complete_at_size_then_every_stride_across_chunk_boundaries():
    w = SlidingWindows(axes=2, interval_ms=10, window_rows=5, stride_rows=2, keep_rows=8)
    made = []
    for start in range(0, 12, 3):  # chunks of 3 rows, the last one ending at row 11 at t=2000
        made += w.push(_rows(start, 3), 1000 + (start + 2) * 10 if start < 9 else 2000, now_ms=0)
    assert [m.index for m in made] == [0, 1, 2, 3]
    assert [m.values[0, 0] for m in made] == [0, 2, 4, 6]  # window starts: 0, 2, 4, 6 rows
    assert [m.start_ms for m in made] == [0, 20, 40, 60]
    np.testing.assert_array_equal(made[3].values[:, 0], [6, 7, 8, 9, 10])
    # Row 10 is the second-to-last of the chunk that ended at t=2000.
    assert made[3].newest_reading_ts == 2000 - 10


def test_without_a_device_time_the_arrival_time_stamps_the_rows():
    w = SlidingWindows(axes=2, interval_ms=10, window_rows=3, stride_rows=3, keep_rows=3)
    (only,) = w.push(_rows(0, 3), None, now_ms=5000)
    assert only.newest_reading_ts == 5000


def test_the_ring_keeps_only_the_newest_rows():
    w = SlidingWindows(axes=2, interval_ms=10, window_rows=2, stride_rows=2, keep_rows=4)
    w.push(_rows(0, 7), 0, now_ms=0)
    np.testing.assert_array_equal(w.last(10)[:, 0], [3, 4, 5, 6])
    np.testing.assert_array_equal(w.last(2)[:, 0], [5, 6])


def test_a_restart_keeps_windows_from_spanning_two_recordings():
    w = SlidingWindows(axes=2, interval_ms=10, window_rows=4, stride_rows=4, keep_rows=8)
    assert len(w.push(_rows(0, 6), 0, now_ms=0)) == 1
    w.restart()
    (first,) = w.push(_rows(100, 4), 0, now_ms=0)
    np.testing.assert_array_equal(first.values[:, 0], [100, 101, 102, 103])


@pytest.mark.parametrize(
    ("message", "complaint"),
    [
        ({"values": [[1, 2, 3]]}, "needs 2"),
        ({"values": [[1, True]]}, "not a finite number"),
        ({"values": [[1, float("nan")]]}, "not a finite number"),
        ({"values": []}, "non-empty list"),
        ({"values": [[1, 2]] * 1001}, "at most 1000 rows"),
        ({"values": [[1, 2]], "t": True}, "streamData.t"),
        ("1,2", "must be an object"),
    ],
)
def test_a_bad_chunk_is_refused_naming_the_problem(message, complaint):
    with pytest.raises(ChunkError, match=complaint):
        parse_chunk(message, axes=2)


def test_a_sessions_ring_of_readings_stays_within_its_byte_budget():
    from backend.live.runner import MAX_RING_BYTES, LiveRunner

    async def send(_message) -> None:
        return None

    def ring(hz: float, axes: int) -> SlidingWindows:
        config = {"session_id": "s", "project_id": 1, "device_id": "d", "axes": [f"a{i}" for i in range(axes)],
                  "interval_ms": 1000 / hz, "window_ms": 1000, "stride_ms": 500, "keep_s": 60}  # fmt: skip
        return LiveRunner(config, send).windows

    phone_mic = ring(16_000, 1)
    assert phone_mic.capacity == 60 * 16_000  # the whole minute "save as test sample" offers
    fastest = ring(100_000, 16)  # the fastest sensor a session takes, with many axes
    assert fastest.capacity < 60 * 100_000 and fastest.values.nbytes + fastest.stamps.nbytes <= MAX_RING_BYTES
    assert fastest.capacity >= fastest.window_rows  # still room for a whole window
