"""The rights desk's work queues (``rights.handle``): disclosure requests to decide (the
deadline shown, overdue ones flagged) and to deliver, correction requests and complaints not
yet answered — each linked to its page, where the next step is taken."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.rights.offices import RightsOffice
from jukinet.nodes.rights.queues import work_queues
from jukinet.web.screens.console import complaints, corrections, disclosures
from jukinet.web.screens.console.desks import Console
from jukinet.web.screens.desk import name_subjects


def routes(ui: APIRouter, console: Console, office: RightsOffice) -> None:
    Staff = Annotated[Principal, Depends(console.gate(Permission.RIGHTS_HANDLE))]  # noqa: N806

    @ui.get("/rights")
    async def rights_queues(request: Request, who: Staff) -> Response:
        queues = await console.run(work_queues, office)
        cases = [*queues.to_decide, *queues.to_deliver, *queues.corrections]
        name_subjects(request, (case.resident_code for case in cases))
        return console.page(request, "console/rights.html", {"queues": queues})

    for module in (disclosures, corrections, complaints):
        module.routes(ui, console, office)
