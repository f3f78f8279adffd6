"""The moves part of the demo: one family's year, across municipalities, as clerks see it.

The 髙橋 family is found living in 千代田区 and recorded. They move to 新宿区 with a paper
転出証明書 (printed to PDF), which the 転入通知 completes back in 千代田区. The head then gets a
My Number card and the family moves on to 大阪市北区 the card holder's way: 特例転出 online,
the 転出証明書情報 over the network, a wrong PIN at the 大阪 window and then the right one,
and the card carried over (継続利用). Finally the head asks 新宿区 — not his home any more —
for a copy of the family's 住民票 (広域交付), and 大阪市北区 issues its own copy too. Every
step goes through the same use cases the clerk API calls, and every message between
municipalities travels over HTTPS with mutual TLS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jukinet.adapters.documents.move_out_certificates import render_move_out_certificate
from jukinet.adapters.documents.resident_copies import render_resident_copy
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.cards import card_number_with_check_digit
from jukinet.domain.errors import InvalidValue
from jukinet.domain.municipalities import municipality
from jukinet.domain.residents import Resident
from jukinet.nodes.card.counter import CardIssue
from jukinet.nodes.municipal import arrivals, copies, departures, special_moves
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.protocol.directory import CARD_ID

CHIYODA, SHINJUKU, KITA = "131016", "131041", "271276"
CLERK = "demo-clerk"
CARD = card_number_with_check_digit("20261123001")
PIN = "2580"
FAMILY = (
    ("一郎", "イチロウ", "male", "1978-06-02", None),
    ("﨑子", "サキコ", "female", "1981-09-30", "wife"),
    ("𠮷男", "ヨシオ", "male", "2013-02-14", "child"),
)
ADDRESSES = {
    CHIYODA: "東京都千代田区丸の内二丁目4番1号",
    SHINJUKU: "東京都新宿区西新宿二丁目8番1号",
    KITA: "大阪府大阪市北区中之島一丁目3番20号",
}


@dataclass
class MovesRun:
    """What the demo shows: each step in words, and the files it printed."""

    steps: list[tuple[str, str]] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def note(self, step: str, text: str) -> None:
        self.steps.append((step, text))


def run_moves(country: Deployment, folder: Path, today: date) -> MovesRun:
    """The family's moves, ending with every relay delivered."""
    run = MovesRun()
    chiyoda, shinjuku, kita = (_supply(country.municipality(c)) for c in (CHIYODA, SHINJUKU, KITA))
    family = _record_family(chiyoda, today - timedelta(days=300))
    run.note("職権記載", f"髙橋家 ({len(family)} people) in {_name(CHIYODA)}")

    family = _ordinary_move(country, chiyoda, shinjuku, family, today - timedelta(days=120), run)
    certificate = run.files[-1].name
    run.note("転出・転入", f"to {_name(SHINJUKU)} with a paper certificate ({certificate})")

    _issue_card(country, family[0], today)
    _card_holders_move(country, shinjuku, kita, family, today, run)

    _copies(kita, shinjuku, family[0], run, folder)
    country.wait_until_delivered(timeout=60)
    return run


def _supply(node: Node) -> CodeSupply:
    assert node.supply is not None
    return node.supply


def _name(code: str) -> str:
    return municipality(code).full_name


def _record_family(supply: CodeSupply, began: date) -> list[Resident]:
    members: list[Resident] = []
    for given, kana, sex, born, relationship in FAMILY:
        form: dict[str, Any] = {
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": given,
            "family_name_kana": "タカハシ",
            "given_name_kana": kana,
            "birth_date": born,
            "sex": sex,
            "address": ADDRESSES[CHIYODA],
            "arrived_on": began.isoformat(),
            "notified_on": began.isoformat(),
            "domicile": {"place": "東京都千代田区千代田1番", "head_of_family": "髙橋一郎"},
        }
        if relationship:
            form["household"] = {
                "household_id": members[0].household_id,
                "relationship": relationship,
            }
        members.append(arrivals.record_arrival(form, CLERK, supply))
    return members


