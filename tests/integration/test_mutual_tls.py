"""Nodes talk over mutual TLS: both sides show a certificate from the deployment CA."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from jukinet.adapters.crypto.ca import DeploymentCA, NodeCredentials
from jukinet.adapters.network.tls import client_ssl_context, server_ssl_options


async def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse("hello")


APP = Starlette(routes=[Route("/", hello)])


@contextmanager
def serving(ca: DeploymentCA, node: NodeCredentials) -> Iterator[int]:
    """Run the app over mutual TLS on 127.0.0.1 in a thread; yield its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))  # the OS picks a free port and we keep it bound
    options = server_ssl_options(ca.cert_path, node.cert_path, node.key_path)
    config = uvicorn.Config(APP, log_level="critical", lifespan="off", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not server.started:
        assert thread.is_alive(), "the TLS server stopped while starting"
        assert time.monotonic() < deadline, "the TLS server did not start within 5 s"
        time.sleep(0.01)
    try:
        yield listener.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=5)
        listener.close()
        assert not thread.is_alive(), "the TLS server did not shut down"


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> DeploymentCA:
    return DeploymentCA.init(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="module")
def port(ca: DeploymentCA) -> Iterator[int]:
    with serving(ca, ca.issue_node("prefecture")) as bound:
        yield bound


@pytest.fixture(scope="module")
def member(ca: DeploymentCA) -> NodeCredentials:
    """A node of the deployment that calls the server."""
    return ca.issue_node("municipality-131016")


def client(ca: DeploymentCA, node: NodeCredentials) -> httpx.Client:
    context = client_ssl_context(ca.cert_path, node.cert_path, node.key_path)
    return httpx.Client(verify=context, timeout=5)


def test_a_node_with_a_deployment_certificate_is_served_over_tls_1_3(
    ca: DeploymentCA, member: NodeCredentials, port: int
) -> None:
    with client(ca, member) as http:
        response = http.get(f"https://127.0.0.1:{port}/")
        tls = response.extensions["network_stream"].get_extra_info("ssl_object")

    assert response.status_code == 200
    assert response.text == "hello"
    assert tls.version() == "TLSv1.3"
    assert dict(field[0] for field in tls.getpeercert()["subject"]) == {"commonName": "prefecture"}


def test_a_client_without_a_certificate_is_refused(ca: DeploymentCA, port: int) -> None:
    anonymous = ssl.create_default_context(cafile=str(ca.cert_path))

    with httpx.Client(verify=anonymous, timeout=5) as http, pytest.raises(httpx.TransportError):
        http.get(f"https://127.0.0.1:{port}/")


def test_a_client_certified_by_another_ca_is_refused(
    ca: DeploymentCA, port: int, tmp_path: Path
) -> None:
    other_ca = DeploymentCA.init(tmp_path / "other-pki")
    impostor = other_ca.issue_node("municipality-131016")
    context = client_ssl_context(ca.cert_path, impostor.cert_path, impostor.key_path)

    with httpx.Client(verify=context, timeout=5) as http, pytest.raises(httpx.TransportError):
        http.get(f"https://127.0.0.1:{port}/")


def test_a_server_certified_by_another_ca_is_refused(
    ca: DeploymentCA, member: NodeCredentials, tmp_path: Path
) -> None:
    other_ca = DeploymentCA.init(tmp_path / "other-pki")
    with (
        serving(other_ca, other_ca.issue_node("prefecture")) as impostor_port,
        client(ca, member) as http,
        pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
    ):
        http.get(f"https://127.0.0.1:{impostor_port}/")


def test_a_server_whose_certificate_does_not_name_the_host_is_refused(
    ca: DeploymentCA, member: NodeCredentials
) -> None:
    elsewhere = ca.issue_node("national", ["national.example.jp"])
    with (
        serving(ca, elsewhere) as elsewhere_port,
        client(ca, member) as http,
        pytest.raises(httpx.ConnectError, match="IP address mismatch"),
    ):
        http.get(f"https://127.0.0.1:{elsewhere_port}/")


def test_tls_settings_name_a_missing_file(ca: DeploymentCA, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.key.pem"

    with pytest.raises(FileNotFoundError, match=r"key file .*nowhere\.key\.pem"):
        server_ssl_options(ca.cert_path, ca.cert_path, missing)
    with pytest.raises(FileNotFoundError, match=r"ca_cert file .*nowhere\.key\.pem"):
        client_ssl_context(missing, ca.cert_path, ca.cert_path)
