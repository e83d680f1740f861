"""The one error the format parsers raise."""

from __future__ import annotations


class SampleFormatError(ValueError):
    """An uploaded file cannot become a sample.

    `message` says what is wrong in words a user can act on (the row, the axis, the field);
    `str(error)` prefixes it with the file name: ``idle.01.csv: row 14 has 2 values but the
    header names 3 axes``.
    """

    def __init__(self, filename: str, message: str):
        self.filename = filename
        self.message = message
        super().__init__(f"{filename}: {message}" if filename else message)
