"""The screens people use, served by the node they work on (Jinja2 + HTMX, under ``/ui/``).

* a municipality serves the window terminal (統合端末): ``terminal.py``;
* the prefecture and national nodes serve their consoles: ``console/``;
* the resident and agency portals are apps of their own (``portals/``), since they stand
  outside the network and reach it as recipients do.

``install(app, node)`` mounts what a node serves: the static files (htmx vendored, no CDN,
no build step), the sign-in and screen-lock screens, the node's own screens, and the error
page that answers every problem under ``/ui/`` as a page. The screens call the same use cases
as the JSON API; docs/screens.md is the guide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from jukinet.domain.municipalities import municipality
from jukinet.protocol.catalogue import Role
from jukinet.web.screens import console, staff, terminal
from jukinet.web.screens.rendering import STATIC, MenuItem, Screens

if TYPE_CHECKING:
    from jukinet.bootstrap import Node

HOME = MenuItem("staff.home.title", "/ui/")


def node_title(node: Node) -> str:
    role = node.entry.role
    if role is Role.MUNICIPALITY and node.entry.municipality_code:
        return f"{municipality(node.entry.municipality_code).full_name} 統合端末"
    if role is Role.NATIONAL:
        return "全国サーバ (J-LIS)"
    if role is Role.PREFECTURE:
        return "都道府県サーバ"
    return node.entry.id


def menu_of(node: Node) -> tuple[MenuItem, ...]:
    """The node's menu: what each of its screens offers, for the roles that may use it."""
    terminal_menu = terminal.MENU if node.supply is not None else ()  # a municipality's window
    return (HOME, *terminal_menu, *console.menu_of(node))  # J-LIS, prefecture: consoles


def screens_of(node: Node) -> Screens:
    minutes = 0
    if node.operators is not None:
        minutes = int(node.operators.policy.inactivity.total_seconds() // 60)
    return Screens(node_title(node), menu_of(node), lock_minutes=minutes)


def install(app: FastAPI, node: Node, screens: Screens) -> None:
    """Mount the screens of a staffed node (one with operator accounts)."""
    office = node.operators
    if office is None:
        return
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="ui-static")
    staff.install_handlers(app, screens)
    app.include_router(staff.router(office, screens))
    if node.supply is not None:
        app.include_router(terminal.router(node.supply, office, screens))
    if console.serves_console(node):
        app.include_router(console.router(node, office, screens))
