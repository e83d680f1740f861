"""tuner: search runs over impulse configurations and their candidates

Revision ID: 20261201_tuner
Revises: 20261201_version_public
Create Date: 2026-12-01 11:00:00
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import backend.models.base

revision = "20261201_tuner"
down_revision = "20261201_version_public"
branch_labels = None
depends_on = None


def _json():
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _time():
    return backend.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tuner_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("base_impulse_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("preset", sa.String(length=32), nullable=False),
        sa.Column("space", _json(), nullable=False),
        sa.Column("constraints", _json(), nullable=False),
        sa.Column("budget", _json(), nullable=False),
        sa.Column("schedule", _json(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("best_candidate_id", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _time(), nullable=False),
        sa.Column("deadline_at", _time(), nullable=True),
        sa.Column("finished_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["base_impulse_id"],
            ["impulses.id"],
            name=op.f("fk_tuner_runs_base_impulse_id_impulses"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_tuner_runs_created_by_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_tuner_runs_project_id_projects"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tuner_runs")),
    )
    with op.batch_alter_table("tuner_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tuner_runs_project_id"), ["project_id"], unique=False)

    op.create_table(
        "tuner_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("baseline", sa.Boolean(), nullable=False),
        sa.Column("config", _json(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("result_round", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("epochs_done", sa.Integer(), nullable=False),
        sa.Column("accuracy_float", sa.Float(), nullable=True),
        sa.Column("accuracy_int8", sa.Float(), nullable=True),
        sa.Column("ram_bytes", sa.Integer(), nullable=True),
        sa.Column("flash_bytes", sa.Integer(), nullable=True),
        sa.Column("instructions", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=True),
        sa.Column("fits", sa.Boolean(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("worker", sa.String(length=255), nullable=True),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("started_at", _time(), nullable=True),
        sa.Column("finished_at", _time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["jobs.id"], name=op.f("fk_tuner_candidates_job_id_jobs"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_tuner_candidates_project_id_projects"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["tuner_runs.id"], name=op.f("fk_tuner_candidates_run_id_tuner_runs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tuner_candidates")),
    )
    with op.batch_alter_table("tuner_candidates", schema=None) as batch_op:
        batch_op.create_index("ix_tuner_candidates_run_number", ["run_id", "number"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("tuner_candidates", schema=None) as batch_op:
        batch_op.drop_index("ix_tuner_candidates_run_number")
    op.drop_table("tuner_candidates")
    with op.batch_alter_table("tuner_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tuner_runs_project_id"))
    op.drop_table("tuner_runs")
