"""Errors of the C code generator, with messages a user can act on."""

from __future__ import annotations


class CodegenError(ValueError):
    """The model cannot be turned into C."""


class UnsupportedOpError(CodegenError):
    """The model uses an operator (or an operator configuration) without a C kernel."""

    def __init__(self, op_name: str, detail: str = "") -> None:
        self.op_name = op_name
        message = f"operator {op_name} is not supported by the TinyForge code generator"
        super().__init__(f"{message} ({detail})" if detail else message)
