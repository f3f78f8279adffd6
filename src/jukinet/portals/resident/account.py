"""Signing in with the card, signing out, and what the resident reads about themselves: their
identity information (``/me``) and who received it (``/provisions``).

The card number and the 4-digit PIN go to the card node, which judges them (a wrong PIN
counts; the third in a row locks the card) and, when it accepts them, names the holder; the
portal then seals the session into the cookie. Full-width digits and separators typed into
either field are read as the plain digits they stand for.
"""

import unicodedata
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from jukinet.adapters.network.recipient_client import RecipientRequestFailed
from jukinet.domain.municipalities import municipality
from jukinet.portals.resident.app import (
    ResidentPortal,
    clear_session_cookie,
    redirect,
    set_session_cookie,
)
from jukinet.portals.resident.gate import safe_next
from jukinet.portals.resident.sessions import ResidentSession, new_session
from jukinet.web.screens.forms import posted

SIGN_IN_OPERATOR = "resident:sign-in"  # no session yet


def digits(value: object) -> str:
    """What the resident typed, as ASCII digits: ``４００１-２３４５ ６７８４`` → ``400123456784``."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(char for char in text if char not in " -‐－")[:40]


def router(portal: ResidentPortal) -> APIRouter:
    ui = APIRouter(include_in_schema=False)
    Resident = Annotated[ResidentSession, Depends(portal.gate)]  # noqa: N806
    screens = portal.screens

    def sign_in_page(request: Request, status: int = 200, **context: Any) -> Response:
        values = {
            "next": safe_next(request.query_params.get("next")),
            "ended": request.query_params.get("ended") == "1",
            "signed_out": request.query_params.get("signed_out") == "1",
            "errors": {},
            "refusal": None,
            "card_number": "",
            **context,
        }
        return screens.page(request, "portal/sign_in.html", values, status=status)

    @ui.get("/")
    async def start(request: Request) -> Response:
        return redirect(request, "/me")

    @ui.get("/sign-in")
    async def sign_in_form(request: Request) -> Response:
        return sign_in_page(request)

    @ui.post("/sign-in")
    async def sign_in(request: Request) -> Response:
        form = await posted(request)
        card_number, pin = digits(form.get("card_number")), digits(form.get("pin"))
        calls = portal.nodes.for_session(SIGN_IN_OPERATOR)
        try:
            verdict = await run_in_threadpool(calls.sign_in, card_number, pin)
        except RecipientRequestFailed as failure:
            if failure.status != 422:
                raise
            field = str(failure.problem.get("field", "card_number"))
            errors = {field: str(failure.problem.get("detail", ""))}
            return sign_in_page(request, 422, errors=errors, card_number=card_number)
        if verdict["outcome"] != "accepted":
            return sign_in_page(request, 401, refusal=verdict, card_number=card_number)
        session = new_session(
            card_number,
            verdict["holder"],
            verdict["municipality_code"],
            verdict["expires_on"],
            portal.clock.now(),
        )
        response = redirect(request, safe_next((await request.form()).get("next")))
        set_session_cookie(request, response, portal.seal.seal(session))
        return response

    @ui.post("/sign-out")
    async def sign_out(request: Request, resident: Resident) -> Response:
        response = redirect(request, "/sign-in?signed_out=1")
        clear_session_cookie(request, response)
        return response

    @ui.get("/me")
    async def me(request: Request, resident: Resident) -> Response:
        calls = portal.nodes.for_session(resident.operator)
        identity = await run_in_threadpool(calls.identity, resident.resident_code)
        home = municipality(resident.municipality_code).full_name
        return screens.page(request, "portal/me.html", {"identity": identity, "home": home})

    @ui.get("/provisions")
    async def provisions(request: Request, resident: Resident) -> Response:
        calls = portal.nodes.for_session(resident.operator)
        records = await run_in_threadpool(calls.provisions, resident.resident_code)
        rows = [{**r, "at": datetime.fromisoformat(r["at"])} for r in reversed(records)]
        return screens.page(request, "portal/provisions.html", {"records": rows})

    return ui
