"""data page: sample thumbnails (sample_values.sparkline) and indexes for the list's filters
(PostgreSQL: trigram index for the name search, so the extension pg_trgm)

Revision ID: 20261201_data_page
Revises: 20261201_tuner
Create Date: 2026-12-01 14:00:00

Existing samples get their thumbnail the first time a list shows them (backend.dataset.service).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20261201_data_page"
down_revision = "20261201_tuner"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # trusted: needs no superuser
    with op.batch_alter_table("sample_values", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "sparkline",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.create_index("ix_samples_project_label_id", ["project_id", "label", "id"], unique=False)
        batch_op.create_index("ix_samples_project_category_id", ["project_id", "category", "id"], unique=False)
        batch_op.create_index("ix_samples_project_enabled_id", ["project_id", "enabled", "id"], unique=False)
        batch_op.create_index(
            "ix_samples_metadata",
            ["metadata"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"metadata": "jsonb_path_ops"},
        )
        batch_op.create_index(
            "ix_samples_filename_trgm",
            ["filename"],
            unique=False,
            postgresql_using="gin",
            postgresql_ops={"filename": "gin_trgm_ops"},
        )


def downgrade() -> None:
    with op.batch_alter_table("samples", schema=None) as batch_op:
        batch_op.drop_index("ix_samples_filename_trgm", postgresql_using="gin")
        batch_op.drop_index("ix_samples_metadata", postgresql_using="gin")
        batch_op.drop_index("ix_samples_project_enabled_id")
        batch_op.drop_index("ix_samples_project_category_id")
        batch_op.drop_index("ix_samples_project_label_id")
    with op.batch_alter_table("sample_values", schema=None) as batch_op:
        batch_op.drop_column("sparkline")
