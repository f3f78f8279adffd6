"""Operators (操作者) and what each may do.

Every person who works a node has an account of their own; what they may do is a set of
:class:`Permission`, and everything they do is done as a :class:`Principal`: who, at which
terminal, in which session, with which permissions. A use case that needs a permission asks
``principal.require(...)``; a refusal is :class:`NotPermitted` (403), naming the permission.

Which permissions an operator has follows from their :class:`OperatorRole` (``ROLE_PERMISSIONS``);
the account rules (operator ID, 照合ID, password, lock-out, session limits) live here too.

    DomainError
    ├── NotPermitted      the roles lack a permission (403)
    ├── SignInRefused     wrong ID, password or code, or a locked/disabled account (401)
    ├── NotSignedIn       no session, or one that has ended (401)
    └── SessionLocked     idle past the inactivity limit: unlock with password and code (401)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from jukinet.domain.errors import Conflict, DomainError, InvalidValue


class Permission(StrEnum):
    """The fine-grained rights an operator's roles grant."""

    RESIDENT_READ = "resident.read"  # look a resident up (exact keys only) and read the record
    REGISTER_CHANGE = "register.change"  # record an event of the register
    COPY_ISSUE = "copy.issue"  # issue copies (own and wide-area) and set the fee
    SUPPRESSION_SET = "suppression.set"  # set a suppression or a support measure
    SUPPRESSION_RELEASE = "suppression.release"  # end one
    SUPPRESSION_RELEASE_TEMPORARILY = "suppression.release-temporarily"  # lift one for a while
    PROVISION_OPERATE = "provision.operate"  # J-LIS / prefecture: registry, batches, reports
    RIGHTS_HANDLE = "rights.handle"  # disclosure, correction and complaint cases
    AUDIT_READ = "audit.read"  # search the access log and its anomalies
    OPERATORS_ADMINISTER = "operators.administer"  # accounts, roles, unlocking
    PROVISION_REQUEST = "provision.request"  # an agency's staff: ask a providing node (portal)


