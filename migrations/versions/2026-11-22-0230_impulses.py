"""impulses

Revision ID: 20261122_impulses
Revises: 20261122_samples
Create Date: 2026-11-22 02:30:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import backend.models.base

revision = "20261122_impulses"
down_revision = "20261122_samples"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "impulses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("config", JSON, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("features_job_id", sa.Integer(), nullable=True),
        sa.Column("features_version", sa.Integer(), nullable=True),
        sa.Column("trained_job_id", sa.Integer(), nullable=True),
        sa.Column("trained_version", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", backend.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", backend.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_impulses_project_id_projects"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["features_job_id"], ["jobs.id"], name=op.f("fk_impulses_features_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["trained_job_id"], ["jobs.id"], name=op.f("fk_impulses_trained_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_impulses_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_impulses")),
        sa.UniqueConstraint("project_id", "name", name="uq_impulses_project_name"),
    )
    with op.batch_alter_table("impulses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_impulses_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("impulses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_impulses_project_id"))
    op.drop_table("impulses")
