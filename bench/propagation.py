"""How fast identity updates propagate from the municipalities to J-LIS, and what it costs.

One run per database builds an in-process country (national node, the multi-tenant prefecture
node and four municipalities in four prefectures, talking through the real HTTP code path),
then measures, in this order:

(a) ``insert``   the plain insert rate of a ``changes``-shaped row, one INSERT per transaction,
                 through the same engine: the reference every other figure is divided by;
(b) ``change``   the rate of a real register change: ``record_move_within`` (転居) of one
                 resident into a household of their own, which loads the record, writes the
                 household, the record, the history line, the identity version and its outbox
                 row, in one transaction;
(c) ``drain``    end-to-end throughput: a backlog of identity updates made with (b) at every
                 municipality is drained by the relay threads, municipality → prefecture →
                 national, until the national node holds every version;
(d) ``latency``  commit-to-national latency at a paced load (1,000 updates/s by default) with
                 the relay threads running: from the commit of each update at its municipality
                 to the moment the national node stored it (``identity_versions.stored_at``,
                 system clock on both sides).

The paced load of (d) is written by a load generator, not by (b): on a 2-core machine one
Python process cannot run the register use case 1,000 times a second. The generator writes
what a register change hands to the network — the identity version and its outbox row, in
one transaction per update, through the municipality's own unit of work — exactly as
``record_change`` does.

Results go to ``<out>/propagation-<database>-<UTC timestamp>.json`` and
``propagation-<database>-latest.json``; bench/README.md explains the figures and targets.

    python bench/propagation.py [--database sqlite|postgresql|both] [--residents N]
                                [--backlog N] [--seconds S] [--rate R] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text

from jukinet.adapters.storage.engines import drop_schema, location_for
from jukinet.bootstrap import Node, open_node
from jukinet.deployments import Deployment, create_deployment, plan_country
from jukinet.domain.changes import ChangeReason
from jukinet.domain.identity import IdentityInfo
from jukinet.nodes.municipal.amendments import record_move_within
from jukinet.nodes.municipal.notices import notify_identity
from jukinet.protocol.catalogue import IdentityUpdate
from jukinet.protocol.envelope import utc_timestamp
from jukinet.settings import Settings
from jukinet.sim.addresses import draw_address
from jukinet.sim.scenario import Story

MUNICIPALITIES = ("131016", "141011", "271276", "011011")  # Tokyo, Kanagawa, Osaka, Hokkaido
DEFAULT_POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
OPERATOR = "bench"
RATE_SECONDS = 4.0  # each of (a) and (b), after a warm-up of a quarter of that
ADDRESSES_PER_MUNICIPALITY = 64
TICK = 0.01  # the paced load commits what is due every 10 ms
PACED_SHARE = 0.95  # a latency counts only if the load reached this share of the asked rate
TARGETS: dict[str, dict[str, float]] = {
    "postgresql": {"change_to_insert": 0.6, "drain_per_second": 5_000, "latency_p99_ms": 2_000},
    "sqlite": {"latency_p99_ms": 2_000},
}


@dataclass
class Person:
    """A resident the benchmark moves around with the register use case."""

    node: Node
    resident_code: str
    address: str


# -- the country ------------------------------------------------------------------------------


@contextmanager
def country(database: str, postgresql_url: str) -> Iterator[Deployment]:
    """A fresh deployment in a temporary folder (and PostgreSQL schemas), removed afterwards."""
    home = Path(tempfile.mkdtemp(prefix="jukinet-bench-"))
    prefix = f"bench{os.getpid()}_"
    url = f"sqlite:///{home / 'db'}" if database == "sqlite" else postgresql_url
    settings = Settings(home=home, database_url=url, schema_prefix=prefix)
    create_deployment(settings, plan_country(MUNICIPALITIES))
    deployment = Deployment.open(settings)  # the system clock: latencies are real
    try:
        yield deployment
    finally:
        deployment.close()
        if database == "postgresql":
            engine = create_engine(url)
            for node_id in deployment.nodes:
                schema = location_for(url, node_id, prefix).schema
                assert schema is not None
                drop_schema(engine, schema)
            engine.dispose()
        shutil.rmtree(home, ignore_errors=True)


def register_residents(deployment: Deployment, count: int, rng: random.Random) -> list[Person]:
    """Record ``count`` people (in households) across the municipalities, with the use case:
    the demo story's population, through the same register use cases."""
    story = Story(deployment, rng.randrange(2**32), deployment.national.clock.today())
    story.populate(count)
    return [
        Person(deployment.municipality(p.municipality), p.code, p.address) for p in story.people
    ]