class NotPermitted(DomainError):
    """The operator's roles do not grant what the step needs."""

    kind = "not-permitted"


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in operator a step is done for."""

    operator_id: str
    terminal: str
    session_id: str
    permissions: frozenset[Permission]

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise NotPermitted(
                "permission", f"operator {self.operator_id} lacks {permission.value}"
            )


class OperatorRole(StrEnum):
    """The jobs an account can be given; each grants a fixed set of :class:`Permission`.

    The table keeps duties apart: the clerk at the window cannot set a suppression, the
    supervisor who may set one cannot create accounts, the administrator who creates accounts
    cannot read a resident, and the auditor only reads the access log.
    """

    WINDOW_CLERK = "window-clerk"  # 窓口: looks residents up, records events, issues copies
    SUPERVISOR = "supervisor"  # the clerk's rights plus setting and releasing suppressions
    PROVISION_OPERATOR = "provision-operator"  # J-LIS / prefecture staff
    AUDITOR = "auditor"  # reads the access log, nothing else
    ADMINISTRATOR = "administrator"  # accounts and roles, nothing else
    AGENCY_OPERATOR = "agency-operator"  # an agency's staff at its own portal: queries, batches


_CLERK = frozenset({Permission.RESIDENT_READ, Permission.REGISTER_CHANGE, Permission.COPY_ISSUE})

ROLE_PERMISSIONS: dict[OperatorRole, frozenset[Permission]] = {
    OperatorRole.WINDOW_CLERK: _CLERK,
    OperatorRole.SUPERVISOR: _CLERK
    | {
        Permission.SUPPRESSION_SET,
        Permission.SUPPRESSION_RELEASE,
        Permission.SUPPRESSION_RELEASE_TEMPORARILY,
    },
    OperatorRole.PROVISION_OPERATOR: frozenset(
        {Permission.PROVISION_OPERATE, Permission.RIGHTS_HANDLE, Permission.RESIDENT_READ}
    ),
    OperatorRole.AUDITOR: frozenset({Permission.AUDIT_READ}),
    OperatorRole.ADMINISTRATOR: frozenset({Permission.OPERATORS_ADMINISTER}),
    OperatorRole.AGENCY_OPERATOR: frozenset({Permission.PROVISION_REQUEST}),
}

# Which roles make sense on which kind of node (a municipality has no provision staff, J-LIS
# and the prefecture centre have no window).
ROLES_AT_NODE: dict[str, frozenset[OperatorRole]] = {
    "municipality": frozenset(
        {
            OperatorRole.WINDOW_CLERK,
            OperatorRole.SUPERVISOR,
            OperatorRole.AUDITOR,
            OperatorRole.ADMINISTRATOR,
        }
    ),
    "prefecture": frozenset(
        {OperatorRole.PROVISION_OPERATOR, OperatorRole.AUDITOR, OperatorRole.ADMINISTRATOR}
    ),
    "national": frozenset(
        {OperatorRole.PROVISION_OPERATOR, OperatorRole.AUDITOR, OperatorRole.ADMINISTRATOR}
    ),
    # An agency's own portal (portals/agency): outside the network, it asks as a recipient.
    "agency-portal": frozenset({OperatorRole.AGENCY_OPERATOR, OperatorRole.ADMINISTRATOR}),
}


def permissions_of(roles: Iterable[OperatorRole]) -> frozenset[Permission]:
    """Everything the given roles grant together."""
    granted: frozenset[Permission] = frozenset()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return granted


def roles_from(names: Iterable[str], node_kind: str) -> frozenset[OperatorRole]:
    """Role names as typed (``window-clerk`` …), checked against what ``node_kind`` has.

    Raises :class:`InvalidValue` (field ``roles``) for an unknown name or a role the node
    does not have.
    """
    allowed = ROLES_AT_NODE.get(node_kind, frozenset())
    roles = set()
    for name in names:
        try:
            role = OperatorRole(name)
        except ValueError:
            known = ", ".join(sorted(r.value for r in OperatorRole))
            raise InvalidValue("roles", f"{name!r} is not a role; roles are {known}") from None
        if role not in allowed:
            here = ", ".join(sorted(r.value for r in allowed)) or "none"
            raise InvalidValue("roles", f"a {node_kind} node has no {name} (it has {here})")
        roles.add(role)
    return frozenset(roles)


_OPERATOR_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{2,31}")
_MATCHING_ID = re.compile(r"[A-Z0-9]{8,16}")


def check_operator_id(value: str) -> str:
    """操作者ID: 3–32 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit."""
    if not _OPERATOR_ID.fullmatch(value):
        raise InvalidValue(
            "operator_id",
            f"{value!r}: use 3-32 ASCII letters, digits, '.', '_' or '-' (first a letter or digit)",
        )
    return value


def check_matching_id(value: str) -> str:
    """照合ID: the person's own identifier, 8–16 ASCII capital letters or digits.

    Full-width input (ＡＢ１２…, as an IME may type it) is folded to ASCII first.
    """
    folded = unicodedata.normalize("NFKC", value).upper()
    if not _MATCHING_ID.fullmatch(folded):
        raise InvalidValue("matching_id", f"{value!r}: use 8-16 capital letters or digits")
    return folded


MIN_PASSWORD = 12
MAX_PASSWORD = 128


def normalise_password(password: str) -> str:
    """NFKC, so that a password typed with full-width characters (an IME left on) is the
    same password as its half-width form; every check and hash sees this form."""
    return unicodedata.normalize("NFKC", password)


def check_password(password: str, operator_id: str) -> str:
    """Length over composition (NIST SP 800-63B): 12–128 characters, not the operator ID,
    not one character repeated. Returns the normalised form to hash."""
    value = normalise_password(password)
    if not MIN_PASSWORD <= len(value) <= MAX_PASSWORD:
        raise InvalidValue(
            "password", f"use {MIN_PASSWORD}-{MAX_PASSWORD} characters, got {len(value)}"
        )
    if operator_id.lower() in value.lower():
        raise InvalidValue("password", "must not contain the operator ID")
    if len(set(value)) < 4:
        raise InvalidValue("password", "use at least 4 different characters")
    return value


_TERMINAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def check_terminal(value: str) -> str:
    """The terminal (端末) a session runs on: 1–64 ASCII letters, digits, '.', '_' or '-'."""
    if not _TERMINAL.fullmatch(value):
        raise InvalidValue("terminal", f"{value!r}: use 1-64 ASCII letters, digits, '.', '_', '-'")
    return value


@dataclass(frozen=True, slots=True)
class SignInPolicy:
    """Lock-out and session limits of a node (configurable; see ``settings.py``).

    ``max_failures`` failed sign-ins in a row lock the account until an administrator unlocks
    it; a session untouched for ``inactivity`` is locked (the screen lock) until its operator
    re-enters password and code; after ``lifetime`` it is over whatever happens.
    """

    max_failures: int = 5
    inactivity: timedelta = timedelta(minutes=10)
    lifetime: timedelta = timedelta(hours=8)

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise InvalidValue("max_failures", "at least one failure must be allowed")
        if not timedelta(0) < self.inactivity <= self.lifetime:
            raise InvalidValue("inactivity", "must be positive and no longer than the lifetime")


@dataclass(slots=True)
class Account:
    """One person's operator account. Never deleted: disabling keeps the 照合ID taken."""

    operator_id: str
    matching_id: str
    name: str
    roles: frozenset[OperatorRole]
    password_hash: str
    code_secret: str  # the TOTP secret (base32); stored encrypted by the adapter
    created_at: datetime
    failed_sign_ins: int = 0
    last_code_step: int = -1  # the newest TOTP time step accepted: older or equal is a replay
    locked_at: datetime | None = None
    disabled_at: datetime | None = None

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_of(self.roles)

    @property
    def usable(self) -> bool:
        return self.locked_at is None and self.disabled_at is None

    def fail(self, policy: SignInPolicy, at: datetime) -> bool:
        """Count a failed sign-in; True when this failure locks the account."""
        self.failed_sign_ins += 1
        if self.locked_at is None and self.failed_sign_ins >= policy.max_failures:
            self.locked_at = at
            return True
        return False

    def succeed(self, code_step: int) -> None:
        self.failed_sign_ins = 0
        self.last_code_step = code_step

    def unlock(self) -> None:
        if self.locked_at is None:
            raise Conflict("operator_id", f"{self.operator_id} is not locked")
        self.locked_at = None
        self.failed_sign_ins = 0


