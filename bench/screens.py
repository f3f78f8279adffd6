"""The staff screens on the demo's data: how fast each main page answers, against a bare page.

One run builds the demo's country in a temporary folder (SQLite, or schemas of their own on
PostgreSQL with ``--database-url``, dropped afterwards): the national node, the prefecture
node and the demo's six municipalities, in one process with the in-process transport. The
demo's story records ``--people`` residents and lives ``--events`` register events; the
relays are pumped until the national node holds everyone. 日本年金機構 then asks J-LIS about
one pensioner and sends a 500-row existence check, as the demo does, so that the registry,
batch and statistics screens have something to show; and one consistency check of every
municipality is run from the console, so that its page lists six results. None of this is
timed.

Every staffed node's screens are then served by ``Deployment.serve_screens`` (uvicorn, plain
HTTP on 127.0.0.1, as the demo serves them). A window clerk signs in at 千代田区 (131016), a
provision operator and an auditor at J-LIS; each holds the session cookie and CSRF token a
browser would, and one keep-alive ``httpx.Client`` of their own. Timed, over real HTTP:

``reference``  a bare Starlette app served by ``screens_server`` (the screens' own uvicorn
               settings) in this process, answering a fixed HTML page of about 20 KB;
``terminal``   the search page, a search by name + date of birth + sex of a resident of
               131016, that resident's record, the move-in form and the protection alerts;
``console``    at J-LIS: consistency, flows, pools, registry, batches, statistics for a
               calendar year, the rights desk's queues and an access-log search (auditor).

Each round asks the reference once and every page once, in turn, so that the noise of the
shared machine falls on all of them alike; ``--warmup`` untimed rounds come first. Any answer
other than 200 stops the run: a benchmark of error pages measures nothing. For each page the
run reports the median and p95 in ms, the ratio reference median / page median (the share of
the bare speed the page keeps) and whether its p95 is under the issue's 100 ms. The client
runs in the same process as the servers, on both sides alike.

Results go to ``<out>/screens-<UTC timestamp>.json`` and ``screens-latest.json``.

    python bench/screens.py [--people N] [--events N] [--rounds N] [--warmup N]
                            [--database-url URL] [--seed N] [--out DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pyotp
import uvicorn
from sqlalchemy import create_engine, select, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from jukinet.adapters.network.recipient_client import RecipientClient
from jukinet.adapters.network.servers import BackgroundServer, free_ports, screens_server
from jukinet.adapters.storage.engines import drop_schema
from jukinet.bootstrap import Node, register_recipient
from jukinet.deployments import Deployment, create_deployment, plan_country
from jukinet.nodes.operators import accounts, sessions
from jukinet.nodes.provision.batches import run_pending
from jukinet.settings import Settings
from jukinet.sim.scenario import Person, Story
from jukinet.web.screens.staff import SESSION_COOKIE, csrf_token

# The demo's six municipalities (cli/demo.py): four prefectures, two in Tokyo.
MUNICIPALITIES = ("131016", "131041", "142042", "271276", "012033", "472018")
WINDOW = "131016"  # where the clerk works
PASSWORD = "bench screens password"
PENSION = "kokumin-nenkin"
BATCH_ROWS = 500  # the demo's existence check
TARGET_P95_MS = 100.0
REFERENCE_BYTES = 20_000


# -- the country --------------------------------------------------------------------------------


@contextmanager
def demo_country(folder: Path, database_url: str | None) -> Iterator[Deployment]:
    """The demo's nodes, in-process, on SQLite in ``folder`` or in schemas of their own on
    PostgreSQL (``bscr<random>_<node>``), dropped afterwards."""
    prefix = f"bscr{secrets.token_hex(3)}_"
    url = database_url or f"sqlite:///{folder}/db"
    settings = Settings(home=folder, database_url=url, schema_prefix=prefix)
    create_deployment(settings, plan_country(MUNICIPALITIES))
    country = Deployment.open(settings)
    try:
        yield country
    finally:
        country.close()
        if database_url:
            engine = create_engine(database_url)
            for node_id in country.nodes:
                schema = settings.store(node_id).schema
                assert schema is not None
                drop_schema(engine, schema)
            engine.dispose()


def tell_story(country: Deployment, people: int, events: int, seed: int) -> list[Person]:
    """The demo's story, then every relay pumped until the national node holds everyone."""
    story = Story(country, seed, country.national.clock.today())
    story.populate(people)
    story.live(events)
    while country.pump(rounds=50):
        pass
    return story.people


