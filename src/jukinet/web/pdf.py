"""Answering with a PDF rendered off the event loop; no usable font is a 503, not a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Response
from starlette.concurrency import run_in_threadpool

from jukinet.adapters.documents.fonts import FontError

PDF = "application/pdf"


async def pdf_response(render: Callable[..., bytes], *args: Any, name: str) -> Response:
    """``render(*args)`` as an inline PDF named ``name``.pdf."""
    try:
        content = await run_in_threadpool(render, *args)
    except FontError as error:
        raise HTTPException(503, str(error)) from None
    disposition = f'inline; filename="{name}.pdf"'
    return Response(content, media_type=PDF, headers={"Content-Disposition": disposition})
