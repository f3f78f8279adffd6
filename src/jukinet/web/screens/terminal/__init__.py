"""The window terminal (統合端末): the screens a municipality's clerks use at the window.

Served by the municipality node under ``/ui/terminal/``, each screen behind the permission of
the matching API endpoint:

* ``residents.py`` — the search by restricted keys, the record with its household and history;
* ``events.py`` (forms in ``event_forms.py``) — the register's events, with their deadlines;
* ``copies.py`` — 住民票の写し and 広域交付, with the PDF;
* ``protection.py`` — suppressions, support measures and their alerts;
* ``checks.py`` — validation as the clerk types.

Forms are described as data (``fields.py``) and drawn by one template; refusals become the
message at the field they name (``refusals.py``). See docs/screens.md.
"""

from fastapi import APIRouter

from jukinet.domain.operators import Permission
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.protection import ProtectionDesk
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.web.screens.rendering import MenuItem, Screens
from jukinet.web.screens.terminal import checks, copies, events, protection, residents
from jukinet.web.screens.terminal.windows import PREFIX, Window

MENU = (
    MenuItem("terminal.search.title", f"{PREFIX}/search", Permission.RESIDENT_READ),
    MenuItem("terminal.events.title", f"{PREFIX}/events", Permission.REGISTER_CHANGE),
    MenuItem("terminal.copies.title", f"{PREFIX}/copies", Permission.COPY_ISSUE),
    MenuItem("terminal.wide_area.title", f"{PREFIX}/wide-area-copies", Permission.COPY_ISSUE),
    MenuItem("terminal.alerts.title", f"{PREFIX}/protection/alerts", Permission.RESIDENT_READ),
)


def router(supply: CodeSupply, office: OperatorOffice, screens: Screens) -> APIRouter:
    """Every screen of the window terminal, for a municipality node's app."""
    window = Window(office, screens, supply, ProtectionDesk.of(supply))
    ui = APIRouter(prefix=PREFIX, include_in_schema=False)
    for module in (residents, events, copies, protection, checks):
        module.routes(ui, window)
    return ui
