"""version public links: a hashed token per version that may be browsed without signing in

Revision ID: 20261201_version_public
Revises: 20261201_versions
Create Date: 2026-12-01 11:00:00
"""

import sqlalchemy as sa
from alembic import op

import backend.models.base

revision = "20261201_version_public"
down_revision = "20261201_versions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project_versions") as batch:
        batch.add_column(sa.Column("public_token_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("public_since", backend.models.base.UTCDateTime(timezone=True), nullable=True))
        batch.create_unique_constraint("uq_project_versions_public_token_hash", ["public_token_hash"])


def downgrade() -> None:
    with op.batch_alter_table("project_versions") as batch:
        batch.drop_constraint("uq_project_versions_public_token_hash", type_="unique")
        batch.drop_column("public_since")
        batch.drop_column("public_token_hash")