def provide_to_pension_service(country: Deployment, folder: Path, seed: int) -> int:
    """日本年金機構 asks about one pensioner and sends a batch of up to 500 of them (drawn as the demo draws them), over the
    in-process transport; the batch is matched at once. Returns the rows answered."""
    national = country.national
    assert national.provider is not None
    assert country.bridge is not None
    credentials = register_recipient(
        national, "nenkin", "agency", "bench-setup", folder / "nenkin", country.settings.pki_dir
    )
    # Not closed: closing a client closes its transport, and this one is the country's bridge.
    http = httpx.Client(transport=country.bridge, base_url=credentials.endpoint)
    pension = RecipientClient(credentials, "nenkin-op-01", http, now=national.clock.now)
    codes = pensioners(national)
    random.Random(seed).shuffle(codes)
    query = {"affair": PENSION, "key": {"resident_code": codes[0]}}
    pension.post("/provision/v1/identity-queries", query)
    rows = enumerate(codes[:BATCH_ROWS], 1)
    lines = ["照会番号,住民票コード"] + [f"G{n:05d},{code}" for n, code in rows]
    body = ("\r\n".join(lines) + "\r\n").encode("cp932")
    pension.upload(f"/provision/v1/batches?affair={PENSION}", body, "text/csv")
    return run_pending(national.provider)


def pensioners(national: Node) -> list[str]:
    """Everyone the national node holds who was born before 1966 (the demo's sample)."""
    table = national.metadata.tables["identity_current"]
    query = select(table.c.resident_code).where(table.c.birth_date < date(1966, 1, 1))
    with national.engine.connect() as connection:
        return sorted(set(connection.execute(query).scalars()))


# -- the people at the screens ------------------------------------------------------------------


@dataclass
class Browser:
    """One operator at a browser: a keep-alive client holding the session cookie, and the
    session's CSRF token for the forms."""

    operator_id: str
    client: httpx.Client
    csrf: str


def signed_in(node: Node, base_url: str, operator_id: str, role: str) -> Browser:
    """Create ``operator_id`` with ``role`` on ``node`` and sign them in with a TOTP code."""
    assert node.operators is not None
    made = accounts.create_account(
        accounts.CreateAccount(
            operator_id, f"B{secrets.token_hex(5).upper()}", operator_id, (role,), PASSWORD
        ),
        "bench-setup",
        node.operators,
    )
    code = pyotp.TOTP(made.code_secret).at(node.operators.clock.now())
    cmd = sessions.SignIn(operator_id, PASSWORD, code, "bench-01")
    token = sessions.sign_in(cmd, node.operators).token
    client = httpx.Client(base_url=base_url, cookies={SESSION_COOKIE: token}, timeout=30)
    return Browser(operator_id, client, csrf_token(token))


@dataclass(frozen=True)
class Page:
    """One request a member of staff makes, and a text its answer must contain."""

    name: str
    browser: Browser
    path: str
    form: dict[str, str] | None = None  # POST this form (with the CSRF token) instead of GET
    shows: str = ""

    def ask(self) -> httpx.Response:
        if self.form is None:
            return self.browser.client.get(self.path)
        return self.browser.client.post(self.path, data={"csrf": self.browser.csrf, **self.form})


def window_resident(country: Deployment, people: list[Person]) -> dict[str, str]:
    """A resident of the clerk's municipality in the largest household there: the form
    fields of a search by name, date of birth and sex, and the code the search must find."""
    here = [p for p in people if p.municipality == WINDOW]
    sizes = {p.household_id: sum(q.household_id == p.household_id for q in here) for p in here}
    person = max(here, key=lambda p: (sizes[p.household_id], p.relationship == "head"))
    supply = country.municipality(WINDOW).supply
    assert supply is not None
    with supply.unit_of_work() as uow:
        resident = uow.residents.any_by_code(person.code)
    assert resident is not None
    return {
        "code": resident.resident_code,
        "name": f"{resident.name.family} {resident.name.given}",
        "birth_date": resident.birth_date.isoformat(),
        "sex": resident.sex.value,
    }


