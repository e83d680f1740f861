"""The regression corpus: every nasty file in corpus/ gives the outcome its manifest records."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from backend.ingestion.formats import ParsedSample, SampleFormatError, parse_data_body, parse_file

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())


@pytest.mark.parametrize("case", MANIFEST["cases"], ids=[c["file"] for c in MANIFEST["cases"]])
def test_corpus_file_gives_expected_outcome(case):
    body = (CORPUS / case["file"]).read_bytes()
    key = MANIFEST["hmac_key"]
    if case["via"] == "file":
        parse = lambda: parse_file(body, case["file"], None, key)  # noqa: E731
    else:
        parse = lambda: parse_data_body(body, case["via"], case["file"], key)  # noqa: E731
    if case["expect"] == "ok":
        sample = parse()
        assert isinstance(sample, ParsedSample)
        assert sample.values.dtype == np.float32 and np.isfinite(sample.values).all()
    else:
        with pytest.raises(SampleFormatError) as info:
            parse()
        assert case["expect"] in info.value.message
        assert info.value.filename == case["file"]
