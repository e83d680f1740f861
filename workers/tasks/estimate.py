"""The DSP's part of the on-device estimate of an impulse being edited (interactive queue): the
library generated without a network, priced by the cost model. The API adds the network's part
(backend/network/service.py)."""

from __future__ import annotations

import logging
from typing import Any

from backend.core import task_names
from backend.core.rpc import reply
from workers.celery_app import app
from workers.codegen.library.generator import LibraryInputError, LibraryRequest, generate_library
from workers.codegen.library.targets import estimates_for

log = logging.getLogger(__name__)


@app.task(name=task_names.ESTIMATE_DSP, ignore_result=True, acks_late=False)
def estimate_dsp(reply_to: str, payload: dict[str, Any]) -> None:
    try:
        req = LibraryRequest(project_name="estimate", impulse=payload["impulse"], labels=[], model_tflite=None)
        est = estimates_for(generate_library(req), req)
        reply(reply_to, {"dsp": est["dsp"], "total": est["total"], "device": est["device"]})
    except LibraryInputError as e:
        reply(reply_to, error=str(e), status=422)
    except Exception as e:  # the caller waits: always answer, and keep the details in the log
        log.exception("DSP estimate failed")
        reply(reply_to, error=f"The worker failed: {type(e).__name__}: {e}", status=500)
