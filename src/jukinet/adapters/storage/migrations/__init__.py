"""Alembic migrations, one history per node role (municipality, prefecture, national)."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).parent
ROLES = ("municipality", "prefecture", "national", "linkage", "card", "immigration")


def alembic_config(role: str, engine: Engine) -> Config:
    if role not in ROLES:
        raise ValueError(f"unknown node role {role!r}; expected one of {ROLES}")
    config = Config()
    config.set_main_option("script_location", str(HERE / role))
    config.attributes["engine"] = engine
    config.attributes["role"] = role
    return config


def upgrade(engine: Engine, role: str, revision: str = "head") -> None:
    """Bring a node's store to ``revision`` (idempotent, safe when processes race to do it)."""
    with _sqlite_file_lock(engine):
        command.upgrade(alembic_config(role, engine), revision)


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Two processes opening the same SQLite store migrate one after the other.

    (On PostgreSQL the migration transaction takes an advisory lock instead: environment.py.)
    """
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