class Addresses:
    """A few real addresses per municipality to move people between."""

    def __init__(self, rng: random.Random) -> None:
        self._pool = {
            code: [draw_address(rng, code).text for _ in range(ADDRESSES_PER_MUNICIPALITY)]
            for code in MUNICIPALITIES
        }
        self._turn = 0

    def other_than(self, code: str, current: str) -> str:
        pool = self._pool[code]
        self._turn += 1
        address = pool[self._turn % len(pool)]
        return address if address != current else pool[(self._turn + 1) % len(pool)]


def move(person: Person, addresses: Addresses) -> None:
    """(b): one 転居 through the register use case."""
    code = person.node.entry.municipality_code
    assert code is not None
    assert person.node.supply is not None
    address = addresses.other_than(code, person.address)
    form = {
        "resident_code": person.resident_code,
        "address": address,
        "moved_on": person.node.clock.today().isoformat(),
        "whole_household": False,
    }
    record_move_within(form, OPERATOR, person.node.supply)
    person.address = address


# -- (a) and (b): rates of one transaction after another ----------------------------------------


def rate(step: Callable[[int], None], seconds: float) -> dict[str, float]:
    """Run ``step`` back to back: a warm-up, then ``seconds`` of timed calls."""
    count = 0
    warm_until = time.perf_counter() + seconds / 4
    while time.perf_counter() < warm_until:
        step(count)
        count += 1
    timed, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        step(count + timed)
        timed += 1
    return {"per_second": timed / elapsed, "transactions": timed, "seconds": elapsed}


def insert_step(node: Node) -> Callable[[int], None]:
    changes = node.metadata.tables["changes"]
    statement = changes.insert()

    def step(i: int) -> None:
        row = {
            "record_id": f"{i:032x}",
            "reason": ChangeReason.MOVE_WITHIN.value,
            "occurred_on": date(2026, 1, 1),
            "notified_on": date(2026, 1, 1),
            "recorded_at": datetime.now(UTC),
            "operator": OPERATOR,
            "before": '{"address":"before"}',
            "after": '{"address":"after"}',
        }
        with node.engine.begin() as connection:
            connection.execute(statement, row)

    return step


# -- (c): draining a backlog through the relays -------------------------------------------------


def make_backlog(settings: Settings, people: list[Person], count: int) -> float:
    """``count`` moves, shared by the municipalities, each running its clerks' work in a process
    of its own (one process per core); returns the seconds it took."""
    by_node: dict[str, list[tuple[str, str]]] = {}
    for person in people:
        by_node.setdefault(person.node.entry.id, []).append((person.resident_code, person.address))
    share = count // len(by_node)
    start = time.perf_counter()
    with processes(os.cpu_count() or 1) as pool:
        jobs = [
            pool.submit(moves_at, settings, node_id, residents, share, seed)
            for seed, (node_id, residents) in enumerate(by_node.items())
        ]
        for job in jobs:
            job.result()
    return time.perf_counter() - start


def moves_at(
    settings: Settings, node_id: str, residents: list[tuple[str, str]], count: int, seed: int
) -> None:
    node = open_node(node_id, settings)
    people = [Person(node, code, address) for code, address in residents]
    addresses = Addresses(random.Random(seed))
    for i in range(count):
        move(people[i % len(people)], addresses)
    node.engine.dispose()


