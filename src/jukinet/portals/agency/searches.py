"""即時照会: one person, by one of the four keys, for the stated affair.

The form's fields are the recipients' API's (``key.resident_code``, ``key.name``, …,
``history``), so the node's refusals name them: an invalid value shows at its input; a
refusal outside the law (403), "narrow your search" (422) or a node that cannot be reached
shows above the form. No match is an answer too: the page says so, with the provision id
the node logged it under.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.errors import DomainError
from jukinet.domain.operators import NotPermitted, Permission, Principal
from jukinet.nodes.agency.provisions import IdentityRequest, ask_identity
from jukinet.nodes.ports import PortError
from jukinet.portals.agency.pages import Pages
from jukinet.web.screens.forms import posted

KEY_FIELDS = ("resident_code", "my_number", "name", "kana", "birth_date", "sex", "address")
INPUTS = frozenset(f"key.{name}" for name in KEY_FIELDS)


def routes(ui: APIRouter, pages: Pages) -> None:
    Requester = Annotated[Principal, Depends(pages.gate(Permission.PROVISION_REQUEST))]  # noqa: N806

    @ui.get("/search")
    async def search_form(request: Request, who: Requester) -> Response:
        affair = await pages.affair(request, who)
        context = {"affair": affair, "values": {}, "errors": {}, "general": None, "answer": None}
        return pages.page(request, "agency/search.html", context)

    @ui.post("/search")
    async def search(request: Request, who: Requester) -> Response:
        affair = await pages.affair(request, who)
        data = await posted(request)
        form = await request.form()
        values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "csrf"}
        key = {k: str(v) for k, v in (data.get("key") or {}).items() if k in KEY_FIELDS}
        query = IdentityRequest(str(data.get("affair") or affair.id), key, "history" in data)
        context: dict[str, Any] = {"affair": affair, "values": values, "errors": {}}
        try:
            answer = await pages.run(ask_identity, query, who, pages.portal.desk)
        except NotPermitted:
            raise
        except (DomainError, PortError) as error:
            refusal = pages.refusal(request, error, INPUTS)
            context.update(errors=refusal.errors, general=refusal.general, answer=None)
            return pages.page(request, "agency/search.html", context, refusal.status)
        context.update(general=None, answer=answer)
        return pages.page(request, "agency/search.html", context)
