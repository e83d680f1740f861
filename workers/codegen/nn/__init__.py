"""Neural network to C: a ``.tflite`` model becomes straight-line C99 kernel calls,
const weights and one statically planned arena (no interpreter, no malloc)."""

from .errors import CodegenError, UnsupportedOpError
from .generator import GeneratedModel, generate_model_c
from .ops import SUPPORTED_OPS

__all__ = ["CodegenError", "GeneratedModel", "SUPPORTED_OPS", "UnsupportedOpError", "generate_model_c"]
