"""The access-log line a web endpoint writes for a signed-in operator."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jukinet.domain.access_log import Outcome
from jukinet.domain.errors import InvalidValue
from jukinet.domain.operators import Permission, Principal
from jukinet.web.access_trail import access_entry

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
CLERK = Principal("clerk-7", "T-131016-03", "5f0c6a3e", frozenset({Permission.RESIDENT_READ}))


def test_a_read_names_the_operator_terminal_session_permission_and_residents() -> None:
    logged = access_entry(
        CLERK,
        "resident.view",
        Permission.RESIDENT_READ,
        ["13101600014", "13101600022", "13101600014"],
        Outcome.DONE,
        AT,
    )

    assert (logged.operator_id, logged.terminal, logged.session_id) == (
        "clerk-7",
        "T-131016-03",
        "5f0c6a3e",
    )
    assert logged.permission == "resident.read"
    assert logged.resident_codes == ("13101600014", "13101600022")  # each once, in order
    assert logged.outcome is Outcome.DONE


def test_a_sign_in_is_logged_without_a_permission() -> None:
    logged = access_entry(CLERK, "auth.sign-in", None, [], Outcome.DONE, AT)

    assert logged.permission == ""
    assert logged.resident_codes == ()


def test_a_refusal_is_logged_as_refused_with_its_reason() -> None:
    logged = access_entry(
        CLERK,
        "copy.issue",
        Permission.COPY_ISSUE,
        ["13101600014"],
        Outcome.REFUSED,
        AT,
        detail="lacks copy.issue",
    )

    assert (logged.outcome, logged.detail) == (Outcome.REFUSED, "lacks copy.issue")


def test_a_malformed_resident_code_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValue) as refused:
        access_entry(CLERK, "resident.view", Permission.RESIDENT_READ, ["12-34"], Outcome.DONE, AT)

    assert refused.value.field == "resident_codes"
