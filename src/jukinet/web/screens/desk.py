"""What every staff screen works with, whichever node or portal serves it: the gate that
signs its operators in and checks the permission, the worker thread its use cases run in (as
the JSON API runs them), the renderer, and the access log's note of whom a page showed.

The window terminal (``terminal/windows.Window``), the consoles (``console/desks.Console``)
and the agency portal (``portals/agency/pages.Pages``) each extend :class:`StaffDesk` with
the ports of their own use cases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse

from jukinet.domain.operators import Permission
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.web.screens.rendering import Screens
from jukinet.web.screens.staff import StaffGate

_CODE_LENGTH = 11


@dataclass(frozen=True)
class StaffDesk:
    office: OperatorOffice
    screens: Screens

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


def is_resident_code(text: str) -> bool:
    """Whether ``text`` has the shape of a 住民票コード (eleven ASCII digits)."""
    return len(text) == _CODE_LENGTH and text.isascii() and text.isdigit()


def name_subjects(request: Request, codes: Iterable[object]) -> None:
    """Tell the access log whom this page showed or changed (住民票コード only)."""
    known = list(getattr(request.state, "subjects", ()))
    known += [text for text in (str(code or "") for code in codes) if is_resident_code(text)]
    request.state.subjects = list(dict.fromkeys(known))
