"""Loading the legal registry from the versioned files in ``jukinet/data/legal/``.

Each file is one version of the law for one provider (``national-<date>.toml``,
``prefecture-<date>.toml``); the version in force on a day is the newest whose
``effective_from`` is not after it. A file that breaks a rule (an unknown channel, an affair
id used twice …) fails loading with ``RegistryFileInvalid`` naming the file and the entry, so
a bad amendment never reaches a running node.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from importlib import resources
from typing import Any

from jukinet.domain.errors import DomainError
from jukinet.domain.municipalities import prefecture
from jukinet.domain.provision import (
    Affair,
    Channel,
    LegalRegistry,
    Recipient,
    Schedule,
    check_id,
)

PROVIDERS = ("national", "prefecture")
PREFECTURE_CODES = tuple(f"{n:02d}" for n in range(1, 48))


class RegistryFileInvalid(Exception):
    """A registry file breaks a rule; the message names the file and the entry."""


def registry_in_force(provider: str, on: date) -> LegalRegistry:
    """The newest shipped version for ``provider`` whose ``effective_from`` is not after ``on``."""
    if provider not in PROVIDERS:
        raise ValueError(f"provider must be one of {PROVIDERS}, got {provider!r}")
    folder = resources.files("jukinet.data").joinpath("legal")
    versions = [
        parse_registry(entry.name, tomllib.loads(entry.read_text("utf-8")))
        for entry in folder.iterdir()
        if entry.name.startswith(f"{provider}-") and entry.name.endswith(".toml")
    ]
    in_force = [v for v in versions if v.effective_from <= on]
    if not in_force:
        raise RegistryFileInvalid(f"no {provider} registry is in force on {on.isoformat()}")
    return max(in_force, key=lambda v: v.effective_from)


def parse_registry(source: str, data: Mapping[str, Any]) -> LegalRegistry:
    """Build a registry from a parsed TOML document; ``source`` names it in errors."""
    try:
        provider = data["provider"]
        recipients = _recipients(data.get("recipients", []), schedule=Schedule.TABLE_1)
        if provider == "prefecture":
            recipients.update(_every_prefecture(data.get("every_prefecture", [])))
            _add_ordinances(recipients, data.get("ordinances", []))
        effective = data["effective_from"]
        if not isinstance(effective, date):
            raise ValueError("effective_from must be a date such as 2026-04-01")
        return LegalRegistry(str(data["version"]), effective, provider, recipients)
    except (KeyError, ValueError, TypeError, DomainError) as error:
        raise RegistryFileInvalid(f"{source}: {_describe(error)}") from None


def _describe(error: Exception) -> str:
    if isinstance(error, KeyError):
        return f"missing key {error.args[0]!r}"
    return str(error)


def _recipients(entries: list[dict[str, Any]], schedule: Schedule) -> dict[str, Recipient]:
    recipients: dict[str, Recipient] = {}
    for entry in entries:
        recipient_id = check_id("recipient.id", entry["id"])
        if recipient_id in recipients:
            raise ValueError(f"recipient {recipient_id!r} appears twice")
        affairs = _affairs(entry.get("affairs", []), schedule, None)
        recipients[recipient_id] = Recipient(recipient_id, entry["name"], affairs)
    return recipients


def _affairs(
    entries: list[dict[str, Any]], schedule: Schedule, home: str | None
) -> dict[str, Affair]:
    affairs: dict[str, Affair] = {}
    for entry in entries:
        affair = _affair(entry, schedule, home)
        if affair.id in affairs:
            raise ValueError(f"affair {affair.id!r} appears twice for one recipient")
        affairs[affair.id] = affair
    return affairs


def _affair(entry: Mapping[str, Any], schedule: Schedule, home: str | None) -> Affair:
    channels = frozenset(Channel(c) for c in entry["channels"])
    if not channels:
        raise ValueError(f"affair {entry['id']!r} has no channel")
    scope = entry.get("scope", "own")
    if scope not in ("own", "any"):
        raise ValueError(f"affair {entry['id']!r}: scope must be 'own' or 'any', got {scope!r}")
    return Affair(
        id=check_id("affair.id", entry["id"]),
        title=entry["title"],
        law=entry["law"],
        schedule=Schedule(entry.get("schedule", schedule.value)),
        channels=channels,
        household=bool(entry.get("household", False)),
        item=str(entry.get("item", "")),
        prefecture=home if scope == "own" else None,
    )


def _every_prefecture(templates: list[dict[str, Any]]) -> dict[str, Recipient]:
    """Expand the bodies every prefecture has into one recipient per prefecture."""
    recipients: dict[str, Recipient] = {}
    for code in PREFECTURE_CODES:
        name = prefecture(code).name
        for template in templates:
            body = check_id("every_prefecture.id", template["id"])
            affairs = _affairs(template.get("affairs", []), Schedule.TABLE_5, code)
            recipient_id = f"{code}.{body}"
            recipients[recipient_id] = Recipient(
                recipient_id, template["name"].replace("{name}", name), affairs
            )
    return recipients


def _add_ordinances(recipients: dict[str, Recipient], entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        recipient_id = f"{entry['prefecture']}.{entry['recipient']}"
        recipient = recipients.get(recipient_id)
        if recipient is None:
            raise ValueError(f"ordinance {entry['id']!r}: no recipient {recipient_id!r}")
        affair = _affair(entry, Schedule.ORDINANCE, str(entry["prefecture"]))
        if affair.id in recipient.affairs:
            raise ValueError(f"ordinance {affair.id!r} repeats an affair of {recipient_id}")
        recipient.affairs[affair.id] = affair
