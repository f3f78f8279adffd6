"""The resident portal: a resident signs in with the My Number card and its PIN, reads their
identity information and who received it, and files requests online — a disclosure request
and a correction request at J-LIS, a request to change the 住民票コード and the card holder's
move-out (特例転出) at their municipality.

The portal is not a node. It is a recipient of kind ``portal`` (ADR 0012, ADR 0021),
registered at the card node, the national node and the municipalities that take online
requests through it, and it calls each with signed requests (``nodes.py``). It keeps no
store: the resident's session is an encrypted cookie (``sessions.py``). Screens:
``account.py`` (sign-in, my information, provisions) and ``requests.py`` (the requests);
the app and its error pages: ``app.py``. See docs/resident-portal.md.
"""

from jukinet.portals.resident.app import create_resident_portal
from jukinet.portals.resident.nodes import PortalNodes
from jukinet.portals.resident.sessions import portal_key

__all__ = ["PortalNodes", "create_resident_portal", "portal_key"]
