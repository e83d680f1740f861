from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

DEFAULT_BOARD = "arduino-nano-33-ble-sense"


class NetworkEstimateRequest(BaseModel):
    architecture: list[Any] = Field(description="the layers being edited (the learning block's architecture format)")
    board_id: str = Field(DEFAULT_BOARD, description="a board of GET /api/boards: sets the latency and the limits")
    learning_block_id: str | None = Field(None, description="the neural learning block (default: the impulse's one)")


class LayerEstimate(BaseModel):
    index: int | None = Field(description="position in the architecture; null for the output layer added for you")
    type: str
    output_shape: list[int] = Field(description="values per window after this layer (without the batch)")
    parameters: int
    macs: int = Field(description="multiply-accumulates per inference")


class DeviceCost(BaseModel):
    instructions: int
    latency_ms: float
    flash_bytes: int
    ram_bytes: int


class NetworkEstimate(BaseModel):
    board_id: str
    variant: str = Field(description="int8: what the estimate prices (the device runs the int8 model by default)")
    input_features: int
    outputs: int
    layers: list[LayerEstimate]
    parameters: int
    network: DeviceCost = Field(description="the network alone")
    dsp: DeviceCost | None = Field(description="the impulse's processing blocks (null when no worker answered)")
    total: DeviceCost | None = Field(description="DSP + network + the library's code and buffers; null without dsp")
    note: str = Field("", description="why a part is missing, or what the figures assume")
    fits: dict[str, bool] = Field(description="ram and flash: whether the total fits the board")
