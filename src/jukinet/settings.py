"""Settings, read from the environment only by entry points (the CLI, the demo, tests).

| variable | meaning | default |
|---|---|---|
| ``JUKINET_HOME`` | the deployment folder: PKI, signed directory, secrets, SQLite files | ``./var`` |
| ``JUKINET_DATABASE_URL`` | SQLite folder/file or PostgreSQL URL (one schema per node) | ``sqlite:///$JUKINET_HOME/db`` |
| ``JUKINET_SCHEMA_PREFIX`` | prefix of the PostgreSQL schemas (lets test runs share a server) | empty |
| ``JUKINET_MAX_SKEW_SECONDS`` | how old (or early) an envelope may be | ``300`` |
| ``JUKINET_PROVISION_MAX_CANDIDATES`` | how many people one provision answer may name before "narrow your search" | ``10`` |
| ``JUKINET_SQLITE_SYNCHRONOUS`` | SQLite durability: ``FULL`` survives power loss, ``NORMAL`` only a crash of the process | ``FULL`` |
| ``JUKINET_DISCLOSURE_DAYS`` | days a disclosure decision may take, counted from the day after receipt | ``14`` |
| ``JUKINET_OPERATOR_MAX_FAILURES`` | failed sign-ins in a row that lock an operator's account | ``5`` |
| ``JUKINET_SESSION_IDLE_MINUTES`` | idle minutes after which an operator's session is locked (screen lock) | ``10`` |
| ``JUKINET_SESSION_HOURS`` | hours after which an operator's session is over | ``8`` |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from jukinet.adapters.storage.engines import StoreLocation, location_for
from jukinet.adapters.storage.provision import ONE_STATEMENT_MOST

# An immediate answer logs its residents in one statement (adapters/storage/units.py,
# SqlAnswerUnitOfWork), which holds this many at most; a wider search is no search anyway.
MAX_CANDIDATES_CEILING = ONE_STATEMENT_MOST


class SettingsError(Exception):
    """A setting is present but unusable; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    database_url: str
    schema_prefix: str = ""
    max_skew: timedelta = timedelta(minutes=5)
    sqlite_synchronous: str = "FULL"
    max_candidates: int = 10
    disclosure_days: int = 14
    operator_max_failures: int = 5
    session_idle: timedelta = timedelta(minutes=10)
    session_lifetime: timedelta = timedelta(hours=8)

    @property
    def pki_dir(self) -> Path:
        return self.home / "pki"

    @property
    def directory_file(self) -> Path:
        return self.home / "directory.json"

    @property
    def secrets_dir(self) -> Path:
        return self.home / "secrets"

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] = os.environ, home: Path | None = None
    ) -> Settings:
        base = (home or Path(environ.get("JUKINET_HOME", "var"))).resolve()
        skew = _whole_number(environ, "JUKINET_MAX_SKEW_SECONDS", "300")
        candidates = _whole_number(environ, "JUKINET_PROVISION_MAX_CANDIDATES", "10")
        if not 1 <= candidates <= MAX_CANDIDATES_CEILING:
            raise SettingsError(
                f"JUKINET_PROVISION_MAX_CANDIDATES must be between 1 and {MAX_CANDIDATES_CEILING}"
            )
        return cls(
            home=base,
            database_url=environ.get("JUKINET_DATABASE_URL") or f"sqlite:///{base / 'db'}",
            schema_prefix=environ.get("JUKINET_SCHEMA_PREFIX", ""),
            max_skew=timedelta(seconds=skew),
            max_candidates=candidates,
            disclosure_days=_disclosure_days(environ),
            operator_max_failures=_at_least_one(environ, "JUKINET_OPERATOR_MAX_FAILURES", "5"),
            session_idle=timedelta(
                minutes=_at_least_one(environ, "JUKINET_SESSION_IDLE_MINUTES", "10")
            ),
            session_lifetime=timedelta(hours=_at_least_one(environ, "JUKINET_SESSION_HOURS", "8")),
            sqlite_synchronous=environ.get("JUKINET_SQLITE_SYNCHRONOUS", "FULL").upper(),
        )

    def store(self, node_id: str) -> StoreLocation:
        """Where ``node_id`` keeps its tables under this deployment's database URL."""
        return location_for(self.database_url, node_id, self.schema_prefix, self.sqlite_synchronous)


def _whole_number(environ: Mapping[str, str], name: str, default: str) -> int:
    value = environ.get(name, default)
    if not value.isdigit():
        raise SettingsError(f"{name} must be a whole number, got {value!r}")
    return int(value)


def _at_least_one(environ: Mapping[str, str], name: str, default: str) -> int:
    value = _whole_number(environ, name, default)
    if value < 1:
        raise SettingsError(f"{name} must be at least 1")
    return value


def _disclosure_days(environ: Mapping[str, str]) -> int:
    days = _whole_number(environ, "JUKINET_DISCLOSURE_DAYS", "14")
    if days < 1:
        raise SettingsError("JUKINET_DISCLOSURE_DAYS must be at least 1")
    return days
