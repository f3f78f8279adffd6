"""Searching a node's access log: who looked at resident X, what operator Y looked at."""

from __future__ import annotations

from jukinet.domain.access_log import AccessQuery, StoredEntry
from jukinet.nodes.ports import AccessLogArchive


def search_log(archive: AccessLogArchive, query: AccessQuery) -> list[StoredEntry]:
    """Entries matching ``query``, newest first (``query.limit`` at most).

    Search answers from the stored rows as they are: run ``verify`` first to know they were
    not changed since.
    """
    return archive.search(query)
