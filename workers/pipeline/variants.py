"""The two model variants (int8, float32) side by side: the warning when int8 costs accuracy."""

from __future__ import annotations

from typing import Any

VARIANTS = ("int8", "float32")
# int8 more than this many accuracy points below float32 is worth a warning (and float32 an offer).
INT8_GAP_POINTS = 3.0


def int8_gap_warnings(accuracy: dict[str, float | None], where: str) -> list[dict[str, Any]]:
    """[] or one warning when int8's accuracy on `where` (validation, test) is clearly below float32's."""
    f, q = accuracy.get("float32"), accuracy.get("int8")
    if f is None or q is None:
        return []
    gap = 100.0 * (f - q)
    if gap <= INT8_GAP_POINTS:
        return []
    return [
        {
            "code": "int8_below_float32",
            "where": where,
            "gap_points": round(gap, 1),
            "int8_accuracy": q,
            "float32_accuracy": f,
            "message": f"The int8 model's {where} accuracy ({100 * q:.1f} %) is {gap:.1f} points below "
            f"float32's ({100 * f:.1f} %): use the float32 model (larger and slower, but as "
            "accurate as trained) for testing and deployment.",
        }
    ]
