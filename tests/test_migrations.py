"""Migrations run up, down and up again on PostgreSQL and SQLite, and match the models exactly."""

import secrets

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from testkit import PG_ADMIN_URL

from backend.core import migrate
from backend.core.db import make_engine
from backend.models import Base

pytestmark = pytest.mark.services


@pytest.fixture(params=["postgresql", "sqlite"])
def scratch_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    name = f"tinyforge_mig_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(scratch_url):
    migrate.upgrade(scratch_url)
    assert _tables(scratch_url) == set(Base.metadata.tables)
    migrate.downgrade(scratch_url, "base")
    assert _tables(scratch_url) == set()
    migrate.upgrade(scratch_url)
    assert _tables(scratch_url) == set(Base.metadata.tables)


def test_autogenerate_finds_no_difference_between_models_and_migrations(scratch_url):
    migrate.upgrade(scratch_url)
    engine = make_engine(scratch_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_migration_files_are_date_prefixed():
    import re

    from backend.core.migrate import MIGRATIONS_DIR

    names = [p.name for p in (MIGRATIONS_DIR / "versions").glob("*.py")]
    assert names and all(re.match(r"^\d{4}-\d{2}-\d{2}-\d{4}_[a-z0-9_]+\.py$", n) for n in names), names


def test_constraint_names_follow_the_convention():
    for table in Base.metadata.tables.values():
        for fk in table.foreign_key_constraints:
            assert fk.name and fk.name.startswith("fk_"), (table.name, fk.name)


def test_migration_history_has_exactly_one_head():
    from alembic.script import ScriptDirectory

    from backend.core.migrate import alembic_config

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several migration heads, merge them: {heads}"
