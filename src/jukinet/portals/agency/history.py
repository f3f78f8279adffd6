"""提供履歴: the agency's own record of the requests its portal sent (``agency_requests``)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.agency.provisions import request_history
from jukinet.portals.agency.pages import Pages


def routes(ui: APIRouter, pages: Pages) -> None:
    Requester = Annotated[Principal, Depends(pages.gate(Permission.PROVISION_REQUEST))]  # noqa: N806

    @ui.get("/history")
    async def history(request: Request, who: Requester) -> Response:
        lines = await pages.run(request_history, who, pages.portal.desk)
        affairs = {affair.id: affair for affair in await pages.affairs()}
        return pages.page(request, "agency/history.html", {"lines": lines, "affairs": affairs})
