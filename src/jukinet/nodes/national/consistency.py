"""整合性確認: does every tier hold the same identity information for a municipality?

Digests first — one request per holder per municipality — and only where they differ, the
per-record detail, compared against the municipality, whose register is the source of truth.
Each discrepancy comes with what to do about it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from jukinet.nodes.intake import report_digest
from jukinet.nodes.ports import IdentityStoreUnitOfWork, Peer, PortError
from jukinet.protocol.catalogue import DigestEntry, DigestReport, DigestRequest
from jukinet.protocol.directory import Directory, municipality_node_id

HOLDERS = ("municipality", "prefecture", "national")


@dataclass(frozen=True, slots=True)
class Discrepancy:
    resident_code: str
    stream: str
    sequences: dict[str, int | None]  # holder → latest version held (None: not held)
    advice: str


@dataclass(slots=True)
class MunicipalityCheck:
    municipality_code: str
    counts: dict[str, int] = field(default_factory=dict)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    unreachable: dict[str, str] = field(default_factory=dict)

    @property
    def consistent(self) -> bool:
        return not self.discrepancies and not self.unreachable


def _advice(sequences: dict[str, int | None], digests_differ: bool) -> str:
    source = sequences["municipality"]
    if source is None:
        return (
            "held upstream but not in the municipality's register: investigate (a municipal "
            "restore from an old backup, or a record that should not exist)"
        )
    behind = [h for h in HOLDERS[1:] if (sequences[h] or 0) < source]
    ahead = [h for h in HOLDERS[1:] if (sequences[h] or 0) > source]
    if ahead:
        return f"{', '.join(ahead)} holds a newer version than the municipality: investigate"
    if behind:
        return (
            f"{', '.join(behind)} lacks version {source}: it may still be in transit (check the "
            "outbox backlog); if the backlog is empty, resend the record's latest version"
        )
    if digests_differ:
        return "same version number but different content: investigate for tampering"
    return "consistent"


def compare(details: dict[str, list[DigestEntry]]) -> list[Discrepancy]:
    """Per-record differences between the holders' detailed reports."""
    by_holder = {h: {e.stream: e for e in details[h]} for h in HOLDERS}
    found = []
    for stream in sorted(set().union(*(set(v) for v in by_holder.values()))):
        entries = {h: by_holder[h].get(stream) for h in HOLDERS}
        sequences = {h: (e.sequence if e else None) for h, e in entries.items()}
        digests = {e.digest for e in entries.values() if e is not None}
        if len(set(sequences.values())) == 1 and len(digests) == 1:
            continue
        code = next(e.resident_code for e in entries.values() if e is not None)
        found.append(Discrepancy(code, stream, sequences, _advice(sequences, len(digests) > 1)))
    return found


@dataclass(frozen=True, slots=True)
class ConsistencyCheck:
    """Run by the national node, which asks the other tiers over the signed protocol."""

    directory: Directory
    peer: Peer
    unit_of_work: Callable[[], IdentityStoreUnitOfWork]

    def _reports(
        self, code: str, detail: bool, check: MunicipalityCheck
    ) -> dict[str, DigestReport]:
        request = DigestRequest(code, detail)
        reports: dict[str, DigestReport] = {}
        with self.unit_of_work() as uow:
            reports["national"] = report_digest(uow, request)
        remote = {
            "prefecture": self.directory.prefecture_node_for(code).id,
            "municipality": municipality_node_id(code),
        }
        for holder, node_id in remote.items():
            try:
                reports[holder] = self.peer.request(node_id, request)
            except PortError as error:
                check.unreachable[holder] = str(error)
        return reports

    def run(self, municipality_codes: Iterable[str]) -> list[MunicipalityCheck]:
        results = []
        for code in municipality_codes:
            check = MunicipalityCheck(code)
            reports = self._reports(code, False, check)
            check.counts = {h: r.count for h, r in reports.items()}
            if not check.unreachable and len({r.digest for r in reports.values()}) > 1:
                detailed = self._reports(code, True, check)
                if not check.unreachable:
                    check.discrepancies = compare(
                        {h: list(r.entries or ()) for h, r in detailed.items()}
                    )
            results.append(check)
        return results
