"""The rights desk of a providing node: what every rights use case needs, and how it reads
the values staff and portals send."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TypeVar

from jukinet.domain.dates import past_date
from jukinet.domain.errors import InvalidValue, NotFound
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.rights import DEFAULT_DISCLOSURE_DAYS
from jukinet.domain.searches import KeyKind, SearchKey
from jukinet.nodes.ports import Clock, RightsUnitOfWork
from jukinet.nodes.provision.providers import Provider

Choice = TypeVar("Choice", bound=Enum)


@dataclass(frozen=True, slots=True)
class RightsOffice:
    """The node's provision service (its name as printed, the law, the clock), its store,
    and how many days a disclosure decision may take (``JUKINET_DISCLOSURE_DAYS``)."""

    provider: Provider
    unit_of_work: Callable[[], RightsUnitOfWork]
    disclosure_days: int = DEFAULT_DISCLOSURE_DAYS

    @property
    def clock(self) -> Clock:
        return self.provider.clock

    def day(self, field: str, value: object) -> date:
        """A date given as ``YYYY-MM-DD`` (today when absent); never in the future."""
        today = self.clock.today()
        return today if value in (None, "") else past_date(field, value, today)


def choice(field: str, kind: type[Choice], value: object) -> Choice:
    """The member of ``kind`` whose value is ``value``; ``InvalidValue`` lists the others."""
    for member in kind:
        if member.value == value:
            return member
    allowed = ", ".join(str(member.value) for member in kind)
    raise InvalidValue(field, f"{value!r} is not one of: {allowed}")


def person_key(person: Mapping[str, object]) -> SearchKey:
    """The person a request concerns, named by 個人番号 or 住民票コード (nothing else)."""
    key = SearchKey.parse(person, field="person")
    if key.kind not in (KeyKind.MY_NUMBER, KeyKind.RESIDENT_CODE):
        raise InvalidValue("person", "name the person by my_number or resident_code")
    return key


def person_held(uow: RightsUnitOfWork, key: SearchKey) -> IdentityInfo:
    """The latest identity information held of the person; ``NotFound`` if there is none."""
    found = uow.search.find(key, None, 1)
    if not found:
        raise NotFound("person", "no identity information is held for this person here")
    return found[0]


def resident_code_key(resident_code: str) -> SearchKey:
    return SearchKey(KeyKind.RESIDENT_CODE, resident_code=resident_code)
