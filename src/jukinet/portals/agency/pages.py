"""What every screen of the agency portal shares: the gate, the stated affair, refusals.

The operator states the affair once per session (``/ui/affair``); the choice is kept in a
cookie bound to the session's id, so that it ends with the session and another operator at
the same browser starts without one. Every form sends the affair again as its ``affair``
field, as the recipients' API takes it, and the node judges it against the law.

A refusal of the node (a domain error raised by the gateway) becomes a message next to the
input it names, with status 422; one that names no input (403 outside the law, 422 narrow
your search, a node that cannot be reached) becomes a box above the form with the field and
the node's reason.
"""

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Self
from urllib.parse import quote

from fastapi import Request

from jukinet.domain.errors import DomainError
from jukinet.domain.operators import Principal
from jukinet.domain.provision import Affair
from jukinet.nodes.agency.provisions import affairs_open_to
from jukinet.nodes.ports import PeerRejected, PortError
from jukinet.portals.agency.wiring import AgencyPortal
from jukinet.web.problems import status_of
from jukinet.web.screens.desk import StaffDesk
from jukinet.web.screens.rendering import Screens, language
from jukinet.web.screens.staff import ScreenRedirect, _safe_next

AFFAIR_COOKIE = "jukinet_affair"


@dataclass(frozen=True)
class Refusal:
    """How a refusal shows: messages at their inputs, or a box naming the field."""

    status: int
    errors: dict[str, str]
    general: dict[str, str] | None


@dataclass(frozen=True)
class Pages(StaffDesk):
    """The portal's screens: the desk of its operators (their office is the portal's own)."""

    portal: AgencyPortal

    @classmethod
    def of(cls, portal: AgencyPortal, screens: Screens) -> Self:
        return cls(portal.operators, screens, portal)

    async def affairs(self) -> list[Affair]:
        affairs: list[Affair] = await self.run(affairs_open_to, self.portal.desk)
        return affairs

    async def stated(self, request: Request, who: Principal) -> Affair | None:
        """The affair this session stated, if it is still one the law opens to the agency."""
        session, _, affair_id = request.cookies.get(AFFAIR_COOKIE, "").partition(":")
        if session != who.session_id:
            return None
        return next((a for a in await self.affairs() if a.id == affair_id), None)

    async def affair(self, request: Request, who: Principal) -> Affair:
        """The stated affair; without one, off to state it first (and back here after)."""
        affair = await self.stated(request, who)
        if affair is None:
            raise ScreenRedirect(f"/ui/affair?next={quote(request.url.path, safe='')}")
        return affair

    def next_of(self, asked: str | None) -> str:
        """Where to go after stating the affair: a page of this portal, the search by default."""
        return _safe_next(asked) if asked else "/ui/search"

    def refusal(
        self,
        request: Request,
        error: DomainError | PortError,
        inputs: Collection[str],
        aliases: Mapping[str, str] | None = None,
    ) -> Refusal:
        """``error`` as the screen shows it; ``inputs`` are the form's field names, and
        ``aliases`` the inputs of the node's fields that are named otherwise."""
        t = self.screens.catalogue.translator(language(request))
        if isinstance(error, PortError):
            rejected = isinstance(error, PeerRejected)
            title = t("agency.problem.rejected" if rejected else "agency.problem.unanswered")
            general = {"style": "refusal", "title": title, "field": "", "detail": str(error)}
            return Refusal(502 if rejected else 503, {}, general)
        status = status_of(error)
        title = self._title(error, t)
        field = (aliases or {}).get(error.field, error.field)
        if status == 422 and field in inputs:
            return Refusal(422, {field: f"{title}: {error.problem}"}, None)
        style = "alert" if status == 422 else "refusal"
        general = {"style": style, "title": title, "field": error.field, "detail": error.problem}
        return Refusal(status, {}, general)

    def _title(self, error: DomainError, t: Callable[..., str]) -> str:
        for kind in type(error).__mro__:
            key = f"agency.problem.{getattr(kind, 'kind', '')}"
            if key in self.screens.catalogue.texts:
                return t(key)
        return t("agency.refused.title")
