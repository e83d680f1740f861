"""Edge Impulse's Studio API response shapes (field names as its clients parse them, camelCase),
limited to what TinyForge has. Every answer carries `success`; errors are
`{"success": false, "error": "..."}`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class EiResponse(BaseModel):
    success: bool = True


class EiError(BaseModel):
    success: bool = False
    error: str


class EiProject(BaseModel):
    id: int
    name: str
    description: str = ""
    created: datetime
    owner: str = Field(description="the owner's username")
    ownerUserId: int | None = None
    ownerIsDeveloperProfile: bool = False
    collaborators: list[dict] = []
    labelingMethod: Literal["single_label"] = "single_label"
    metadata: dict = {}
    isEnterpriseProject: bool = False
    whitelabelId: int | None = None
    tier: str = "Community"
    hasPublicVersion: bool = False
    isPublic: bool = False
    allowsLivePublicAccess: bool = False
    indPauseProcessingSamples: bool = False
    publicProjectListed: bool = False
    studioUrl: str = Field(description="this project in the studio (the phone client links to it)")


class EiDeviceSensor(BaseModel):
    name: str
    maxSampleLengthS: float
    frequencies: list[float]


class EiDevice(BaseModel):
    id: int
    deviceId: str
    created: datetime
    lastSeen: datetime
    name: str
    deviceType: str
    sensors: list[EiDeviceSensor]
    remote_mgmt_connected: bool
    remote_mgmt_host: str | None = None
    supportsSnapshotStreaming: bool = False
    remoteMgmtMode: Literal["disconnected", "ingestion"]


class EiDevelopmentKeys(BaseModel):
    """Edge Impulse also returns a development API key here; TinyForge stores keys hashed, so the
    caller keeps using the key it sent."""

    hmacKey: str | None = None


class ListProjectsResponse(EiResponse):
    projects: list[EiProject]


class ProjectInfoResponse(EiResponse):
    project: EiProject
    developmentKeys: EiDevelopmentKeys
    devices: list[EiDevice]
    studioUrl: str


class HmacDevkeyResponse(EiResponse):
    hmacKey: str


class DevelopmentKeysResponse(EiResponse):
    hmacKey: str


class DeviceResponse(EiResponse):
    device: EiDevice


class ListDevicesResponse(EiResponse):
    devices: list[EiDevice]
