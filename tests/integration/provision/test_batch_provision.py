"""一括提供 over the network: the pension service's existence check (現況確認), end to end.

日本年金機構 uploads a Shift_JIS CSV of its pensioners' keys; J-LIS answers every row —
alive and where, removed and why, not found, ambiguous, or invalid — and logs what it
provided; the annual notice counts it under 電気通信回線.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.integration.provision.conftest import (
    PENSION,
    TSURUMI_ADDRESS,
    World,
    log_rows,
    provided_codes,
)

from jukinet.adapters.documents.csv_reports import provision_notice_csv
from jukinet.adapters.network.recipient_client import RecipientClient, RecipientRequestFailed
from jukinet.nodes.provision import batches
from jukinet.nodes.provision.batches import match_next_chunk, run_pending
from jukinet.nodes.provision.notices import provision_notice

BATCHES = "/provision/v1/batches"


def existence_check_csv(world: World) -> bytes:
    """The pension service's file: 照会番号 and one key per row, as its systems write it."""
    p = world.people
    lines = [
        "照会番号,住民票コード,氏名,フリガナ,生年月日,性別,住所",
        f"P-001,{p['sato-tokyo'].resident_code},,,,,",
        f"P-002,{p['yoshida'].resident_code},,,,,",
        f"P-003,{world.moved_code},,,,,",
        "P-004,,髙橋　一郎,,19500401,1,",
        "P-005,,,ｻﾄｳ ﾊﾅｺ,1955-06-15,2,",
        "P-006,,年金 太郎,,1930-01-01,1,",
        "P-007,12345678901,,,,,",
        "P-008,,佐藤*,,1955-06-15,2,",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


def submit(client: RecipientClient, body: bytes, query: str) -> dict[str, Any]:
    return client.upload(f"{BATCHES}?{query}", body, "text/csv")


def result_rows(client: RecipientClient, batch_id: str) -> dict[str, dict[str, Any]]:
    text = client.download(f"{BATCHES}/{batch_id}/result").decode("utf-8")
    rows = [json.loads(line) for line in text.splitlines()]
    return {row["ref"]: row for row in rows}


def test_the_pension_existence_check_answers_every_row_and_logs_what_it_provided(
    world: World,
) -> None:
    client = world.client("nenkin")
    provider = world.national.provider
    assert provider is not None

    ticket = submit(client, existence_check_csv(world), f"affair={PENSION}&format=csv")
    assert (ticket["state"], ticket["rows_total"], ticket["channel"]) == (
        "queued",
        8,
        "network-batch",
    )
    run_pending(provider)
    status = client.get(f"{BATCHES}/{ticket['batch_id']}")
    answers = result_rows(client, ticket["batch_id"])

    assert (status["state"], status["rows_done"]) == ("done", 8)
    outcomes = {ref: row["outcome"] for ref, row in answers.items()}
    assert outcomes == {
        "P-001": "matched",
        "P-002": "matched",
        "P-003": "matched",
        "P-004": "matched",
        "P-005": "ambiguous",  # two 佐藤花子 born the same day: nothing provided
        "P-006": "not-found",
        "P-007": "invalid",
        "P-008": "invalid",
    }
    assert answers["P-001"]["match"]["status"]["state"] == "resident"
    assert answers["P-002"]["match"]["status"] == {
        "state": "removed",
        "reason": "death",
        "reason_label": "死亡",
        "date": "2026-11-01",
    }
    assert answers["P-003"]["match"]["identity"]["address"] == TSURUMI_ADDRESS
    assert answers["P-004"]["match"]["identity"]["family_name"] == "髙橋"
    assert answers["P-005"]["candidates"] == 2
    assert answers["P-007"]["problem"]["field"] == "key.resident_code"
    assert answers["P-008"]["problem"]["field"] == "key.name"
    logged = provided_codes(world, batch_id=ticket["batch_id"])
    assert sorted(logged) == sorted(
        {a["match"]["identity"]["resident_code"] for a in answers.values() if "match" in a}
    )


def test_json_lines_in_utf8_with_history_return_each_persons_versions(world: World) -> None:
    client = world.client("nenkin")
    provider = world.national.provider
    assert provider is not None
    body = json.dumps({"ref": 1, "resident_code": world.moved_code}).encode() + b"\n"

    ticket = client.upload(
        f"{BATCHES}?affair=kosei-nenkin&format=jsonl&history=true", body, "application/x-ndjson"
    )
    run_pending(provider)

    (row,) = result_rows(client, ticket["batch_id"]).values()
    reasons = [v["reason"] for v in row["match"]["history"]]
    assert reasons[:2] == ["ex-officio-record", "move-out"]
    # The move-in, and the 転入通知 completing the move-out, share the day of the move.
    assert sorted(reasons[2:]) == ["move-in", "move-out-confirmed"]


def test_matching_resumes_after_a_crash_without_providing_a_row_twice(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = world.client("nenkin")
    provider = world.national.provider
    assert provider is not None
    ticket = submit(client, existence_check_csv(world), f"affair={PENSION}")
    batch_id = ticket["batch_id"]
    assert match_next_chunk(batch_id, provider, chunk=3) == 3

    original = batches._answer

    def crash(*args: Any) -> Any:
        original(*args)
        raise RuntimeError("power cut while the second chunk was being written")

    monkeypatch.setattr(batches, "_answer", crash)
    with pytest.raises(RuntimeError):
        match_next_chunk(batch_id, provider, chunk=3)
    assert client.get(f"{BATCHES}/{batch_id}")["rows_done"] == 3
    monkeypatch.setattr(batches, "_answer", original)
    run_pending(provider, chunk=3)

    answers = result_rows(client, batch_id)
    assert sorted(answers) == [f"P-00{n}" for n in range(1, 9)]
    entries = log_rows(world, batch_id=batch_id)
    assert [e["detail"] for e in entries] == ["rows 1-3", "rows 4-6", "rows 7-8"]
    assert sum(e["provided"] for e in entries) == 4


def test_a_batch_outside_the_affairs_channels_is_refused_and_logged(world: World) -> None:
    client = world.client("mhlw")  # 労災 is provided online only, never in batches

    with pytest.raises(RecipientRequestFailed) as failed:
        submit(client, existence_check_csv(world), "affair=rosai")

    assert (failed.value.status, failed.value.problem["field"]) == (403, "channel")
    assert log_rows(world, recipient_id="mhlw", outcome="refused")[-1]["channel"] == "network-batch"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"ref,surname\r\nA,x\r\n", "header"),
        (b"", "file"),
        ("照会番号,住民票コード\r\nA,1\r\n".encode("cp932"), None),  # readable: a per-row problem
    ],
)
def test_a_file_unreadable_as_a_whole_is_refused_and_nothing_is_kept(
    world: World, body: bytes, field: str | None
) -> None:
    client = world.client("nenkin")
    before = len(log_rows(world, recipient_id="nenkin"))

    if field is None:
        assert submit(client, body, f"affair={PENSION}&encoding=shift_jis")["rows_total"] == 1
        return
    with pytest.raises(RecipientRequestFailed) as failed:
        submit(client, body, f"affair={PENSION}")

    assert (failed.value.status, failed.value.problem["field"]) == (422, field)
    assert len(log_rows(world, recipient_id="nenkin")) == before


