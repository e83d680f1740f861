"""Fixtures of the impulse tests: the synthetic motion data module and an interactive worker."""

from __future__ import annotations

import importlib.util
import os
import secrets
import subprocess
from pathlib import Path

import pytest
from testkit import WorkerProcess

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]


def load_motion_data():
    spec = importlib.util.spec_from_file_location("impulse_motion_data", HERE / "motion_data.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def motion():
    return load_motion_data()


class InteractiveWorker(WorkerProcess):
    """A real worker consuming only the interactive queue (as `tinyforge serve` starts one)."""

    def __init__(self):
        from backend.cli.processes import worker_command

        self.env = dict(os.environ)
        self.log_path = Path(os.environ["DATA_DIR"]) / f"interactive-{secrets.token_hex(3)}.log"
        self.log_file = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            worker_command(1, "info", "interactive"),
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


@pytest.fixture(scope="session")
def interactive_worker():
    w = InteractiveWorker().wait_ready()
    yield w
    w.stop()
