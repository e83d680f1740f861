"""Fixtures of the data explorer tests: the impulse tests' synthetic motion data."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

MOTION_DATA = Path(__file__).resolve().parents[1] / "impulse" / "motion_data.py"


@pytest.fixture(scope="session")
def motion():
    spec = importlib.util.spec_from_file_location("explorer_motion_data", MOTION_DATA)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
