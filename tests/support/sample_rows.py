"""Samples written straight with SQL, as a large import leaves them: for tests that need
thousands of rows (paging) without thousands of uploads."""

from __future__ import annotations

import secrets

import numpy as np


def insert_samples(pid: int, n: int, *, label=lambda i: "idle", meta=lambda i: {}, with_sparkline=True) -> list[int]:
    """`n` samples of 10 rows x 1 axis written with SQL (as a big import would), ids ascending."""
    from sqlalchemy import insert

    from backend.core.db import session_scope
    from backend.dataset.sparkline import envelope
    from backend.models.sample import Sample, SampleValues

    blob = np.arange(10, dtype="<f4").tobytes()
    with session_scope() as s:
        ids = s.scalars(
            insert(Sample).returning(Sample.id, sort_by_parameter_order=True),
            [
                {
                    "project_id": pid,
                    "category": "training" if i % 5 else "testing",
                    "label": label(i),
                    "filename": f"bulk.{i}",
                    "device_type": "TEST",
                    "interval_ms": 10.0,
                    "sensors": [{"name": "accX", "units": "m/s2"}],
                    "n_rows": 10,
                    "n_axes": 1,
                    "length_ms": 100.0,
                    "content_hash": secrets.token_hex(32),
                    "signature_status": "unsigned",
                    "meta": meta(i),
                    "enabled": True,
                }
                for i in range(n)
            ],
        ).all()
        shape = envelope(blob, 1) if with_sparkline else None
        s.execute(insert(SampleValues), [{"sample_id": i, "values": blob, "sparkline": shape} for i in ids])
    return list(ids)
