"""Deployments: which nodes a country has, their certificates and signed directory, and every
node of a deployment opened in one process — talking through the in-process transport or over
real HTTPS with mutual TLS — for the demo, the tests and the benchmarks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from jukinet.adapters.clock import SystemClock
from jukinet.adapters.crypto.ca import DeploymentCA
from jukinet.adapters.crypto.directory_files import load_signed_directory, write_signed_directory
from jukinet.adapters.crypto.signers import CertificateVerifier, NodeSigner
from jukinet.adapters.network.servers import (
    BackgroundServer,
    TlsFiles,
    free_ports,
    screens_server,
)
from jukinet.adapters.network.tls import client_ssl_context
from jukinet.adapters.network.transports import AsgiBridge, EnvelopePoster, in_process_endpoint
from jukinet.bootstrap import Node, build_node
from jukinet.domain.municipalities import municipality
from jukinet.nodes.ports import Clock
from jukinet.protocol.catalogue import Role
from jukinet.protocol.directory import (
    CARD_ID,
    IMMIGRATION_ID,
    LINKAGE_ID,
    NATIONAL_ID,
    Directory,
    NodeEntry,
    municipality_node_id,
)
from jukinet.settings import Settings

PREFECTURE_ID = "prefecture"


@dataclass(frozen=True, slots=True)
class NodePlan:
    """A node to create in a new deployment, and the HTTPS address it will listen on."""

    entry_id: str
    role: Role
    municipality_code: str | None = None
    prefectures: tuple[str, ...] = ()
    port: int | None = None


def plan_country(
    municipality_codes: Iterable[str], first_port: int | None = None
) -> list[NodePlan]:
    """National node, one multi-tenant prefecture node, one node per municipality."""
    codes = [municipality(c).code.value for c in municipality_codes]
    prefectures = tuple(sorted({c[:2] for c in codes}))
    port = (lambda i: None) if first_port is None else (lambda i: first_port + i)
    plans = [
        NodePlan(NATIONAL_ID, Role.NATIONAL, port=port(0)),
        NodePlan(PREFECTURE_ID, Role.PREFECTURE, prefectures=prefectures, port=port(1)),
    ]
    plans += [
        NodePlan(municipality_node_id(c), Role.MUNICIPALITY, c, port=port(2 + i))
        for i, c in enumerate(codes)
    ]
    plans.append(NodePlan(LINKAGE_ID, Role.LINKAGE, port=port(2 + len(codes))))
    plans.append(NodePlan(CARD_ID, Role.CARD, port=port(3 + len(codes))))
    plans.append(NodePlan(IMMIGRATION_ID, Role.IMMIGRATION, port=port(4 + len(codes))))
    return plans


def create_deployment(settings: Settings, plans: list[NodePlan]) -> Directory:
    """Create (or extend) the CA, issue missing node certificates, sign the directory."""
    settings.home.mkdir(parents=True, exist_ok=True)
    ca_file = settings.pki_dir / "ca.cert.pem"
    ca = (
        DeploymentCA.load(settings.pki_dir)
        if ca_file.exists()
        else DeploymentCA.init(settings.pki_dir)
    )
    entries = []
    for plan in plans:
        cert_path = settings.pki_dir / "nodes" / f"{plan.entry_id}.cert.pem"
        credentials = None if cert_path.exists() else ca.issue_node(plan.entry_id)
        pem = credentials.cert_pem if credentials else cert_path.read_text()
        endpoint = (
            in_process_endpoint(plan.entry_id)
            if plan.port is None
            else f"https://127.0.0.1:{plan.port}"
        )
        entries.append(
            NodeEntry(
                plan.entry_id, plan.role, endpoint, pem, plan.municipality_code, plan.prefectures
            )
        )
    directory = Directory.of(entries)
    write_signed_directory(directory, ca, settings.directory_file)
    return directory


class _BuiltOnFirstCall:
    """A node's ASGI app, built when a first request reaches it: an in-process country
    (tests, the demo) opens eight nodes or more, and most are never called over HTTP."""

    def __init__(self, node: Node) -> None:
        self.node = node

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.node.app(scope, receive, send)


@dataclass
class Deployment:
    """Every node of a deployment in this process; in-process transport unless ``https``."""

    settings: Settings
    nodes: dict[str, Node] = field(default_factory=dict)
    bridge: AsgiBridge | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _servers: list[BackgroundServer] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def open(
        cls, settings: Settings, clock: Clock | None = None, https: bool = False
    ) -> Deployment:
        ca_pem = (settings.pki_dir / "ca.cert.pem").read_bytes()
        directory = load_signed_directory(settings.directory_file, ca_pem)
        deployment = cls(settings)
        bridge = None if https else AsgiBridge()
        deployment.bridge = bridge
        for entry in directory.nodes.values():
            key = settings.pki_dir / "nodes" / f"{entry.id}.key.pem"
            if bridge is None:
                cert = settings.pki_dir / "nodes" / f"{entry.id}.cert.pem"
                poster = EnvelopePoster.https(
                    client_ssl_context(settings.pki_dir / "ca.cert.pem", cert, key)
                )
            else:
                poster = EnvelopePoster.in_process(bridge)
            node = build_node(
                entry,
                directory=directory,
                store=settings.store(entry.id),
                signer=NodeSigner.from_files(entry.id, key),
                verifier=CertificateVerifier(ca_pem),
                poster=poster,
                settings=settings,
                clock=clock or SystemClock(),
            )
            if bridge is not None:
                bridge.mount(entry.endpoint.removeprefix("http://"), _BuiltOnFirstCall(node))
            deployment.nodes[entry.id] = node
        return deployment

    @property
    def national(self) -> Node:
        return self.nodes[NATIONAL_ID]

    def municipality(self, code: str) -> Node:
        return self.nodes[municipality_node_id(code)]

    def municipalities(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.entry.role is Role.MUNICIPALITY]

    def pump(self, rounds: int = 10) -> int:
        """Run every relay until nothing is pending (or ``rounds`` passes); returns messages sent."""
        total = 0
        for _ in range(rounds):
            sent = sum(node.relay.run_once(float("inf")) for node in self.nodes.values())
            total += sent
            if not sent:
                break
        return total

    def start_relays(self) -> None:
        """Start every node's relay (and batch worker, on providing nodes)."""
        for node in self.nodes.values():
            self._threads += node.serve_background_work(self._stop)

    def serve_https(self) -> None:
        """Listen on each node's directory endpoint (HTTPS, mutual TLS) in background threads."""
        pki = self.settings.pki_dir
        for node in self.nodes.values():
            port = urlsplit(node.entry.endpoint).port
            if port is None:
                raise ValueError(f"{node.entry.id} has no HTTPS endpoint in the directory")
            files = TlsFiles(
                pki / "ca.cert.pem",
                pki / "nodes" / f"{node.entry.id}.cert.pem",
                pki / "nodes" / f"{node.entry.id}.key.pem",
            )
            self._servers.append(BackgroundServer.start(node.app, port, files))

    def serve_screens(self) -> dict[str, str]:
        """Serve the screens of every staffed node to a browser on this machine (plain HTTP
        on 127.0.0.1, a free port each, as the demo does); returns node id → screens URL."""
        staffed = [node for node in self.nodes.values() if node.operators is not None]
        urls = {}
        for node, port in zip(staffed, free_ports(len(staffed)), strict=True):
            self._servers.append(BackgroundServer.run(screens_server(node.app, port, None), port))
            urls[node.entry.id] = f"http://127.0.0.1:{port}/ui/"
        return urls

    def wait_until_delivered(self, timeout: float = 60.0) -> bool:
        """With relays running: wait until every outbox is empty (True) or time runs out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(node.outbox.backlog() == 0 for node in self.nodes.values()):
                return True
            for node in self.nodes.values():
                node.relay.wake.set()
            time.sleep(0.05)
        return False

    def close(self) -> None:
        """Stop relays, then clients (so no connection is left for servers to wait on), then
        servers, stores and the in-process bridge."""
        self._stop.set()
        for node in self.nodes.values():
            node.relay.wake.set()
            node.batch_wake.set()
        for thread in self._threads:
            thread.join(timeout=5)
        for node in self.nodes.values():
            node.peer.poster.close()
        for server in self._servers:
            server.server.should_exit = True
        for server in self._servers:
            server.stop()
        for node in self.nodes.values():
            node.engine.dispose()
        if self.bridge is not None:
            self.bridge.close()
