"""Verifying a node's access log: ``jukinet audit verify`` against hashing the same bytes.

One run builds a one-municipality deployment in a temporary folder (SQLite, or its own
PostgreSQL schema with ``--database-url``), appends ``--entries`` synthetic entries through
the node's unit of work in batches of 10,000 (one signed checkpoint per 1,000, as served
nodes do; not timed), and then times:

``reference``  the same chain computed in a plain loop over entries already in memory:
               canonical bytes and one SHA-256 each, nothing read from the database;
``verify``     ``verify_log`` on the node: every checkpoint's signature, then every entry
               streamed from the database (server-side cursor, 5,000 rows a fetch), rebuilt
               and hashed, the chain held to every checkpoint.

The ratio is verify / reference; memory stays flat because neither keeps the entries.
Results go to ``<out>/access-log-<UTC timestamp>.json``.

    python bench/access_log.py [--entries N] [--database-url URL] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import secrets
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from jukinet.adapters.clock import FixedClock
from jukinet.adapters.storage.engines import drop_schema
from jukinet.deployments import Deployment, create_deployment, plan_country
from jukinet.domain.access_log import EMPTY_CHAIN, AccessEntry, Outcome, entry_hash
from jukinet.nodes.audit.verification import verify_log
from jukinet.settings import Settings

START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
BATCH = 10_000


def entries(count: int) -> Iterator[AccessEntry]:
    for n in range(count):
        yield AccessEntry(
            START + timedelta(seconds=n),
            f"clerk-{n % 40}",
            f"T-{n % 12:02d}",
            f"s-{n // 50}",
            "resident.view",
            "resident.read",
            (f"{n:011d}",),
            Outcome.DONE,
            "looked up by 住民票コード",
        )


def reference(count: int) -> float:
    made = list(entries(min(count, 100_000)))  # a window of entries, cycled
    began = time.perf_counter()
    previous = EMPTY_CHAIN.entry_hash
    for sequence in range(1, count + 1):
        previous = entry_hash(previous, made[(sequence - 1) % len(made)], sequence)
    return time.perf_counter() - began


def run(options: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        prefix = f"bench{secrets.token_hex(3)}_"
        url = options.database_url or f"sqlite:///{folder}/db"
        settings = Settings(home=Path(folder), database_url=url, schema_prefix=prefix)
        create_deployment(settings, plan_country(("131016",)))
        country = Deployment.open(settings, clock=FixedClock(START))
        node = country.municipality("131016")
        try:
            source = entries(options.entries)
            while batch := list(islice(source, BATCH)):
                with node.unit_of_work() as uow:
                    uow.access_log.append(batch)
                    uow.commit()
            assert node.access_log is not None
            assert node.checkpoint_signatures is not None
            plain = reference(options.entries)
            began = time.perf_counter()
            verdict = verify_log(node.access_log, node.checkpoint_signatures)
            verified = time.perf_counter() - began
        finally:
            country.close()
            if options.database_url:
                drop_schema(node.engine, f"{prefix}{node.entry.id}".replace("-", "_"))
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": url.split(":")[0],
        "entries": options.entries,
        "intact": verdict.intact,
        "reference_seconds": round(plain, 3),
        "verify_seconds": round(verified, 3),
        "verify_entries_per_second": round(options.entries / verified),
        "ratio_verify_to_reference": round(verified / plain, 2),
        "max_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    options = parser.parse_args()
    results = run(options)
    options.out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (options.out / f"access-log-{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
