"""Bearer operator tokens of a node's staff (``jukinet operator token``).

The token is resolved to the operator's id, which the use cases write next to every step they
record; a missing, unknown or revoked token is answered 401 with ``WWW-Authenticate: Bearer``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Header, HTTPException

from jukinet.adapters.storage.operators import SqlOperatorTokens


def bearer_operator(tokens: SqlOperatorTokens) -> Callable[..., str]:
    """A FastAPI dependency that returns the operator's id or answers 401."""

    def operator(authorization: Annotated[str | None, Header()] = None) -> str:
        scheme, _, token = (authorization or "").partition(" ")
        who = tokens.operator_for(token) if scheme.lower() == "bearer" and token else None
        if who is None:
            raise HTTPException(
                401, "a valid operator token is required", {"WWW-Authenticate": "Bearer"}
            )
        return who

    return operator
