"""The consoles of J-LIS (the national node) and of the prefecture centre (the prefecture
node, one for all 47 prefectures), under ``/ui/console/``, each screen behind a permission:

* ``consistency.py`` — the consistency check with its drill-down (national);
* ``flows.py`` — message flow health per peer node;
* ``pools.py`` — the 住民票コード pools of the municipalities, 個人番号 totals (national);
* ``registry.py`` — the recipients of the law in force, their affairs and credentials;
* ``batches.py`` — batch jobs and their progress;
* ``statistics.py`` (charts in ``charts.py``) — provision statistics and the annual notice;
* ``rights.py`` (``disclosures.py``, ``corrections.py``, ``complaints.py``) — the rights
  desk's work queues and cases;
* ``audit.py`` — the access log: search, integrity, anomalies.

Every screen calls the same use cases as the CLI and the JSON API (``nodes/…``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import APIRouter

from jukinet.adapters.storage.code_pools import SqlCodeLedger
from jukinet.adapters.storage.message_flows import SqlMessageFlows
from jukinet.domain.operators import Permission
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.web.screens.console import (
    audit,
    batches,
    consistency,
    flows,
    pools,
    registry,
    rights,
    statistics,
)
from jukinet.web.screens.console.desks import PREFIX, Console
from jukinet.web.screens.rendering import MenuItem, Screens

if TYPE_CHECKING:
    from jukinet.bootstrap import Node

OPERATE = Permission.PROVISION_OPERATE
NATIONAL_ONLY = (
    MenuItem("console.consistency.title", f"{PREFIX}/consistency", OPERATE),
    MenuItem("console.pools.title", f"{PREFIX}/pools", OPERATE),
)
MENU = (
    MenuItem("console.flows.title", f"{PREFIX}/flows", OPERATE),
    MenuItem("console.registry.title", f"{PREFIX}/registry", OPERATE),
    MenuItem("console.batches.title", f"{PREFIX}/batches", OPERATE),
    MenuItem("console.statistics.title", f"{PREFIX}/statistics", OPERATE),
    MenuItem("console.rights.title", f"{PREFIX}/rights", Permission.RIGHTS_HANDLE),
    MenuItem("console.audit.title", f"{PREFIX}/audit", Permission.AUDIT_READ),
)


def serves_console(node: Node) -> bool:
    """The providing nodes with staff: the national and the prefecture node."""
    return node.provider is not None and node.operators is not None


def menu_of(node: Node) -> tuple[MenuItem, ...]:
    if not serves_console(node):
        return ()
    return (*NATIONAL_ONLY, *MENU) if node.consistency is not None else MENU


def router(node: Node, office: OperatorOffice, screens: Screens) -> APIRouter:
    """Every console screen the node can serve."""
    console = Console(office, screens, node.clock)
    ui = APIRouter(prefix=PREFIX, include_in_schema=False)
    if node.consistency is not None:  # the national node
        consistency.routes(ui, console, node.consistency, node.directory)
        pools.routes(ui, console, SqlCodeLedger(node.engine, node.metadata))
    flows.routes(ui, console, SqlMessageFlows(node.engine, node.metadata), node.directory)
    if node.provider is not None and node.credentials is not None:
        registry.routes(ui, console, node.provider, node.credentials)
        batches.routes(ui, console, node.provider)
        statistics.routes(ui, console, node.provider)
    if node.rights is not None:
        rights.routes(ui, console, node.rights)
    if node.access_log is not None and node.checkpoint_signatures is not None:
        audit.routes(ui, console, node.access_log, node.checkpoint_signatures)
    return ui
