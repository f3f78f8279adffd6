"""Places as a console names them: a municipality by its name, a peer node by its place."""

from jukinet.domain.errors import UnknownMunicipality
from jukinet.domain.municipalities import municipality
from jukinet.protocol.directory import Directory


def place_name(municipality_code: str) -> str:
    """``東京都千代田区``, or the code itself when the directory does not know it."""
    try:
        return municipality(municipality_code).full_name
    except UnknownMunicipality:
        return municipality_code


def peer_name(directory: Directory, peer: str) -> str:
    """A municipality node by its place, any other peer by its node id."""
    entry = directory.nodes.get(peer)
    code = entry.municipality_code if entry is not None else None
    return place_name(code) if code else peer
