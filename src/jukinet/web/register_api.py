"""The municipal clerk API: every register use case as one authenticated JSON endpoint.

Each request needs ``Authorization: Bearer <session token>`` of a signed-in operator
(``POST /auth/v1/sessions``, see docs/operators.md) whose roles grant ``register.change``
(reads: ``resident.read``); the operator's id is written into the change history. Bodies are the forms the use cases
read; errors come back as problem+json naming the field.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response
from starlette.concurrency import run_in_threadpool

from jukinet.adapters.documents.move_out_certificates import render_move_out_certificate
from jukinet.domain.certificates import MoveOutCertificate
from jukinet.domain.errors import NotFound
from jukinet.domain.municipalities import municipality
from jukinet.domain.operators import Permission, Principal
from jukinet.domain.residents import Resident
from jukinet.nodes.municipal import (
    amendments,
    arrivals,
    codes,
    departures,
    move_notices,
    special_moves,
)
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.forms import Form
from jukinet.nodes.municipal.queries import resident_view
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.web.operator_auth import signed_in
from jukinet.web.pdf import PDF, pdf_response

Form_ = Annotated[dict[str, Any], Body(description="the form; see docs/register.md")]


def _summary(resident: Resident) -> dict[str, Any]:
    return {
        "resident_code": resident.resident_code,
        "my_number": resident.my_number,
        "household_id": resident.household_id,
        "status": resident.status.value,
    }


def router(supply: CodeSupply, operators: OperatorOffice) -> APIRouter:
    Operator = Annotated[Principal, Depends(signed_in(operators, Permission.REGISTER_CHANGE))]  # noqa: N806  (a type alias, used below)
    Reader = Annotated[Principal, Depends(signed_in(operators, Permission.RESIDENT_READ))]  # noqa: N806
    api = APIRouter(prefix="/api/v1", tags=["register"])

    async def run(use_case: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(use_case, *args)

    @api.post("/births", status_code=201, summary="出生")
    async def birth(form: Form_, who: Operator) -> dict[str, Any]:
        return _summary(await run(arrivals.record_birth, form, who.operator_id, supply))

    @api.post("/arrivals", status_code=201, summary="国外からの転入・外国人住民の記載・職権記載")
    async def arrival(form: Form_, who: Operator) -> dict[str, Any]:
        return _summary(await run(arrivals.record_arrival, form, who.operator_id, supply))

    @api.post("/move-ins", status_code=201, summary="転入 with a 転出証明書")
    async def move_in(form: Form_, who: Operator) -> dict[str, Any]:
        result = await run(arrivals.record_move_in, form, who.operator_id, supply)
        return {
            **_summary(result.resident),
            "late": result.late,
            "move_in_notice": "sent" if result.notice_sent else "send-by-post",
        }

    @api.post("/special-move-outs", summary="特例転出 (card holder): information sent, no paper")
    async def special_move_out(form: Form_, who: Operator) -> dict[str, Any]:
        result = await run(special_moves.record_special_move_out, form, who.operator_id, supply)
        return {
            "resident_codes": list(result.resident_codes),
            "certificate_ids": list(result.certificate_ids),
            "destination_code": result.destination_code,
        }

    @api.post("/special-move-ins", status_code=201, summary="特例転入 with the card and its PIN")
    async def special_move_in(form: Form_, who: Operator) -> dict[str, Any]:
        result = await run(special_moves.record_special_move_in, form, who.operator_id, supply)
        return {
            "residents": [_summary(r) for r in result.residents],
            "late": result.late,
            "continued_use_until": result.continued_use_until.isoformat(),
        }

    @api.post("/card-continuations", summary="継続利用: carry the card over after a move-in")
    async def card_continuation(form: Form_, who: Operator) -> dict[str, str]:
        done = await run(special_moves.continue_card_use, form, who.operator_id, supply)
        return {"resident_code": done.resident_code, "card_number": done.card_number}

    @api.get(
        "/move-out-certificates/{certificate_id}",
        summary="転出証明書 as a PDF (certificates issued here)",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}},
    )
    async def move_out_certificate(certificate_id: str, who: Reader) -> Response:
        def find() -> MoveOutCertificate | None:
            with supply.unit_of_work() as uow:
                return uow.certificates.get(certificate_id)

        certificate = await run(find)
        if certificate is None:
            raise NotFound("certificate_id", f"no certificate {certificate_id} was issued here")
        issuer = municipality(certificate.issuer).full_name
        return await pdf_response(
            render_move_out_certificate, certificate, issuer, name=certificate_id
        )

    @api.get("/move-in-notices/unmatched", summary="転入通知 that matched no move-out here")
    async def unmatched(who: Operator) -> list[dict[str, Any]]:
        def read() -> list[dict[str, Any]]:
            with supply.unit_of_work() as uow:
                notices = move_notices.unmatched_notices(uow)
            return [
                {
                    "received_at": n.received_at.isoformat(),
                    "from": n.sender,
                    "detail": n.detail,
                    "notice": n.notice.to_body(),
                }
                for n in notices
            ]

        found: list[dict[str, Any]] = await run(read)
        return found

    @api.post("/move-outs", summary="転出 (planned) or 国外転出")
    async def move_out(form: Form_, who: Operator) -> dict[str, Any]:
        result = await run(departures.record_move_out, form, who.operator_id, supply)
        certificate = None if result.certificate is None else result.certificate.to_wire()
        return {"resident_code": result.resident_code, "certificate": certificate}

    @api.post("/moves-within", summary="転居")
    async def move_within(form: Form_, who: Operator) -> dict[str, Any]:
        return {"moved": await run(amendments.record_move_within, form, who.operator_id, supply)}

    @api.post("/household-changes", summary="世帯変更")
    async def household_change(form: Form_, who: Operator) -> dict[str, Any]:
        return _summary(await run(amendments.change_household, form, who.operator_id, supply))

    @api.post("/name-changes", summary="氏名変更")
    async def name_change(form: Form_, who: Operator) -> dict[str, Any]:
        return _summary(await run(amendments.change_name, form, who.operator_id, supply))

    @api.post("/corrections", summary="職権修正")
    async def correction(form: Form_, who: Operator) -> dict[str, Any]:
        return _summary(await run(amendments.correct_record, form, who.operator_id, supply))

    @api.post("/deaths", summary="死亡")
    async def death(form: Form_, who: Operator) -> dict[str, str]:
        await run(departures.record_death, form, who.operator_id, supply)
        return {"status": "removed"}

    @api.post("/ex-officio-removals", summary="職権消除")
    async def ex_officio_removal(form: Form_, who: Operator) -> dict[str, str]:
        await run(departures.remove_ex_officio, form, who.operator_id, supply)
        return {"status": "removed"}

    @api.post("/resident-code-changes", summary="住民票コードの変更請求")
    async def resident_code_change(form: Form_, who: Operator) -> dict[str, str]:
        read = Form(form, supply.clock.today())
        new = await run(
            codes.change_resident_code,
            read.resident_code(),
            read.past_or("requested_on", supply.clock.today()),
            who.operator_id,
            supply,
        )
        return {"resident_code": new}

    @api.post("/my-number-changes", summary="個人番号の変更 (漏えい)")
    async def my_number_change(form: Form_, who: Operator) -> dict[str, str]:
        read = Form(form, supply.clock.today())
        new = await run(
            codes.change_my_number,
            read.resident_code(),
            read.past_or("requested_on", supply.clock.today()),
            who.operator_id,
            supply,
        )
        return {"my_number": new}

    @api.get("/residents/{resident_code}", summary="A record, its household and history")
    async def resident(resident_code: str, who: Reader) -> dict[str, Any]:
        read = Form({"resident_code": resident_code}, supply.clock.today())
        view: dict[str, Any] = await run(
            resident_view, read.resident_code(), supply.unit_of_work, supply.clock
        )
        return view

    return api
