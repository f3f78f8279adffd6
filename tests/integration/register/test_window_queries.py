"""Two reads the window terminal needs from the register: what each change of a record altered
(``queries.changed_items``), and the 転出証明書情報 waiting for a card holder's 特例転入
(``special_moves.waiting_information``)."""

from __future__ import annotations

from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI, DeploymentFactory

from jukinet.nodes.municipal import amendments, arrivals, special_moves
from jukinet.nodes.municipal.queries import changed_items, resident_view

HOME = "東京都千代田区丸の内一丁目1番1号"
TSURUMI = "神奈川県横浜市鶴見区鶴見中央三丁目20番1号"


def test_a_change_lists_each_item_it_altered_with_nested_items_by_dotted_name() -> None:
    before = {
        "address": "A",
        "version": 1,
        "name": {"family": "山田", "given": "花子"},
        "domicile": None,
    }
    after = {
        "address": "B",
        "version": 2,
        "name": {"family": "佐藤", "given": "花子"},
        "domicile": {"place": "東京都"},
    }

    assert changed_items(before, after) == [
        {"item": "address", "before": "A", "after": "B"},
        {"item": "name.family", "before": "山田", "after": "佐藤"},
        {"item": "domicile", "before": None, "after": {"place": "東京都"}},
    ]
    assert changed_items(None, after) == []  # a new record: the record is what happened


def test_the_record_view_says_what_a_name_change_altered(
    make_deployment: DeploymentFactory,
) -> None:
    node = make_deployment((TOKYO_CHIYODA,)).municipality(TOKYO_CHIYODA)
    assert node.supply is not None
    person = arrivals.record_arrival(
        {
            "reason": "ex-officio-record",
            "family_name": "山田",
            "given_name": "花子",
            "birth_date": "1990-01-01",
            "sex": "female",
            "address": HOME,
            "arrived_on": "2026-04-01",
        },
        "clerk-1",
        node.supply,
    )
    amendments.change_name(
        {
            "resident_code": person.resident_code,
            "family_name": "佐藤",
            "family_name_kana": "サトウ",
            "changed_on": "2026-11-20",
        },
        "clerk-1",
        node.supply,
    )

    line = resident_view(person.resident_code, node.supply.unit_of_work)["history"][-1]
    assert {(c["item"], c["before"], c["after"]) for c in line["changes"]} == {
        ("name.family", "山田", "佐藤"),
        ("name.family_kana", "", "サトウ"),
    }


def test_the_information_waiting_for_a_card_holder_lists_the_holder_first(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))
    old, new = country.municipality(TOKYO_CHIYODA), country.municipality(YOKOHAMA_TSURUMI)
    assert old.supply is not None
    assert new.supply is not None
    common = {"birth_date": "1980-04-01", "address": HOME, "arrived_on": "2026-04-01"}
    holder = arrivals.record_arrival(
        {
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": "一郎",
            "sex": "male",
            **common,
        },
        "clerk-1",
        old.supply,
    )
    member = arrivals.record_arrival(
        {
            "reason": "ex-officio-record",
            "family_name": "髙橋",
            "given_name": "花子",
            "sex": "female",
            "household": {"household_id": holder.household_id, "relationship": "wife"},
            **common,
        },
        "clerk-1",
        old.supply,
    )
    special_moves.record_special_move_out(
        {
            "resident_code": holder.resident_code,
            "card_number": "202611230014",
            "channel": "counter",
            "planned_on": "2026-11-20",
            "destination": TSURUMI,
            "destination_code": YOKOHAMA_TSURUMI,
            "members": [member.resident_code],
        },
        "clerk-1",
        old.supply,
    )
    assert special_moves.waiting_information(holder.resident_code, new.supply) == []

    country.pump()

    waiting = special_moves.waiting_information(holder.resident_code, new.supply)
    assert [(i.certificate.resident_code, i.is_holder) for i in waiting] == [
        (holder.resident_code, True),
        (member.resident_code, False),
    ]
    assert waiting[0].certificate.planned_on.isoformat() == "2026-11-20"
