"""The agency portal: an agency's own screens for asking Juki-net about people.

It runs at the agency, not on the network. It holds the agency's recipient credentials
(``jukinet agency register``) and asks the national or prefecture node with signed requests,
naming the signed-in operator, exactly as ``jukinet agency query`` and ``batch submit`` do.
The agency's operators sign in with operator ID, password and TOTP code (the nodes' operator
accounts, in the portal's own store), state the affair, search one person, send batch files
and follow them, and read the agency's provision history. docs/agency-portal.md is the guide.

* ``wiring.py`` — the portal put together from a credentials folder and settings;
* ``store.py`` (+ ``migrations/``) — its store: operators and the request log;
* ``app.py`` — the ASGI app; ``pages.py`` — what the screens share;
* ``affairs.py``, ``searches.py``, ``batches.py``, ``history.py`` — the screens;
* ``downloads.py`` — a batch's answers as CSV.

The use cases are the agency's (``nodes/agency/provisions.py``).
"""
