"""The deadline of a disclosure decision: 14 days counted from the day after receipt, after
which an undecided request is listed as overdue."""

from __future__ import annotations

from tests.integration.rights.conftest import RightsWorld


def waiting(rights: RightsWorld, overdue: bool) -> list[str]:
    path = "/disclosure-requests?overdue=true" if overdue else "/disclosure-requests"
    return [request["request_id"] for request in rights.staff.get(path)["requests"]]


def test_an_undecided_request_is_overdue_once_the_clock_passes_its_deadline(
    rights: RightsWorld,
) -> None:
    staff = rights.staff
    late = staff.post(
        "/disclosure-requests", {"person": rights.person("sato"), "method": "post"}, 201
    )["request_id"]
    decided = staff.disclosed(rights.person("sato"), ["drivers-licence"])["request_id"]

    rights.clock.advance(days=14)
    on_the_last_day = waiting(rights, overdue=True)
    rights.clock.advance(days=1)
    the_day_after = waiting(rights, overdue=True)
    shown = staff.get(f"/disclosure-requests/{late}")

    assert late not in on_the_last_day
    assert late in the_day_after
    assert decided not in the_day_after
    assert decided not in waiting(rights, overdue=False)
    assert (shown["deadline"], shown["overdue"]) == ("2026-12-07", True)


def test_a_request_received_earlier_by_post_counts_from_its_receipt(rights: RightsWorld) -> None:
    request = rights.staff.post(
        "/disclosure-requests",
        {"person": rights.person("sato"), "method": "post", "received_on": "2026-11-01"},
        201,
    )

    assert (request["deadline"], request["overdue"]) == ("2026-11-15", True)
    assert request["request_id"] in waiting(rights, overdue=True)


def test_a_request_cannot_be_dated_in_the_future(rights: RightsWorld) -> None:
    refused = rights.staff.post(
        "/disclosure-requests",
        {"person": rights.person("sato"), "method": "post", "received_on": "2026-12-01"},
        422,
    )

    assert refused["field"] == "received_on"
