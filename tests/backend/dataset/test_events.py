"""Split by events, the pure part: energy in dB, adaptive floor, hysteresis, clip placement."""

from __future__ import annotations

import numpy as np
import pytest
from support.bursts import bursts_in_noise

from backend.dataset.audio import FULL_SCALE
from backend.dataset.editing import EditError
from backend.dataset.events import EventParams, detect_events, place_clips


@pytest.mark.parametrize("rate", [8000, 16000, 44100, 48000])
@pytest.mark.parametrize("seed", [1, 2])
def test_every_burst_is_found_once_at_each_rate(rate, seed):
    rng = np.random.default_rng(seed * 100 + rate)
    data, truth = bursts_in_noise(rng, rate, 12.0, rng.uniform(-70, -25), count=10)
    found = detect_events(data.reshape(-1, 1).astype(np.float32), 1000 / rate, EventParams(), FULL_SCALE)
    assert len(found.cuts) == len(truth)
    for (a, b), cut in zip(truth, found.cuts, strict=True):
        start_ms, end_ms = cut.start * 1000 / rate, cut.end * 1000 / rate
        assert start_ms <= a and b <= end_ms and cut.end - cut.start == rate
        assert abs((cut.event_start + cut.event_end) / 2 * 1000 / rate - (a + b) / 2) < 60


@pytest.mark.parametrize("level_dbfs", [-80, -50, -20])
def test_pure_noise_and_silence_have_no_events(level_dbfs):
    rng = np.random.default_rng(level_dbfs + 100)
    noise = rng.normal(0, FULL_SCALE * 10 ** (level_dbfs / 20), (16000 * 8, 1)).astype(np.float32)
    assert detect_events(noise, 1000 / 16000, EventParams(), FULL_SCALE).cuts == []
    assert detect_events(np.zeros((16000, 1), np.float32), 1000 / 16000, EventParams(), FULL_SCALE).cuts == []


def test_hysteresis_keeps_a_word_with_a_dip_in_one_piece():
    rate = 8000
    signal = np.random.default_rng(3).normal(0, 10, rate * 3)
    loud = np.random.default_rng(4).normal(0, 1000, 4000)  # 40 dB above the noise
    loud[1600:2400] *= 0.2  # a 100 ms dip to +26 dB: under the start threshold, over the end one
    signal[8000:12000] += loud
    cuts = detect_events(signal.reshape(-1, 1), 1000 / rate, EventParams(min_gap_ms=0), FULL_SCALE).cuts
    assert [(c.event_start, c.event_end) for c in cuts] == [(8000, 12000)]
    no_hysteresis = EventParams(min_gap_ms=0, threshold_db=30, hysteresis_db=0)
    assert len(detect_events(signal.reshape(-1, 1), 1000 / rate, no_hysteresis, FULL_SCALE).cuts) == 2


def test_clips_are_centred_and_kept_inside_the_sample():
    assert [(c.start, c.end) for c in place_clips([(400, 600)], 200, 1000)] == [(400, 600)]
    assert [(c.start, c.end) for c in place_clips([(450, 550)], 200, 1000)] == [(400, 600)]
    assert [(c.start, c.end) for c in place_clips([(0, 20), (980, 1000)], 200, 1000)] == [(0, 200), (800, 1000)]


def test_close_clips_are_moved_apart_rather_than_overlap():
    # Centred, the clips would be 250..350 and 300..400; moved apart, both events stay whole.
    cuts = place_clips([(280, 320), (340, 360)], 100, 1000)
    assert [(c.start, c.end) for c in cuts] == [(220, 320), (320, 420)]
    assert all(c.start <= c.event_start and c.event_end <= c.end for c in cuts)


def test_events_too_close_for_two_clips_share_one():
    # Near the end of the sample there is no room for a second clip that holds 930..970 whole.
    cuts = place_clips([(880, 920), (930, 970)], 100, 1000)
    assert [(c.start, c.end, c.event_start, c.event_end) for c in cuts] == [(875, 975, 880, 970)]


def test_bad_parameters_are_refused():
    data = np.zeros((1000, 1), np.float32)
    with pytest.raises(EditError, match="hysteresis_db"):
        detect_events(data, 1.0, EventParams(threshold_db=5, hysteresis_db=5))
    with pytest.raises(EditError, match="shorter than one clip"):
        detect_events(data, 1.0, EventParams(clip_ms=2000))


def test_random_events_never_give_overlapping_clips_or_clips_outside_the_sample():
    rng = np.random.default_rng(5)
    for _ in range(300):
        n, size = int(rng.integers(200, 2000)), int(rng.integers(20, 200))
        edges = np.sort(rng.choice(n, size=2 * int(rng.integers(1, 12)), replace=False))
        events = [(int(a), int(b)) for a, b in zip(edges[0::2], edges[1::2], strict=True)]
        cuts = place_clips(events, size, n)
        assert cuts and all(c.start >= 0 and c.end <= n and c.end - c.start == size for c in cuts)
        assert all(x.end <= y.start for x, y in zip(cuts, cuts[1:], strict=False))


def test_events_starting_a_clip_apart_each_get_their_own_whole_clip():
    rng = np.random.default_rng(6)
    for _ in range(300):
        size, events, t = int(rng.integers(20, 200)), [], int(rng.integers(0, 100))
        for _ in range(int(rng.integers(1, 12))):
            events.append((t, t + int(rng.integers(1, size // 2))))
            t += size + int(rng.integers(0, size))
        cuts = place_clips(events, size, events[-1][0] + size + int(rng.integers(0, size)))
        assert [(c.event_start, c.event_end) for c in cuts] == events
        assert all(c.start <= c.event_start and c.event_end <= c.end for c in cuts)
        assert all(x.end <= y.start for x, y in zip(cuts, cuts[1:], strict=False))


def test_clips_further_back_move_too_when_that_makes_room():
    # The third clip fits only if the first two both move left.
    cuts = place_clips([(188, 204), (270, 276), (349, 360)], 131, 1000)
    assert [(c.event_start, c.event_end) for c in cuts] == [(188, 204), (270, 276), (349, 360)]
    assert all(c.start <= c.event_start and c.event_end <= c.end for c in cuts)
    assert all(x.end <= y.start for x, y in zip(cuts, cuts[1:], strict=False))
