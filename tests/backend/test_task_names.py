"""Task names: declared once in backend/core/task_names.py, sent by the API, registered by the workers."""

from __future__ import annotations

import ast
from pathlib import Path

from backend.core import task_names

BACKEND = Path(__file__).resolve().parents[2] / "backend"
# Calls whose argument names the task to run (the first positional one, or `kind`/`task`/`name`).
SENDERS = {"call", "create_job", "send_task", "send_job"}


def test_every_task_the_api_sends_is_registered_by_the_workers():
    from workers.celery_app import app

    app.loader.import_default_modules()  # what a worker does at start: import the task modules
    missing = sorted(task_names.ALL_TASKS - set(app.tasks))
    assert not missing, f"the API sends tasks that no worker registers: {missing}"


def test_jobs_and_rpc_names_are_disjoint_and_complete():
    declared = {v for k, v in vars(task_names).items() if k.isupper() and isinstance(v, str)}
    assert declared == set(task_names.ALL_TASKS)
    assert not task_names.JOB_TASKS & task_names.RPC_TASKS


def _stray_literals(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Constant) and node.value in task_names.ALL_TASKS:
            found.append(f"{path.relative_to(BACKEND.parent)}:{node.lineno}: {node.value!r}")
        if isinstance(node, ast.Call):
            func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if func not in SENDERS:
                continue
            args = [a for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            args += [
                k.value
                for k in node.keywords
                if k.arg in ("kind", "task", "name")
                and isinstance(k.value, ast.Constant)
                and isinstance(k.value.value, str)
            ]
            found += [
                f"{path.relative_to(BACKEND.parent)}:{a.lineno}: {func}({a.value!r})"
                for a in args
                if "." in a.value and "/" not in a.value and " " not in a.value
            ]
    return found


def test_the_api_names_tasks_only_through_the_constants():
    stray = [
        hit for path in sorted(BACKEND.rglob("*.py")) if path.name != "task_names.py" for hit in _stray_literals(path)
    ]
    assert not stray, "task names written as string literals (use backend.core.task_names):\n" + "\n".join(stray)