def processes(workers: int) -> ProcessPoolExecutor:
    """Worker processes started afresh (not forked from this one, which runs threads)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def versions_held(node: Node) -> int:
    versions = node.metadata.tables["identity_versions"]
    with node.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(versions)).scalar_one())


def wait_for_national(deployment: Deployment, expected: int, timeout: float) -> None:
    """Poll (gently: counting is not free) until the national node holds ``expected`` versions."""
    give_up = time.perf_counter() + timeout
    while versions_held(deployment.national) < expected:
        if time.perf_counter() > give_up:
            raise TimeoutError(f"the national node did not reach {expected} versions")
        time.sleep(0.2)


def stored_at(node: Node) -> dict[tuple[str, int], datetime]:
    """When the node stored each version it holds (its system clock)."""
    versions = node.metadata.tables["identity_versions"]
    query = select(versions.c.stream, versions.c.sequence, versions.c.stored_at)
    with node.engine.connect() as connection:
        return {
            (stream, sequence): at if at.tzinfo else at.replace(tzinfo=UTC)
            for stream, sequence, at in connection.execute(query)
        }


def drain(deployment: Deployment, held: int, updates: int) -> dict[str, float]:
    """Start the relays and time the backlog until the national node stored its last version."""
    started = datetime.now(UTC)
    deployment.start_relays()
    wait_for_national(deployment, held + updates, timeout=900)
    seconds = (max(stored_at(deployment.national).values()) - started).total_seconds()
    return {"updates": updates, "seconds": seconds, "per_second": updates / seconds}


# -- (d): latency under a paced load ------------------------------------------------------------


@dataclass
class Stream:
    """One person's record as the load generator continues it: its latest version."""

    node_id: str
    stream: str
    sequence: int
    identity: IdentityInfo


def streams_of(people: list[Person]) -> list[Stream]:
    """Each registered person's latest version, read from their municipality's store."""
    wanted = {(p.node.entry.id, p.resident_code) for p in people}
    streams = []
    for node in {p.node.entry.id: p.node for p in people}.values():
        current = node.metadata.tables["identity_current"]
        query = select(current.c.stream, current.c.sequence, current.c.content)
        with node.engine.connect() as connection:
            for stream, sequence, content in connection.execute(query):
                identity = IdentityInfo.from_wire(json.loads(content))
                if (node.entry.id, identity.resident_code) in wanted:
                    streams.append(Stream(node.entry.id, stream, sequence, identity))
    return streams


Committed = tuple[str, int, str]  # stream, sequence, commit time (ISO 8601)


def paced_load(
    settings: Settings, streams: list[Stream], per_second: float, seconds: float, seed: int
) -> tuple[list[Committed], float]:
    """The load generator, run in its own process so that it does not hold this one's GIL.

    Every ``TICK`` it commits the updates now due, one transaction per municipality; when it
    falls behind it catches up without sleeping. Returns what it committed, and when.
    """
    nodes = {nid: open_node(nid, settings) for nid in {s.node_id for s in streams}}
    addresses = Addresses(random.Random(seed))
    committed: list[Committed] = []
    start, total = time.perf_counter(), int(per_second * seconds)
    while len(committed) < total:
        due = min(total, int((time.perf_counter() - start) * per_second) + 1)
        batch: dict[str, list[Stream]] = {}
        for i in range(len(committed), due):
            stream = streams[i % len(streams)]
            batch.setdefault(stream.node_id, []).append(stream)
        for node_id, moved in batch.items():
            committed += emit_updates(nodes[node_id], moved, addresses)
        next_due = start + len(committed) / per_second
        time.sleep(max(0.0, next_due - time.perf_counter(), TICK))
    elapsed = time.perf_counter() - start
    for node in nodes.values():
        node.engine.dispose()
    return committed, elapsed


