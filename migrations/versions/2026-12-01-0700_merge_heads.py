"""one history: join the impulses, devices and deployments branches

Revision ID: 20261201_merge
Revises: 20261122_impulses, 20261122_devices, 20261122_deployments
Create Date: 2026-12-01 07:00:00
"""

revision = "20261201_merge"
down_revision = ("20261122_impulses", "20261122_devices", "20261122_deployments")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
