"""Operator accounts: roles and what they grant, the account rules, lock-out and sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from jukinet.domain.errors import Conflict, InvalidValue
from jukinet.domain.operators import (
    ROLE_PERMISSIONS,
    Account,
    NotPermitted,
    OperatorRole,
    Permission,
    Principal,
    Session,
    SessionState,
    SignInPolicy,
    check_matching_id,
    check_operator_id,
    check_password,
    permissions_of,
    roles_from,
)

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
POLICY = SignInPolicy()


def account(**changes: object) -> Account:
    values: dict[str, object] = {
        "operator_id": "clerk-001",
        "matching_id": "A1234567",
        "name": "髙橋 一郎",
        "roles": frozenset({OperatorRole.WINDOW_CLERK}),
        "password_hash": "$argon2id$…",
        "code_secret": "JBSWY3DPEHPK3PXP",
        "created_at": AT,
    }
    return Account(**{**values, **changes})  # type: ignore[arg-type]


def test_an_administrator_cannot_read_residents_and_a_clerk_cannot_administer() -> None:
    admin = permissions_of([OperatorRole.ADMINISTRATOR])
    clerk = permissions_of([OperatorRole.WINDOW_CLERK])

    assert admin == {Permission.OPERATORS_ADMINISTER}
    assert Permission.RESIDENT_READ not in admin
    assert Permission.OPERATORS_ADMINISTER not in clerk
    assert Permission.SUPPRESSION_SET not in clerk


def test_a_supervisor_may_do_what_a_clerk_may_and_set_or_release_suppressions() -> None:
    supervisor = permissions_of([OperatorRole.SUPERVISOR])

    assert permissions_of([OperatorRole.WINDOW_CLERK]) < supervisor
    assert {
        Permission.SUPPRESSION_SET,
        Permission.SUPPRESSION_RELEASE,
        Permission.SUPPRESSION_RELEASE_TEMPORARILY,
    } <= supervisor


def test_the_auditor_only_reads_the_log_and_every_permission_belongs_to_some_role() -> None:
    assert permissions_of([OperatorRole.AUDITOR]) == {Permission.AUDIT_READ}
    assert frozenset().union(*ROLE_PERMISSIONS.values()) == frozenset(Permission)


def test_roles_are_checked_against_the_node_that_grants_them() -> None:
    assert roles_from(["window-clerk"], "municipality") == {OperatorRole.WINDOW_CLERK}
    with pytest.raises(InvalidValue, match="municipality node has no provision-operator"):
        roles_from(["provision-operator"], "municipality")
    with pytest.raises(InvalidValue, match="national node has no window-clerk"):
        roles_from(["window-clerk"], "national")
    with pytest.raises(InvalidValue, match="'cashier' is not a role"):
        roles_from(["cashier"], "municipality")


def test_a_principal_without_the_permission_is_refused_naming_it() -> None:
    who = Principal("clerk-001", "window-3", "s-1", permissions_of([OperatorRole.WINDOW_CLERK]))

    who.require(Permission.REGISTER_CHANGE)
    with pytest.raises(NotPermitted, match=r"suppression\.set") as refused:
        who.require(Permission.SUPPRESSION_SET)
    assert refused.value.field == "permission"


@pytest.mark.parametrize("value", ["ab", "clerk 7", "-clerk", "x" * 33, "職員01"])
def test_an_operator_id_outside_the_format_is_refused(value: str) -> None:
    with pytest.raises(InvalidValue, match="operator_id"):
        check_operator_id(value)


def test_a_matching_id_typed_in_full_width_is_the_same_id() -> None:
    assert check_matching_id("ａ１２３４５６７") == "A1234567"
    with pytest.raises(InvalidValue, match="matching_id"):
        check_matching_id("A12-4567")


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short-one", "12-128"),
        ("aaaaaaaaaaaaaaaa", "4 different"),
        ("my-clerk-001-password", "operator ID"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, problem: str) -> None:
    with pytest.raises(InvalidValue, match=problem):
        check_password(password, "clerk-001")


def test_a_password_typed_with_the_ime_on_is_the_same_password() -> None:
    assert check_password("ｃｏｒｒｅｃｔ　ｈｏｒｓｅ１", "clerk-001") == "correct horse1"


def test_five_failures_in_a_row_lock_the_account_until_it_is_unlocked() -> None:
    clerk = account()

    locked = [clerk.fail(POLICY, AT) for _ in range(5)]

    assert locked == [False, False, False, False, True]
    assert not clerk.usable
    clerk.unlock()
    assert clerk.usable
    assert clerk.failed_sign_ins == 0
    with pytest.raises(Conflict):
        clerk.unlock()


def test_a_success_resets_the_count_of_failures() -> None:
    clerk = account()
    for _ in range(4):
        clerk.fail(POLICY, AT)

    clerk.succeed(code_step=100)
    clerk.fail(POLICY, AT)

    assert clerk.usable
    assert clerk.last_code_step == 100


def test_a_session_locks_when_idle_and_ends_at_its_lifetime() -> None:
    session = Session("s-1", "clerk-001", "window-3", AT, AT)

    assert session.state(POLICY, AT + timedelta(minutes=9)) is SessionState.OPEN
    assert session.state(POLICY, AT + timedelta(minutes=10)) is SessionState.LOCKED
    session.last_seen_at = AT + timedelta(hours=7, minutes=55)
    assert session.state(POLICY, AT + timedelta(hours=7, minutes=59)) is SessionState.OPEN
    assert session.state(POLICY, AT + timedelta(hours=8)) is SessionState.ENDED


def test_an_ended_session_stays_ended() -> None:
    session = Session("s-1", "clerk-001", "window-3", AT, AT)

    session.end("signed-out", AT)
    session.end("superseded", AT + timedelta(minutes=1))

    assert session.state(POLICY, AT) is SessionState.ENDED
    assert session.end_reason == "signed-out"


def test_a_policy_whose_screen_lock_outlasts_the_session_is_refused() -> None:
    with pytest.raises(InvalidValue, match="inactivity"):
        SignInPolicy(inactivity=timedelta(hours=9), lifetime=timedelta(hours=8))
