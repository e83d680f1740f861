"""What the command-line clients (`forward`, `upload`, `deploy`, the pipeline commands) share to talk to a TinyForge server:
its URLs, the API key header, and errors turned into one readable line."""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote, urlsplit

import httpx


class ServerError(Exception):
    """The server refused a request or could not be reached; the text says why."""


def server_base(url: str) -> str:
    """The studio's origin, e.g. http://localhost:8000 (ingestion lives at its root)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ServerError(f"--server must be an http(s) URL like http://localhost:8000, not {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def remote_management_url(server: str) -> str:
    base = server_base(server)
    return ("wss" if base.startswith("https") else "ws") + base[base.index(":") :] + "/api/remote-management"


def error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:500] or f"HTTP {response.status_code}"
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("error") or body)[:500]
    return json.dumps(body)[:500]


class StudioClient:
    def __init__(self, server: str, api_key: str, timeout: float = 120.0):
        self.base = server_base(server)
        self.api_key = api_key
        self.http = httpx.Client(base_url=self.base, headers={"x-api-key": api_key}, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, **kw) -> httpx.Response:
        """Send a request; a refusal or an unreachable server raises ServerError with the reason."""
        try:
            response = self.http.request(method, path, **kw)
        except httpx.HTTPError as e:
            raise ServerError(f"cannot reach {self.base}: {e}") from None
        if response.status_code >= 400:
            raise ServerError(f"HTTP {response.status_code}: {error_text(response)}")
        return response

    def device_key(self) -> dict[str, Any]:
        """The key's project and its HMAC key, to sign recorded data with."""
        return self.request("GET", "/api/device-key").json()

    def upload_data(
        self, path: str, filename: str, body: bytes, *, label: str | None = None, content_type: str = "application/json"
    ) -> str:
        """POST one acquisition file to `path` (e.g. /api/training/data); returns the stored name."""
        headers = {"x-file-name": quote(filename), "content-type": content_type}
        if label is not None:
            headers["x-label"] = quote(label)
        return self.request("POST", path, content=body, headers=headers).text.strip()

    def upload_files(
        self, category: str, files: list[tuple[str, bytes]], *, label: str | None = None
    ) -> list[dict[str, Any]]:
        """POST files as one multipart request to /api/{category}/files; one result per file."""
        headers = {"x-label": quote(label)} if label is not None else {}
        parts = [("data", (name, content, "application/octet-stream")) for name, content in files]
        try:
            response = self.http.post(f"/api/{category}/files", files=parts, headers=headers)
        except httpx.HTTPError as e:
            raise ServerError(f"cannot reach {self.base}: {e}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("files"), list) and len(body["files"]) == len(files):
            return body["files"]
        raise ServerError(f"HTTP {response.status_code}: {error_text(response)}")


# ---- the same options for every client command ---------------------------------------------
SERVER_ENV, KEY_ENV, PROJECT_ENV = "TINYFORGE_SERVER", "TINYFORGE_API_KEY", "TINYFORGE_PROJECT"


class MissingSetting(Exception):
    """A required option was given neither on the command line nor in the environment (exit 2)."""


def add_studio_args(p, *, project: bool = False, impulse: str | None = None, role: str = "") -> None:
    """--server, --api-key (and --project, --impulse): each falls back to the environment."""
    p.add_argument("--server", default=None, help=f"the studio's URL, e.g. http://localhost:8000 (or {SERVER_ENV})")
    p.add_argument("--api-key", default=None, help=f"a project API key{role} (or {KEY_ENV})")
    if project:
        p.add_argument("--project", default=None, help=f"project id (or {PROJECT_ENV}; default: the API key's project)")
    if impulse is not None:
        p.add_argument("--impulse", default=None, help=f"impulse name or id (default: {impulse})")


def studio_settings(args) -> tuple[str, str]:
    """(server, api key) from the options, else the environment; MissingSetting names what to set."""
    server = getattr(args, "server", None) or os.environ.get(SERVER_ENV)
    key = getattr(args, "api_key", None) or os.environ.get(KEY_ENV) or os.environ.get("EI_API_KEY")
    if not server:
        raise MissingSetting(f"give --server or set {SERVER_ENV} (e.g. http://localhost:8000)")
    if not key:
        raise MissingSetting(f"give --api-key or set {KEY_ENV}")
    return server, key


def project_of(client: StudioClient, args) -> int:
    """--project, else TINYFORGE_PROJECT, else the project the API key belongs to."""
    ref = getattr(args, "project", None) or os.environ.get(PROJECT_ENV)
    if ref is None:
        return int(client.device_key()["project_id"])
    try:
        return int(ref)
    except ValueError:
        raise MissingSetting(f"--project must be a project id (a number), not {ref!r}") from None


def find_impulse(client: StudioClient, project: int, ref: str | None) -> dict[str, Any] | None:
    """The impulse named (or numbered) `ref`; None when `ref` is None. ServerError names the choices."""
    if ref is None:
        return None
    impulses = client.request("GET", f"/api/projects/{project}/impulses").json()
    for i in impulses:
        if i["name"] == ref:
            return i
    for i in impulses:
        if str(i["id"]) == str(ref).strip():
            return i
    names = ", ".join(f"{i['name']} ({i['id']})" for i in impulses) or "none"
    raise ServerError(f"no impulse {ref!r} in project {project}; its impulses: {names}")
