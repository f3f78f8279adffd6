"""The permission matrix: every role of every node with staff × every staff endpoint.

The endpoints are read from each node's own routes, so a new endpoint is in the matrix the
day it is added — and one that names no permission (nor another way of authenticating its
caller) fails ``test_every_endpoint_says_who_may_call_it``. A role whose permissions include
the endpoint's is let through (its answer may still be a 4xx about the empty request, never
401, 403 or 5xx); every other role gets 403 naming the permission.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.conftest import TEST_MOMENT, TOKYO_CHIYODA, opened_country, operator_header

from jukinet.adapters.clock import FixedClock
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.operators import ROLES_AT_NODE, Permission, permissions_of
from jukinet.web.operator_auth import OperatorGuard
from jukinet.web.screens.staff import SESSION_COOKIE, StaffGate, csrf_token

STAFFED = ("municipality-131016", "prefecture", "national")

# Endpoints that are not for operators, and how their callers prove who they are.
NOT_FOR_OPERATORS = {
    ("POST", "/v1/envelopes"): "another node: a signed envelope",
    ("GET", "/health"): "monitoring: names no person, reads nothing personal",
    ("POST", "/provision/v1/identity-queries"): "an agency: its signed request, checked in the "
    "handler itself (the hot path has no FastAPI dependencies)",
    ("POST", "/auth/v1/sessions"): "signing in: password and TOTP",
    ("POST", "/auth/v1/sessions/unlock"): "the screen lock: password and TOTP",
    ("DELETE", "/auth/v1/sessions/current"): "signing out: the session token itself",
    ("GET", "/ui/sign-in"): "the sign-in screen: asks for password and TOTP",
    ("POST", "/ui/sign-in"): "signing in at a browser: password and TOTP",
    ("GET", "/ui/lock"): "the lock screen: names the session's operator, shows nothing else",
    ("POST", "/ui/lock"): "the screen lock: password and TOTP",
    ("POST", "/ui/lock-now"): "locking one's own session: its cookie and CSRF token",
}


@pytest.fixture(scope="module")
def country(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    home = tmp_path_factory.mktemp("matrix")
    with opened_country(home, (TOKYO_CHIYODA,), FixedClock(TEST_MOMENT)) as deployment:
        yield deployment


def guard_of(route: Any) -> OperatorGuard | StaffGate | None:
    """The operator check of an API route (bearer token) or of a screen (session cookie)."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if isinstance(dependency.call, OperatorGuard | StaffGate):
            return dependency.call
        pending.extend(dependency.dependencies)
    return None


def recipient_authenticated(route: Any) -> bool:
    calls = [d.call for d in route.dependant.dependencies]
    return any("RecipientAuthenticator.dependency" in getattr(c, "__qualname__", "") for c in calls)


def routes(node: Node) -> list[Any]:
    """Every API route of the node's app (included routers are walked, as FastAPI serves
    them: each with its full path, methods and dependencies)."""
    found: list[Any] = []
    for route in node.app.routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "effective_route_contexts"):
            found.extend(route.effective_route_contexts())
    return found


def guarded(node: Node) -> list[tuple[str, str, Permission]]:
    found = []
    for route in routes(node):
        guard = guard_of(route)
        if guard is not None and guard.permission is not None:
            found.extend((method, route.path, guard.permission) for method in route.methods)
    return sorted(found)


def call(http: TestClient, method: str, path: str, headers: dict[str, str]) -> Any:
    concrete = re.sub(r"\{[^}]+\}", "x", path)
    if path.startswith("/ui/"):  # a screen: the browser's cookie and the page's CSRF token
        token = headers["Authorization"].split()[1]
        http.cookies.set(SESSION_COOKIE, token)
        sent = {"X-CSRF-Token": csrf_token(token), "HX-Request": "true"}
        return http.request(method, concrete, headers=sent, follow_redirects=False)
    body = None if method in ("GET", "DELETE") else {}
    return http.request(method, concrete, json=body, headers=headers)


def refused_for_permission(answer: Any) -> bool:
    if answer.status_code != 403:
        return False
    if answer.headers.get("content-type", "").startswith("text/html"):
        return "permission" in answer.text
    return bool(answer.json().get("field") == "permission")


@pytest.mark.parametrize("node_id", STAFFED)
def test_every_endpoint_says_who_may_call_it(country: Deployment, node_id: str) -> None:
    node = country.nodes[node_id]
    unexplained = [
        (method, route.path)
        for route in routes(node)
        for method in route.methods
        if guard_of(route) is None
        and not recipient_authenticated(route)
        and (method, route.path) not in NOT_FOR_OPERATORS
    ]

    assert unexplained == []
    assert guarded(node), f"{node_id} has no staff endpoints"


@pytest.mark.parametrize(
    ("node_id", "role"),
    [
        (node_id, role.value)
        for node_id in STAFFED
        for role in sorted(ROLES_AT_NODE[node_id.split("-")[0]])
    ],
)
def test_each_role_reaches_exactly_the_endpoints_its_permissions_allow(
    country: Deployment, node_id: str, role: str
) -> None:
    node = country.nodes[node_id]
    headers = operator_header(node, (role,), f"matrix-{role}")
    granted = permissions_of([role])  # type: ignore[list-item]
    http = TestClient(node.app, raise_server_exceptions=False)
    wrong = []

    for method, path, permission in guarded(node):
        answer = call(http, method, path, headers)
        if permission in granted:
            signed_out = "hx-redirect" in answer.headers or answer.status_code == 303
            if answer.status_code in (401, 403) or answer.status_code >= 500 or signed_out:
                wrong.append((method, path, permission.value, answer.status_code, answer.text))
        elif not refused_for_permission(answer):
            wrong.append((method, path, permission.value, answer.status_code, answer.text))

    assert wrong == []
