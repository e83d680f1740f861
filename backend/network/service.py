"""The estimate of a network while it is edited: shapes, parameters, and the int8 model's RAM,
flash and latency on a board, before any training.

The network's part is pure arithmetic (backend/blocks/network.py, network_cost.py); the DSP's part
comes from the interactive worker, which generates the library without a network and prices it
(workers/tasks/estimate.py). Without an interactive worker the network's part still answers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from backend.blocks.boards import Board, get_board
from backend.blocks.network import trace
from backend.blocks.network_cost import estimate_network
from backend.boards.service import variant_on_board
from backend.core import rpc, task_names
from backend.core.deps import ProjectContext
from backend.core.errors import InvalidInput
from backend.impulse.service import get_impulse
from backend.impulse.validation import NEURAL_BLOCKS, ImpulseConfigError, learning_context, validate_config
from backend.network.schemas import NetworkEstimateRequest
from backend.project.repository import samples_per_label

DSP_TIMEOUT_S = 5.0  # a missing interactive worker must not stall the editor


def prepare(session: Session, ctx: ProjectContext, impulse_id: int, body: NetworkEstimateRequest) -> dict[str, Any]:
    """Validate the edited network in its impulse (422 naming the layer and field) and trace it."""
    impulse = get_impulse(session, ctx, impulse_id)
    board = get_board(body.board_id)
    if board is None:
        raise InvalidInput(f"board_id: unknown board {body.board_id!r} (see GET /api/boards)")
    cfg = impulse.config
    neural = [i for i, b in enumerate(cfg["learning"]) if b["type"] in NEURAL_BLOCKS]
    if body.learning_block_id is not None:
        neural = [i for i in neural if cfg["learning"][i]["id"] == body.learning_block_id]
    if not neural:
        raise InvalidInput("learning_block_id: this impulse has no neural network block to estimate")
    at = neural[0]
    learning = [dict(b) for b in cfg["learning"]]
    learning[at] = {**learning[at], "params": {**learning[at]["params"], "architecture": body.architecture}}
    prefix = f"learning[{at}].params."
    try:
        checked = validate_config({**cfg, "learning": learning})
    except ImpulseConfigError as e:
        # the editor shows the message on the layer it names: architecture[2].kernel_size
        field = e.field.removeprefix(prefix)
        raise InvalidInput(f"{field}: {str(e).removeprefix(e.field + ': ')}") from None
    block = checked["learning"][at]
    feeding = [p for p in checked["processing"] if p["id"] in block["inputs"]]
    context = learning_context(feeding)
    columns = context.get("columns", context.get("axes"))
    classifier = block["type"] == "keras-classifier"
    labels = {label for category, label, _ in samples_per_label(session, ctx.project.id) if category == "training"}
    outputs = max(2, len(labels)) if classifier else 1
    layers = trace(block["params"]["architecture"], context["features"], columns, n_outputs=outputs)
    return {"config": checked, "board": board, "layers": layers, "features": context["features"], "outputs": outputs}


def _stage(
    board: Board, stage: str, instructions: int, flash: int, ram: int, work=None, nn_work=None
) -> dict[str, Any]:
    """Cortex-M4F instructions of one stage, on the board's core (backend/blocks/boards.py)."""
    on_core, latency = board.stage_latency_ms({stage: instructions}, "int8", work, nn_work)
    return {"instructions": on_core, "latency_ms": latency, "flash_bytes": flash, "ram_bytes": ram}


async def estimate(prepared: dict[str, Any]) -> dict[str, Any]:
    board: Board = prepared["board"]
    layers, features, outputs = prepared["layers"], prepared["features"], prepared["outputs"]
    nn = estimate_network(layers, features, outputs if outputs > 1 else 0)
    network = _stage(board, "nn", nn["instructions"], nn["flash_bytes"], nn["ram_bytes"], nn_work=nn["work"])
    dsp = total = None
    fits = {"ram": nn["ram_bytes"] <= board.ram_kb * 1024, "flash": nn["flash_bytes"] <= board.flash_kb * 1024}
    note = "int8 network; RAM counts the network's arena as its own (it may share the DSP's buffer)."
    try:
        part = await rpc.call(task_names.ESTIMATE_DSP, {"impulse": prepared["config"]}, timeout=DSP_TIMEOUT_S)
        d, t = part["dsp"], part["total"]
        dsp = _stage(board, "dsp", d["instructions"], d["flash_bytes"], t["ram_bytes"], d.get("work"))
        m4f = {  # the whole library on the Cortex-M4F, as a training stores it
            "dsp": d,
            "nn": {"instructions": nn["instructions"]},
            "total": {
                "instructions": t["instructions"] + nn["instructions"],
                "flash_bytes": t["flash_bytes"] + nn["flash_bytes"],
                "ram_bytes": t["ram_bytes"] + nn["ram_bytes"],
            },
        }
        row = variant_on_board(board, "int8", m4f, None)
        total = {k: getattr(row, k) for k in ("instructions", "latency_ms", "flash_bytes", "ram_bytes")}
        fits = {"ram": row.fits_ram, "flash": row.fits_flash}
    except (rpc.GatewayTimeout, rpc.RemoteError) as e:
        note = f"The DSP's part is missing: {e}"
    return {
        "board_id": board.id,
        "variant": "int8",
        "input_features": features,
        "outputs": outputs,
        "layers": [
            {
                "index": t.index,
                "type": t.type,
                "output_shape": list(t.output_shape or ()),
                "parameters": t.params,
                "macs": t.macs,
            }
            for t in layers
        ],
        "parameters": nn["parameters"],
        "network": network,
        "dsp": dsp,
        "total": total,
        "note": note,
        "fits": fits,
    }
