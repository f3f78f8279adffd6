"""The agency portal's ASGI app: the staff sign-in and screen lock of the nodes, and the
portal's own screens under ``/ui/`` (``affairs``, ``searches``, ``batches``, ``history``).

Errors become the screens' error page (``web/problems.py``), as on a node. The portal has no
JSON API of its own: whatever it asks, it asks the providing node as the agency.
"""

from fastapi import APIRouter, FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from jukinet.domain.operators import Permission
from jukinet.portals.agency import affairs, batches, history, searches
from jukinet.portals.agency.pages import Pages
from jukinet.portals.agency.wiring import AgencyPortal
from jukinet.web import problems
from jukinet.web.screens import staff
from jukinet.web.screens.rendering import STATIC, MenuItem, Screens

MENU = (
    MenuItem("staff.home.title", "/ui/"),
    MenuItem("agency.menu.affair", "/ui/affair", Permission.PROVISION_REQUEST),
    MenuItem("agency.menu.search", "/ui/search", Permission.PROVISION_REQUEST),
    MenuItem("agency.menu.batches", "/ui/batches", Permission.PROVISION_REQUEST),
    MenuItem("agency.menu.history", "/ui/history", Permission.PROVISION_REQUEST),
)


def create_app(portal: AgencyPortal) -> FastAPI:
    minutes = int(portal.operators.policy.inactivity.total_seconds() // 60)
    screens = Screens(f"{portal.recipient_name} 住基ネット照会", MENU, lock_minutes=minutes)
    app = FastAPI(
        title=f"jukinet agency portal of {portal.credentials.recipient_id}",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    problems.install(app, screens.problem_page)
    app.mount("/ui/static", StaticFiles(directory=STATIC), name="ui-static")
    staff.install_handlers(app, screens)
    app.include_router(staff.router(portal.operators, screens))
    ui = APIRouter(prefix="/ui", include_in_schema=False)
    pages = Pages.of(portal, screens)
    for screen in (affairs, searches, batches, history):
        screen.routes(ui, pages)
    app.include_router(ui)

    @app.get("/", include_in_schema=False)
    async def start() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=303)

    return app
