"""Errors of the learning stage, with messages a user can act on."""

from __future__ import annotations


class TrainingDataError(ValueError):
    """The data cannot train this model (no data, one class, unknown labels...)."""


class TrainingCancelled(Exception):
    """should_stop() asked training to stop; no model is returned."""
