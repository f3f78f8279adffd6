"""What every screen of the window terminal works with, and the two answers they share: a
form (fresh, or refused with the message at its field) and a refusal page.

A :class:`Window` holds the municipality's use-case ports (the register's ``CodeSupply`` and
the ``ProtectionDesk``), the operators' office that signs clerks in, and the renderer. Use
cases run in a worker thread, as the JSON API runs them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from jukinet.domain.errors import DomainError
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.protection import ProtectionDesk
from jukinet.web.problems import status_of
from jukinet.web.screens.desk import StaffDesk, is_resident_code
from jukinet.web.screens.terminal.fields import FormSpec, Values
from jukinet.web.screens.terminal.refusals import FormRefusal, explain

PREFIX = "/ui/terminal"


@dataclass(frozen=True)
class Window(StaffDesk):
    supply: CodeSupply
    desk: ProtectionDesk

    def form(
        self,
        request: Request,
        spec: FormSpec,
        action: str,
        values: Values,
        refusal: FormRefusal | None = None,
        **extra: Any,
    ) -> HTMLResponse:
        """The form of ``spec`` posting to ``action``, filled with ``values``; after a
        refusal, with its message at the field it names and the API's status."""
        context = {
            "spec": spec,
            "action": action,
            "values": values,
            "errors": refusal.errors if refusal else {},
            "general": refusal.general if refusal else "",
            "general_field": refusal.field if refusal and refusal.general else "",
            **extra,
        }
        status = refusal.status if refusal else 200
        return self.page(request, "terminal/form.html", context, status)

    def refused(
        self, request: Request, error: DomainError, heading: str, **extra: Any
    ) -> HTMLResponse:
        """A refusal as a page of its own: what was refused (``heading``), why, which field."""
        context = {
            "heading": heading,
            "message": explain(self.screens, request, error),
            "field": error.field,
            "kind": error.kind,
            **extra,
        }
        return self.page(request, "terminal/refused.html", context, status_of(error))


def codes_in(data: Mapping[str, Any]) -> list[str]:
    """The 住民票コード a posted form names (the person, the requester, members …), so that a
    refused request too is logged against the people it was about."""
    found: list[str] = []
    for value in data.values():
        if isinstance(value, Mapping):
            found += codes_in(value)
        elif isinstance(value, list):
            for item in value:
                found += codes_in(item) if isinstance(item, Mapping) else [str(item)]
        else:
            found.append(str(value))
    return [code for code in found if is_resident_code(code)]