def _ordinary_move(
    country: Deployment,
    old: CodeSupply,
    new: CodeSupply,
    family: list[Resident],
    on: date,
    run: MovesRun,
) -> list[Resident]:
    """転出 with a certificate for each, 転入 with it; the 転入通知 completes the old record."""
    folder = country.settings.home
    moved: list[Resident] = []
    for person in family:
        result = departures.record_move_out(
            {
                "resident_code": person.resident_code,
                "destination": ADDRESSES[SHINJUKU],
                "planned_on": on.isoformat(),
                "notified_on": (on - timedelta(days=7)).isoformat(),
            },
            CLERK,
            old,
        )
        certificate = result.certificate
        assert certificate is not None
        if not moved:  # the head's certificate, as the clerk prints it
            path = folder / "move-out-certificate.pdf"
            path.write_bytes(render_move_out_certificate(certificate, _name(CHIYODA)))
            run.files.append(path)
        form: dict[str, Any] = {
            "certificate": certificate.to_wire(),
            "family_name": certificate.family_name,
            "given_name": certificate.given_name,
            "birth_date": certificate.birth_date.isoformat(),
            "sex": certificate.sex.value,
            "address": ADDRESSES[SHINJUKU],
            "moved_in_on": on.isoformat(),
            "notified_on": (on + timedelta(days=2)).isoformat(),
            "previous_resident_code": person.resident_code,
        }
        if moved:
            form["household"] = {
                "household_id": moved[0].household_id,
                "relationship": person.relationship.value,
            }
        moved.append(arrivals.record_move_in(form, CLERK, new).resident)
    country.wait_until_delivered(timeout=60)
    return moved


def _issue_card(country: Deployment, holder: Resident, today: date) -> None:
    counter = country.nodes[CARD_ID].cards
    assert counter is not None
    counter.issue(
        CardIssue(
            card_number=CARD,
            resident_code=holder.resident_code,
            name=f"{holder.name.family} {holder.name.given}",
            birth_date=holder.birth_date,
            municipality_code=holder.municipality_code,
            expires_on=today.replace(year=today.year + 10),
            pin=PIN,
        ),
        "card-counter",
    )


def _card_holders_move(
    country: Deployment,
    old: CodeSupply,
    new: CodeSupply,
    family: list[Resident],
    today: date,
    run: MovesRun,
) -> None:
    moving_on = today - timedelta(days=5)
    out = special_moves.record_special_move_out(
        {
            "resident_code": family[0].resident_code,
            "card_number": CARD,
            "channel": "online",
            "planned_on": moving_on.isoformat(),
            "notified_on": (moving_on - timedelta(days=10)).isoformat(),
            "visit_planned_on": today.isoformat(),
            "destination": ADDRESSES[KITA],
            "destination_code": KITA,
            "members": [p.resident_code for p in family[1:]],
        },
        CLERK,
        old,
    )
    run.note(
        "特例転出 (online)",
        f"{len(out.resident_codes)} people leave {_name(SHINJUKU)}; no paper, the 転出証明書情報 "
        f"goes to {_name(KITA)}",
    )
    country.wait_until_delivered(timeout=60)
    form = {
        "resident_code": family[0].resident_code,
        "card_number": CARD,
        "moved_in_on": moving_on.isoformat(),
        "address": ADDRESSES[KITA],
    }
    try:
        special_moves.record_special_move_in({**form, "pin": "0000"}, CLERK, new)
    except InvalidValue as refused:
        run.note("特例転入 refused", f"{refused.field}: {refused.problem}")
    arrived = special_moves.record_special_move_in({**form, "pin": PIN}, CLERK, new)
    run.note(
        "特例転入",
        f"{len(arrived.residents)} people recorded in {_name(KITA)} with the same codes; "
        f"card carried over until {arrived.continued_use_until}",
    )
    special_moves.continue_card_use(
        {"resident_code": family[0].resident_code, "card_number": CARD, "pin": PIN}, CLERK, new
    )
    run.note("継続利用", f"the card now belongs to {_name(KITA)}")
    country.wait_until_delivered(timeout=60)


def _copies(
    home: CodeSupply, elsewhere: CodeSupply, head: Resident, run: MovesRun, folder: Path
) -> None:
    own = copies.issue_copy(
        {
            "requester": {
                "kind": "household-member",
                "name": "髙橋　一郎",
                "resident_code": head.resident_code,
                "document": "drivers-licence",
            },
            "items": ["household-head"],
        },
        CLERK,
        home,
        render_resident_copy,
    )
    wide = copies.issue_wide_area_copy(
        {
            "home_municipality": KITA,
            "requester": {
                "resident_code": head.resident_code,
                "family_name": "髙橋",
                "given_name": "一郎",
                "birth_date": head.birth_date.isoformat(),
                "document": "my-number-card",
            },
            "layout": "individual",
        },
        CLERK,
        elsewhere,
        render_resident_copy,
    )
    for name, issued in (("copy-household.pdf", own), ("copy-wide-area.pdf", wide)):
        path = folder / name
        path.write_bytes(issued.document)
        run.files.append(path)
    run.note("住民票の写し", f"世帯連記式 at {_name(KITA)}, ¥{own.issuance.fee}")
    run.note(
        "広域交付",
        f"個人票 at {_name(SHINJUKU)}, asked of {_name(KITA)} over the network, "
        f"¥{wide.issuance.fee}",
    )