def pages(clerk: Browser, operator: Browser, auditor: Browser, who: dict[str, str]) -> list[Page]:
    """The main pages of the window terminal and of J-LIS's console."""
    year = datetime.now(UTC).year
    search = {
        "resident_code": "",
        "my_number": "",
        "name": who["name"],
        "kana": "",
        "birth_date": who["birth_date"],
        "sex": who["sex"],
        "address": "",
    }
    terminal, console = "/ui/terminal", "/ui/console"
    return [
        Page("terminal: search page", clerk, f"{terminal}/search"),
        Page("terminal: search by name", clerk, f"{terminal}/search", search, who["code"]),
        Page(
            "terminal: resident record",
            clerk,
            f"{terminal}/residents/{who['code']}",
            shows=who["code"],
        ),
        Page("terminal: move-in form", clerk, f"{terminal}/events/move-in"),
        Page("terminal: protection alerts", clerk, f"{terminal}/protection/alerts"),
        Page("console: consistency", operator, f"{console}/consistency", shows=WINDOW),
        Page("console: flows", operator, f"{console}/flows"),
        Page("console: pools", operator, f"{console}/pools"),
        Page("console: registry", operator, f"{console}/registry", shows="nenkin"),
        Page("console: batches", operator, f"{console}/batches"),
        Page(
            "console: statistics (year)",
            operator,
            f"{console}/statistics?from={year}-01&to={year}-12",
        ),
        Page("console: rights queues", operator, f"{console}/rights"),
        Page(
            "console: audit search",
            auditor,
            f"{console}/audit?operator={operator.operator_id}",
            shows=operator.operator_id,
        ),
    ]


def check_consistency(operator: Browser) -> float:
    """Run the consistency check of every municipality from the console (seconds taken)."""
    began = time.perf_counter()
    answer = operator.client.post(
        "/ui/console/consistency", data={"csrf": operator.csrf, "municipality_code": ""}
    )
    answered(answer, "console: run the consistency check", WINDOW)
    return time.perf_counter() - began


def answered(answer: httpx.Response, name: str, shows: str = "") -> None:
    """Stop the run on anything but a 200 that shows what the page must show."""
    if answer.status_code != 200:
        where = answer.headers.get("location", "")
        raise SystemExit(
            f"{name}: {answer.request.method} {answer.request.url} answered "
            f"{answer.status_code} {where}\n{answer.text[:2000]}"
        )
    if shows and shows not in answer.text:
        raise SystemExit(f"{name}: the page does not show {shows!r}\n{answer.text[:2000]}")


# -- the reference ------------------------------------------------------------------------------


def reference_body() -> bytes:
    """A fixed page of about 20 KB, shaped like a screen: a head, a table of residents."""
    head = (
        '<!doctype html>\n<html lang="ja"><head><meta charset="utf-8">'
        "<title>参照 — jukinet</title></head><body><main><h1>参照</h1><table>\n"
    )
    rows: list[str] = []
    size = len(head.encode())
    while size < REFERENCE_BYTES:
        n = len(rows)
        rows.append(
            f'<tr><td><a href="/ui/terminal/residents/{n:011d}">{n:011d}</a></td>'
            f"<td>髙橋 一郎</td><td>1950-04-01</td><td>東京都千代田区丸の内一丁目{n % 9 + 1}番</td></tr>\n"
        )
        size += len(rows[-1].encode())
    return (head + "".join(rows) + "</table></main></body></html>\n").encode()


def serve_reference() -> tuple[BackgroundServer, str]:
    """The bare page, served with the screens' own uvicorn settings; returns its URL."""
    body = reference_body()

    async def page(request: Request) -> Response:
        return HTMLResponse(body)

    app = Starlette(routes=[Route("/ui/reference", page, methods=["GET"])])
    (port,) = free_ports(1)
    return BackgroundServer.run(screens_server(app, port, None), port), f"http://127.0.0.1:{port}"


# -- timing -------------------------------------------------------------------------------------


@dataclass
class Timings:
    seconds: list[float] = field(default_factory=list)
    size: int = 0

    def summary(self) -> dict[str, float]:
        ms = sorted(s * 1000 for s in self.seconds)
        return {
            "median_ms": round(statistics.median(ms), 2),
            "p95_ms": round(ms[max(0, round(0.95 * len(ms)) - 1)], 2),
            "min_ms": round(ms[0], 2),
            "max_ms": round(ms[-1], 2),
            "kilobytes": round(self.size / 1000, 1),
        }


def timed(page: Page) -> tuple[float, httpx.Response]:
    began = time.perf_counter()
    answer = page.ask()
    return time.perf_counter() - began, answer


def measure(reference: Page, screens: list[Page], rounds: int, warmup: int) -> dict[str, Timings]:
    """``warmup`` untimed rounds, then ``rounds`` rounds of the reference and every page."""
    every = [reference, *screens]
    found = {page.name: Timings() for page in every}
    for round_number in range(warmup + rounds):
        for page in every:
            seconds, answer = timed(page)
            answered(answer, page.name, page.shows)
            if round_number >= warmup:
                found[page.name].seconds.append(seconds)
                found[page.name].size = len(answer.content)
    return found


def results_of(found: dict[str, Timings], reference: Page) -> dict[str, Any]:
    bare = found[reference.name].summary()
    rows = {}
    for name, timings in found.items():
        if name == reference.name:
            continue
        row: dict[str, Any] = timings.summary()
        row["ratio_to_reference"] = round(bare["median_ms"] / row["median_ms"], 3)
        row["p95_under_target"] = row["p95_ms"] < TARGET_P95_MS
        rows[name] = row
    return {"reference": bare, "pages": rows}


