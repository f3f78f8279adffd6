"""The administrator's work: create accounts, set passwords, change roles, disable, unlock.

``actor`` is who does it: an administrator's operator ID (through the API) or ``cli:<user>``
for someone with access to the node's host (``jukinet operator …``, which is also how the
first administrator is made). Each change and its line in ``operator_events`` commit together.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from jukinet.domain.errors import Conflict, InvalidValue, NotFound
from jukinet.domain.operators import (
    Account,
    EventKind,
    OperatorEvent,
    check_matching_id,
    check_operator_id,
    check_password,
    roles_from,
)
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.nodes.operators.ports import OperatorUnitOfWork


@dataclass(frozen=True, slots=True)
class CreateAccount:
    operator_id: str
    matching_id: str  # 照合ID: the person's own identifier, one account per person
    name: str
    roles: tuple[str, ...]
    password: str


@dataclass(frozen=True, slots=True)
class NewAccount:
    """The TOTP secret and its ``otpauth://`` URI are shown this once, for the operator's
    authenticator app; afterwards only the encrypted secret is kept."""

    operator_id: str
    code_secret: str
    provisioning_uri: str


def create_account(cmd: CreateAccount, actor: str, office: OperatorOffice) -> NewAccount:
    """A new operator. Raises ``InvalidValue`` for a bad field and ``Conflict`` when the
    operator ID or the 照合ID is taken (by any account ever made here, disabled or not)."""
    operator_id = check_operator_id(cmd.operator_id)
    matching_id = check_matching_id(cmd.matching_id)
    name = _name(cmd.name)
    roles = roles_from(cmd.roles, office.node_kind)
    password = check_password(cmd.password, operator_id)
    secret = office.codes.new_secret()
    now = office.clock.now()
    account = Account(
        operator_id, matching_id, name, roles, office.passwords.hash(password), secret, now
    )
    with office.unit_of_work() as uow:
        if uow.accounts.get(operator_id) is not None:
            raise Conflict("operator_id", f"{operator_id} already exists")
        if uow.accounts.matching_id_taken(matching_id):
            raise Conflict("matching_id", f"{matching_id} already has an account (one per person)")
        uow.accounts.add(account)
        detail = f"roles: {_listed(roles)}"
        uow.events.add(
            OperatorEvent(now, EventKind.ACCOUNT_CREATED, operator_id, actor, "", detail)
        )
        uow.commit()
    uri = office.codes.provisioning_uri(secret, operator_id, office.issuer)
    return NewAccount(operator_id, secret, uri)


def set_password(operator_id: str, password: str, actor: str, office: OperatorOffice) -> None:
    """A new password (a reset by an administrator, or the operator's own change)."""
    with office.unit_of_work() as uow:
        account = _account(uow, operator_id)
        account.password_hash = office.passwords.hash(check_password(password, operator_id))
        uow.accounts.save(account)
        _log(uow, office, EventKind.PASSWORD_SET, operator_id, actor)
        uow.commit()


def change_roles(
    operator_id: str,
    grant: Iterable[str],
    revoke: Iterable[str],
    actor: str,
    office: OperatorOffice,
) -> Account:
    """Grant and revoke roles; they take effect on the operator's next request. Nobody changes
    their own roles (an administrator cannot make themselves a clerk)."""
    if actor == operator_id:
        raise Conflict("operator_id", "an administrator cannot change their own roles")
    granted, revoked = roles_from(grant, office.node_kind), roles_from(revoke, office.node_kind)
    if granted & revoked:
        raise InvalidValue("roles", f"both granted and revoked: {_listed(granted & revoked)}")
    with office.unit_of_work() as uow:
        account = _account(uow, operator_id)
        account.roles = (account.roles | granted) - revoked
        uow.accounts.save(account)
        _log(uow, office, EventKind.ROLES_CHANGED, operator_id, actor, _listed(account.roles))
        uow.commit()
    return account


def disable_account(operator_id: str, actor: str, office: OperatorOffice) -> None:
    """For good: the account's sessions end now and its IDs are never given to anyone else."""
    now = office.clock.now()
    with office.unit_of_work() as uow:
        account = _account(uow, operator_id)
        if account.disabled_at is not None:
            raise Conflict("operator_id", f"{operator_id} is already disabled")
        account.disabled_at = now
        uow.accounts.save(account)
        for session in uow.sessions.open_of(operator_id):
            session.end("disabled", now)
            uow.sessions.save(session)
        _log(uow, office, EventKind.ACCOUNT_DISABLED, operator_id, actor)
        uow.commit()


def unlock_account(operator_id: str, actor: str, office: OperatorOffice) -> None:
    """Lift a lock-out (``Conflict`` if the account is not locked)."""
    with office.unit_of_work() as uow:
        account = _account(uow, operator_id)
        account.unlock()
        uow.accounts.save(account)
        _log(uow, office, EventKind.ACCOUNT_UNLOCKED, operator_id, actor)
        uow.commit()


def list_accounts(office: OperatorOffice) -> list[Account]:
    with office.unit_of_work() as uow:
        return uow.accounts.all()


def recent_events(
    operator_id: str | None, limit: int, office: OperatorOffice
) -> list[OperatorEvent]:
    if not 1 <= limit <= 10_000:
        raise InvalidValue("limit", f"ask for 1-10000 events, got {limit}")
    with office.unit_of_work() as uow:
        return uow.events.recent(operator_id, limit)


def _account(uow: OperatorUnitOfWork, operator_id: str) -> Account:
    account = uow.accounts.get(operator_id)
    if account is None:
        raise NotFound("operator_id", f"no operator {operator_id!r} here")
    return account


def _log(
    uow: OperatorUnitOfWork,
    office: OperatorOffice,
    kind: EventKind,
    operator_id: str,
    actor: str,
    detail: str = "",
) -> None:
    uow.events.add(OperatorEvent(office.clock.now(), kind, operator_id, actor, "", detail))


def _name(value: str) -> str:
    """The person's name as written (kanji variants such as 髙 or 﨑 kept as given: NFC only)."""
    name = unicodedata.normalize("NFC", value).strip()
    if not 1 <= len(name) <= 100:
        raise InvalidValue("name", "give the person's name, 1-100 characters")
    return name


def _listed(roles: Iterable[object]) -> str:
    return ", ".join(sorted(str(role) for role in roles)) or "none"
