"""一括提供 at scale: a file of keys through the whole batch path, against a bare DuckDB join.

One run builds a national-only deployment in its own PostgreSQL schema, COPYs ``--residents``
synthetic people into the national node's identity store (the loader of bench/provision.py),
writes a Shift_JIS CSV of ``--keys`` 住民票コード drawn at random from them (plus one key in
a hundred that nobody holds), and then, in the same process, times:

``reference``  DuckDB, in memory: the residents' (住民票コード, identity JSON) loaded
               beforehand (not timed); timed is reading the keys CSV (a UTF-8 copy) and
               writing ``ref, outcome, content`` for every key with a LEFT JOIN to a CSV file;
``full``       the node's batch path: ``receive_batch`` (decode, validate every row, stage),
               ``run_pending`` (set-based matching in chunks, each chunk's answers and its
               provision-log entry committed together) and writing the answers as JSON
               Lines, as the result download does.

The two alternate (reference, full, reference) and the ratio is full / the mean of the
references. Results go to ``<out>/batch-provision-<UTC timestamp>.json``.

    python bench/batch_provision.py [--residents N] [--keys K] [--database-url URL] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).parent))
from jukinet.adapters.storage.engines import make_engine
from jukinet.bootstrap import open_node, register_recipient
from jukinet.domain.checkdigits import resident_code_scheme
from jukinet.domain.codes import with_check_digit
from jukinet.domain.provision import Channel
from jukinet.nodes.provision.batch_input import BatchFormat
from jukinet.nodes.provision.batches import (
    BatchRequest,
    batch_results,
    receive_batch,
    run_pending,
)
from jukinet.nodes.provision.providers import Caller
from jukinet.protocol.directory import NATIONAL_ID
from provision import DEFAULT_DATABASE, load_residents, machine, national_only

CALLER = Caller("nenkin", "op-bench-batch")
AFFAIR = "kokumin-nenkin"


def resident_code(i: int) -> str:
    """The code bench/provision.py gives resident ``i`` (a bijection onto 10 digits)."""
    return with_check_digit(
        f"{(i * 7_368_787 + 1_234_567_891) % 10**10:010d}", resident_code_scheme()
    )


def write_keys(folder: Path, residents: int, keys: int, seed: int) -> tuple[Path, Path]:
    rng = random.Random(seed)
    chosen = rng.sample(range(residents), keys)
    lines = ["照会番号,住民票コード"]
    for n, i in enumerate(chosen, 1):
        # One key in a hundred belongs to nobody: a resident number beyond those loaded.
        code = resident_code(residents + n) if n % 100 == 0 else resident_code(i)
        lines.append(f"R{n:08d},{code}")
    text = "\r\n".join(lines) + "\r\n"
    sjis, utf8 = folder / "keys.sjis.csv", folder / "keys.utf8.csv"
    sjis.write_bytes(text.encode("cp932"))
    utf8.write_text(text.replace("照会番号,住民票コード", "ref,resident_code"), "utf-8")
    return sjis, utf8


def duckdb_residents(settings: Any, folder: Path) -> duckdb.DuckDBPyConnection:
    """The residents' codes and identity JSON, exported from PostgreSQL into DuckDB (untimed)."""
    export = folder / "residents.csv"
    engine = make_engine(settings.store(NATIONAL_ID))
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        with connection.cursor() as cursor, export.open("wb") as out:
            query = "COPY (SELECT resident_code, content FROM identity_current) TO STDOUT WITH CSV HEADER"
            with cursor.copy(query) as copy:
                for block in copy:
                    out.write(block)
    finally:
        raw.close()
        engine.dispose()
    db = duckdb.connect()
    db.execute(
        f"CREATE TABLE residents AS SELECT * FROM read_csv('{export}', header=true, "
        "columns={'resident_code': 'VARCHAR', 'content': 'VARCHAR'})"
    )
    return db


def bare_join(db: duckdb.DuckDBPyConnection, keys: Path, out: Path) -> float:
    start = time.perf_counter()
    db.execute(
        f"""COPY (
            SELECT k.ref, CASE WHEN r.content IS NULL THEN 'not-found' ELSE 'matched' END AS outcome,
                   r.content
            FROM read_csv('{keys}', header=true, columns={{'ref': 'VARCHAR', 'resident_code': 'VARCHAR'}}) k
            LEFT JOIN residents r USING (resident_code)
        ) TO '{out}' (FORMAT csv)"""
    )
    return time.perf_counter() - start


def full_path(node: Any, keys: Path, out: Path) -> dict[str, float]:
    provider = node.provider
    request = BatchRequest(AFFAIR, Channel.NETWORK_BATCH, BatchFormat.CSV, "shift_jis")
    phases: dict[str, float] = {}
    start = time.perf_counter()
    with keys.open("rb") as source:
        ticket = receive_batch(request, source, CALLER, provider)
    phases["receive_seconds"] = time.perf_counter() - start
    mark = time.perf_counter()
    run_pending(provider)
    phases["match_seconds"] = time.perf_counter() - mark
    mark = time.perf_counter()
    after = 0
    with out.open("w", encoding="utf-8") as answers:
        while page := batch_results(ticket.batch_id, CALLER, provider, after):
            answers.writelines(row.content + "\n" for row in page)
            after = page[-1].number
    phases["download_seconds"] = time.perf_counter() - mark
    phases["total_seconds"] = time.perf_counter() - start
    return phases


def run(options: argparse.Namespace) -> dict[str, Any]:
    with national_only(options.database_url) as settings, tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        node = open_node(NATIONAL_ID, settings)  # creates the store's tables
        print(f"loading {options.residents:,} residents …", flush=True)
        loaded = load_residents(settings, options.residents, options.seed)
        sjis, utf8 = write_keys(folder, options.residents, options.keys, options.seed)
        db = duckdb_residents(settings, folder)
        register_recipient(node, "nenkin", "agency", "bench", folder / "nenkin", settings.pki_dir)
        references = [bare_join(db, utf8, folder / "bare-1.csv")]
        print(f"reference {references[0]:.2f} s; full path …", flush=True)
        full = full_path(node, sjis, folder / "answers.jsonl")
        references.append(bare_join(db, utf8, folder / "bare-2.csv"))
        node.engine.dispose()
    reference = sum(references) / len(references)
    return {
        "benchmark": "batch-provision",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(options.database_url),
        "residents": loaded,
        "keys": options.keys,
        "reference_seconds": references,
        "full": full,
        "ratio_full_to_reference": full["total_seconds"] / reference,
        "rows_per_second": options.keys / full["total_seconds"],
        "target": "within 3x the bare DuckDB join (3.8M keys against 12.5M residents)",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--residents", type=int, default=1_250_000)
    parser.add_argument("--keys", type=int, default=380_000)
    parser.add_argument("--seed", type=int, default=38)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    options = parser.parse_args()
    results = run(options)
    options.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    for name in (f"batch-provision-{stamp}.json", "batch-provision-latest.json"):
        (options.out / name).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    full = results["full"]
    print(
        f"{results['keys']:,} keys against {results['residents']['residents']:,} residents: "
        f"full {full['total_seconds']:.1f} s (receive {full['receive_seconds']:.1f}, match "
        f"{full['match_seconds']:.1f}, download {full['download_seconds']:.1f}); DuckDB "
        f"{min(results['reference_seconds']):.2f} s; ratio {results['ratio_full_to_reference']:.1f}x"
    )


if __name__ == "__main__":
    main()