class SessionState(StrEnum):
    OPEN = "open"
    LOCKED = "locked"  # the screen lock: idle too long, password and code re-open it
    ENDED = "ended"


@dataclass(slots=True)
class Session:
    """A signed-in operator at one terminal. Its bearer token is stored only as a hash."""

    session_id: str
    operator_id: str
    terminal: str
    started_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None = None
    end_reason: str | None = None

    def state(self, policy: SignInPolicy, now: datetime) -> SessionState:
        if self.ended_at is not None or now >= self.expires_at(policy):
            return SessionState.ENDED
        if now >= self.locks_at(policy):
            return SessionState.LOCKED
        return SessionState.OPEN

    def expires_at(self, policy: SignInPolicy) -> datetime:
        return self.started_at + policy.lifetime

    def locks_at(self, policy: SignInPolicy) -> datetime:
        return min(self.last_seen_at + policy.inactivity, self.expires_at(policy))

    def lock(self, policy: SignInPolicy, at: datetime) -> None:
        """Lock the screen now (the operator steps away, or the terminal saw no input): the
        session counts as idle from ``at`` on, so password and code must re-open it."""
        self.last_seen_at = min(self.last_seen_at, at - policy.inactivity)

    def end(self, reason: str, at: datetime) -> None:
        if self.ended_at is None:
            self.ended_at, self.end_reason = at, reason


class SignInRefused(DomainError):
    """Operator ID, password or code wrong, or the account locked or disabled: one answer for
    all, so that nobody can learn which operator IDs exist."""

    kind = "sign-in-refused"

    def __init__(self) -> None:
        super().__init__(
            "credentials",
            "sign-in refused; after repeated failures the account is locked until an "
            "administrator unlocks it",
        )


class NotSignedIn(DomainError):
    """No session, an unknown token, or a session that has ended."""

    kind = "not-signed-in"


class SessionLocked(DomainError):
    """The session was idle too long: its operator must unlock it with password and code."""

    kind = "session-locked"


class EventKind(StrEnum):
    """What ``operator_events`` records (never a password or a code)."""

    ACCOUNT_CREATED = "account-created"
    PASSWORD_SET = "password-set"
    ROLES_CHANGED = "roles-changed"
    ACCOUNT_DISABLED = "account-disabled"
    ACCOUNT_UNLOCKED = "account-unlocked"
    SIGNED_IN = "signed-in"
    SIGN_IN_REFUSED = "sign-in-refused"
    LOCKED_OUT = "locked-out"
    SIGNED_OUT = "signed-out"
    SESSION_SUPERSEDED = "session-superseded"
    SESSION_LOCKED = "session-locked"
    SESSION_UNLOCKED = "session-unlocked"
    SESSION_UNLOCK_REFUSED = "session-unlock-refused"


@dataclass(frozen=True, slots=True)
class OperatorEvent:
    """One line of the operators' log: who it concerns, who did it, where, and what."""

    at: datetime
    kind: EventKind
    operator_id: str
    actor: str
    terminal: str = ""
    detail: str = ""
