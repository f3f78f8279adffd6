"""Worker threads for use cases, on a served node.

Use cases are synchronous (ADR 0001): a route hands each one to a worker thread, which holds
one store connection while it runs. Two kinds of thread share the store's connection pool
(adapters/storage/engines.py ``POOL_SIZE``), so that no request waits for, or churns, a
connection:

* ``REQUEST_THREADS`` — anyio's threads, which Starlette's ``run_in_threadpool`` uses for
  every route;
* ``HOT_THREADS`` — a plain executor for the fast lane's routes (web/fast_lane.py). Handing a
  call to it costs about a third of what anyio's hand-off costs (its capacity limiter, queue
  and condition variable), which matters on a route answered thousands of times a second.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

REQUEST_THREADS = 12
HOT_THREADS = 8

_P = ParamSpec("_P")
_T = TypeVar("_T")

_hot = ThreadPoolExecutor(HOT_THREADS, thread_name_prefix="jukinet-hot")


async def run_hot(function: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """``function(*args, **kwargs)`` in one of the hot threads, with the caller's context
    variables (as ``run_in_threadpool`` keeps them)."""
    call = functools.partial(contextvars.copy_context().run, function, *args, **kwargs)
    return await asyncio.get_running_loop().run_in_executor(_hot, call)
