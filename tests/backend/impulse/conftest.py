"""Fixtures of the impulse tests: the synthetic motion data module and the interactive worker."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def load_motion_data():
    spec = importlib.util.spec_from_file_location("impulse_motion_data", HERE / "motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def motion():
    return load_motion_data()


@pytest.fixture(scope="session")
def interactive_worker(interactive_queue_worker):
    """The session's one interactive-queue worker (tests/conftest.py)."""
    return interactive_queue_worker
