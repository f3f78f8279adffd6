"""The operators' desk of a node: what every operator use case needs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from jukinet.domain.operators import Account, SignInPolicy
from jukinet.nodes.operators.ports import OneTimeCodes, OperatorUnitOfWork, PasswordHasher
from jukinet.nodes.ports import Clock


@dataclass(frozen=True, slots=True)
class OperatorOffice:
    """The node's kind (``municipality``, ``prefecture``, ``national``: it decides which roles
    exist), the issuer name shown in authenticator apps, the store, the clock, the policy,
    and the password and TOTP adapters."""

    node_kind: str
    issuer: str
    unit_of_work: Callable[[], OperatorUnitOfWork]
    clock: Clock
    passwords: PasswordHasher
    codes: OneTimeCodes
    policy: SignInPolicy


def token_hash(token: str) -> str:
    """Session tokens are kept only as this hash: a copy of the store opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


def code_step(office: OperatorOffice, account: Account, code: str) -> int | None:
    """The TOTP step of ``code`` if it is valid now and newer than the last one accepted (a
    code is good once: replaying it in its window is refused)."""
    step = office.codes.step_of(account.code_secret, code, office.clock.now())
    return step if step is not None and step > account.last_code_step else None
