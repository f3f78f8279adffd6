"""The screens part of the demo: accounts for the people who use them, and every screen served
to a browser on this machine.

Each staffed node gets its staff (a clerk and a supervisor at every municipality, a provision
operator and an auditor at J-LIS and at the prefecture centre), each with a password and a
TOTP secret of its own, written to ``operators.txt`` for the person trying the demo. The
nodes' screens, the resident portal (the 髙橋 family's head signs in with the card of the
moves story) and 日本年金機構's agency portal listen on 127.0.0.1 over plain HTTP: a browser
on this machine only. The portals reach the nodes as any recipient does, over HTTPS with
mutual TLS and signed requests.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from jukinet.adapters.network.servers import BackgroundServer, free_ports, screens_server
from jukinet.bootstrap import Node, register_recipient
from jukinet.deployments import Deployment
from jukinet.nodes.operators import accounts
from jukinet.portals.agency.wiring import AgencyPortal, open_agency_portal
from jukinet.portals.resident import PortalNodes, create_resident_portal, portal_key
from jukinet.protocol.catalogue import Role
from jukinet.settings import Settings
from jukinet.sim.moves import CARD, PIN

# Who works where: (operator ID, name, role). Names carry the variant glyphs of real staff.
STAFF = {
    Role.MUNICIPALITY: (
        ("clerk-01", "髙橋 窓口", "window-clerk"),
        ("supervisor-01", "山﨑 係長", "supervisor"),
    ),
    Role.PREFECTURE: (("pref-operator-01", "渡邊 提供", "provision-operator"),),
    Role.NATIONAL: (
        ("jlis-operator-01", "齋藤 提供", "provision-operator"),
        ("jlis-auditor-01", "𠮷田 監査", "auditor"),
    ),
}
PENSION_STAFF = ("nenkin-op-01", "佐藤 年金", "agency-operator")
OPERATORS_FILE = "operators.txt"


@dataclass(frozen=True)
class Account:
    where: str  # node id, or the portal's name
    url: str
    operator_id: str
    name: str
    role: str
    password: str
    totp_secret: str


@dataclass
class ScreensRun:
    """What the demo serves to a browser, and what it must close at the end."""

    urls: dict[str, str] = field(default_factory=dict)  # node id or portal → its first page
    accounts: list[Account] = field(default_factory=list)
    file: Path | None = None
    _servers: list[BackgroundServer] = field(default_factory=list)
    _closing: list[PortalNodes | AgencyPortal] = field(default_factory=list)

    def close(self) -> None:
        for server in self._servers:
            server.stop()
        for portal in self._closing:
            portal.close()


def serve_screens(country: Deployment, folder: Path) -> ScreensRun:
    """Create the demo's accounts, serve every screen and write ``folder/operators.txt``."""
    run = ScreensRun()
    run.urls.update(country.serve_screens())
    for node in country.nodes.values():
        for operator_id, name, role in STAFF.get(node.entry.role, ()):
            run.accounts.append(_account(node, run.urls[node.entry.id], operator_id, name, role))
    resident_port, agency_port = free_ports(2)
    _serve_resident_portal(country, folder, resident_port, run)
    _serve_agency_portal(country, folder, agency_port, run)
    run.file = _write_accounts(run, folder / OPERATORS_FILE)
    return run


def _account(node: Node, url: str, operator_id: str, name: str, role: str) -> Account:
    assert node.operators is not None
    password = secrets.token_urlsafe(12)
    matching = hashlib.sha256(f"{node.entry.id}/{operator_id}".encode()).hexdigest()[:10].upper()
    made = accounts.create_account(
        accounts.CreateAccount(operator_id, f"D{matching}", name, (role,), password),
        "demo-setup",
        node.operators,
    )
    return Account(node.entry.id, url, operator_id, name, role, password, made.code_secret)


def _serve_resident_portal(country: Deployment, folder: Path, port: int, run: ScreensRun) -> None:
    """The portal registered at the card node, J-LIS and every municipality (where online
    requests go), as ``jukinet serve resident-portal`` would run it."""
    targets = [
        node
        for node in country.nodes.values()
        if node.entry.role in (Role.CARD, Role.NATIONAL, Role.MUNICIPALITY)
    ]
    pki = country.settings.pki_dir
    credentials = folder / "credentials" / "resident-portal"
    for node in targets:
        target = credentials / node.entry.id
        register_recipient(node, "resident-portal", "portal", "demo-setup", target, pki)
    clock = country.national.clock
    nodes = PortalNodes.over_https([credentials / n.entry.id for n in targets], clock.now)
    key = portal_key(folder / "secrets" / "resident-portal.key")
    app = create_resident_portal(nodes, key, clock)
    run._closing.append(nodes)
    run._servers.append(BackgroundServer.run(screens_server(app, port, None), port))
    run.urls["resident-portal"] = f"http://127.0.0.1:{port}/sign-in"


def _serve_agency_portal(country: Deployment, folder: Path, port: int, run: ScreensRun) -> None:
    """日本年金機構's own portal, with its own store, asking J-LIS with its credentials."""
    credentials = folder / "credentials" / "nenkin-portal"
    register_recipient(
        country.national, "nenkin", "agency", "demo-setup", credentials, country.settings.pki_dir
    )
    home = folder / "agency-portal"
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'db'}")
    portal = open_agency_portal(credentials, settings, clock=country.national.clock)
    run._closing.append(portal)
    url = f"http://127.0.0.1:{port}/ui/"
    operator_id, name, role = PENSION_STAFF
    password = secrets.token_urlsafe(12)
    made = accounts.create_account(
        accounts.CreateAccount(operator_id, "NENKIN0001", name, (role,), password),
        "demo-setup",
        portal.operators,
    )
    run.accounts.append(
        Account("agency-portal (nenkin)", url, operator_id, name, role, password, made.code_secret)
    )
    run._servers.append(BackgroundServer.run(screens_server(portal.app, port, None), port))
    run.urls["agency-portal"] = url


def _write_accounts(run: ScreensRun, path: Path) -> Path:
    """The accounts for the person at this machine: readable by its owner only."""
    lines = [
        "# jukinet demo: the accounts of the screens (this run only; the demo makes new ones)",
        "# Sign in with the operator ID, the password and the current code of the TOTP secret:",
        "#   .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('SECRET').now())\"",
        "",
    ]
    for account in run.accounts:
        lines += [
            f"[{account.where}] {account.url}",
            f"  operator ID  {account.operator_id}  ({account.name}, {account.role})",
            f"  password     {account.password}",
            f"  TOTP secret  {account.totp_secret}",
            "",
        ]
    lines += [
        f"[resident portal] {run.urls['resident-portal']}",
        f"  card number  {CARD}  (髙橋 一郎, living in 大阪市北区)",
        f"  PIN          {PIN}",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
