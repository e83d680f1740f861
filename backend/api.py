"""Only include_router() calls."""

from fastapi import APIRouter

from backend.activity.endpoints import router as activity_router
from backend.apikey.endpoints import router as apikey_router
from backend.auth.endpoints import router as auth_router
from backend.boards.endpoints import router as boards_router
from backend.core.errors import COMMON_ERRORS
from backend.dataset.endpoints import router as dataset_router
from backend.deployment.endpoints import phone_router as deployment_phone_router
from backend.deployment.endpoints import router as deployment_router
from backend.device.endpoints import router as device_router
from backend.eicompat.endpoints import root_router as ei_root_router
from backend.eicompat.endpoints import router as ei_studio_router
from backend.explorer.endpoints import router as explorer_router
from backend.impulse.endpoints import catalogue_router as blocks_router
from backend.impulse.endpoints import router as impulse_router
from backend.ingestion.endpoints import router as ingestion_router
from backend.job.endpoints import router as job_router
from backend.live.endpoints import router as live_router
from backend.live.endpoints import upload_router as live_upload_router
from backend.network.endpoints import router as network_router
from backend.presence.endpoints import router as presence_router
from backend.project.endpoints import router as project_router
from backend.project.transfer_endpoints import router as transfer_router
from backend.system.endpoints import router as system_router
from backend.team.endpoints import router as team_router
from backend.tuner.endpoints import router as tuner_router
from backend.version.endpoints import router as version_router
from backend.version.public_endpoints import router as public_version_router

api_router = APIRouter(responses=COMMON_ERRORS)
api_router.include_router(system_router)
api_router.include_router(auth_router)
api_router.include_router(transfer_router)
api_router.include_router(project_router)
api_router.include_router(team_router)
api_router.include_router(apikey_router)
api_router.include_router(job_router)
api_router.include_router(activity_router)
api_router.include_router(blocks_router)
api_router.include_router(impulse_router)
api_router.include_router(network_router)
api_router.include_router(explorer_router)
api_router.include_router(presence_router)
api_router.include_router(device_router)
api_router.include_router(live_router)
api_router.include_router(live_upload_router)
api_router.include_router(dataset_router)
api_router.include_router(ingestion_router)
api_router.include_router(deployment_router)
api_router.include_router(deployment_phone_router)
api_router.include_router(version_router)
api_router.include_router(public_version_router)
api_router.include_router(tuner_router)
api_router.include_router(boards_router)
api_router.include_router(ei_studio_router)
api_router.include_router(ei_root_router)
