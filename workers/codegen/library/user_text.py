"""The user's words in the library (project and impulse names, labels, axes), written once per
kind of file: C/C++ string literals and comments, one-line values (library.properties, CMake
comments) and Markdown. Templates only ever see these forms, never the raw text, so no name can
end a string, a comment or a line early. JSON takes the raw values (json.dumps escapes them)."""

from __future__ import annotations

import re

from workers.codegen.c_literals import c_comment, c_string

# Markdown punctuation that could start emphasis, code, a link or image, HTML, an entity or a
# table cell (the fields never start a line, so `#`, `-` and `1.` need no escape).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>|&~])")


def one_line(text: str) -> str:
    """`text` on one line: line breaks, controls and invisible format characters (bidirectional
    overrides, U+2028...) become spaces."""
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()


def markdown(text: str) -> str:
    """`text` as literal Markdown inline text (one line, punctuation backslash-escaped)."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", one_line(text))


def labels_initializer(labels: list[str]) -> str:
    """`{ "a", "b" }`: the labels as a C array initializer (`{ NULL }` when there are none)."""
    return "{ " + ", ".join(c_string(label) for label in labels) + " }" if labels else "{ NULL }"


def text_fields(project: str, impulse: str, labels: list[str], axes: tuple[str, ...]) -> dict[str, str]:
    """Template fields holding user text, one per kind of file it lands in."""
    title = f"{impulse} ({project})" if impulse else project
    listed = ", ".join(labels)
    return {
        "project_md": markdown(project),
        "impulse_md": markdown(impulse or project),
        "title_c": c_string(title),
        "title_comment": c_comment(title),
        "title_line": one_line(title),
        "axes_comment": c_comment(", ".join(axes)),
        "axes_md": ", ".join(markdown(a) for a in axes),
        "labels_initializer": labels_initializer(labels),
        "labels_md": markdown(listed) if labels else "(none: anomaly detection only)",
        "labels_initializer_md": markdown(labels_initializer(labels)),
        "labels_line": one_line(listed),
    }
