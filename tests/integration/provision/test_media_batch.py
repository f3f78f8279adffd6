"""磁気媒体による一括提供: a sealed request carried to J-LIS, a sealed answer carried back."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests.integration.provision.conftest import World, log_rows

from jukinet.adapters.crypto.packages import PackageTampered, SignerNotTrusted
from jukinet.adapters.network.recipient_client import RecipientCredentials
from jukinet.cli.media import load_request, pack_request, unpack_result
from jukinet.domain.provision import Channel, ProvisionNotPermitted
from jukinet.nodes.provision.batch_input import BatchFormat
from jukinet.nodes.provision.batches import BatchRequest

KIKIN = "kikin-kyufu"  # 国民年金基金連合会: provided on media only


def credentials(world: World, recipient: str) -> RecipientCredentials:
    return world.client(recipient).credentials


def keys_file(world: World, tmp_path: Path) -> Path:
    source = tmp_path / "keys.csv"
    rows = ["照会番号,住民票コード", f"K-1,{world.people['sato-osaka'].resident_code}", "K-2,1"]
    source.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp932"))
    return source


def test_a_media_request_is_answered_sealed_to_the_agency_and_logged_as_media(
    world: World, tmp_path: Path
) -> None:
    agency = credentials(world, "npfa")
    request = BatchRequest(KIKIN, Channel.MEDIA_BATCH, BatchFormat.CSV, "shift_jis")
    key = pack_request(agency, keys_file(world, tmp_path), tmp_path / "req.jkp", request, "op-9")

    summary = load_request(world.national, tmp_path / "req.jkp", tmp_path / "res.jkp")
    header = unpack_result(agency, tmp_path / "res.jkp", key, tmp_path / "answers.jsonl")

    answers = [json.loads(line) for line in (tmp_path / "answers.jsonl").read_text().splitlines()]
    assert [a["outcome"] for a in answers] == ["matched", "invalid"]
    assert answers[0]["match"]["identity"]["family_name"] == "佐藤"
    assert header["batch_id"] == summary["batch_id"]
    (entry,) = log_rows(world, batch_id=str(summary["batch_id"]))
    assert (entry["recipient_id"], entry["channel"], entry["operator"], entry["provided"]) == (
        "npfa",
        "media-batch",
        "op-9",
        1,
    )
    assert "佐藤".encode("cp932") not in (tmp_path / "req.jkp").read_bytes()
    assert "佐藤".encode() not in (tmp_path / "res.jkp").read_bytes()


def test_a_request_from_an_unregistered_or_revoked_signer_is_refused(
    world: World, tmp_path: Path
) -> None:
    agency = credentials(world, "pfa")
    request = BatchRequest("kigyo-nenkin", Channel.MEDIA_BATCH, BatchFormat.CSV)
    pack_request(agency, keys_file(world, tmp_path), tmp_path / "req.jkp", request, "op-1")
    assert world.national.credentials is not None
    world.national.credentials.revoke("pfa", "jlis-admin", world.clock.now())

    with pytest.raises(SignerNotTrusted):
        load_request(world.national, tmp_path / "req.jkp", tmp_path / "res.jkp")

    assert not (tmp_path / "res.jkp").exists()


def test_a_request_for_an_affair_not_provided_on_media_is_refused(
    world: World, tmp_path: Path
) -> None:
    agency = credentials(world, "kkr")  # 国家公務員共済: network batches, not media
    request = BatchRequest("nenkin-kyufu", Channel.MEDIA_BATCH, BatchFormat.CSV)
    pack_request(agency, keys_file(world, tmp_path), tmp_path / "req.jkp", request, "op-1")

    with pytest.raises(ProvisionNotPermitted) as refused:
        load_request(world.national, tmp_path / "req.jkp", tmp_path / "res.jkp")

    assert refused.value.field == "channel"
    assert log_rows(world, recipient_id="kkr", outcome="refused")[-1]["channel"] == "media-batch"


def test_a_package_altered_in_transit_is_refused(world: World, tmp_path: Path) -> None:
    agency = credentials(world, "shigaku")
    request = BatchRequest("nenkin-kyufu", Channel.MEDIA_BATCH, BatchFormat.CSV)
    pack_request(agency, keys_file(world, tmp_path), tmp_path / "req.jkp", request, "op-1")
    data = bytearray((tmp_path / "req.jkp").read_bytes())
    data[-100] ^= 1
    (tmp_path / "req.jkp").write_bytes(bytes(data))

    with pytest.raises(PackageTampered):
        load_request(world.national, tmp_path / "req.jkp", tmp_path / "res.jkp")


def test_a_package_signed_by_one_agency_cannot_speak_for_another(
    world: World, tmp_path: Path
) -> None:
    impostor = credentials(world, "chikyosai")
    pretending = replace(impostor, recipient_id="npfa")  # names 国民年金基金連合会 in the header
    request = BatchRequest(KIKIN, Channel.MEDIA_BATCH, BatchFormat.CSV)
    pack_request(pretending, keys_file(world, tmp_path), tmp_path / "req.jkp", request, "op-1")

    with pytest.raises(SignerNotTrusted, match="signed by 'chikyosai'"):
        load_request(world.national, tmp_path / "req.jkp", tmp_path / "res.jkp")

    assert not (tmp_path / "res.jkp").exists()
