"""Investigating a node's access log: verify its chain, search it, flag unusual patterns.

Shared by ``jukinet audit`` and, later, an investigator API; each use case reads through the
``AccessLogArchive`` port and never writes.
"""
