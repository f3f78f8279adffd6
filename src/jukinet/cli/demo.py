"""``jukinet demo``: a small country on the embedded defaults, shown working.

Nodes listen on localhost over HTTPS with mutual TLS (one deployment CA, one certificate per
node, a signed directory) and their relays deliver in the background. The story of
sim/scenario.py runs through the register use cases; then every tier is checked against the
others. ``--once`` exits (0 only if the check is clean); otherwise the nodes keep serving.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from jukinet.adapters.network.servers import free_ports
from jukinet.cli.nodes import print_checks
from jukinet.deployments import Deployment, NodePlan, create_deployment, plan_country
from jukinet.domain.dates import japanese_month
from jukinet.domain.municipalities import municipality
from jukinet.settings import Settings
from jukinet.sim.moves import MovesRun, run_moves
from jukinet.sim.provision import ProvisionRun, run_provision
from jukinet.sim.scenario import Story, municipality_counts
from jukinet.sim.screens import ScreensRun, serve_screens

# Real local-government codes: four prefectures, six municipalities (two in Tokyo).
DEMO_MUNICIPALITIES = ("131016", "131041", "142042", "271276", "012033", "472018")

console = Console()
if not console.is_terminal:
    console.width = 140


@contextmanager
def _progress() -> Iterator[Progress]:
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        yield progress


def run(
    once: Annotated[
        bool, typer.Option("--once", help="exit after the check (status 0 if clean)")
    ] = False,
    people: Annotated[int, typer.Option(help="residents to register at the start")] = 3000,
    events: Annotated[int, typer.Option(help="register events after that")] = 60,
    seed: Annotated[int, typer.Option(help="random seed of the story")] = 2002,
    home: Annotated[Path, typer.Option(help="where the demo keeps its files")] = Path("var/demo"),
) -> None:
    """Run a small country: register residents, live a while, check every tier agrees."""
    if home.exists():
        shutil.rmtree(home)
    settings = Settings.from_env(home=home)
    if not settings.database_url.startswith("sqlite"):
        settings = Settings(home=settings.home, database_url=f"sqlite:///{settings.home / 'db'}")
    plans = _spread(plan_country(DEMO_MUNICIPALITIES, first_port=0))
    console.rule("jukinet demo")
    create_deployment(settings, plans)
    country = Deployment.open(settings, https=True)
    screens: ScreensRun | None = None
    try:
        country.serve_https()
        country.start_relays()
        _show_nodes(country)
        clean = _tell_story(country, people, events, seed)
        screens = serve_screens(country, settings.home)
        _show_screens(screens)
    finally:
        if once:
            _close(country, screens)
    if once:
        raise typer.Exit(0 if clean else 1)
    _serve_until_interrupted(country, screens, settings)


def _spread(plans: list[NodePlan]) -> list[NodePlan]:
    """Give every node a port the OS says is free."""
    ports = free_ports(len(plans))
    return [replace(plan, port=port) for plan, port in zip(plans, ports, strict=True)]


def _show_nodes(country: Deployment) -> None:
    table = Table("node", "role", "serves", "endpoint (mutual TLS)")
    for node in country.nodes.values():
        entry = node.entry
        serves = (
            municipality(entry.municipality_code).full_name
            if entry.municipality_code
            else ", ".join(entry.prefectures) or "everyone"
        )
        table.add_row(entry.id, entry.role.value, serves, entry.endpoint)
    console.print(table)


def _tell_story(country: Deployment, people: int, events: int, seed: int) -> bool:
    today = country.national.clock.today()
    story = Story(country, seed, today)
    started = time.perf_counter()
    with _progress() as progress:
        tasks: dict[str, TaskID] = {}

        def report(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done)

        story.progress = report
        story.populate(people)
        log = story.live(events)
        moves = run_moves(country, country.settings.home, today)
        delivered = country.wait_until_delivered(timeout=120)
    elapsed = time.perf_counter() - started
    console.print(f"registered and lived in {elapsed:.1f} s; every outbox delivered: {delivered}")
    _show_story(log.steps)
    _show_moves(moves)
    _show_counts(country)
    console.rule("整合性確認 (consistency check)")
    assert country.national.consistency is not None
    codes = [n.entry.municipality_code or "" for n in country.municipalities()]
    clean = print_checks(country.national.consistency.run(codes)) and delivered
    console.rule("本人確認情報の提供 (provision to agencies)")
    _show_provision(run_provision(country, country.settings.home, seed, today))
    return clean


def _show_provision(run: ProvisionRun) -> None:
    identity, status = run.single["identity"], run.single["status"]
    console.print(
        f"即時提供 to 日本年金機構: {identity['family_name']} {identity['given_name']}, "
        f"{identity['address']} — {status.get('reason_label', '住民 (living here)')}; "
        f"{len(run.single['history'])} version(s) of history"
    )
    outcomes = ", ".join(f"{label} {count}" for label, count in sorted(run.batch.items()))
    console.print(f"現況確認 batch (Shift_JIS CSV over the network): {outcomes}")
    assert run.notice is not None
    table = Table("提供先", "提供年月", "提供件数", "提供方法", title="provision notice (別紙1)")
    for line in run.notice.lines:
        table.add_row(
            line.recipient,
            japanese_month(line.year, line.month),
            f"{line.count:,}",
            line.channel.label,
        )
    console.print(table)
    console.print(
        f"提供件数合計 {run.notice.total:,} 件 — written to {', '.join(map(str, run.files))}"
    )
    console.print(
        f"the resident's view (提供状況の開示) through the portal: {len(run.resident_view)} provision(s), "
        f"latest to {run.resident_view[-1]['recipient']}"
    )


def _show_story(steps: list[tuple[str, str]]) -> None:
    table = Table("event", "what happened", title="register events")
    for kind, text in steps:
        table.add_row(kind, text)
    console.print(table)


def _show_moves(moves: MovesRun) -> None:
    table = Table("step", "what happened", title="the 髙橋 family's moves and copies")
    for step, text in moves.steps:
        table.add_row(step, text)
    console.print(table)
    console.print(f"printed: {', '.join(str(path) for path in moves.files)}")


def _show_counts(country: Deployment) -> None:
    table = Table(
        "municipality", "living here", "removed", "versions notified", "refused envelopes"
    )
    for node in country.municipalities():
        counts = municipality_counts(node)
        place = municipality(node.entry.municipality_code)
        table.add_row(
            f"{place.full_name} ({place.code})",
            str(counts["active"]),
            str(counts["removed"]),
            str(counts["versions"]),
            str(len(node.refusals.recent())),
        )
    console.print(table)


def _show_screens(screens: ScreensRun) -> None:
    console.rule("画面 (the screens, for a browser on this machine)")
    table = Table("who", "where", "URL")
    for where, url in screens.urls.items():
        table.add_row(_USERS.get(where.split("-")[0], where), where, url)
    console.print(table)
    console.print(
        f"Accounts (operator ID, password, TOTP secret) and the resident's card and PIN are in "
        f"{screens.file}."
    )


_USERS = {
    "municipality": "clerks: the window terminal",
    "prefecture": "prefecture staff: the console",
    "national": "J-LIS staff: the console",
    "resident": "a resident: the resident portal",
    "agency": "日本年金機構's staff: the agency portal",
}


def _close(country: Deployment, screens: ScreensRun | None) -> None:
    if screens is not None:
        screens.close()
    country.close()


def _serve_until_interrupted(
    country: Deployment, screens: ScreensRun | None, settings: Settings
) -> None:
    console.rule("serving")
    console.print(
        f"The nodes keep serving on localhost (mutual TLS; CA and certificates in "
        f"{settings.pki_dir}), and the screens at the URLs above. Check consistency again "
        f"from another terminal with\n"
        f"  jukinet verify --home {settings.home}\nPress Ctrl-C to stop."
    )
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        console.print("stopping")
    finally:
        _close(country, screens)