def emit_updates(node: Node, streams: list[Stream], addresses: Addresses) -> list[Committed]:
    """Commit a new version of each stream (a 転居) with its outbox row, as ``record_change``
    does, in one transaction."""
    now = node.clock.now()
    prefecture = node.directory.prefecture_node_for(streams[0].identity.municipality_code).id
    with node.unit_of_work() as uow:
        for stream in streams:
            code = stream.identity.municipality_code
            identity = replace(
                stream.identity,
                address=addresses.other_than(code, stream.identity.address),
                reason=ChangeReason.MOVE_WITHIN,
                change_date=now.date(),
            )
            update = IdentityUpdate(
                stream.stream, stream.sequence + 1, utc_timestamp(now), identity
            )
            notify_identity(uow, prefecture, update, now)
            stream.sequence, stream.identity = update.sequence, identity
        uow.commit()
    at = datetime.now(UTC).isoformat()
    return [(s.stream, s.sequence, at) for s in streams]


def run_paced_load(
    settings: Settings, streams: list[Stream], per_second: float, seconds: float
) -> tuple[list[Committed], float]:
    with processes(1) as pool:
        return pool.submit(paced_load, settings, streams, per_second, seconds, 7).result()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def latency(deployment: Deployment, committed: list[Committed], elapsed: float) -> dict[str, Any]:
    arrived = stored_at(deployment.national)
    millis = [
        (arrived[(stream, sequence)] - datetime.fromisoformat(at)).total_seconds() * 1000
        for stream, sequence, at in committed
        if (stream, sequence) in arrived
    ]
    return {
        "updates": len(committed),
        "achieved_per_second": len(committed) / elapsed,
        "arrived": len(millis),
        "p50_ms": percentile(millis, 0.50),
        "p99_ms": percentile(millis, 0.99),
        "max_ms": max(millis),
        "mean_ms": statistics.fmean(millis),
    }


# -- one run ------------------------------------------------------------------------------------


