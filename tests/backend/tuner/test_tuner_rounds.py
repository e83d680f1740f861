"""Successive halving without a barrier: a candidate sent on to the next round while results are
still out must be one the round's end would have chosen, whatever order the results arrive in and
whichever jobs fail. Replays many random rounds through the scheduler's own rule."""

from __future__ import annotations

import random
from types import SimpleNamespace

from backend.tuner.scheduler import better_half, certain_of_next_round, rank_key


def _candidate(number: int, rng: random.Random) -> SimpleNamespace:
    return SimpleNamespace(
        number=number,
        fits=rng.choice([True, True, False, None]),
        accuracy_int8=rng.choice([0.5, 0.75, 0.9, 1.0, 1.0]),  # ties are common in small test sets
        instructions=rng.choice([20_000, 40_000, 40_000, 85_000]),
    )


def test_candidates_sent_on_early_are_the_better_half_the_round_ends_with():
    early = sum(_replay(seed) for seed in range(500))
    assert early > 500  # the rule does send candidates on before the round's end


def _replay(seed: int) -> int:
    rng = random.Random(seed)
    n = rng.randint(2, 20)
    cands = [_candidate(i, rng) for i in range(1, n + 1)]
    failing = {c.number for c in cands if rng.random() < 0.15}
    arrival = rng.sample(cands, n)
    measured: list[SimpleNamespace] = []
    sent: list[SimpleNamespace] = []
    for k, c in enumerate(arrival):
        if c.number not in failing:
            measured.append(c)
        pending = n - k - 1
        if pending == 0:
            break  # the last result: the round's end decides
        ranked = sorted((m for m in measured if m not in sent), key=rank_key)
        chosen = certain_of_next_round(ranked, len(sent), pending)
        assert chosen == ranked[: len(chosen)], seed  # always the best of those measured
        sent += chosen
    # the round's end (as scheduler.advance does it) with every result in
    rest = sorted((m for m in measured if m not in sent), key=rank_key)
    keep = sent + rest[: max(0, better_half(len(measured)) - len(sent))] if measured else []
    best = sorted(measured, key=rank_key)[: better_half(len(measured))] if measured else []
    assert {c.number for c in keep} == {c.number for c in best}, seed
    assert len(sent) <= len(best), seed
    return len(sent)


def test_nothing_is_certain_while_too_many_results_are_out():
    ranked = [SimpleNamespace(number=i, fits=True, accuracy_int8=1.0, instructions=1) for i in range(1, 4)]
    # 3 measured, 13 out: the better half could be as small as 2, and 13 could land above anyone
    assert certain_of_next_round(ranked, 0, 13) == []
    # 15 measured, 1 out: at least 8 go on; the best 7 are certain
    many = [SimpleNamespace(number=i, fits=True, accuracy_int8=1.0 - i / 100, instructions=1) for i in range(1, 16)]
    assert [c.number for c in certain_of_next_round(many, 0, 1)] == list(range(1, 8))
    # 2 of them sent on already: they count as ranking above the rest
    assert [c.number for c in certain_of_next_round(many[2:], 2, 1)] == list(range(3, 8))
