"""Message flow health (``provision.operate``): per peer node, the outbox backlog and its
oldest message, the last delivery, the messages the peer refused (set aside, with the
reason) and the envelopes refused from it; sortable, the largest backlog first by default.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.errors import DomainError
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.message_flows import ORDERS, MessageFlows, flow_health, peer_detail
from jukinet.protocol.directory import Directory
from jukinet.web.screens.console.desks import Console
from jukinet.web.screens.console.places import peer_name


def routes(ui: APIRouter, console: Console, flows: MessageFlows, directory: Directory) -> None:
    Operator = Annotated[Principal, Depends(console.gate(Permission.PROVISION_OPERATE))]  # noqa: N806

    @ui.get("/flows")
    async def message_flows(request: Request, who: Operator) -> Response:
        order = request.query_params.get("sort", "backlog")
        context: dict[str, Any] = {"order": order, "orders": ORDERS, "names": {}}
        try:
            lines = await console.run(flow_health, flows, order)
        except DomainError as error:
            refusal = console.refusal(request, error, ("sort",))
            context.update(lines=[], general=refusal.general, errors=refusal.errors)
            return console.page(request, "console/flows.html", context, refusal.status)
        names = {line.peer: peer_name(directory, line.peer) for line in lines}
        context.update(lines=lines, names=names, general="", errors={})
        return console.page(request, "console/flows.html", context)

    @ui.get("/flows/{peer}")
    async def peer_flow(peer: str, request: Request, who: Operator) -> Response:
        detail = await console.run(peer_detail, flows, peer[:200])
        context = {"detail": detail, "name": peer_name(directory, detail.flow.peer)}
        return console.page(request, "console/flow_peer.html", context)
