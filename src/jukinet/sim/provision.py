"""The provision part of the demo: 日本年金機構 uses Juki-net as it does every month.

J-LIS registers the pension service and a resident portal; the pension service asks about one
pensioner online (即時提供), then sends its existence check (現況確認) for a sample of
pensioners as a Shift_JIS batch over the network; the annual notice is drawn up from the
provision log; and one resident looks, through the portal, at who received their data.
Everything goes over HTTPS with mutual TLS and signed requests, like any agency's system.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from jukinet.adapters.documents.csv_reports import provision_notice_csv
from jukinet.adapters.documents.reports import render_provision_notice
from jukinet.adapters.network.recipient_client import RecipientClient
from jukinet.bootstrap import register_recipient
from jukinet.deployments import Deployment
from jukinet.domain.reports import ProvisionNotice
from jukinet.nodes.provision.notices import provision_notice

PENSION = "kokumin-nenkin"
SAMPLE = 500


@dataclass
class ProvisionRun:
    """What the demo shows: one answer, the batch's outcomes, the notice and a resident's view."""

    single: dict[str, Any] = field(default_factory=dict)
    batch: dict[str, int] = field(default_factory=dict)
    notice: ProvisionNotice | None = None
    files: list[Path] = field(default_factory=list)
    resident_view: list[dict[str, str]] = field(default_factory=list)


def run_provision(country: Deployment, folder: Path, seed: int, today: date) -> ProvisionRun:
    national = country.national
    run = ProvisionRun()
    codes = _pensioner_codes(country, seed)
    with _client(country, folder, "nenkin", "agency", "nenkin-op-01") as pension:
        answer = pension.post(
            "/provision/v1/identity-queries",
            {"affair": PENSION, "key": {"resident_code": codes[0]}, "history": True},
        )
        run.single = answer["matches"][0]
        run.batch = _existence_check(pension, codes)
    with _client(country, folder, "mynaportal", "portal", "portal") as portal:
        my_number = run.single["identity"]["my_number"]
        records = portal.post("/resident/v1/provision-records", {"my_number": my_number})
        run.resident_view = records["records"]
    assert national.provider is not None
    first = f"{today.year if today.month >= 4 else today.year - 1}-04"
    run.notice = provision_notice(first, f"{today:%Y-%m}", national.provider)
    run.files = _publish(run.notice, folder)
    return run


def _pensioner_codes(country: Deployment, seed: int) -> list[str]:
    """Everyone the national node holds who was born before 1966: the sample the pension
    service asks about (living, moved, died or gone abroad alike)."""
    table = country.national.metadata.tables["identity_current"]
    query = select(table.c.resident_code).where(table.c.birth_date < date(1966, 1, 1))
    with country.national.engine.connect() as connection:
        codes = sorted(set(connection.execute(query).scalars()))
    random.Random(seed).shuffle(codes)
    return codes[:SAMPLE]


@contextmanager
def _client(
    country: Deployment, folder: Path, recipient: str, kind: str, operator: str
) -> Iterator[RecipientClient]:
    target = folder / "credentials" / recipient
    credentials = register_recipient(
        country.national, recipient, kind, "jlis-demo", target, country.settings.pki_dir
    )
    client = RecipientClient(credentials, operator, credentials.https_client())
    try:
        yield client
    finally:
        client.close()


def _existence_check(pension: RecipientClient, codes: list[str]) -> dict[str, int]:
    lines = ["照会番号,住民票コード"] + [f"G{n:05d},{code}" for n, code in enumerate(codes, 1)]
    body = ("\r\n".join(lines) + "\r\n").encode("cp932")
    ticket = pension.upload(f"/provision/v1/batches?affair={PENSION}", body, "text/csv")
    path = f"/provision/v1/batches/{ticket['batch_id']}"
    while pension.get(path)["state"] not in ("done", "failed"):
        time.sleep(0.2)
    outcomes: dict[str, int] = {}
    for line in pension.download(f"{path}/result").decode().splitlines():
        row = json.loads(line)
        state = row["outcome"]
        if state == "matched":
            state = row["match"]["status"].get("reason_label", "住民")
        outcomes[state] = outcomes.get(state, 0) + 1
    return outcomes


def _publish(notice: ProvisionNotice, folder: Path) -> list[Path]:
    csv_file, pdf_file = folder / "provision-notice.csv", folder / "provision-notice.pdf"
    csv_file.write_bytes(provision_notice_csv(notice))
    pdf_file.write_bytes(render_provision_notice(notice))
    return [csv_file, pdf_file]
