"""Shared fixtures: a test country on SQLite (default) or on PostgreSQL.

Set ``JUKINET_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test`` to run
every storage-touching test on PostgreSQL; each deployment then gets its own schemas, dropped
afterwards. Under CI (``CI=true``) that variable is required to reach a live server: a missing
server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.storage.engines import drop_schema
from jukinet.deployments import Deployment, create_deployment, plan_country
from jukinet.settings import Settings

# 2026-11-23 10:00 JST: a fixed "today" so that dates in tests mean the same every day.
TEST_MOMENT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)

TOKYO_CHIYODA = "131016"
YOKOHAMA_TSURUMI = "141011"
OSAKA_KITA = "271276"


def database_url() -> str | None:
    return os.environ.get("JUKINET_TEST_DATABASE_URL") or None


def on_postgresql() -> bool:
    url = database_url()
    return bool(url and url.startswith("postgresql"))


@pytest.fixture(scope="session", autouse=True)
def _database_reachable() -> None:
    url = database_url()
    if url is None:
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:  # fail loudly: a silent fallback would hide a broken CI
        pytest.exit(f"JUKINET_TEST_DATABASE_URL={url} is unreachable: {error}", returncode=3)
    finally:
        engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TEST_MOMENT)


DeploymentFactory = Callable[..., Deployment]


@contextmanager
def opened_country(
    home: Path,
    codes: tuple[str, ...],
    clock: FixedClock,
    https: bool = False,
    first_port: int | None = None,
    **overrides: Any,
) -> Iterator[Deployment]:
    """An in-process country under ``home``, closed (and its schemas dropped) afterwards;
    ``overrides`` are further ``Settings`` (e.g. ``session_lifetime``)."""
    prefix = f"t{secrets.token_hex(4)}_"
    settings = Settings(
        home=home,
        database_url=database_url() or f"sqlite:///{home / 'db'}",
        schema_prefix=prefix,
        **overrides,
    )
    create_deployment(settings, plan_country(codes, first_port))
    deployment = Deployment.open(settings, clock=clock, https=https)
    try:
        yield deployment
    finally:
        deployment.close()
        if on_postgresql():
            engine = create_engine(database_url() or "")
            for node_id in deployment.nodes:
                drop_schema(engine, f"{prefix}{node_id}".replace("-", "_"))
            engine.dispose()


@pytest.fixture
def make_deployment(tmp_path: Path, clock: FixedClock) -> Iterator[DeploymentFactory]:
    """Build in-process countries; each is closed (and dropped) after the test."""
    with ExitStack() as stack:

        def make(
            codes: tuple[str, ...] = (TOKYO_CHIYODA, YOKOHAMA_TSURUMI, OSAKA_KITA),
            https: bool = False,
            first_port: int | None = None,
        ) -> Deployment:
            home = tmp_path / f"country-{secrets.token_hex(3)}"
            return stack.enter_context(opened_country(home, codes, clock, https, first_port))

        yield make


@pytest.fixture
def country(make_deployment: DeploymentFactory) -> Deployment:
    return make_deployment()


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A deployment folder for commands run as an operator would (``jukinet …``), on the test
    database when one is set; every schema its nodes create is dropped afterwards."""
    prefix = f"t{secrets.token_hex(4)}_"
    monkeypatch.setenv("JUKINET_SCHEMA_PREFIX", prefix)
    if database_url():
        monkeypatch.setenv("JUKINET_DATABASE_URL", database_url() or "")
    yield tmp_path / "home"
    if on_postgresql():
        engine = create_engine(database_url() or "")
        with engine.connect() as connection:
            schemas = connection.execute(
                text(
                    "select schema_name from information_schema.schemata where schema_name like :p"
                ),
                {"p": prefix + "%"},
            ).scalars()
            names = list(schemas)
        for name in names:
            drop_schema(engine, name)
        engine.dispose()


# Operators (issue 5): a signed-in operator for tests that call staff endpoints.
OPERATOR_PASSWORD = "correct horse battery staple"
_SIGNED_IN: dict[tuple[int, str], str] = {}


def operator_header(
    node: Any,
    roles: tuple[str, ...],
    operator_id: str = "clerk-001",
    terminal: str = "test-terminal",
) -> dict[str, str]:
    """Create ``operator_id`` on ``node`` with ``roles``, sign them in with the TOTP code of
    the node's clock, and return the ``Authorization`` header of their session (the same
    session when asked again for the same operator while it is still live)."""
    import hashlib

    import pyotp

    from jukinet.domain.operators import NotSignedIn
    from jukinet.nodes.operators import accounts, sessions

    office = node.operators
    assert office is not None, f"{node.entry.id} has no operators"
    known = _SIGNED_IN.get((id(office), operator_id))
    if known is not None:
        try:
            sessions.current_session(known, office)
            return {"Authorization": f"Bearer {known}"}
        except NotSignedIn:
            pass
    matching_id = hashlib.sha256(f"{node.entry.id}/{operator_id}".encode()).hexdigest()[:12]
    made = accounts.create_account(
        accounts.CreateAccount(
            operator_id, matching_id.upper(), operator_id, roles, OPERATOR_PASSWORD
        ),
        "test-setup",
        office,
    )
    code = pyotp.TOTP(made.code_secret).at(office.clock.now())
    signed = sessions.sign_in(
        sessions.SignIn(operator_id, OPERATOR_PASSWORD, code, terminal), office
    )
    _SIGNED_IN[(id(office), operator_id)] = signed.token
    return {"Authorization": f"Bearer {signed.token}"}


# Screens (issue 6): an operator's browser session, for tests that drive the HTML screens.
def screen_session(
    node: Any, roles: tuple[str, ...], operator_id: str = "clerk-001", terminal: str = "window-01"
) -> tuple[dict[str, str], str]:
    """Sign ``operator_id`` in (see ``operator_header``) and return the cookies a browser
    would hold and the session's CSRF token for the forms."""
    from jukinet.web.screens.staff import SESSION_COOKIE, csrf_token

    token = operator_header(node, roles, operator_id, terminal)["Authorization"].split()[1]
    return {SESSION_COOKIE: token}, csrf_token(token)
