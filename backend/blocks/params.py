"""The contract of a pluggable block: its parameters, declared once.

The API validates impulse configurations against these declarations, the UI builds its forms
from `BlockSpec.to_json()`, and the workers execute the implementation registered under the
same id and version. This module is pure Python so the API can import it without numpy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

ParamType = Literal["int", "float", "bool", "select", "string", "float_list", "json"]


class BlockParamError(ValueError):
    """A block parameter is invalid; `field` names it so the user can fix it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Param:
    name: str
    type: ParamType
    default: Any
    label: str = ""
    help: str = ""
    min: float | None = None
    max: float | None = None
    options: tuple[str, ...] = ()
    # Only shown/used when another parameter has a given value, e.g. cutoff when filter != none.
    show_if: tuple[str, Any] | None = None
    # For type "json" (structured values such as a list of layers): called with the raw value and
    # the field name, returns the normalised value or raises BlockParamError naming the sub-field.
    validator: Callable[[Any, str], Any] | None = field(default=None, compare=False)
    # For type "json": what the structure holds, for the UI's editor (e.g. the layer types and
    # their settings of a network, backend/blocks/network.layer_catalogue).
    schema: dict[str, Any] | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "default": _default_copy(self.default),
            "label": self.label or self.name.replace("_", " ").capitalize(),
            "help": self.help,
        }
        if self.min is not None:
            out["min"] = self.min
        if self.max is not None:
            out["max"] = self.max
        if self.options:
            out["options"] = list(self.options)
        if self.show_if:
            out["showIf"] = {"param": self.show_if[0], "value": self.show_if[1]}
        if self.schema is not None:
            out["schema"] = copy.deepcopy(self.schema)
        return out

    def coerce(self, value: Any, prefix: str = "") -> Any:
        where = f"{prefix}{self.name}"
        if self.type == "bool":
            if isinstance(value, bool):
                return value
            raise BlockParamError(where, "must be true or false")
        if self.type in ("int", "float"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise BlockParamError(where, f"must be a number, got {value!r}")
            if self.type == "int":
                if float(value) != int(value):
                    raise BlockParamError(where, f"must be a whole number, got {value!r}")
                value = int(value)
            else:
                value = float(value)
                if value != value or value in (float("inf"), float("-inf")):
                    raise BlockParamError(where, "must be a finite number")
            self._check_range(where, value)
            return value
        if self.type == "select":
            if value not in self.options:
                raise BlockParamError(where, f"must be one of {', '.join(map(str, self.options))}, got {value!r}")
            return value
        if self.type == "string":
            if not isinstance(value, str):
                raise BlockParamError(where, "must be a string")
            return value
        if self.type == "float_list":
            items = value
            if isinstance(value, str):
                try:
                    items = [float(x) for x in value.replace(";", ",").split(",") if x.strip()]
                except ValueError:
                    raise BlockParamError(where, f"must be a comma-separated list of numbers, got {value!r}") from None
            if not isinstance(items, (list, tuple)) or not items:
                raise BlockParamError(where, "must be a non-empty list of numbers")
            out = []
            for x in items:
                if isinstance(x, bool) or not isinstance(x, (int, float)):
                    raise BlockParamError(where, f"must contain only numbers, got {x!r}")
                self._check_range(where, float(x))
                out.append(float(x))
            return out
        if self.type == "json":
            return self.validator(value, where) if self.validator else copy.deepcopy(value)
        raise BlockParamError(where, f"unknown parameter type {self.type}")

    def _check_range(self, where: str, value: float) -> None:
        if self.min is not None and value < self.min:
            raise BlockParamError(where, f"must be at least {self.min}, got {value}")
        if self.max is not None and value > self.max:
            raise BlockParamError(where, f"must be at most {self.max}, got {value}")


def _default_copy(default: Any) -> Any:
    # Tuples are how defaults stay immutable in the frozen spec; callers get fresh lists.
    if isinstance(default, tuple):
        return [copy.deepcopy(x) for x in default]
    return copy.deepcopy(default)


# A cross-field check gets the coerced parameters and the input context (frequency_hz,
# window_size_ms, axes) and raises BlockParamError.
Check = Callable[[dict[str, Any], dict[str, Any]], None]


@dataclass(frozen=True)
class BlockSpec:
    id: str
    version: int
    name: str
    kind: Literal["processing", "learning"]
    description: str
    params: tuple[Param, ...]
    checks: tuple[Check, ...] = field(default=())

    def defaults(self) -> dict[str, Any]:
        return {p.name: _default_copy(p.default) for p in self.params}

    def validate(
        self, raw: dict[str, Any] | None, context: dict[str, Any] | None = None, prefix: str = ""
    ) -> dict[str, Any]:
        """Fill defaults, coerce types, check ranges and cross-field rules; raise BlockParamError."""
        raw = dict(raw or {})
        known = {p.name for p in self.params}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise BlockParamError(f"{prefix}{unknown[0]}", f"is not a parameter of {self.name}")
        out = {}
        for p in self.params:
            out[p.name] = p.coerce(raw[p.name], prefix) if p.name in raw else self.defaults()[p.name]
        for check in self.checks:
            try:
                check(out, context or {})
            except BlockParamError as e:
                raise BlockParamError(f"{prefix}{e.field}", e.message) from None
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "params": [p.to_json() for p in self.params],
        }
