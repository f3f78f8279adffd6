"""The agency portal's words that its Python names (the menu, the titles of the node's
refusals) exist in Japanese and English, as the templates' do (test_screen_messages.py)."""

from __future__ import annotations

from jukinet.adapters.network.agency_gateway import REFUSAL_KINDS
from jukinet.portals.agency.app import MENU
from jukinet.web.screens.messages import Catalogue


def test_every_menu_entry_of_the_portal_has_both_languages() -> None:
    texts = Catalogue.load().texts

    assert [item.label for item in MENU if item.label not in texts] == []


def test_every_refusal_the_node_can_send_has_a_title_on_the_screens() -> None:
    texts = Catalogue.load().texts

    assert [kind for kind in REFUSAL_KINDS if f"agency.problem.{kind}" not in texts] == []
