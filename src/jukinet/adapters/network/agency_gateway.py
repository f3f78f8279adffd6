"""The agency's ``ProvisionGateway`` over the recipients' API of the national node.

Requests are signed by ``RecipientClient``; a refusal raises its ``RecipientRequestFailed``
with the node's problem (403 for an affair without household checks, 503 when the home
municipality cannot be reached …).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from jukinet.adapters.network.recipient_client import RecipientClient
from jukinet.domain.residents import Relationship
from jukinet.nodes.agency.ports import HouseholdFinding, Occupant


class HttpProvisionGateway:
    def __init__(self, client: RecipientClient) -> None:
        self._client = client

    def same_address(self, affair: str, key: Mapping[str, str]) -> list[Occupant]:
        answer = self._client.post(
            "/provision/v1/same-address", {"affair": affair, "key": dict(key)}
        )
        return [_occupant(resident["identity"]) for resident in answer["residents"]]

    def household_check(self, affair: str, resident_codes: Sequence[str]) -> list[HouseholdFinding]:
        answer = self._client.post(
            "/provision/v1/household-checks",
            {"affair": affair, "resident_codes": list(resident_codes)},
        )
        return [_finding(member) for member in answer["members"]]


def _occupant(identity: dict[str, Any]) -> Occupant:
    name = f"{identity['family_name']}\u3000{identity['given_name']}".strip()
    return Occupant(identity["resident_code"], name, date.fromisoformat(identity["birth_date"]))


def _finding(member: dict[str, Any]) -> HouseholdFinding:
    relationship = member.get("relationship")
    return HouseholdFinding(
        member["resident_code"],
        bool(member["registered"]),
        member.get("household"),
        None if relationship is None else Relationship(relationship),
    )
