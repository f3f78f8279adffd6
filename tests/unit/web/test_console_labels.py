"""Every value of a code table a console shows has its words in both languages, so a value
added to an enum cannot reach a screen as a bare key."""

from __future__ import annotations

import pytest

from jukinet.domain.access_log import Outcome
from jukinet.domain.provision import Channel
from jukinet.domain.reports import ContactMethod
from jukinet.domain.requesters import IdentityDocument, Relation
from jukinet.domain.rights import CorrectionResult, Decision, Item
from jukinet.nodes.audit.anomalies import AnomalyKind
from jukinet.nodes.message_flows import ORDERS
from jukinet.nodes.national.consistency import HOLDERS
from jukinet.nodes.provision.oversight import OUTCOMES
from jukinet.nodes.provision.recipients import CredentialState
from jukinet.web.screens.messages import Catalogue

TABLES: list[tuple[str, list[str]]] = [
    ("console.channel", [c.value for c in Channel]),
    ("console.document", [d.value for d in IdentityDocument]),
    ("console.relation", [r.value for r in Relation]),
    ("console.method", [m.value for m in ContactMethod]),
    ("console.decision", [d.value for d in Decision]),
    ("console.item", [i.value for i in Item]),
    ("console.result", [r.value for r in CorrectionResult]),
    ("console.credential", [s.value for s in CredentialState]),
    ("console.audit.outcome", [o.value for o in Outcome]),
    ("console.audit.pattern", [k.value for k in AnomalyKind]),
    ("console.flows.sort", list(ORDERS)),
    ("console.holder", list(HOLDERS)),
    ("console.batches.outcome", list(OUTCOMES)),
    ("console.batches.state", ["queued", "matching", "done", "failed"]),
    ("console.disclosure_state", ["received", "disclosed", "refused", "delivered"]),
    ("console.correction_state", ["received", "investigated", "answered"]),
    ("console.complaint_state", ["received", "answered"]),
    ("console.registry.kind", ["agency", "portal"]),
    ("console.registry.action", ["register", "revoke"]),
]


@pytest.mark.parametrize(("group", "values"), TABLES, ids=[group for group, _ in TABLES])
def test_every_value_has_its_label(group: str, values: list[str]) -> None:
    texts = Catalogue.load().texts

    assert [v for v in values if f"{group}.{v}" not in texts] == []
