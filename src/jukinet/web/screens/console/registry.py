"""The agency registry (``provision.operate``): the recipients the law in force names, each
affair with its law, schedule and methods, the credentials each holds (valid, expiring,
expired, revoked), the resident portals, and the registry's change log."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.errors import DomainError
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.provision.providers import Provider
from jukinet.nodes.provision.recipients import CredentialBook, recipient_detail, registry_overview
from jukinet.web.screens.console.desks import Console


def routes(ui: APIRouter, console: Console, provider: Provider, book: CredentialBook) -> None:
    Operator = Annotated[Principal, Depends(console.gate(Permission.PROVISION_OPERATE))]  # noqa: N806

    @ui.get("/registry")
    async def registry(request: Request, who: Operator) -> Response:
        text = request.query_params.get("q", "")
        context: dict[str, Any] = {"q": text, "errors": {}}
        try:
            context["overview"] = await console.run(registry_overview, provider, book, text)
        except DomainError as error:
            refusal = console.refusal(request, error, ("q",))
            unfiltered = await console.run(registry_overview, provider, book, "")
            context.update(overview=unfiltered, errors=refusal.errors)
            return console.page(request, "console/registry.html", context, refusal.status)
        return console.page(request, "console/registry.html", context)

    @ui.get("/registry/{recipient_id}")
    async def registry_recipient(recipient_id: str, request: Request, who: Operator) -> Response:
        detail = await console.run(recipient_detail, provider, book, recipient_id[:64])
        return console.page(request, "console/recipient.html", {"detail": detail})
