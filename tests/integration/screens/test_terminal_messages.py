"""Every word the window terminal can show exists in Japanese and English: the labels of its
forms (data, not templates) and every value of the code families its pages label."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from jukinet.domain.changes import ChangeReason
from jukinet.domain.copies import Layout, OptionalItem, RequesterKind
from jukinet.domain.identity import RecordStatus, Sex
from jukinet.domain.moves import MoveOutChannel
from jukinet.domain.requesters import IdentityDocument
from jukinet.domain.residents import ForeignResidentClass, Relationship
from jukinet.domain.suppressions import (
    AlertKind,
    Level,
    MeasureOrigin,
    MeasureState,
    Process,
    Relation,
    SuppressionReason,
    Target,
    Verdict,
)
from jukinet.web.screens import terminal
from jukinet.web.screens.messages import Catalogue
from jukinet.web.screens.terminal import copies, protection, residents
from jukinet.web.screens.terminal.events import EVENTS
from jukinet.web.screens.terminal.refusals import KINDS
from jukinet.web.screens.terminal.residents import VALUE_LABELS

FAMILIES: dict[str, type[StrEnum]] = {
    "terminal.sex": Sex,
    "terminal.status": RecordStatus,
    "terminal.relationship": Relationship,
    "terminal.reason": ChangeReason,
    "terminal.verdict": Verdict,
    "terminal.suppression_reason": SuppressionReason,
    "terminal.process": Process,
    "terminal.level": Level,
    "terminal.target": Target,
    "terminal.measure_state": MeasureState,
    "terminal.measure_origin": MeasureOrigin,
    "terminal.alert": AlertKind,
    "terminal.foreign_class": ForeignResidentClass,
    "terminal.channel": MoveOutChannel,
    "terminal.requester_kind": RequesterKind,
    "terminal.document": IdentityDocument,
    "terminal.layout": Layout,
    "terminal.item_option": OptionalItem,
    "terminal.relation": Relation,
}
SPECS = [
    residents.SEARCH,
    copies.OWN_COPY,
    copies.WIDE_AREA_COPY,
    protection.SUPPRESSION,
    protection.MEASURE,
    *(event.form for event in EVENTS.values()),
]


@pytest.fixture(scope="module")
def texts() -> dict[str, dict[str, str]]:
    return Catalogue.load().texts


def test_every_label_of_every_form_has_both_languages(texts: dict[str, dict[str, str]]) -> None:
    missing = {key for spec in SPECS for key in spec.labels() if key not in texts}

    assert missing == set()


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_every_value_of_a_labelled_code_family_has_its_words(
    texts: dict[str, dict[str, str]], family: str
) -> None:
    missing = [v.value for v in FAMILIES[family] if f"{family}.{v.value}" not in texts]

    assert missing == []


def test_refusals_deadlines_and_protection_steps_have_their_words(
    texts: dict[str, dict[str, str]],
) -> None:
    keys = [f"terminal.problem.{kind}" for kind in KINDS]
    keys += [f"terminal.deadline.rule.{e.slug}" for e in EVENTS.values() if e.deadline]
    keys += [f"terminal.measure_step.{step}" for step, _, _ in protection.MEASURE_STEPS]
    keys += [f"terminal.protection.done.{done}" for done in protection.DONE]
    keys += [family for family in VALUE_LABELS.values() if family not in FAMILIES]

    assert [key for key in keys if key not in texts] == []


def test_every_message_key_named_in_the_terminals_code_has_both_languages(
    texts: dict[str, dict[str, str]],
) -> None:
    named = re.compile(r"[\"'](terminal\.[a-z_.\-]+[a-z])[\"']")  # a key, or a family
    found = {
        key: path.name
        for path in Path(terminal.__file__).parent.glob("*.py")
        for key in named.findall(path.read_text(encoding="utf-8"))
    }

    families = {key.rsplit(".", 1)[0] for key in texts}  # "terminal.sex" labels its values
    missing = {k: where for k, where in found.items() if k not in texts and k not in families}

    assert missing == {}
    assert "terminal.protection.step_refused" in found  # the scan reads the modules
