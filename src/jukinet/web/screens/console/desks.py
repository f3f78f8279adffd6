"""What every console screen works with: the operators' office that signs staff in, the
renderer, and how a refusal is shown.

A use case runs in a worker thread, as the JSON API runs it. Its refusal
(:class:`~jukinet.domain.errors.DomainError`) comes back to the screen as the API's status and
a message in the reader's language — a short phrase of the catalogue saying what kind of
refusal it is (``console.problem.<kind>``), then the rule's own words — placed next to the
input it names (``errors``), or above the form when no input has that name (``general``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from jukinet.domain.errors import DomainError
from jukinet.domain.operators import NotPermitted, Permission
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.nodes.ports import Clock
from jukinet.web.problems import DOMAIN_STATUS
from jukinet.web.screens.rendering import Screens, language
from jukinet.web.screens.staff import StaffGate, redirect

PREFIX = "/ui/console"
KINDS = frozenset({"invalid-value", "not-found", "conflict", "provision-not-permitted"})
_CODE_LENGTH = 11


@dataclass(frozen=True)
class Refusal:
    """A refusal placed on a form: the status, the message at its input or above the form."""

    status: int
    errors: dict[str, str]
    general: str
    field: str


@dataclass(frozen=True)
class Console:
    office: OperatorOffice
    screens: Screens
    clock: Clock

    def gate(self, permission: Permission | None) -> StaffGate:
        return StaffGate(self.office, permission)

    async def run(self, use_case: Callable[..., Any], *args: Any) -> Any:
        return await run_in_threadpool(use_case, *args)

    def page(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        return self.screens.page(request, template, context, status=status)

    def explain(self, request: Request, error: DomainError) -> str:
        """``入力に誤りがあります: '2026-13' has no month 13``, in the reader's language."""
        kind = error.kind if error.kind in KINDS else "other"
        phrase = self.screens.catalogue.text(f"console.problem.{kind}", language(request))
        return f"{phrase}: {error.problem}"

    async def act(
        self,
        request: Request,
        step: Callable[[], Any],
        done: str,
        refused: Callable[[Refusal], Awaitable[Response]],
        inputs: Iterable[str] = (),
    ) -> Response:
        """Take ``step`` (a use case with its arguments bound) and go on to ``done``; on a
        refusal, answer ``refused`` with it placed on the form's ``inputs``."""
        try:
            await run_in_threadpool(step)
        except NotPermitted:
            raise
        except DomainError as error:
            return await refused(self.refusal(request, error, inputs))
        return redirect(request, done)

    def refusal(self, request: Request, error: DomainError, inputs: Iterable[str] = ()) -> Refusal:
        """``error`` at the input it names when the form has one (``inputs``), else above."""
        message = self.explain(request, error)
        status = status_of(error)
        if error.field in set(inputs):
            return Refusal(status, {error.field: message}, "", error.field)
        return Refusal(status, {}, message, error.field)


def kept_private(response: Response) -> Response:
    """A document about a person (a PDF, a CSV) is never cached either."""
    response.headers["Cache-Control"] = "no-store"
    return response


def status_of(error: DomainError) -> int:
    """The status the API answers the same refusal with (422 when the table names none)."""
    for kind in type(error).__mro__:
        if kind in DOMAIN_STATUS:
            return DOMAIN_STATUS[kind]
    return 422


def name_subjects(request: Request, codes: Iterable[object]) -> None:
    """Tell the access log whom this page showed or changed (住民票コード only)."""
    known = list(getattr(request.state, "subjects", ()))
    for code in codes:
        text = str(code or "")
        if len(text) == _CODE_LENGTH and text.isascii() and text.isdigit():
            known.append(text)
    request.state.subjects = list(dict.fromkeys(known))
