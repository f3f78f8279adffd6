"""Putting an agency portal together: its credentials, its store, its operators, its desk.

``open_agency_portal(credentials_folder, settings)`` is what ``jukinet serve agency-portal``
runs. ``settings.home`` is the portal's own folder (its ``secrets/operators.key``, and its
SQLite store unless ``settings.database_url`` names PostgreSQL); the session and lock-out
policy are the same settings as a node's. Tests pass an in-process ``http`` client and a
fixed ``clock``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine

from jukinet.adapters.clock import SystemClock
from jukinet.adapters.crypto.operator_credentials import (
    Argon2PasswordHasher,
    SecretBox,
    TotpCodes,
)
from jukinet.adapters.network.agency_gateway import HttpProvisionGateway
from jukinet.adapters.network.recipient_client import RecipientClient, RecipientCredentials
from jukinet.adapters.storage.operators import operator_units
from jukinet.bootstrap import OPERATORS_KEY, _secret
from jukinet.domain.legal import PROVIDERS, registry_in_force
from jukinet.domain.operators import SignInPolicy
from jukinet.domain.provision import LegalRegistry
from jukinet.nodes.agency.provisions import AgencyDesk
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.nodes.ports import Clock
from jukinet.portals.agency.store import (
    METADATA,
    STORE_ID,
    SqlRequestUnitOfWork,
    open_store,
)
from jukinet.settings import Settings


class NotAProvider(Exception):
    """The credentials are for a node that provides no identity information."""


@dataclass
class AgencyPortal:
    """One agency's portal: who it is at the providing node, its operators and its desk."""

    credentials: RecipientCredentials
    operators: OperatorOffice
    desk: AgencyDesk
    engine: Engine
    http: httpx.Client
    _app: Any = field(default=None, repr=False)

    @property
    def recipient_name(self) -> str:
        recipient = self.desk.law().recipients.get(self.credentials.recipient_id)
        return recipient.name if recipient else self.credentials.recipient_id

    @property
    def app(self) -> Any:
        if self._app is None:
            from jukinet.portals.agency.app import create_app

            self._app = create_app(self)
        return self._app

    def close(self) -> None:
        self.http.close()
        self.engine.dispose()


def operator_office(settings: Settings, engine: Engine, clock: Clock) -> OperatorOffice:
    """The portal's operators: accounts of kind ``agency-portal``, TOTP secrets sealed with
    the portal's own ``operators.key``."""
    box = SecretBox(_secret(settings.secrets_dir, OPERATORS_KEY))
    policy = SignInPolicy(
        settings.operator_max_failures, settings.session_idle, settings.session_lifetime
    )
    return OperatorOffice(
        STORE_ID,
        f"jukinet {STORE_ID}",
        operator_units(engine, METADATA, box),
        clock,
        Argon2PasswordHasher(),
        TotpCodes(),
        policy,
    )


def open_portal_store(settings: Settings) -> Engine:
    return open_store(settings.store(STORE_ID))


def open_agency_portal(
    folder: Path,
    settings: Settings,
    clock: Clock | None = None,
    http: httpx.Client | None = None,
) -> AgencyPortal:
    """The portal of the agency whose credentials ``folder`` holds (written by ``jukinet
    agency register``); raises ``NotAProvider`` for credentials of another kind of node."""
    credentials = RecipientCredentials.load(folder)
    if credentials.node_id not in PROVIDERS or credentials.kind != "agency":
        raise NotAProvider(
            f"{folder} holds {credentials.kind} credentials at {credentials.node_id}; the agency"
            " portal needs an agency's credentials at the national or prefecture node"
        )
    clock = clock or SystemClock()
    http = http or credentials.https_client()
    engine = open_portal_store(settings)

    in_force = cache(partial(registry_in_force, credentials.node_id))  # files read once a day

    def law() -> LegalRegistry:
        return in_force(clock.today())

    def gateway(operator_id: str) -> HttpProvisionGateway:
        return HttpProvisionGateway(RecipientClient(credentials, operator_id, http, clock.now))

    desk = AgencyDesk(
        credentials.recipient_id,
        law,
        gateway,
        lambda: SqlRequestUnitOfWork(engine, METADATA),
        clock,
    )
    return AgencyPortal(credentials, operator_office(settings, engine, clock), desk, engine, http)
