"""The clerk API of 住民票の写し: copies from this register, 広域交付, the fee, the records.

Signed-in operators whose roles grant ``copy.issue`` (see docs/operators.md). A copy comes back
as ``application/pdf`` with its issuance id and fee in the headers ``Issuance-Id`` and
``Copy-Fee`` (yen); errors are problem+json naming the field. When the home municipality of
a wide-area copy cannot be reached the answer is 503 and nothing is recorded as issued.
"""

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from jukinet.adapters.documents.resident_copies import render_resident_copy
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.municipal import copies
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.copies import IssuedCopy
from jukinet.nodes.municipal.forms import Form
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.web.operator_auth import signed_in

Form_ = Annotated[dict[str, Any], Body(description="the request; see docs/copies.md")]
PDF = "application/pdf"


def _pdf(issued: IssuedCopy) -> Response:
    issuance = issued.issuance
    headers = {
        "Issuance-Id": issuance.issuance_id,
        "Copy-Fee": str(issuance.fee),
        "Content-Disposition": f'inline; filename="copy-{issuance.issuance_id}.pdf"',
    }
    if issued.alerts:  # suppressions at alert level: the clerk sees them before handing over
        headers["Protection-Alert"] = ", ".join(issued.alerts)
    return Response(issued.document, media_type=PDF, headers=headers)


def _plain(record: Any) -> dict[str, Any]:
    values = asdict(record)
    values["at"] = record.at.isoformat()
    return values


def router(supply: CodeSupply, operators: OperatorOffice) -> APIRouter:
    Operator = Annotated[Principal, Depends(signed_in(operators, Permission.COPY_ISSUE))]  # noqa: N806  (a type alias)
    api = APIRouter(prefix="/api/v1", tags=["copies"])

    async def run(use_case: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(use_case, *args)

    pdf_answer: dict[int | str, dict[str, Any]] = {200: {"content": {PDF: {}}}}

    @api.post("/copies", response_class=Response, responses=pdf_answer, summary="住民票の写し")
    async def copy(form: Form_, who: Operator) -> Response:
        return _pdf(
            await run(copies.issue_copy, form, who.operator_id, supply, render_resident_copy)
        )

    @api.post(
        "/wide-area-copies",
        response_class=Response,
        responses=pdf_answer,
        summary="広域交付 (住基法12条の4)",
    )
    async def wide_area_copy(form: Form_, who: Operator) -> Response:
        issue = copies.issue_wide_area_copy
        return _pdf(await run(issue, form, who.operator_id, supply, render_resident_copy))

    @api.get("/copies/fee", summary="The fee per copy (yen)")
    async def fee(who: Operator) -> dict[str, int]:
        return {"fee": await run(copies.copy_fee, supply)}

    @api.put("/copies/fee", summary="Set the fee per copy (yen)")
    async def set_fee(form: Form_, who: Operator) -> dict[str, int]:
        return {"fee": await run(copies.set_copy_fee, form, who.operator_id, supply)}

    @api.get(
        "/copies/records/{resident_code}", summary="Copies and wide-area answers about one person"
    )
    async def records(resident_code: str, who: Operator) -> dict[str, Any]:
        code = Form({"resident_code": resident_code}, supply.clock.today()).resident_code()
        found = await run(copies.copy_records, code, supply)
        return {name: [_plain(line) for line in lines] for name, lines in found.items()}

    return api
