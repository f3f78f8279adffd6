"""The browsers' listener of a node: the screens over HTTPS with the node's certificate, and
nothing else — envelopes and the JSON APIs stay behind mutual TLS."""

from __future__ import annotations

import ssl

import httpx
from tests.conftest import TOKYO_CHIYODA, DeploymentFactory

from jukinet.adapters.network.servers import (
    BackgroundServer,
    TlsFiles,
    free_ports,
    screens_server,
)


def test_a_browser_reaches_the_screens_over_https_and_nothing_else(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA,))
    node = country.municipality(TOKYO_CHIYODA)
    pki = country.settings.pki_dir
    files = TlsFiles(
        pki / "ca.cert.pem",
        pki / "nodes" / f"{node.entry.id}.cert.pem",
        pki / "nodes" / f"{node.entry.id}.key.pem",
    )
    port = free_ports(1)[0]
    running = BackgroundServer.run(screens_server(node.app, port, files), port)
    try:
        # A browser presents no client certificate; it trusts the deployment CA.
        with httpx.Client(
            verify=ssl.create_default_context(cafile=str(pki / "ca.cert.pem")),
            base_url=f"https://localhost:{port}",
        ) as browser:
            assert browser.get("/ui/sign-in").status_code == 200
            assert browser.post("/v1/envelopes", content=b"{}").status_code == 404
            assert browser.post("/api/v1/births", json={}).status_code == 404
            assert browser.get("/health").status_code == 404
    finally:
        running.stop()


def test_the_demo_serves_every_staffed_nodes_screens_on_this_machine(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA,))
    urls = country.serve_screens()
    assert set(urls) == {"municipality-131016", "prefecture", "national"}
    for url in urls.values():
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(url + "sign-in").status_code == 200