def run(database: str, options: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(20261123)
    results: dict[str, Any] = {
        "benchmark": "propagation",
        "database": database,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(database, options.postgresql_url),
        "parameters": {
            "municipalities": list(MUNICIPALITIES),
            "residents": options.residents,
            "backlog": options.backlog,
            "paced_rate": options.rate,
            "paced_seconds": options.seconds,
            "rate_seconds": RATE_SECONDS,
        },
    }
    with country(database, options.postgresql_url) as deployment:
        step("registering residents", database)
        people = register_residents(deployment, options.residents, rng)
        addresses = Addresses(rng)
        deployment.pump(rounds=100)
        first = deployment.municipality(MUNICIPALITIES[0])

        step("(a) insert rate", database)
        results["insert"] = rate(insert_step(first), RATE_SECONDS)
        step("(b) register change rate", database)
        movers = [p for p in people if p.node is first]
        results["change"] = rate(lambda i: move(movers[i % len(movers)], addresses), RATE_SECONDS)
        results["change"]["use_case"] = "record_move_within, whole_household: false"
        deployment.pump(rounds=100)

        step(f"(c) making a backlog of {options.backlog} moves", database)
        held = versions_held(deployment.national)
        made = make_backlog(deployment.settings, people, options.backlog)
        updates = options.backlog // len(MUNICIPALITIES) * len(MUNICIPALITIES)
        step("(c) draining it through the relays", database)
        results["drain"] = drain(deployment, held, updates)
        results["drain"]["backlog_made_per_second"] = updates / made

        step(f"(d) paced load of {options.rate:.0f}/s for {options.seconds:.0f} s", database)
        streams = streams_of(people)
        rng.shuffle(streams)  # consecutive updates come from different municipalities
        committed, elapsed = run_paced_load(
            deployment.settings, streams, options.rate, options.seconds
        )
        wait_for_national(deployment, held + updates + len(committed), timeout=300)
        results["latency"] = latency(deployment, committed, elapsed)
    results["ratios"] = {
        "change_to_insert": results["change"]["per_second"] / results["insert"]["per_second"],
        "drain_to_insert": results["drain"]["per_second"] / results["insert"]["per_second"],
    }
    results["targets"] = verdicts(database, results)
    return results


def verdicts(database: str, results: dict[str, Any]) -> dict[str, Any]:
    figures = {
        "change_to_insert": results["ratios"]["change_to_insert"],
        "drain_per_second": results["drain"]["per_second"],
        "latency_p99_ms": results["latency"]["p99_ms"],
    }
    paced = (
        results["latency"]["achieved_per_second"]
        >= PACED_SHARE * results["parameters"]["paced_rate"]
    )
    out: dict[str, Any] = {}
    for name, target in TARGETS[database].items():
        value = figures[name]
        if name == "latency_p99_ms":  # only meaningful if the load reached the asked rate
            out[name] = {"target": target, "value": value, "met": value < target and paced}
            out[name]["load_reached_rate"] = paced
        else:
            out[name] = {"target": target, "value": value, "met": value >= target}
    return out


def machine(database: str, postgresql_url: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    if database == "postgresql":
        engine = create_engine(postgresql_url)
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("show server_version")).scalar()
            info["synchronous_commit"] = connection.execute(
                text("show synchronous_commit")
            ).scalar()
        engine.dispose()
    else:
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
    return info


# -- output -------------------------------------------------------------------------------------


_STARTED = time.perf_counter()


def step(what: str, database: str) -> None:
    elapsed = time.perf_counter() - _STARTED
    print(f"{elapsed:7.1f} s [{database}] {what} …", file=sys.stderr, flush=True)


def write(results: dict[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"propagation-{results['database']}-{stamp}.json"
    body = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    path.write_text(body, encoding="utf-8")
    (out / f"propagation-{results['database']}-latest.json").write_text(body, encoding="utf-8")
    return path


def table(runs: list[dict[str, Any]]) -> str:
    rows: list[tuple[str, str, Callable[[dict[str, Any]], float]]] = [
        ("(a) insert, one row per transaction", "/s", lambda r: r["insert"]["per_second"]),
        ("(b) register change (転居)", "/s", lambda r: r["change"]["per_second"]),
        ("    (b) / (a)", "", lambda r: r["ratios"]["change_to_insert"]),
        ("(c) drain municipality → national", "/s", lambda r: r["drain"]["per_second"]),
        ("    (c) / (a)", "", lambda r: r["ratios"]["drain_to_insert"]),
        ("(d) paced load achieved", "/s", lambda r: r["latency"]["achieved_per_second"]),
        ("    latency p50", "ms", lambda r: r["latency"]["p50_ms"]),
        ("    latency p99", "ms", lambda r: r["latency"]["p99_ms"]),
    ]
    header = f"{'':40}" + "".join(f"{r['database']:>14}" for r in runs)
    lines = [header]
    for label, unit, figure in rows:
        cells = "".join(f"{_number(figure(r)):>14}" for r in runs)
        lines.append(f"{label:34}{unit:>6}{cells}")
    for r in runs:
        for name, verdict in r["targets"].items():
            mark = "met" if verdict["met"] else "MISSED"
            if verdict.get("load_reached_rate") is False:
                mark += " (the paced load fell short of the asked rate)"
            value, target = _number(verdict["value"]), _number(verdict["target"])
            lines.append(f"target {r['database']} {name}: {value} vs {target} — {mark}")
    return "\n".join(lines)


def _number(value: float) -> str:
    return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--residents", type=int, default=1_000, help="people registered")
    parser.add_argument("--backlog", type=int, default=20_000, help="updates drained in (c)")
    parser.add_argument("--seconds", type=float, default=15.0, help="length of the paced load")
    parser.add_argument("--rate", type=float, default=1_000.0, help="updates/s of the paced load")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument(
        "--postgresql-url",
        default=os.environ.get("JUKINET_BENCH_POSTGRESQL_URL", DEFAULT_POSTGRESQL),
    )
    options = parser.parse_args(argv)
    databases = ["sqlite", "postgresql"] if options.database == "both" else [options.database]
    runs = []
    for database in databases:
        results = run(database, options)
        print(f"wrote {write(results, options.out)}", file=sys.stderr)
        runs.append(results)
    print(table(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
