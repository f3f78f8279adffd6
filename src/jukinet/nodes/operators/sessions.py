"""Signing in and out, the screen lock, and turning a bearer token into a :class:`Principal`.

An operator signs in with operator ID, password and a TOTP code at a named terminal and gets
a random session token (kept only as a hash). Each request with it refreshes the session;
idle for ``policy.inactivity`` the session is locked until password and a fresh code re-open
it; after ``policy.lifetime`` it is over. One live session per operator: signing in again
(at any terminal) ends the older one. Every outcome, refusals included, is logged in
``operator_events`` in the same transaction; passwords and codes never are.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from jukinet.domain.operators import (
    Account,
    EventKind,
    NotSignedIn,
    OperatorEvent,
    Principal,
    Session,
    SessionLocked,
    SessionState,
    SignInRefused,
    check_terminal,
    normalise_password,
)
from jukinet.nodes.operators.offices import OperatorOffice, code_step, token_hash
from jukinet.nodes.operators.ports import OperatorUnitOfWork

MAX_TYPED_ID = 64  # how much of an unknown operator ID the log keeps


@dataclass(frozen=True, slots=True)
class SignIn:
    operator_id: str
    password: str
    code: str  # the 6-digit TOTP code of the operator's authenticator
    terminal: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    """The session token (given this once) and what it is."""

    token: str
    session: Session
    principal: Principal


def sign_in(cmd: SignIn, office: OperatorOffice) -> SignedIn:
    """Open a session, ending any other of the same operator. Raises ``SignInRefused`` (the
    same for an unknown operator, a wrong password or code, a replayed code, a locked or a
    disabled account) after logging the failure and counting it towards the lock-out."""
    terminal = check_terminal(cmd.terminal)
    now = office.clock.now()
    with office.unit_of_work() as uow:
        account = uow.accounts.get(cmd.operator_id)
        step = _second_factor(office, account, cmd.password, cmd.code)
        if account is None or step is None or not account.usable:
            _refuse(uow, office, cmd.operator_id[:MAX_TYPED_ID], account, terminal)
            raise SignInRefused()
        for older in uow.sessions.open_of(account.operator_id):
            older.end("superseded", now)
            uow.sessions.save(older)
            detail = f"ended by a sign-in at {terminal}"
            uow.events.add(
                _event(now, EventKind.SESSION_SUPERSEDED, account, older.terminal, detail)
            )
        account.succeed(step)
        uow.accounts.save(account)
        token = secrets.token_urlsafe(32)
        session = Session(str(uuid.uuid4()), account.operator_id, terminal, now, now)
        uow.sessions.add(session, token_hash(token))
        uow.events.add(_event(now, EventKind.SIGNED_IN, account, terminal))
        uow.commit()
    return SignedIn(token, session, _principal(session, account))


def authenticate(token: str, office: OperatorOffice) -> Principal:
    """Who holds ``token``, refreshing the session's last-seen time. Raises ``NotSignedIn``
    (no such session, or it has ended) or ``SessionLocked`` (idle too long)."""
    now = office.clock.now()
    with office.unit_of_work() as uow:
        session, account = _session(uow, office, token)
        if session.state(office.policy, now) is SessionState.LOCKED:
            minutes = int(office.policy.inactivity.total_seconds() // 60)
            raise SessionLocked(
                "authorization",
                f"idle for {minutes} minutes or more: unlock with password and code",
            )
        session.last_seen_at = now
        uow.sessions.save(session)
        uow.commit()
    return _principal(session, account)


def current_session(token: str, office: OperatorOffice) -> tuple[Session, Account]:
    """The session behind ``token`` and its account, as they are (nothing refreshed)."""
    with office.unit_of_work() as uow:
        return _session(uow, office, token)


def unlock_session(token: str, password: str, code: str, office: OperatorOffice) -> Principal:
    """Re-open a (screen-)locked session, the same session, with password and a fresh code.
    A failure counts towards the account's lock-out; the lock-out ends the session."""
    now = office.clock.now()
    with office.unit_of_work() as uow:
        session, account = _session(uow, office, token)
        step = _second_factor(office, account, password, code)
        if step is None:
            refused = EventKind.SESSION_UNLOCK_REFUSED
            uow.events.add(
                _event(now, refused, account, session.terminal, "wrong password or code")
            )
            if account.fail(office.policy, now):
                session.end("locked-out", now)
                uow.sessions.save(session)
                uow.events.add(_event(now, EventKind.LOCKED_OUT, account, session.terminal))
            uow.accounts.save(account)
            uow.commit()
            raise SignInRefused()
        account.succeed(step)
        uow.accounts.save(account)
        session.last_seen_at = now
        uow.sessions.save(session)
        uow.events.add(_event(now, EventKind.SESSION_UNLOCKED, account, session.terminal))
        uow.commit()
    return _principal(session, account)


