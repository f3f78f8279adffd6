"""Code pools (national, ``provision.operate``): the 住民票コード each municipality was
granted and has used, its pool left (low pools flagged), and the 個人番号 generated."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.municipal.codes import LOW_WATER
from jukinet.nodes.national.code_pools import CodeLedger, code_pools
from jukinet.web.screens.console.desks import Console
from jukinet.web.screens.console.places import place_name


def routes(ui: APIRouter, console: Console, ledger: CodeLedger) -> None:
    Operator = Annotated[Principal, Depends(console.gate(Permission.PROVISION_OPERATE))]  # noqa: N806

    @ui.get("/pools")
    async def pools(request: Request, who: Operator) -> Response:
        report = await console.run(code_pools, ledger, LOW_WATER)
        names = {
            line.municipality_code: place_name(line.municipality_code) for line in report.lines
        }
        return console.page(request, "console/pools.html", {"report": report, "names": names})
