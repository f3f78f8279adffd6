"""Registered credentials of recipients, and the log of every change to them.

An operator registers a recipient's client certificate (``jukinet agency register``) or
revokes it; each change is written to ``registry_changes`` in the same transaction, with the
operator's name, so the registry's history can be shown to an auditor.
"""

from __future__ import annotations

import base64
from datetime import datetime

from sqlalchemy import MetaData, select, update
from sqlalchemy.engine import Connection, Engine

from jukinet.adapters.crypto.request_signatures import Credential
from jukinet.adapters.storage.moments import as_utc
from jukinet.nodes.provision.recipients import CredentialLine, RegistryChange


class SqlRecipientCredentials:
    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self._engine = engine
        self._table = metadata.tables["recipient_credentials"]
        self._changes = metadata.tables["registry_changes"]

    def register(self, credential: Credential, operator: str, at: datetime) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                self._table.insert(),
                {
                    "fingerprint": credential.fingerprint,
                    "recipient_id": credential.recipient_id,
                    "kind": credential.kind,
                    "public_key": base64.b64encode(credential.public_key).decode(),
                    "not_after": credential.not_after,
                    "registered_at": at,
                    "registered_by": operator,
                },
            )
            self._log(
                connection,
                at,
                operator,
                "register",
                credential.recipient_id,
                f"{credential.kind} credential {credential.fingerprint} until "
                f"{credential.not_after.date()}",
            )

    def revoke(self, recipient_id: str, operator: str, at: datetime) -> int:
        t = self._table
        with self._engine.begin() as connection:
            revoked = connection.execute(
                update(t)
                .where(t.c.recipient_id == recipient_id, t.c.revoked_at.is_(None))
                .values(revoked_at=at, revoked_by=operator)
            ).rowcount
            self._log(
                connection, at, operator, "revoke", recipient_id, f"{revoked} credential(s) revoked"
            )
        return revoked

    def get(self, fingerprint: str) -> Credential | None:
        t = self._table
        with self._engine.connect() as connection:
            row = connection.execute(select(t).where(t.c.fingerprint == fingerprint)).first()
        if row is None:
            return None
        return Credential(
            row.fingerprint,
            row.recipient_id,
            row.kind,
            base64.b64decode(row.public_key),
            as_utc(row.not_after),
            as_utc(row.revoked_at),
        )

    def changes(self) -> list[dict[str, object]]:
        c = self._changes
        with self._engine.connect() as connection:
            rows = connection.execute(select(c).order_by(c.c.id)).mappings().all()
        return [dict(row) for row in rows]

    def listed(self) -> list[CredentialLine]:
        t = self._table
        columns = [t.c[name] for name in CredentialLine.__dataclass_fields__]
        query = select(*columns).order_by(t.c.recipient_id, t.c.registered_at)
        with self._engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            CredentialLine(
                **{
                    **row,
                    "not_after": as_utc(row["not_after"]),
                    "registered_at": as_utc(row["registered_at"]),
                    "revoked_at": as_utc(row["revoked_at"]),
                }
            )
            for row in rows
        ]

    def latest_changes(self, limit: int, subject: str | None = None) -> list[RegistryChange]:
        c = self._changes
        query = select(c.c.at, c.c.operator, c.c.action, c.c.subject, c.c.detail)
        if subject is not None:
            query = query.where(c.c.subject == subject)
        with self._engine.connect() as connection:
            rows = connection.execute(query.order_by(c.c.id.desc()).limit(limit)).all()
        return [RegistryChange(as_utc(at), *rest) for at, *rest in rows]

    def _log(
        self,
        connection: Connection,
        at: datetime,
        operator: str,
        action: str,
        subject: str,
        detail: str,
    ) -> None:
        connection.execute(
            self._changes.insert(),
            {
                "at": at,
                "operator": operator,
                "action": action,
                "subject": subject,
                "detail": detail,
            },
        )
