"""The dataset at a glance: counts and durations per label and category, sensors and frequencies,
and warnings about things that usually spoil training."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.dataset import repository
from backend.dataset.schemas import DatasetSummary, LabelSummary, SensorSummary


def _hz(interval_ms: float) -> float:
    return round(1000.0 / interval_ms, 3) if interval_ms > 0 else 0.0


def summarize(session: Session, project_id: int) -> DatasetSummary:
    per_label = [
        LabelSummary(category=c, label=lab, count=n, total_length_ms=float(ms))
        for c, lab, n, ms in repository.summary_rows(session, project_id)
    ]
    per_label.sort(key=lambda x: (x.category, x.label))
    grouped: dict[tuple[tuple[str, ...], float], int] = {}
    for interval, sensors, n in repository.sensor_rows(session, project_id):
        key = (tuple(s.get("name", "") for s in sensors or []), _hz(interval))
        grouped[key] = grouped.get(key, 0) + n
    sensors = [
        SensorSummary(sensors=list(names), frequency_hz=hz, count=n)
        for (names, hz), n in sorted(grouped.items(), key=lambda kv: -kv[1])
    ]
    frequencies = sorted({hz for (_, hz) in grouped if hz > 0})
    statuses = repository.status_counts(session, project_id)
    return DatasetSummary(
        total=sum(x.count for x in per_label),
        per_label=per_label,
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
