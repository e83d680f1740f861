"""Processing block implementations by (id, version)."""

from __future__ import annotations

from backend.blocks.processing import PROCESSING_BLOCKS, UnknownProcessingBlockError
from workers.dsp import flatten, mfcc, mfe, raw, spectral_analysis, spectrogram
from workers.dsp.block import ProcessingBlock

PROCESSING_IMPLEMENTATIONS: dict[tuple[str, int], ProcessingBlock] = {
    (block.id, version): block
    for module in (raw, flatten, spectral_analysis, mfcc, mfe, spectrogram)
    for version, block in module.IMPLEMENTATIONS.items()
}


def get_processing_block(block_id: str, version: int | None = None) -> ProcessingBlock:
    """The implementation of a processing block; the version new impulses get when `version` is None."""
    if version is None:
        version = PROCESSING_BLOCKS[block_id].version if block_id in PROCESSING_BLOCKS else -1
    block = PROCESSING_IMPLEMENTATIONS.get((block_id, version))
    if block is None:
        known = ", ".join(sorted({bid for bid, _ in PROCESSING_IMPLEMENTATIONS}))
        raise UnknownProcessingBlockError(
            f"no implementation of processing block {block_id} version {version} (known: {known})"
        )
    return block