def test_another_agency_cannot_see_a_batch_and_results_wait_until_it_is_done(
    world: World,
) -> None:
    ticket = submit(world.client("nenkin"), existence_check_csv(world), f"affair={PENSION}")

    with pytest.raises(RecipientRequestFailed) as early:
        world.client("nenkin").download(f"{BATCHES}/{ticket['batch_id']}/result")
    with pytest.raises(RecipientRequestFailed) as stranger:
        world.client("kkr").get(f"{BATCHES}/{ticket['batch_id']}")

    assert early.value.status == 409
    assert stranger.value.status == 404


def test_the_annual_notice_counts_batch_and_immediate_provisions_by_method(world: World) -> None:
    provider = world.national.provider
    assert provider is not None
    client = world.client("nenkin")
    client.post(
        "/provision/v1/identity-queries",
        {"affair": PENSION, "key": {"resident_code": world.people["sato-tokyo"].resident_code}},
    )
    submit(client, existence_check_csv(world), f"affair={PENSION}")
    run_pending(provider)

    notice = provision_notice("2026-04", "2027-03", provider)
    text = provision_notice_csv(notice).decode("utf-8-sig")

    pension = [
        line
        for line in notice.lines
        if line.recipient == "日本年金機構" and line.affair.startswith("国民年金法")
    ]
    by_method = {line.channel.value: line.count for line in pension}
    assert by_method["network-batch"] >= 4  # every matched row of every batch sent so far
    assert by_method["immediate"] >= 1
    assert notice.total == sum(line.count for line in notice.lines)
    assert text.splitlines()[0] == "提供先,事務,提供年月,提供件数,提供方法,month"
    assert "令和8年11月" in text
    assert text.splitlines()[-1] == f"提供件数合計,,,{notice.total},,"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(world: World) -> None:
    authenticator = world.national.authenticator
    assert authenticator is not None
    limit, authenticator.max_body = authenticator.max_body, 100
    try:
        with pytest.raises(RecipientRequestFailed) as refused:
            submit(world.client("nenkin"), existence_check_csv(world), f"affair={PENSION}")
    finally:
        authenticator.max_body = limit

    assert refused.value.status == 413
    assert "split the batch, or send it on media" in refused.value.problem["title"]
