"""Request and response shapes of the data explorer: the map job and label suggestions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.core.ids import Id
from backend.dataset.schemas import MAX_BULK_IDS

ExplorerMethod = Literal["auto", "pca", "tsne"]


class ExplorerStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: ExplorerMethod = Field(
        "pca",
        description="2-D map: pca, tsne (from 50 windows on), or auto (t-SNE when there are enough windows)",
    )
    refresh: bool = Field(False, description="compute again even when a result for the same impulse and data exists")


class SuggestionGroup(BaseModel):
    group: int
    cluster: int = Field(description="the k-means cluster of unlabeled samples this group comes from")
    label: str = Field(description="the label most of the nearest labeled windows carry")
    confidence: float = Field(description="mean share of the neighbours' votes for the label, 0..1")
    sample_ids: list[int]
    sample_confidences: list[float]
    windows: int


class LabelSuggestions(BaseModel):
    job_id: int | None = Field(description="the explorer job the suggestions come from; null if none ran yet")
    stale: bool = Field(description="the impulse or the data changed since that job: run the explorer again")
    unlabeled_samples: int
    groups: list[SuggestionGroup]


class AcceptGroup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=128)
    ids: list[Id] = Field(min_length=1, max_length=MAX_BULK_IDS)


class AcceptSuggestions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    groups: list[AcceptGroup] = Field(min_length=1, max_length=1000)


class AcceptResult(BaseModel):
    updated: int = Field(description="samples that received a label")
    skipped: int = Field(description="samples labeled by someone else meanwhile, left as they are")