def lock_session(token: str, office: OperatorOffice) -> None:
    """Lock the screen now: the terminal's idle timer, or the operator stepping away. Locking
    a locked session changes nothing. Raises ``NotSignedIn`` if the session is over."""
    now = office.clock.now()
    with office.unit_of_work() as uow:
        session, account = _session(uow, office, token)
        if session.state(office.policy, now) is SessionState.LOCKED:
            return
        session.lock(office.policy, now)
        uow.sessions.save(session)
        uow.events.add(_event(now, EventKind.SESSION_LOCKED, account, session.terminal))
        uow.commit()


def sign_out(token: str, office: OperatorOffice) -> None:
    """End the session (a locked one too). Raises ``NotSignedIn`` if it is already over."""
    now = office.clock.now()
    with office.unit_of_work() as uow:
        session, account = _session(uow, office, token)
        session.end("signed-out", now)
        uow.sessions.save(session)
        uow.events.add(_event(now, EventKind.SIGNED_OUT, account, session.terminal))
        uow.commit()


def _session(
    uow: OperatorUnitOfWork, office: OperatorOffice, token: str
) -> tuple[Session, Account]:
    """The live (open or locked) session of ``token`` and its usable account."""
    session = uow.sessions.by_token(token_hash(token)) if token else None
    if session is None:
        raise NotSignedIn("authorization", "no session has this token: sign in")
    account = uow.accounts.get(session.operator_id)
    ended = session.state(office.policy, office.clock.now()) is SessionState.ENDED
    if ended or account is None or not account.usable:
        raise NotSignedIn("authorization", "the session has ended: sign in again")
    return session, account


def _second_factor(
    office: OperatorOffice, account: Account | None, password: str, code: str
) -> int | None:
    """The accepted TOTP step if password and code are right, else None. The password is
    checked even for an unknown operator (against nothing), so that the time taken does not
    tell which operator IDs exist."""
    stored = account.password_hash if account is not None else ""
    if not office.passwords.verify(stored, normalise_password(password)) or account is None:
        return None
    return code_step(office, account, code.strip())


def _refuse(
    uow: OperatorUnitOfWork,
    office: OperatorOffice,
    typed_id: str,
    account: Account | None,
    terminal: str,
) -> None:
    """Log a refused sign-in and count it against the account (committed: the caller raises
    next, and the failure must stay counted)."""
    now = office.clock.now()
    if account is None:
        reason = "unknown operator"
    elif account.disabled_at is not None:
        reason = "account disabled"
    elif account.locked_at is not None:
        reason = "account locked"
    else:
        reason = "wrong password or code"
    refused = EventKind.SIGN_IN_REFUSED
    uow.events.add(OperatorEvent(now, refused, typed_id, typed_id, terminal, reason))
    if account is not None and account.usable:
        if account.fail(office.policy, now):
            failures = f"{office.policy.max_failures} failed sign-ins in a row"
            uow.events.add(_event(now, EventKind.LOCKED_OUT, account, terminal, failures))
        uow.accounts.save(account)
    uow.commit()


def _event(
    at: datetime, kind: EventKind, account: Account, terminal: str, detail: str = ""
) -> OperatorEvent:
    return OperatorEvent(at, kind, account.operator_id, account.operator_id, terminal, detail)


def _principal(session: Session, account: Account) -> Principal:
    return Principal(account.operator_id, session.terminal, session.session_id, account.permissions)
