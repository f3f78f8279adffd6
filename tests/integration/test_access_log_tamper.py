"""The access log against the real tables: whatever an attacker with database rights changes,
deletes, inserts, reorders or cuts, verify finds it and says where."""

from __future__ import annotations

import dataclasses
import threading
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jukinet.adapters.storage.access_log import SqlAccessLogArchive, row_of
from jukinet.bootstrap import Node
from jukinet.deployments import Deployment
from jukinet.domain.access_log import (
    AccessEntry,
    BreakKind,
    Checkpoint,
    Outcome,
    StoredEntry,
    entry_hash,
)
from jukinet.nodes.audit.verification import AuditVerdict, verify_log

START = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 10:00 JST, a Monday


def entry(n: int, operator: str = "clerk-1", codes: tuple[str, ...] | None = None) -> AccessEntry:
    return AccessEntry(
        at=START + timedelta(minutes=n),
        operator_id=operator,
        terminal="T-01",
        session_id="s-1",
        action="resident.view",
        permission="resident.read",
        resident_codes=(f"{n:011d}",) if codes is None else codes,
        outcome=Outcome.DONE,
        detail=f"looked up by code ({n})",
    )


@pytest.fixture
def node(country: Deployment) -> Node:
    """Chiyoda's node, sealing a checkpoint every 5 entries."""
    chiyoda = country.municipality("131016")
    assert chiyoda.access_seal is not None
    seal = dataclasses.replace(chiyoda.access_seal, every=5)
    chiyoda.access_seal = seal
    chiyoda.access_log = SqlAccessLogArchive(chiyoda.engine, chiyoda.metadata, seal)
    return chiyoda


def append(node: Node, *entries: AccessEntry) -> None:
    with node.unit_of_work() as uow:
        uow.access_log.append(list(entries))
        uow.commit()


def verify(node: Node) -> AuditVerdict:
    assert node.access_log is not None
    assert node.checkpoint_signatures is not None
    return verify_log(node.access_log, node.checkpoint_signatures)


def first_break(node: Node) -> tuple[int, BreakKind]:
    broken = verify(node).broken
    assert broken is not None, "verify passed a tampered log"
    return broken.sequence, broken.kind


def as_dba(node: Node, *statements: str) -> None:
    """Run SQL as someone who may drop the append-only triggers, and does."""
    with node.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            for table in ("access_log", "access_log_checkpoints"):
                connection.execute(text(f"DROP FUNCTION IF EXISTS {table}_append_only() CASCADE"))
        else:
            for table in ("access_log", "access_log_checkpoints"):
                for event in ("update", "delete"):
                    connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{event}"))
        for statement in statements:
            connection.execute(text(statement))


def twelve(node: Node) -> None:
    append(node, *(entry(n) for n in range(1, 8)))
    append(node, *(entry(n) for n in range(8, 13)))


def test_an_untouched_log_is_intact_up_to_its_newest_checkpoint(node: Node) -> None:
    twelve(node)

    verdict = verify(node)

    assert verdict.intact
    assert verdict.chain.entries == 12
    assert verdict.last_checkpoint is not None
    assert verdict.last_checkpoint.sequence == 12  # the append that crossed 10 sealed its end


@pytest.mark.parametrize(
    "statement", ["UPDATE access_log SET detail = 'x'", "DELETE FROM access_log"]
)
def test_the_database_refuses_to_change_or_delete_entries(node: Node, statement: str) -> None:
    twelve(node)

    with pytest.raises(DBAPIError, match="append-only"), node.engine.begin() as connection:
        connection.execute(text(statement))

    assert verify(node).chain.entries == 12


def test_an_edited_entry_is_found_where_it_was_edited(node: Node) -> None:
    twelve(node)
    as_dba(node, "UPDATE access_log SET detail = 'nothing to see' WHERE sequence = 4")

    assert first_break(node) == (4, BreakKind.CHANGED)


def test_a_deleted_entry_is_found_where_it_was(node: Node) -> None:
    twelve(node)
    as_dba(node, "DELETE FROM access_log WHERE sequence = 7")

    assert first_break(node) == (7, BreakKind.DELETED)


def test_a_forged_entry_slipped_in_is_found_even_with_its_own_hash_right(node: Node) -> None:
    twelve(node)
    with node.engine.connect() as connection:
        previous = connection.execute(
            text("SELECT entry_hash FROM access_log WHERE sequence = 5")
        ).scalar_one()
    forged = entry(99, "clerk-9")
    as_dba(
        node,
        "UPDATE access_log SET sequence = sequence + 1000 WHERE sequence >= 6",
        "UPDATE access_log SET sequence = sequence - 999 WHERE sequence >= 1000",
    )
    with node.engine.begin() as connection:
        connection.execute(
            node.metadata.tables["access_log"].insert(),
            [row_of(StoredEntry(6, forged, previous, entry_hash(previous, forged, 6)))],
        )

    assert first_break(node) == (6, BreakKind.INSERTED)


def test_two_swapped_entries_are_found_at_the_first(node: Node) -> None:
    twelve(node)
    as_dba(
        node,
        "UPDATE access_log SET sequence = 1003 WHERE sequence = 3",
        "UPDATE access_log SET sequence = 3 WHERE sequence = 8",
        "UPDATE access_log SET sequence = 8 WHERE sequence = 1003",
    )

    assert first_break(node) == (3, BreakKind.REORDERED)


def test_cutting_the_newest_entries_is_found_by_the_checkpoint(node: Node) -> None:
    twelve(node)
    as_dba(node, "DELETE FROM access_log WHERE sequence > 9")

    assert first_break(node) == (10, BreakKind.TRUNCATED)


def test_emptying_the_log_and_its_checkpoints_is_found_by_the_head_file(node: Node) -> None:
    twelve(node)
    as_dba(node, "DELETE FROM access_log", "DELETE FROM access_log_checkpoints")

    assert first_break(node) == (1, BreakKind.TRUNCATED)


def test_a_checkpoint_signed_with_another_key_is_refused(node: Node) -> None:
    twelve(node)
    with node.engine.connect() as connection:
        head = connection.execute(
            text("SELECT entry_hash FROM access_log WHERE sequence = 11")
        ).scalar_one()
    unsigned = Checkpoint(11, head, START, b"")
    signature = Ed25519PrivateKey.generate().sign(unsigned.statement(node.entry.id))
    with node.engine.begin() as connection:
        connection.execute(
            node.metadata.tables["access_log_checkpoints"].insert(),
            [{"sequence": 11, "entry_hash": head, "at": START, "signature": signature.hex()}],
        )

    assert first_break(node) == (11, BreakKind.FORGED_CHECKPOINT)


def test_appends_from_two_threads_at_once_keep_one_chain(node: Node) -> None:
    def clerk(name: str) -> None:
        for n in range(25):
            append(node, entry(n, name))

    threads = [threading.Thread(target=clerk, args=(f"clerk-{i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    verdict = verify(node)
    assert verdict.intact
    assert verdict.chain.entries == 50


def test_an_action_rolled_back_leaves_no_log_line(node: Node) -> None:
    append(node, entry(1))
    with node.unit_of_work() as uow:
        uow.access_log.append([entry(2)])  # and the use case fails before its commit

    verdict = verify(node)
    assert verdict.intact
    assert verdict.chain.entries == 1
