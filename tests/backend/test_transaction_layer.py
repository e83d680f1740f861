"""One rule for transactions (docs/developing.md): services commit; repositories and routes never do."""

from __future__ import annotations

import re
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2] / "backend"
COMMIT = re.compile(r"\.commit\(\)")


def test_repositories_and_endpoints_never_commit():
    offenders = [
        f"{path.relative_to(BACKEND.parent)}:{n}: {line.strip()}"
        for path in sorted(BACKEND.rglob("*.py"))
        if path.name in ("repository.py", "endpoints.py")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if COMMIT.search(line)
    ]
    assert not offenders, "commit in the service instead:\n" + "\n".join(offenders)
