"""Reading the fields of a message body: each check raises ``MalformedEnvelope`` naming the
field, so a bad message is refused before any of it is applied."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from jukinet.domain.errors import DomainError
from jukinet.domain.provision import check_id
from jukinet.protocol.errors import MalformedEnvelope

T = TypeVar("T")


def require(body: Mapping[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in body:
        raise MalformedEnvelope(f"body.{name}: is missing")
    value = body[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise MalformedEnvelope(f"body.{name}: has the wrong type ({type(value).__name__})")
    return value


def checked_code(kind: Any, body: Mapping[str, Any], name: str) -> str:
    """A code field checked by its value object (length, digits, check digit)."""
    try:
        return str(kind.parse(body.get(name), f"body.{name}").value)
    except DomainError as error:
        raise MalformedEnvelope(f"{error.field}: {error.problem}") from error


def via_domain(name: str, build: Callable[[], T]) -> T:
    try:
        return build()
    except DomainError as error:
        raise MalformedEnvelope(f"body.{name}.{error.field}: {error.problem}") from error
    except (KeyError, TypeError, ValueError) as error:
        raise MalformedEnvelope(f"body.{name}: {error}") from error


def identifier(body: Mapping[str, Any], name: str) -> str:
    """A registry or log id: lower-case ASCII letters, digits, '.' and '-' (see check_id)."""
    try:
        return check_id(f"body.{name}", require(body, name, str))
    except DomainError as error:
        raise MalformedEnvelope(f"{error.field}: {error.problem}") from error


def message_ids(body: Mapping[str, Any], name: str) -> tuple[str, ...]:
    values = require(body, name, list)
    if not all(isinstance(v, str) for v in values):
        raise MalformedEnvelope(f"body.{name}: expected a list of message ids")
    return tuple(values)
