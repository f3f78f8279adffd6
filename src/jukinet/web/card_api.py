"""The card node's API for resident portals: signing a resident in with the card and its PIN.

``POST /card/v1/sign-ins`` ``{"card_number", "pin"}``, signed by a registered recipient of
kind ``portal`` (``recipient_auth.py``). Every judgement is an ordinary answer (200) with its
``outcome``, as the card node answers municipalities (ADR 0015): a wrong PIN must be
committed against the card, which a refusal would roll back. Only ``accepted`` names the
holder and the municipality the card is registered with. A malformed card number or PIN is
422 naming the field; no credential, 401.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from jukinet.nodes.card.counter import CardCounter
from jukinet.nodes.card.sign_ins import CardSignIn, SignInVerdict, sign_in_with_card
from jukinet.nodes.provision.providers import Caller
from jukinet.web.recipient_auth import RecipientAuthenticator


class SignInBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    card_number: str = Field(examples=["400123456784"])
    pin: str = Field(description="the 4-digit PIN (住民基本台帳用暗証番号) the resident typed")


def verdict_wire(verdict: SignInVerdict) -> dict[str, Any]:
    card = verdict.card
    holder, municipality_code = None, None
    if verdict.accepted and card is not None:
        municipality_code = card.municipality_code
        holder = {
            "resident_code": card.holder.resident_code,
            "name": card.holder.name,
            "birth_date": card.holder.birth_date.isoformat(),
        }
    return {
        "outcome": verdict.outcome.value,
        "attempts_left": verdict.attempts_left,
        "expires_on": None if card is None else card.expires_on.isoformat(),
        "holder": holder,
        "municipality_code": municipality_code,
    }


def router(counter: CardCounter, auth: RecipientAuthenticator) -> APIRouter:
    api = APIRouter(prefix="/card/v1", tags=["residents"])
    Portal = Annotated[Caller, Depends(auth.dependency("portal"))]  # noqa: N806

    @api.post("/sign-ins", summary="A resident signs in at a portal with the card and its PIN")
    async def sign_in(body: SignInBody, caller: Portal) -> dict[str, Any]:
        request = CardSignIn(body.card_number, body.pin)
        verdict = await run_in_threadpool(sign_in_with_card, request, caller.recipient_id, counter)
        return verdict_wire(verdict)

    return api
