"""Every code value the resident portal shows has its words in Japanese and English: the
screens build those keys from the values (``portal.reason.<reason>``), so a value added to
the domain without its words fails here rather than on a resident's screen."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from jukinet.domain.cards import PinOutcome
from jukinet.domain.changes import ChangeReason
from jukinet.domain.identity import RecordStatus, Sex
from jukinet.domain.online_requests import OnlineRequestState
from jukinet.domain.provision import Channel
from jukinet.domain.rights import CorrectionResult, Decision, Item
from jukinet.portals import resident
from jukinet.web.screens.messages import Catalogue

STATES_OF_A_DISCLOSURE = ("received", "disclosed", "refused", "delivered")
STATES_OF_A_CORRECTION = ("received", "investigated", "answered")
CARD_REFUSALS = (
    PinOutcome.LOCKED,
    PinOutcome.EXPIRED,
    PinOutcome.SUSPENDED,
    PinOutcome.REVOKED,
    PinOutcome.UNKNOWN_CARD,
)


def values(kind: type[StrEnum]) -> list[str]:
    return [member.value for member in kind]


@pytest.mark.parametrize(
    ("family", "members"),
    [
        ("portal.reason", values(ChangeReason)),
        ("portal.channel", values(Channel)),
        ("portal.item", values(Item)),
        ("portal.sex", values(Sex)),
        ("portal.status", values(RecordStatus)),
        ("portal.decision", values(Decision)),
        ("portal.correction_result", values(CorrectionResult)),
        ("portal.request_state", values(OnlineRequestState)),
        ("portal.disclosure_state", list(STATES_OF_A_DISCLOSURE)),
        ("portal.correction_state", list(STATES_OF_A_CORRECTION)),
        ("portal.sign_in.refused", [outcome.value for outcome in CARD_REFUSALS]),
    ],
)
def test_every_value_of_a_family_has_its_words(family: str, members: list[str]) -> None:
    texts = Catalogue.load().texts

    missing = [f"{family}.{member}" for member in members if f"{family}.{member}" not in texts]

    assert missing == []


def test_every_key_the_portal_code_names_is_in_the_catalogue() -> None:
    texts = Catalogue.load().texts
    named = re.compile(r"""(?:MenuItem\(|\.text\()\s*["']([a-z][\w.\-]+)["']""")
    used = {
        key
        for path in Path(resident.__file__).parent.glob("*.py")
        for key in named.findall(path.read_text(encoding="utf-8"))
    }

    assert used
    assert sorted(used - set(texts)) == []
