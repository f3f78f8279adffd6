"""How a screen is answered: one Jinja2 environment, one place that decides page or fragment.

Every screen handler ends with ``screens.page(request, "terminal/record.html", {...})``. The
template extends ``layout`` — a variable, not a file name: ``layout.html`` (the whole page,
with header, navigation and the screen-lock timer) for an ordinary request, ``fragment.html``
(the ``content`` block alone) for an HTMX request that swaps part of a page. Nothing else in
the screens asks which kind of request it is.

Text shown to people comes from the message catalogues (``messages/*.yaml``, Japanese first,
English available): ``{{ t("staff.home.title") }}``. The language is the ``lang`` cookie,
set by ``?lang=en`` / ``?lang=ja`` on any screen; Japanese when unset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from jukinet.domain.operators import Permission, Principal
from jukinet.web.screens.messages import LANGUAGES, Catalogue

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
LANG_COOKIE = "lang"
JAPAN = ZoneInfo("Asia/Tokyo")


def is_fragment(request: Request) -> bool:
    """An HTMX request swapping part of a page (not a boosted navigation): answer the
    ``content`` block alone."""
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-boosted") != "true"


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "ja"
    return asked if asked in LANGUAGES else "ja"


def japan_time(moment: datetime | None) -> str:
    """``2026-11-23 10:00`` in Japan time: what a clerk in Japan reads on a screen."""
    return "" if moment is None else moment.astimezone(JAPAN).strftime("%Y-%m-%d %H:%M")


def iso_date(day: date | None) -> str:
    return "" if day is None else day.isoformat()


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a misspelt name in a template fails its test, not a user
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["japan_time"] = japan_time
    env.filters["iso_date"] = iso_date
    return env


@dataclass(frozen=True)
class MenuItem:
    """One entry of an app's menu, shown to operators whose roles grant ``permission``."""

    label: str  # a message key
    path: str
    permission: Permission | None = None


def menu_for(principal: object, items: Sequence[MenuItem]) -> list[MenuItem]:
    if not isinstance(principal, Principal):
        return []
    return [i for i in items if i.permission is None or i.permission in principal.permissions]


class Screens:
    """The renderer of one app's screens: ``app_name`` titles the pages (e.g. the node's
    name), ``menu`` is its navigation, ``lock_minutes`` the idle time before the screen
    locks (0: no lock, for the portals)."""

    def __init__(self, app_name: str, menu: Sequence[MenuItem] = (), lock_minutes: int = 0) -> None:
        self.app_name = app_name
        self.menu = tuple(menu)
        self.lock_minutes = lock_minutes
        self.catalogue = Catalogue.load()

    def render(self, request: Request, template: str, context: Mapping[str, Any]) -> str:
        lang = language(request)
        state = request.state
        values = {
            "layout": "fragment.html" if is_fragment(request) else "layout.html",
            "lang": lang,
            "t": self.catalogue.translator(lang),
            "app_name": self.app_name,
            "menu": menu_for(getattr(state, "principal", None), self.menu),
            "lock_minutes": self.lock_minutes,
            "path": request.url.path,
            "principal": getattr(state, "principal", None),
            "csrf": getattr(state, "csrf", ""),
            **context,
        }
        return _environment().get_template(template).render(values)

    def page(
        self,
        request: Request,
        template: str,
        context: Mapping[str, Any] | None = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
    ) -> HTMLResponse:
        response = HTMLResponse(
            self.render(request, template, context or {}), status_code=status, headers=headers
        )
        asked = request.query_params.get("lang")
        if asked in LANGUAGES:
            response.set_cookie(LANG_COOKIE, asked, max_age=365 * 86400, samesite="strict")
        response.headers.setdefault("Cache-Control", "no-store")  # personal data: never cached
        response.headers.setdefault("Vary", "HX-Request, Cookie")
        return response

    def problem_page(
        self, request: Request, status: int, title: str, extra: Mapping[str, Any]
    ) -> HTMLResponse:
        """An error as a page: the same status, title, field and detail as the API's
        problem+json (``web/problems.py``), the title in the reader's language when the
        catalogue knows it (``problem.<title>``)."""
        key = f"problem.{title}"
        known = key in self.catalogue.texts
        context = {
            "status": status,
            "title": self.catalogue.text(key, language(request)) if known else title,
            "field": extra.get("field") or "",
            "detail": extra.get("detail") or "",
        }
        return self.page(request, "error.html", context, status=status)
