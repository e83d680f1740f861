"""The dataset at a glance: counts and durations per label and category, sensors and frequencies,
and warnings about things that usually spoil training."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.dataset import repository
from backend.dataset.schemas import CategorySummary, DatasetSummary, LabelSummary, SensorSummary


def _hz(interval_ms: float) -> float:
    return round(1000.0 / interval_ms, 3) if interval_ms > 0 else 0.0


def summarize(session: Session, project_id: int) -> DatasetSummary:
    labels: dict[tuple[str, str], list[float]] = {}
    grouped: dict[tuple[tuple[str, ...], float], int] = {}
    statuses: dict[tuple[str, bool], int] = {}
    for category, label, interval, sensors, status, enabled, n, ms in repository.summary_rows(session, project_id):
        entry = labels.setdefault((category, label), [0, 0.0])
        entry[0] += n
        entry[1] += float(ms)
        key = (tuple(s.get("name", "") for s in sensors or []), _hz(interval))
        grouped[key] = grouped.get(key, 0) + n
        statuses[(status, bool(enabled))] = statuses.get((status, bool(enabled)), 0) + n
    per_label = [
        LabelSummary(category=c, label=lab, count=int(n), total_length_ms=ms) for (c, lab), (n, ms) in labels.items()
    ]
    per_label.sort(key=lambda x: (x.category, x.label))
    sensors = [
        SensorSummary(sensors=list(names), frequency_hz=hz, count=n)
        for (names, hz), n in sorted(grouped.items(), key=lambda kv: -kv[1])
    ]
    frequencies = sorted({hz for (_, hz) in grouped if hz > 0})
    per_category: dict[str, CategorySummary] = {}
    for row in per_label:
        cat = per_category.setdefault(row.category, CategorySummary(category=row.category, count=0, total_length_ms=0))
        cat.count += row.count
        cat.total_length_ms += row.total_length_ms
    return DatasetSummary(
        total=sum(x.count for x in per_label),
        total_length_ms=sum(x.total_length_ms for x in per_label),
        per_label=per_label,
        per_category=sorted(per_category.values(), key=lambda c: c.category),
        sensors=sensors,
        frequencies_hz=frequencies,
        warnings=_warnings(per_label, grouped, frequencies, statuses),
    )


def _warnings(per_label, grouped, frequencies, statuses) -> list[str]:
    warnings = []
    if len(frequencies) > 1:
        warnings.append(
            "mixed frequencies: " + ", ".join(f"{f:g} Hz" for f in frequencies) + "; an impulse works at one frequency"
        )
    if len({names for names, _ in grouped}) > 1:
        warnings.append(
            "samples have different sensors (axes): "
            + "; ".join(", ".join(names) or "(none)" for names in sorted({n for n, _ in grouped}))
        )
    labels = {}
    for row in per_label:
        if row.category in ("training", "testing") and row.label:
            labels.setdefault(row.label, set()).add(row.category)
    for label, cats in sorted(labels.items()):
        if len(cats) == 1:
            only = next(iter(cats))
            other = "testing" if only == "training" else "training"
            warnings.append(f"label {label!r} is only in {only}, not in {other}")
    unlabeled = sum(r.count for r in per_label if not r.label and r.category != "anomaly")
    if unlabeled:
        warnings.append(f"{unlabeled} unlabeled sample(s) in training/testing")
    invalid = sum(n for (status, _), n in statuses.items() if status == "invalid")
    if invalid:
        warnings.append(f"{invalid} sample(s) with an invalid signature: left out of training")
    disabled = sum(n for (_, enabled), n in statuses.items() if not enabled)
    if disabled:
        warnings.append(f"{disabled} disabled sample(s): left out of training")
    return warnings
