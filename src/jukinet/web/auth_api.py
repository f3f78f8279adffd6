"""Operators' sign-in and the administrator's accounts API, under ``/auth/v1``.

* ``POST /auth/v1/sessions`` — sign in with operator ID, password, TOTP code and terminal;
  the answer carries the session token (only once). Any failure is the same 401
  ``sign-in-refused``, so that operator IDs cannot be probed.
* ``POST /auth/v1/sessions/unlock`` — re-open the same session after the screen lock.
* ``GET /auth/v1/sessions/current`` — who am I, what may I do, when does it lock and end.
* ``DELETE /auth/v1/sessions/current`` — sign out.
* ``/auth/v1/operators…`` — accounts, roles, passwords, unlock, disable
  (``operators.administer``); ``/auth/v1/operator-events`` — the operators' log
  (``audit.read``).

WebAuthn (for the browser screens) is not here yet; see ``docs/operators.md``.
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from jukinet.domain.operators import (
    Account,
    NotSignedIn,
    OperatorEvent,
    Permission,
    Principal,
    Session,
    SignInRefused,
)
from jukinet.nodes.operators import accounts, sessions
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.web.operator_auth import CHALLENGE, bearer_token, signed_in
from jukinet.web.problems import problem


class SignInBody(BaseModel):
    operator_id: str = Field(max_length=200)
    password: str = Field(max_length=1000)
    code: str = Field(max_length=20, description="the 6-digit code of the authenticator app")
    terminal: str = Field(max_length=200, description="the terminal's id, e.g. window-3")


class UnlockBody(BaseModel):
    password: str = Field(max_length=1000)
    code: str = Field(max_length=20)


class AccountBody(BaseModel):
    operator_id: str
    matching_id: str = Field(description="照合ID: the person's own identifier")
    name: str
    roles: list[str] = Field(description="e.g. window-clerk, supervisor")
    password: str = Field(max_length=1000)


class RolesBody(BaseModel):
    grant: list[str] = []
    revoke: list[str] = []


class PasswordBody(BaseModel):
    password: str = Field(max_length=1000)


def _refused(error: SignInRefused | NotSignedIn) -> JSONResponse:
    response = problem(401, error.kind, field=error.field, detail=error.problem)
    response.headers.update(CHALLENGE)
    return response


def _session_wire(session: Session, principal: Principal, office: OperatorOffice) -> dict[str, Any]:
    return {
        "session_id": session.session_id,
        "operator_id": principal.operator_id,
        "terminal": session.terminal,
        "permissions": sorted(principal.permissions),
        "locks_at": session.locks_at(office.policy).isoformat(),
        "expires_at": session.expires_at(office.policy).isoformat(),
    }


def _account_wire(account: Account) -> dict[str, Any]:
    return {
        "operator_id": account.operator_id,
        "matching_id": account.matching_id,
        "name": account.name,
        "roles": sorted(account.roles),
        "locked": account.locked_at is not None,
        "disabled": account.disabled_at is not None,
    }


def _event_wire(event: OperatorEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "kind": event.kind.value,
        "operator_id": event.operator_id,
        "actor": event.actor,
        "terminal": event.terminal,
        "detail": event.detail,
    }


def router(operators: OperatorOffice) -> APIRouter:
    api = APIRouter(prefix="/auth/v1", tags=["operators"])
    api.include_router(_session_routes(operators))
    api.include_router(_account_routes(operators))
    return api


def _session_routes(office: OperatorOffice) -> APIRouter:
    api = APIRouter()
    Anyone = Annotated[Principal, Depends(signed_in(office, None))]  # noqa: N806

    @api.post("/sessions", status_code=201, summary="Sign in: password and TOTP code")
    async def sign_in(body: SignInBody) -> Any:
        cmd = sessions.SignIn(body.operator_id, body.password, body.code, body.terminal)
        try:
            done = await run_in_threadpool(sessions.sign_in, cmd, office)
        except SignInRefused as error:
            return _refused(error)
        return {"token": done.token, **_session_wire(done.session, done.principal, office)}

    @api.post("/sessions/unlock", summary="Unlock the screen: the same session, re-opened")
    async def unlock(
        body: UnlockBody, authorization: Annotated[str | None, Header()] = None
    ) -> Any:
        token = bearer_token(authorization)
        try:
            who = await run_in_threadpool(
                sessions.unlock_session, token, body.password, body.code, office
            )
            session, _ = await run_in_threadpool(sessions.current_session, token, office)
        except (SignInRefused, NotSignedIn) as error:
            return _refused(error)
        return _session_wire(session, who, office)

    @api.get("/sessions/current", summary="Who am I: permissions, screen lock, expiry")
    async def current(
        who: Anyone, authorization: Annotated[str | None, Header()] = None
    ) -> dict[str, Any]:
        token = bearer_token(authorization)
        session, _ = await run_in_threadpool(sessions.current_session, token, office)
        return _session_wire(session, who, office)

    @api.delete("/sessions/current", status_code=204, summary="Sign out (a locked session too)")
    async def sign_out(authorization: Annotated[str | None, Header()] = None) -> Response:
        try:
            await run_in_threadpool(sessions.sign_out, bearer_token(authorization), office)
        except NotSignedIn as error:
            return _refused(error)
        return Response(status_code=204)

    return api


def _account_routes(office: OperatorOffice) -> APIRouter:
    api = APIRouter()
    Admin = Annotated[Principal, Depends(signed_in(office, Permission.OPERATORS_ADMINISTER))]  # noqa: N806
    Auditor = Annotated[Principal, Depends(signed_in(office, Permission.AUDIT_READ))]  # noqa: N806

    async def run(use_case: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(use_case, *args, office)

    @api.get("/operators", summary="Every account of this node")
    async def every(who: Admin) -> dict[str, Any]:
        found = await run(accounts.list_accounts)
        return {"operators": [_account_wire(account) for account in found]}

    @api.post("/operators", status_code=201, summary="A new account (TOTP secret shown once)")
    async def create(body: AccountBody, who: Admin) -> dict[str, str]:
        cmd = accounts.CreateAccount(
            body.operator_id, body.matching_id, body.name, tuple(body.roles), body.password
        )
        made = await run(accounts.create_account, cmd, who.operator_id)
        return {
            "operator_id": made.operator_id,
            "code_secret": made.code_secret,
            "otpauth_uri": made.provisioning_uri,
        }

    @api.put("/operators/{operator_id}/roles", summary="Grant and revoke roles")
    async def roles(operator_id: str, body: RolesBody, who: Admin) -> dict[str, Any]:
        changed = await run(
            accounts.change_roles, operator_id, body.grant, body.revoke, who.operator_id
        )
        return _account_wire(changed)

    @api.put("/operators/{operator_id}/password", status_code=204, summary="Reset a password")
    async def password(operator_id: str, body: PasswordBody, who: Admin) -> Response:
        await run(accounts.set_password, operator_id, body.password, who.operator_id)
        return Response(status_code=204)

    @api.post("/operators/{operator_id}/unlock", status_code=204, summary="Lift a lock-out")
    async def unlock(operator_id: str, who: Admin) -> Response:
        await run(accounts.unlock_account, operator_id, who.operator_id)
        return Response(status_code=204)

    @api.post("/operators/{operator_id}/disable", status_code=204, summary="Disable for good")
    async def disable(operator_id: str, who: Admin) -> Response:
        await run(accounts.disable_account, operator_id, who.operator_id)
        return Response(status_code=204)

    @api.get("/operator-events", summary="The operators' log, newest first")
    async def events(
        who: Auditor,
        operator_id: Annotated[str | None, Query(description="only this operator")] = None,
        limit: Annotated[int, Query(description="how many, 1-10000")] = 100,
    ) -> dict[str, Any]:
        found = await run(accounts.recent_events, operator_id, limit)
        return {"events": [_event_wire(event) for event in found]}

    return api
