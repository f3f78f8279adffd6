"""Alembic migrations, one history per node role (municipality, prefecture, national)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).parent
ROLES = ("municipality", "prefecture", "national")


def alembic_config(role: str, engine: Engine) -> Config:
    if role not in ROLES:
        raise ValueError(f"unknown node role {role!r}; expected one of {ROLES}")
    config = Config()
    config.set_main_option("script_location", str(HERE / role))
    config.attributes["engine"] = engine
    config.attributes["role"] = role
    return config


def upgrade(engine: Engine, role: str, revision: str = "head") -> None:
    """Bring a node's store to ``revision`` (idempotent)."""
    command.upgrade(alembic_config(role, engine), revision)
