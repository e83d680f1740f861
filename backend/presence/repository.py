"""Who is looking at a project right now: a Redis hash per project (user id -> last heartbeat),
or a dict in this process when the embedded default runs without Redis (one API process)."""

from __future__ import annotations

import json
import threading
import time

from backend.core.config import get_settings
from backend.core.events import uses_redis

_local: dict[int, dict[int, dict]] = {}
_lock = threading.Lock()


def _key(project_id: int) -> str:
    return f"{get_settings().instance_name}:presence:{project_id}"


def _redis():
    from backend.core.events import _redis as shared

    return shared()


def touch(project_id: int, user_id: int, username: str, now: float, tab: str = "") -> bool:
    """Record a heartbeat from one browser tab; True when the user was not seen in the last `ttl` seconds."""
    entry = {"username": username, "ts": now, "tab": tab}
    if uses_redis():
        r = _redis()
        previous = r.hget(_key(project_id), str(user_id))
        r.hset(_key(project_id), str(user_id), json.dumps(entry))
        r.expire(_key(project_id), 3600)
        return previous is None or now - json.loads(previous)["ts"] > ttl()
    with _lock:
        previous = _local.setdefault(project_id, {}).get(user_id)
        _local[project_id][user_id] = entry
    return previous is None or now - previous["ts"] > ttl()


def leave(project_id: int, user_id: int, tab: str = "") -> None:
    """Forget the user, unless another tab beat since (a reload's beat can arrive before the old page's leave)."""
    if uses_redis():
        r = _redis()
        raw = r.hget(_key(project_id), str(user_id))
        if raw is not None and json.loads(raw).get("tab", "") in ("", tab):
            r.hdel(_key(project_id), str(user_id))
        return
    with _lock:
        entry = _local.get(project_id, {}).get(user_id)
        if entry is not None and entry.get("tab", "") in ("", tab):
            _local[project_id].pop(user_id, None)


def online(project_id: int, now: float | None = None) -> list[tuple[int, str, float]]:
    now = time.time() if now is None else now
    if uses_redis():
        raw = {int(k): json.loads(v) for k, v in _redis().hgetall(_key(project_id)).items()}
    else:
        with _lock:
            raw = dict(_local.get(project_id, {}))
    return sorted(
        ((uid, e["username"], e["ts"]) for uid, e in raw.items() if now - e["ts"] <= ttl()), key=lambda x: x[1]
    )


def ttl() -> float:
    # Browsers beat every 20 s; two missed beats and a little slack mean gone.
    return 45.0
