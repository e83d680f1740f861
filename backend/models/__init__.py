"""All models, imported here so Alembic and the app see one metadata."""

from backend.models.activity import ActivityEvent
from backend.models.base import Base
from backend.models.deployment import Deployment
from backend.models.device import Device
from backend.models.impulse import Impulse
from backend.models.job import Job, JobLog
from backend.models.project import ApiKey, Invitation, Membership, Project
from backend.models.sample import Artifact, Sample, SampleValues
from backend.models.system import EventOutbox, WorkerHeartbeat
from backend.models.tuner import TunerCandidate, TunerRun
from backend.models.user import AuthToken, LoginThrottle, User
from backend.models.version import KeptSample, ProjectVersion, VersionSample

__all__ = [
    "ActivityEvent",
    "ApiKey",
    "Artifact",
    "AuthToken",
    "Base",
    "Deployment",
    "Device",
    "EventOutbox",
    "Impulse",
    "Invitation",
    "Job",
    "JobLog",
    "KeptSample",
    "LoginThrottle",
    "Membership",
    "Project",
    "ProjectVersion",
    "Sample",
    "SampleValues",
    "TunerCandidate",
    "TunerRun",
    "User",
    "VersionSample",
    "WorkerHeartbeat",
]
