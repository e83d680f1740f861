"""The generator's templates: one `string.Template` per generated file, kept in the `templates/`
folder of the package that renders it and read once per process."""

from __future__ import annotations

from functools import cache
from importlib import resources
from string import Template


@cache
def load_template(package: str, name: str) -> Template:
    """`templates/<name>` of `package` (a dotted package name, e.g. `__package__`)."""
    return Template(resources.files(package).joinpath("templates", name).read_text(encoding="utf-8"))
