"""versions: saved project states and the samples they keep

Revision ID: 20261201_versions
Revises: 20261201_merge
Create Date: 2026-12-01 09:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import backend.models.base

revision = "20261201_versions"
down_revision = "20261201_merge"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_samples",
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("device_name", sa.String(length=255), nullable=True),
        sa.Column("device_type", sa.String(length=255), nullable=False),
        sa.Column("interval_ms", sa.Float(), nullable=False),
        sa.Column(
            "sensors", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("n_rows", sa.Integer(), nullable=False),
        sa.Column("n_axes", sa.Integer(), nullable=False),
        sa.Column("length_ms", sa.Float(), nullable=False),
        sa.Column("signature_status", sa.String(length=16), nullable=False),
        sa.Column(
            "metadata", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("values", sa.LargeBinary(), nullable=True),
        sa.Column("kept_at", backend.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_kept_samples_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sample_id", "content_hash", name=op.f("pk_kept_samples")),
    )
    with op.batch_alter_table("kept_samples", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_samples_project_id"), ["project_id"], unique=False)

    op.create_table(
        "project_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_by_name", sa.String(length=120), nullable=False),
        sa.Column("created_at", backend.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "sample_counts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "headline", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column(
            "impulses", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_project_versions_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_versions_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_versions")),
        sa.UniqueConstraint("project_id", "number", name="uq_project_versions_project_number"),
    )
    op.create_table(
        "version_samples",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=128), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["project_versions.id"],
            name=op.f("fk_version_samples_version_id_project_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("version_id", "sample_id", name=op.f("pk_version_samples")),
    )
    with op.batch_alter_table("version_samples", schema=None) as batch_op:
        batch_op.create_index("ix_version_samples_sample_id", ["sample_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("version_samples", schema=None) as batch_op:
        batch_op.drop_index("ix_version_samples_sample_id")

    op.drop_table("version_samples")
    op.drop_table("project_versions")
    with op.batch_alter_table("kept_samples", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_samples_project_id"))

    op.drop_table("kept_samples")
