"""A job's title in the user's words, made in one place: `impulse.train` -> "Training".

The API sends titles with every job (lists, detail, live events) so no screen shows a task name.
"""

from __future__ import annotations

from typing import Any

from backend.core import task_names

TITLES = {
    task_names.SELFTEST: "Checking the workers",
    task_names.GENERATE_FEATURES: "Generating features",
    task_names.FEATURE_EXPLORER: "Drawing the feature explorer",
    task_names.TRAIN: "Training",
    task_names.TEST: "Testing the model",
    task_names.BUILD_DEPLOYMENT: "Building the library",
}

# What a deployment build produces, by target (backend/deployment/schemas.py: Target).
TARGET_WORDS = {
    "arduino": "the Arduino library",
    "cpp": "the C++ library",
    "tflite": "the TensorFlow Lite model",
}


def job_title(kind: str, params: dict[str, Any] | None = None) -> str:
    """The title of a job of this kind; a build names what it builds when its target is known."""
    params = params or {}
    if kind == task_names.BUILD_DEPLOYMENT and params.get("target") in TARGET_WORDS:
        return "Building " + TARGET_WORDS[params["target"]]
    return TITLES.get(kind) or kind.rsplit(".", 1)[-1].replace("_", " ").capitalize()


def job_phrase(kind: str, params: dict[str, Any] | None = None) -> str:
    """The title inside a sentence: "started training", "cancelled building the Arduino library"."""
    title = job_title(kind, params)
    first = title.split(" ", 1)[0]
    # Keep proper names (Arduino, C++) as they are; lower only the leading verb.
    return title[0].lower() + title[1:] if first.isalpha() and not first.isupper() else title
