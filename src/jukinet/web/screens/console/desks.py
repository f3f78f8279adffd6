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

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from jukinet.domain.errors import DomainError
from jukinet.domain.operators import NotPermitted
from jukinet.nodes.ports import Clock
from jukinet.web.problems import status_of
from jukinet.web.screens.desk import StaffDesk
from jukinet.web.screens.rendering import language
from jukinet.web.screens.staff import redirect

PREFIX = "/ui/console"
KINDS = frozenset({"invalid-value", "not-found", "conflict", "provision-not-permitted"})


@dataclass(frozen=True)
class Refusal:
    """A refusal placed on a form: the status, the message at its input or above the form."""

    status: int
    errors: dict[str, str]
    general: str
    field: str


@dataclass(frozen=True)
class Console(StaffDesk):
    clock: Clock

    def form_page(
        self,
        request: Request,
        template: str,
        values: Mapping[str, Any] | None,
        refusal: Refusal | None,
        **context: Any,
    ) -> HTMLResponse:
        """A page with a form: filled with ``values``, and after a refusal with its message
        placed (``errors`` at inputs, ``general`` above) and the API's status; ``done`` is the
        step just taken, shown as done."""
        context.update(
            values=values or {},
            errors=refusal.errors if refusal else {},
            general=refusal.general if refusal else "",
            done=request.query_params.get("done", ""),
        )
        return self.page(request, template, context, refusal.status if refusal else 200)

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
            await self.run(step)
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