# -- the run ------------------------------------------------------------------------------------


_STARTED = time.perf_counter()


def step(what: str) -> None:
    print(f"{time.perf_counter() - _STARTED:7.1f} s {what}", file=sys.stderr, flush=True)


def run(options: argparse.Namespace) -> dict[str, Any]:
    setup: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="jukinet-bench-screens-") as name:
        folder = Path(name)
        with demo_country(folder, options.database_url) as country:
            step(f"story: {options.people} people, {options.events} events")
            began = time.perf_counter()
            people = tell_story(country, options.people, options.events, options.seed)
            setup["story_seconds"] = round(time.perf_counter() - began, 1)
            setup["batch_rows_answered"] = provide_to_pension_service(country, folder, options.seed)
            urls = {node: url.removesuffix("/ui/") for node, url in country.serve_screens().items()}
            reference_server, reference_url = serve_reference()
            national = country.national
            clerk = signed_in(
                country.municipality(WINDOW),
                urls[f"municipality-{WINDOW}"],
                "bench-clerk",
                "window-clerk",
            )
            operator = signed_in(
                national, urls[national.entry.id], "bench-operator", "provision-operator"
            )
            auditor = signed_in(national, urls[national.entry.id], "bench-auditor", "auditor")
            bare = Browser("nobody", httpx.Client(base_url=reference_url, timeout=30), "")
            browsers = (clerk, operator, auditor, bare)
            try:
                step("consistency check of every municipality (untimed)")
                setup["consistency_check_seconds"] = round(check_consistency(operator), 2)
                reference = Page("reference: bare Starlette page", bare, "/ui/reference")
                screens = pages(clerk, operator, auditor, window_resident(country, people))
                step(f"timing: {options.warmup} + {options.rounds} rounds of {len(screens) + 1}")
                found = measure(reference, screens, options.rounds, options.warmup)
                step("done")
            finally:
                for browser in browsers:
                    browser.client.close()
                reference_server.stop()
    return {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": (options.database_url or "sqlite").split(":")[0],
        "parameters": {
            k: getattr(options, k) for k in ("people", "events", "seed", "rounds", "warmup")
        },
        "machine": machine(options.database_url),
        "setup": setup,
        "target": {"p95_ms_under": TARGET_P95_MS},
        **results_of(found, reference),
    }


def machine(database_url: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": platform.python_version(),
        "uvicorn": uvicorn.__version__,
    }
    for optional in ("httptools", "uvloop"):  # uvicorn takes them when they are installed
        info[optional] = importlib.util.find_spec(optional) is not None
    if database_url is None:
        info["sqlite"] = sqlite3.sqlite_version
        return info
    engine = create_engine(database_url)
    with engine.connect() as connection:
        info["postgresql"] = connection.execute(text("show server_version")).scalar()
    engine.dispose()
    return info


def table(results: dict[str, Any]) -> str:
    bare = results["reference"]
    lines = [
        f"{results['database']}, {results['parameters']['people']:,} people, "
        f"{results['parameters']['rounds']} rounds; load average {results['machine']['load_average']}",
        f"{'page':<32} {'median ms':>9} {'p95 ms':>8} {'KB':>6} {'ratio':>6}  p95 < 100 ms",
        f"{'reference: bare Starlette page':<32} {bare['median_ms']:9.1f} {bare['p95_ms']:8.1f}"
        f" {bare['kilobytes']:6.1f}",
    ]
    for name, row in results["pages"].items():
        verdict = "met" if row["p95_under_target"] else "MISSED"
        lines.append(
            f"{name:<32} {row['median_ms']:9.1f} {row['p95_ms']:8.1f} {row['kilobytes']:6.1f}"
            f" {row['ratio_to_reference']:6.3f}  {verdict}"
        )
    lines.append("ratio: reference median / page median (the share of the bare speed kept)")
    return "\n".join(lines)


def write(results: dict[str, Any], out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    body = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    path = out / f"screens-{stamp}.json"
    path.write_text(body, encoding="utf-8")
    (out / "screens-latest.json").write_text(body, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=3000, help="residents of the story")
    parser.add_argument("--events", type=int, default=60, help="register events after that")
    parser.add_argument("--seed", type=int, default=2002, help="random seed of the story")
    parser.add_argument("--rounds", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results")
    options = parser.parse_args()
    results = run(options)
    print(f"wrote {write(results, options.out)}", file=sys.stderr)
    print(table(results))


if __name__ == "__main__":
    main()
