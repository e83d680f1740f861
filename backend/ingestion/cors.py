"""Cross-origin access for the routes that authenticate with an API key only.

Edge Impulse's phone client runs on its own origin and uploads to the ingestion API (and calls the
Studio API routes under /v1/api) with `x-api-key`, so the browser sends a CORS preflight first.
These routes answer any origin, but never with credentials: `Access-Control-Allow-Origin: *` makes
browsers refuse to send or expose cookies, so a signed-in user's session is never usable from
another site. Every other route (the cookie-authenticated studio) stays same-origin.
"""

from __future__ import annotations

import re

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# The key-authenticated ingestion routes (Edge Impulse's ingestion API).
INGESTION_PATHS = re.compile(r"^/api/(training|testing|anomaly|split)/(data|files)/?$")
# Request headers Edge Impulse's clients send (mobile client, CLI uploader and forwarder,
# Python SDK), see the README section on Edge Impulse's tools; Content-Type for JSON/CBOR.
ALLOWED_HEADERS = (
    "x-api-key",
    "x-file-name",
    "x-label",
    "x-no-label",
    "x-disallow-duplicates",
    "x-add-date-id",
    "x-no-date-id",
    "x-metadata",
    "x-upload-source",
    "x-device-type",
    "content-type",
    "accept",
)
PREFLIGHT_MAX_AGE_S = 600


class KeyAuthenticatedCors:
    """Applies CORS (no credentials) to the paths matched by `patterns`, and nothing elsewhere."""

    def __init__(self, app: ASGIApp, patterns: tuple[re.Pattern, ...] = (INGESTION_PATHS,)):
        self.app = app
        self.patterns = patterns
        self.cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_credentials=False,
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=list(ALLOWED_HEADERS),
            max_age=PREFLIGHT_MAX_AGE_S,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and any(p.match(scope["path"]) for p in self.patterns):
            await self.cors(scope, receive, send)
        else:
            await self.app(scope, receive, send)
