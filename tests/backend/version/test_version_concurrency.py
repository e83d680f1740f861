"""A sample deleted while a version is being saved is either kept by that version or not in it:
never referenced and lost."""

from __future__ import annotations

import threading

import pytest
from testkit import wait_for

pytestmark = pytest.mark.services


def _waiting_on_a_lock() -> bool:
    from sqlalchemy import text

    from backend.core.db import get_sessionmaker

    with get_sessionmaker()() as s:
        return bool(
            s.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                )
            )
        )


def test_a_sample_deleted_during_a_save_is_kept(make_project, motion):
    from backend.core.db import get_sessionmaker
    from backend.models.version import ProjectVersion
    from backend.version import repository

    pid, people = make_project()
    sample_id = motion.add_sample(pid, "wave", motion.motion("wave", 3, seed=1))
    saving = get_sessionmaker()()
    try:
        # A save half done: its version references the sample but has not committed yet.
        repository.lock_for_save(saving, pid)
        version = ProjectVersion(project_id=pid, number=1, created_by_name="test", impulses=[], headline=[])
        saving.add(version)
        saving.flush()
        repository.reference_samples(saving, version.id, pid)

        answers = []
        deleting = threading.Thread(
            target=lambda: answers.append(
                people["editor"].post(f"/api/projects/{pid}/samples/bulk-delete", json={"ids": [sample_id]})
            )
        )
        deleting.start()
        wait_for(lambda: answers or _waiting_on_a_lock(), what="the deletion to finish or wait for the save")
        saving.commit()
    finally:
        saving.close()
    deleting.join(30)
    assert answers and answers[0].status_code == 200, answers and answers[0].text
    with get_sessionmaker()() as s:
        assert repository.is_kept(s, sample_id)
