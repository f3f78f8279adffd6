"""Units of work: one connection, one transaction, the repositories bound to it.

Nothing reaches the database for good until ``commit``; leaving the ``with`` block without it
rolls everything back, so a use case that raises half-way writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection, Engine, Transaction

from jukinet.adapters.storage.access_log import AccessLogSeal, SqlAccessLog
from jukinet.adapters.storage.batches import SqlBatches
from jukinet.adapters.storage.cards import SqlCardEvents, SqlCards
from jukinet.adapters.storage.copies import SqlCopyRegister
from jukinet.adapters.storage.household_inquiries import SqlHouseholdInquiries
from jukinet.adapters.storage.identities import SqlIdentityHistory
from jukinet.adapters.storage.immigration import (
    SqlAppliedNotices,
    SqlForeignResidents,
    SqlSentNotices,
)
from jukinet.adapters.storage.linkage import SqlAgencyCodes
from jukinet.adapters.storage.messaging import SqlInbox, SqlOutbox
from jukinet.adapters.storage.moves import SqlArrivingCertificates, SqlMoveInNotices
from jukinet.adapters.storage.municipal import (
    SqlCertificates,
    SqlChangeLog,
    SqlCodePool,
    SqlHouseholds,
    SqlResidents,
)
from jukinet.adapters.storage.national import SqlIssuedCodes, SqlIssuedMyNumbers
from jukinet.adapters.storage.online_requests import SqlOnlineRequests
from jukinet.adapters.storage.protection import SqlProtectionRegister, SqlResidentLookup
from jukinet.adapters.storage.provision import SqlIdentitySearch, SqlProvisionLog
from jukinet.adapters.storage.rights import SqlRightsCases
from jukinet.adapters.storage.transactions import TransactionScope


class SqlAnswerUnitOfWork:
    """Immediate provision's unit of work (``AnswerUnitOfWork``): the search and the log.

    On PostgreSQL it runs in autocommit. Its one write, the log line with the residents
    provided, is a single statement (``SqlProvisionLog.record``; the settings keep the
    candidates within ``ONE_STATEMENT_MOST``), atomic and committed as it runs; the reads need
    no transaction under READ COMMITTED, where each statement sees its own snapshot anyway.
    That saves the BEGIN and COMMIT round trips, two of four per answer. On SQLite it is an
    ordinary transaction.
    """

    def __init__(self, engine: Engine, metadata: MetaData) -> None:
        self._engine = engine
        self._metadata = metadata
        self._connection: Connection | None = None
        self._transaction: Transaction | None = None

    def __enter__(self) -> SqlAnswerUnitOfWork:
        connection = self._engine.connect()
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        else:
            self._transaction = connection.begin()
        self._connection = connection
        self.search = SqlIdentitySearch(connection, self._metadata)
        self.provision_log = SqlProvisionLog(connection, self._metadata)
        return self

    def commit(self) -> None:
        if self._transaction is not None:
            self._transaction.commit()

    def __exit__(self, *_: object) -> None:
        assert self._connection is not None
        if self._transaction is not None and self._transaction.is_active:
            self._transaction.rollback()
        self._connection.close()
        self._connection = self._transaction = None


class SqlUnitOfWork(TransactionScope):
    def __init__(
        self,
        engine: Engine,
        metadata: MetaData,
        now: Callable[[], datetime],
        after_sending: Callable[[], None] | None = None,
        access_seal: AccessLogSeal | None = None,
    ) -> None:
        super().__init__(engine, metadata)
        self._access_seal = access_seal  # signs the access log's checkpoints
        self._now = now
        self._after_sending = after_sending  # e.g. wake the relay: there is mail

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        self._on_commit: list[Callable[[], None]] = []  # run after the transaction commits
        self.outbox = SqlOutbox(connection, metadata)
        self.inbox = SqlInbox(connection, metadata)

    def commit(self) -> None:
        sent = self.outbox.flush()
        super().commit()
        for committed in self._on_commit:
            committed()
        if sent and self._after_sending is not None:
            self._after_sending()


class SqlStaffedUnitOfWork(SqlUnitOfWork):
    """The municipality, prefecture and national roles: identity versions, and the access log
    of their staff (its newest checkpoint also written out once the transaction commits)."""

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        super()._bind(connection, metadata)
        self.identities = SqlIdentityHistory(connection, metadata)
        self.access_log = SqlAccessLog(connection, metadata, self._access_seal)
        self._on_commit.append(self.access_log.committed)


class SqlMunicipalUnitOfWork(SqlStaffedUnitOfWork):
    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        super()._bind(connection, metadata)
        self.residents = SqlResidents(connection, metadata)
        self.households = SqlHouseholds(connection, metadata)
        self.changes = SqlChangeLog(connection, metadata)
        self.code_pool = SqlCodePool(connection, metadata, self._now())
        self.certificates = SqlCertificates(connection, metadata)
        self.household_inquiries = SqlHouseholdInquiries(connection, metadata)
        self.applied_notices = SqlAppliedNotices(connection, metadata)
        self.foreign_residents = SqlForeignResidents(connection, metadata)
        self.arriving_certificates = SqlArrivingCertificates(connection, metadata)
        self.move_in_notices = SqlMoveInNotices(connection, metadata)
        self.copies = SqlCopyRegister(connection, metadata)
        self.protection = SqlProtectionRegister(connection, metadata)
        self.lookups = SqlResidentLookup(connection, metadata)
        self.online_requests = SqlOnlineRequests(connection, metadata)


class SqlIdentityStoreUnitOfWork(SqlStaffedUnitOfWork):
    """The prefecture node's unit of work: the identity store, provision and messaging."""

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        super()._bind(connection, metadata)
        self.search = SqlIdentitySearch(connection, metadata)
        self.provision_log = SqlProvisionLog(connection, metadata)
        self.batches = SqlBatches(connection, metadata)
        self.rights = SqlRightsCases(connection, metadata)


class SqlNationalUnitOfWork(SqlIdentityStoreUnitOfWork):
    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        super()._bind(connection, metadata)
        self.issued_codes = SqlIssuedCodes(connection, metadata)
        self.issued_numbers = SqlIssuedMyNumbers(connection, metadata)


class SqlLinkageUnitOfWork(SqlUnitOfWork):
    """The provision network's code component: codes waiting for their agency."""

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        super()._bind(connection, metadata)
        self.agency_codes = SqlAgencyCodes(connection, metadata)


class SqlCardUnitOfWork(SqlUnitOfWork):
    """The card node: cards and their event log."""

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        super()._bind(connection, metadata)
        self.cards = SqlCards(connection, metadata)
        self.card_events = SqlCardEvents(connection, metadata)


class SqlImmigrationUnitOfWork(SqlUnitOfWork):
    """The immigration authority's node: the notices it sent and their outcomes."""

    def _bind(self, connection: Connection, metadata: MetaData) -> None:
        super()._bind(connection, metadata)
        self.sent_notices = SqlSentNotices(connection, metadata)
