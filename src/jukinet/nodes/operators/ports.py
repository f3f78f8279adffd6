"""What the operator use cases need from the edge: a store, a password hasher and TOTP.

The store's adapter (``adapters/storage/operators.py``) keeps TOTP secrets encrypted with the
node's ``operators.key``; the use cases see them in the clear only in memory.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from jukinet.domain.operators import Account, OperatorEvent, Session
from jukinet.nodes.ports import Transactional


class Accounts(Protocol):
    def get(self, operator_id: str) -> Account | None: ...

    def matching_id_taken(self, matching_id: str) -> bool:
        """True if any account, disabled ones included, ever had this 照合ID."""
        ...

    def add(self, account: Account) -> None: ...

    def save(self, account: Account) -> None: ...

    def all(self) -> list[Account]: ...


class Sessions(Protocol):
    def add(self, session: Session, token_hash: str) -> None: ...

    def by_token(self, token_hash: str) -> Session | None: ...

    def open_of(self, operator_id: str) -> list[Session]:
        """The operator's sessions that have not been ended (some may have expired)."""
        ...

    def save(self, session: Session) -> None: ...


class OperatorEvents(Protocol):
    def add(self, event: OperatorEvent) -> None: ...

    def recent(self, operator_id: str | None, limit: int) -> list[OperatorEvent]:
        """The newest events first, of one operator or of all."""
        ...


class OperatorUnitOfWork(Transactional, Protocol):
    """One transaction over the operator tables; nothing is written without ``commit``."""

    @property
    def accounts(self) -> Accounts: ...

    @property
    def sessions(self) -> Sessions: ...

    @property
    def events(self) -> OperatorEvents: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, stored: str, password: str) -> bool:
        """False for a wrong password; with ``stored`` empty, spends the same time and fails."""
        ...


class OneTimeCodes(Protocol):
    """TOTP (RFC 6238): secrets, the URI an authenticator app scans, and checking a code."""

    def new_secret(self) -> str: ...

    def provisioning_uri(self, secret: str, operator_id: str, issuer: str) -> str: ...

    def step_of(self, secret: str, code: str, at: datetime) -> int | None:
        """The time step ``code`` belongs to, if it is valid at ``at`` (one step of clock
        drift either way); None otherwise."""
        ...
