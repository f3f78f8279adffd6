"""Stating the affair (事務) the operator's requests are for.

The list is the law in force for this agency (the legal registry shipped with jukinet, the
same the providing node reads): each affair with its law, its methods of provision and
whether it allows household checks. The choice lasts for the session (``pages.py``).
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.operators import Permission, Principal
from jukinet.portals.agency.pages import AFFAIR_COOKIE, Pages
from jukinet.web.screens.forms import posted
from jukinet.web.screens.rendering import language
from jukinet.web.screens.staff import redirect


def routes(ui: APIRouter, pages: Pages) -> None:
    Requester = Annotated[Principal, Depends(pages.gate(Permission.PROVISION_REQUEST))]  # noqa: N806

    async def form(request: Request, who: Principal, errors: dict[str, str]) -> Response:
        law = pages.portal.desk.law()
        context = {
            "affairs": await pages.affairs(),
            "current": await pages.stated(request, who),
            "recipient": pages.portal.recipient_name,
            "version": law.version,
            "next": pages.next_of(request.query_params.get("next")),
            "errors": errors,
        }
        return pages.page(request, "agency/affair.html", context, 422 if errors else 200)

    @ui.get("/affair")
    async def affair_form(request: Request, who: Requester) -> Response:
        return await form(request, who, {})

    @ui.post("/affair")
    async def state_affair(request: Request, who: Requester) -> Response:
        data = await posted(request)
        chosen = str(data.get("affair", ""))
        if chosen not in {a.id for a in await pages.affairs()}:
            t = pages.screens.catalogue.translator(language(request))
            return await form(request, who, {"affair": t("agency.affair.unknown")})
        form_data = await request.form()
        response = redirect(request, pages.next_of(str(form_data.get("next") or "")))
        response.set_cookie(
            AFFAIR_COOKIE,
            f"{who.session_id}:{chosen}",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/ui/",
        )
        return response
