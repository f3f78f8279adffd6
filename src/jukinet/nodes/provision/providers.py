"""The provision service of one node, and who is asking."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from jukinet.domain.provision import LegalRegistry
from jukinet.nodes.ports import AnswerUnitOfWork, Clock, ProvisionUnitOfWork

DEFAULT_MAX_CANDIDATES = 10


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated recipient (its id in the registry) and the person operating for it."""

    recipient_id: str
    operator: str


@dataclass
class Provider:
    """Everything a provision use case needs: the law in force, the store, the clock.

    ``answering`` opens the narrow unit of work of immediate answers; every other use case
    takes the node's ``unit_of_work``.

    ``registry`` is asked for the version in force on a given day, so an amendment that takes
    effect at midnight applies from the first request after it.
    """

    name: str  # printed on reports: 地方公共団体情報システム機構, or the prefecture node
    registry: Callable[[date], LegalRegistry]
    clock: Clock
    unit_of_work: Callable[[], ProvisionUnitOfWork]
    answering: Callable[[], AnswerUnitOfWork]
    max_candidates: int = DEFAULT_MAX_CANDIDATES
    _cache: dict[date, LegalRegistry] = field(default_factory=dict)

    def law(self) -> LegalRegistry:
        today = self.clock.today()
        if today not in self._cache:
            self._cache.clear()
            self._cache[today] = self.registry(today)
        return self._cache[today]
