"""Registry of the C kernels in ``kernels/``: what each one needs.

A kernel id names its file (``kernels/<id>.c``), its function (``tf_nn_<id>``)
and its parameter struct (``tf_nn_<id>_params_t``). Only the kernels a model
uses are pasted into its generated source, as ``static`` functions, so two
generated models never clash at link time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Kernel:
    helpers: tuple[str, ...] = ("fixedpoint",)
    headers: tuple[str, ...] = ()


# int8 kernels with a Cortex-M DSP-extension path (chosen by the compiler's __ARM_FEATURE_DSP).
_SIMD = ("fixedpoint", "simd_s8")

KERNELS: dict[str, Kernel] = {
    "fully_connected_s8": Kernel(helpers=_SIMD, headers=("string.h",)),
    "fully_connected_f32": Kernel(headers=("float.h",)),
    "conv2d_s8": Kernel(helpers=_SIMD, headers=("string.h",)),
    "conv1d_s8": Kernel(helpers=_SIMD, headers=("string.h",)),
    "conv2d_f32": Kernel(headers=("float.h",)),
    "depthwise_conv2d_s8": Kernel(helpers=_SIMD, headers=("string.h",)),
    "depthwise_conv2d_f32": Kernel(headers=("float.h",)),
    "max_pool2d_s8": Kernel(helpers=_SIMD, headers=("string.h",)),
    "max_pool2d_f32": Kernel(headers=("float.h",)),
    "average_pool2d_s8": Kernel(),
    "average_pool2d_f32": Kernel(headers=("float.h",)),
    "softmax_s8": Kernel(),
    "softmax_f32": Kernel(helpers=(), headers=("float.h", "math.h")),
    "mean_s8": Kernel(),
    "mean_f32": Kernel(helpers=()),
    "quantize_f32_s8": Kernel(headers=("math.h",)),
    "dequantize_s8_f32": Kernel(helpers=()),
    "requantize_s8": Kernel(),
    "relu_f32": Kernel(),
    "copy": Kernel(helpers=(), headers=("string.h",)),
}


@cache
def kernel_source(name: str) -> str:
    """The C text of ``kernels/<name>.c``."""
    return resources.files(__package__).joinpath("kernels", f"{name}.c").read_text(encoding="utf-8")


def render_kernels(kernel_ids: list[str]) -> tuple[list[str], str]:
    """Headers to include and the C text of the helpers and kernels, in a stable order."""
    unknown = [k for k in kernel_ids if k not in KERNELS]
    if unknown:
        raise KeyError(f"no C kernel named {unknown[0]!r}")
    ordered = sorted(set(kernel_ids))
    helpers = sorted({h for k in ordered for h in KERNELS[k].helpers})
    headers = sorted({h for k in ordered for h in KERNELS[k].headers})
    parts = [kernel_source(h).strip() for h in helpers] + [kernel_source(k).strip() for k in ordered]
    return headers, "\n\n".join(parts) + "\n"
