"""Operators' accounts and sessions, for every node that has staff (municipality, prefecture,
national): ``accounts`` is the administrator's work, ``sessions`` the operator's sign-in."""
