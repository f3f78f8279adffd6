"""Ports: what the use cases need from the world, as protocols the adapters implement.

Errors of the ports tree:

    PortError
    ├── PeerUnavailable   the other node could not be reached (network, TLS, timeout, 5xx)
    └── PeerRejected      the other node answered and refused (its problem+json says why)
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from jukinet.domain.access_log import AccessEntry, AccessQuery, Checkpoint, StoredEntry
from jukinet.domain.certificates import CertificateInfo, MoveOutCertificate
from jukinet.domain.copies import HouseholdRecords, ResidentCopy
from jukinet.domain.identity import IdentityInfo
from jukinet.domain.online_requests import OnlineRequest
from jukinet.domain.residents import Household, Resident
from jukinet.domain.rights import Complaint, CorrectionRequest, DisclosureRequest
from jukinet.domain.searches import SearchKey
from jukinet.domain.suppressions import SupportMeasure, Suppression
from jukinet.protocol.catalogue import DigestEntry, MoveInNotice
from jukinet.protocol.envelope import Message


class PortError(Exception):
    """A port could not do what was asked."""


class PeerUnavailable(PortError):
    """The peer node could not be reached; the caller may retry later."""


class PeerRejected(PortError):
    """The peer node refused the request; ``reason`` is its machine-readable refusal."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class Clock(Protocol):
    def now(self) -> datetime: ...

    def today(self) -> date: ...


class Peer(Protocol):
    """Sends one signed request to another node and returns its typed, verified answer."""

    def request(self, recipient: str, body: Any) -> Any: ...


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refused envelope, kept for the security log."""

    at: datetime
    sender: str
    envelope_id: str
    reason: str
    detail: str


class RefusalSink(Protocol):
    """The security log of refused envelopes; written even though the request fails."""

    def record(self, refusal: Refusal) -> None: ...


class Outbox(Protocol):
    """Messages to deliver, written in the same transaction as the change that caused them."""

    def add(self, recipient: str, message: Message) -> None: ...


class Inbox(Protocol):
    """Envelope ids already received, so a replay is refused."""

    def remember(self, envelope_id: str, sender: str, at: datetime) -> bool:
        """Record the id; False if it was already there."""
        ...

    def forget_before(self, moment: datetime) -> int:
        """Drop ids received before ``moment``; returns how many."""
        ...


class IdentityHistory(Protocol):
    """The versions of identity information a node holds, with the latest per record.

    At the municipality these are the versions it notified (kept 150 years, 施行令34条); at
    the prefecture and national nodes, the versions they received.
    """

    def add(
        self, stream: str, sequence: int, identity: IdentityInfo, message_id: str, at: datetime
    ) -> None: ...

    def apply_many(
        self, versions: Sequence[tuple[str, int, IdentityInfo, str]], at: datetime
    ) -> set[str]:
        """Store versions not held yet; return the message ids of those already held."""
        ...

    def latest(self, municipality_code: str) -> list[DigestEntry]: ...

    def owners(self, streams: set[str]) -> dict[str, str]:
        """The municipality code each already-held record (stream) belongs to."""
        ...

    def versions_of(self, resident_code: str) -> list[tuple[str, int, IdentityInfo]]: ...


class Transactional(Protocol):
    """One transaction, opened by ``with``: nothing is written unless ``commit`` is called.

    Every unit of work is one. Its repositories are read-only properties, bound to its
    transaction, never swapped by a use case.
    """

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...


class UnitOfWork(Transactional, Protocol):
    """A node's unit of work: its repositories, and the outbox and inbox of its messages."""

    @property
    def outbox(self) -> Outbox: ...

    @property
    def inbox(self) -> Inbox: ...


class Residents(Protocol):
    def add(self, resident: Resident) -> None: ...

    def update(self, resident: Resident) -> None: ...

    def get(self, record_id: str) -> Resident | None: ...

    def active_by_code(self, resident_code: str) -> Resident | None: ...

    def any_by_code(self, resident_code: str) -> Resident | None: ...

    def members(self, household_id: str) -> list[Resident]: ...

    def active_by_codes(self, resident_codes: Sequence[str]) -> list[Resident]:
        """The active records of these people, in no particular order (one query)."""
        ...


class Households(Protocol):
    def add(self, household: Household) -> None: ...

    def update(self, household: Household) -> None: ...

    def get(self, household_id: str) -> Household | None: ...


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """One line of a record's change history (異動履歴)."""

    record_id: str
    reason: str
    occurred_on: date
    notified_on: date
    recorded_at: datetime
    operator: str
    before: dict[str, Any] | None
    after: dict[str, Any]


class ChangeLog(Protocol):
    def append(self, change: ChangeRecord) -> None: ...

    def of(self, record_id: str) -> list[ChangeRecord]: ...


class CodePool(Protocol):
    """The 住民票コード the national node granted this municipality and that are still unused."""

    def take(self) -> str | None: ...

    def add_many(self, codes: Iterable[str], at: datetime) -> None: ...

    def available(self) -> int: ...


class Certificates(Protocol):
    def issue(self, certificate: MoveOutCertificate) -> None: ...

    def consume(self, certificate_id: str, issuer: str, at: datetime) -> bool:
        """Mark a certificate used here; False if it already was."""
        ...

    def get(self, certificate_id: str) -> MoveOutCertificate | None:
        """A certificate this municipality issued."""
        ...


# --- moves between municipalities: what the CS received from other CSs --------------------


class ArrivingCertificates(Protocol):
    """転出証明書情報 received for card holders moving here, until they come (or never do)."""

    def add(self, info: CertificateInfo, at: datetime) -> bool:
        """Keep ``info``; False if the same certificate arrived before."""
        ...

    def of_holder(self, holder: str) -> list[tuple[CertificateInfo, datetime | None]]:
        """The information of a holder's move (theirs and their household's), each with the
        moment it was used for a move-in (None while unused), newest certificates first."""
        ...

    def use(self, issuer: str, certificate_id: str, at: datetime) -> bool:
        """Mark one used by a move-in; False if it already was."""
        ...


@dataclass(frozen=True, slots=True)
class ReceivedMoveInNotice:
    """A 転入通知 received, with what it did here (``completed`` or ``unmatched``)."""

    message_id: str
    received_at: datetime
    sender: str
    notice: MoveInNotice
    outcome: str
    detail: str = ""


class MoveInNotices(Protocol):
    def seen(self, message_id: str) -> bool: ...

    def add(self, received: ReceivedMoveInNotice) -> None: ...

    def with_outcome(self, outcome: str, since: date | None = None) -> list[ReceivedMoveInNotice]:
        """Notices with this outcome (received on or after ``since``), oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class HouseholdInquiry:
    """One person asked about in a household check (世帯情報の確認): who asked, for whom
    (``recipient_id`` and ``affair_id``), under which provision of the national log."""

    at: datetime
    requester: str  # node id
    provision_id: str
    recipient_id: str
    affair_id: str
    resident_code: str


class HouseholdInquiries(Protocol):
    """The municipality's record of household checks it answered."""

    def record(self, inquiries: Sequence[HouseholdInquiry]) -> None: ...

    def of(self, resident_code: str) -> list[HouseholdInquiry]:
        """Every check that asked about this person, oldest first."""
        ...


# --- 住民票の写し: issuances, the fee, and the wide-area audit (municipality) --------------


class CopyPrinter(Protocol):
    """Sets a copy as the bytes handed over (a PDF); called before the issuance commits, so a
    copy that cannot be printed is not recorded as issued."""

    def __call__(self, copy: ResidentCopy, *, issuer: str, issued_on: date) -> bytes: ...


@dataclass(frozen=True, slots=True)
class CopyIssuance:
    """One request at this municipality's window: a copy issued, or a wide-area copy the
    home municipality refused (``outcome`` ``issued`` or ``refused``, fee 0)."""

    issuance_id: str
    at: datetime
    operator: str
    requester_kind: str
    requester_name: str
    requester_code: str | None
    document: str | None
    purpose: str
    issuing_municipality: str
    home_municipality: str
    layout: str
    items: tuple[str, ...]
    resident_codes: tuple[str, ...]
    sheets: int
    fee: int
    outcome: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class WideAreaAnswerLine:
    """The home municipality's audit of one person asked about by a wide-area request."""

    at: datetime
    requester_node: str
    issuing_municipality: str
    request_id: str
    requester_code: str
    resident_code: str
    items: tuple[str, ...]
    outcome: str  # answered | refused
    detail: str = ""


class CopyRegister(Protocol):
    """Copies issued here, the fee in force, and the wide-area requests answered here."""

    def fee(self) -> int:
        """The fee per copy in yen: the last one set, or ``DEFAULT_FEE``."""
        ...

    def set_fee(self, amount: int, operator: str, at: datetime) -> None: ...

    def household_records(self, household_id: str) -> HouseholdRecords | None:
        """The household with its current members and those removed from it."""
        ...

    def record_issuance(self, issuance: CopyIssuance) -> None: ...

    def issuances_of(self, resident_code: str) -> list[CopyIssuance]:
        """Every request here that concerned this person, oldest first."""
        ...

    def record_answers(self, lines: Sequence[WideAreaAnswerLine]) -> None: ...

    def answers_about(self, resident_code: str) -> list[WideAreaAnswerLine]:
        """Every wide-area request answered (or refused) here about this person, oldest first."""
        ...


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """One change of suppression state for other systems (CS, コンビニ交付, 宛名 …): ``set`` or
    ``released``; a temporary release is never one of them."""

    position: int
    at: datetime
    event: str
    suppression: dict[str, Any]


@dataclass(frozen=True, slots=True)
class InspectionRecord:
    """One inspection list (閲覧) produced: for whom, why, of which area, how many listed."""

    inspection_id: str
    at: datetime
    operator: str
    requester: str
    purpose_kind: str
    purpose: str
    area: str
    listed: int
    left_out: int


class ProtectionRegister(Protocol):
    """Suppressions and support measures, with the outbound feed of suppression changes."""

    def add_suppression(self, suppression: Suppression) -> None: ...

    def update_suppression(self, suppression: Suppression) -> None: ...

    def suppression(self, suppression_id: str) -> Suppression | None: ...

    def unreleased_for(self, resident_code: str, household_id: str | None) -> list[Suppression]:
        """Suppressions not released of the person and of their household."""
        ...

    def unreleased(self) -> list[Suppression]: ...

    def of_measure(self, measure_id: str) -> list[Suppression]: ...

    def add_measure(self, measure: SupportMeasure) -> None: ...

    def update_measure(self, measure: SupportMeasure) -> None: ...

    def measure(self, measure_id: str) -> SupportMeasure | None: ...

    def measures_covering(self, resident_code: str) -> list[SupportMeasure]:
        """Every measure naming the person, as applicant or co-resident, oldest first."""
        ...

    def open_measures(self) -> list[SupportMeasure]: ...

    def requested(self, requested_by: str, remote_measure_id: str) -> SupportMeasure | None: ...

    def recode_person(self, old: str, new: str) -> None:
        """The person's 住民票コード changed: their suppressions and measures follow."""
        ...

    def protected_among(self, resident_codes: Sequence[str]) -> set[str]:
        """Those of the codes covered by an open measure."""
        ...

    def append_feed(self, at: datetime, event: str, suppression: Suppression) -> None: ...

    def feed(self, after: int, limit: int) -> list[FeedEvent]: ...

    def record_inspection(self, record: InspectionRecord) -> None: ...


class OnlineRequests(Protocol):
    """Residents' requests filed through a resident portal, for the clerk at the window."""

    def add(self, request: OnlineRequest) -> None: ...

    def get(self, request_id: str) -> OnlineRequest | None:
        """The request, locked for update until the unit of work ends (where supported)."""
        ...

    def update(self, request: OnlineRequest) -> None: ...

    def pending(self) -> list[OnlineRequest]:
        """Requests not completed yet, the oldest first."""
        ...

    def of_resident(self, resident_code: str, portal: str) -> list[OnlineRequest]:
        """The requests ``portal`` filed for this 住民票コード, the newest first."""
        ...


class ResidentLookup(Protocol):
    """Exact-key look-ups of this register's records, and the area list of 閲覧."""

    def find(self, key: SearchKey, limit: int) -> list[Resident]:
        """Records (current and removed) matching the key exactly, after folding."""
        ...

    def living_under(self, address_prefix: str, limit: int) -> list[Resident]:
        """Current records whose address begins with the prefix, in address order."""
        ...


class MunicipalUnitOfWork(UnitOfWork, Protocol):
    @property
    def residents(self) -> Residents: ...

    @property
    def access_log(self) -> AccessLog: ...

    @property
    def households(self) -> Households: ...

    @property
    def changes(self) -> ChangeLog: ...

    @property
    def identities(self) -> IdentityHistory: ...

    @property
    def code_pool(self) -> CodePool: ...

    @property
    def certificates(self) -> Certificates: ...

    @property
    def household_inquiries(self) -> HouseholdInquiries: ...

    @property
    def arriving_certificates(self) -> ArrivingCertificates: ...

    @property
    def move_in_notices(self) -> MoveInNotices: ...

    @property
    def copies(self) -> CopyRegister: ...

    @property
    def protection(self) -> ProtectionRegister: ...

    @property
    def lookups(self) -> ResidentLookup: ...

    @property
    def online_requests(self) -> OnlineRequests: ...


class IdentityStoreUnitOfWork(UnitOfWork, Protocol):
    """The prefecture and national nodes: a store of identity information with its history."""

    @property
    def identities(self) -> IdentityHistory: ...

    @property
    def access_log(self) -> AccessLog: ...


class IssuedCodes(Protocol):
    def add_new(self, codes: Sequence[str], municipality_code: str, at: datetime) -> list[str]:
        """Insert codes never issued before; return those that were actually new."""
        ...

    def was_issued(self, code: str) -> bool: ...


class IssuedMyNumbers(Protocol):
    def number_for(self, resident_code: str) -> str | None:
        """The number currently designated for this code, if any."""
        ...

    def add_if_new(self, my_number: str, resident_code: str, reason: str, at: datetime) -> bool: ...

    def retire(self, my_number: str) -> None: ...

    def was_retired(self, my_number: str, resident_code: str) -> bool: ...

    def designate(self, my_number: str, resident_code: str) -> None:
        """The person holding ``my_number`` now has ``resident_code``."""
        ...


# --- Provision to agencies (national and prefecture nodes) -------------------------------


@dataclass(frozen=True, slots=True)
class ProvisionEntry:
    """One line of the provision log: who received what, for which affair, how and when.

    ``outcome`` is ``provided`` (some or no records found), ``refused`` (outside the law),
    ``narrow`` (too many candidates), ``invalid`` (a key that could not be read) or
    ``resident-view`` (a resident looking at their own provision records); household checks
    add ``not-found`` (no one living matches) and ``unanswered`` (the home municipality did
    not answer). Only ``provided`` counts in the annual notice.
    """

    provision_id: str
    at: datetime
    recipient_id: str
    affair_id: str
    channel: str
    operator: str
    key_kind: str
    outcome: str
    batch_id: str | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class ProvisionRecord:
    """A provision as a resident sees it: when, to whom, for what, how."""

    at: datetime
    recipient_id: str
    affair_id: str
    channel: str


@dataclass(frozen=True, slots=True)
class MonthlyCount:
    recipient_id: str
    affair_id: str
    month: str  # YYYY-MM
    channel: str
    count: int


class ProvisionLog(Protocol):
    def record(self, entry: ProvisionEntry, resident_codes: Sequence[str]) -> None:
        """Write the entry and, once each, the residents whose information it provided."""
        ...

    def records_of(self, resident_codes: Sequence[str]) -> list[ProvisionRecord]:
        """Every provision of these residents' information, oldest first."""
        ...

    def monthly_counts(self, first_month: str, last_month: str) -> list[MonthlyCount]:
        """Records provided per recipient, affair, month and channel (outcome ``provided``)."""
        ...


class IdentitySearch(Protocol):
    """Finds people in the identity store by a restricted key (see domain/searches.py)."""

    def find(self, key: SearchKey, prefecture: str | None, limit: int) -> list[IdentityInfo]:
        """The current identity of each matching person (at most ``limit`` people), the
        record they live in now if there is one, else the most recently removed."""
        ...

    def codes_of(self, my_number: str) -> list[str]:
        """Every 住民票コード this person has held, from their 個人番号."""
        ...

    def histories(self, resident_codes: Sequence[str]) -> dict[str, list[IdentityInfo]]:
        """Every version held of each person, in the order the changes happened."""
        ...

    def living_at(self, municipality_code: str, address_key: str, limit: int) -> list[IdentityInfo]:
        """Everyone with a current record at this address (its folded key), at most ``limit``,
        in 住民票コード order."""
        ...


@dataclass(frozen=True, slots=True)
class BatchTicket:
    """A batch request and how far its processing has got.

    ``state``: ``queued`` (rows staged, waiting), ``matching`` (some chunks done), ``done``,
    or ``failed`` (``problem`` says why; nothing more will be provided).
    """

    batch_id: str
    recipient_id: str
    affair_id: str
    channel: str
    operator: str
    format: str
    encoding: str | None
    history: bool
    state: str
    rows_total: int
    rows_done: int
    received_at: datetime
    finished_at: datetime | None = None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class StagedRow:
    """One row of a batch as received: its key, or why it cannot be searched with."""

    number: int
    reference: str
    key: SearchKey | None
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class RowMatches:
    """A staged row and the current records its key matched (any number of people), each in
    the wire form the store keeps (``IdentityInfo.to_wire``): read in bulk, not re-validated."""

    number: int
    reference: str
    problem: str | None
    records: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class RowResult:
    number: int
    reference: str
    outcome: str  # matched | ambiguous | not-found | invalid
    content: str  # the row's answer as JSON


class Batches(Protocol):
    def create(self, ticket: BatchTicket) -> None: ...

    def add_rows(self, batch_id: str, rows: Sequence[StagedRow]) -> None: ...

    def get(self, batch_id: str) -> BatchTicket | None: ...

    def pending(self) -> list[str]:
        """Batches waiting or part-way through, oldest first."""
        ...

    def match(
        self, batch_id: str, first: int, last: int, prefecture: str | None
    ) -> list[RowMatches]:
        """Rows ``first``..``last`` with the records their keys match, found set-based."""
        ...

    def add_results(self, batch_id: str, results: Sequence[RowResult]) -> None: ...

    def update(self, batch_id: str, **changes: object) -> None:
        """Change ``state``, ``rows_total``, ``rows_done``, ``finished_at`` or ``problem``."""
        ...

    def results(self, batch_id: str, after: int, limit: int) -> list[RowResult]:
        """The answered rows numbered ``after`` + 1 to ``after`` + ``limit``, in row order."""
        ...

    def recent(self, limit: int) -> list[BatchTicket]:
        """The batches received last, the newest first (at most ``limit``)."""
        ...

    def outcome_counts(self, batch_id: str) -> dict[str, int]:
        """How many of the batch's answered rows had each outcome."""
        ...


class AnswerUnitOfWork(Transactional, Protocol):
    """Immediate provision's unit of work: the search and the provision log, nothing else.

    Its only write is the log line, one statement with the residents provided, committed by
    ``commit`` before the answer leaves: nothing is answered without its line.
    """

    @property
    def search(self) -> IdentitySearch: ...

    @property
    def provision_log(self) -> ProvisionLog: ...


class ProvisionUnitOfWork(IdentityStoreUnitOfWork, AnswerUnitOfWork, Protocol):
    @property
    def batches(self) -> Batches: ...


class NationalUnitOfWork(ProvisionUnitOfWork, Protocol):
    @property
    def issued_codes(self) -> IssuedCodes: ...

    @property
    def issued_numbers(self) -> IssuedMyNumbers: ...


# --- The provision network's code component (機関別符号) -----------------------------------


class AgencyCodes(Protocol):
    """Codes derived for agencies, waiting to be collected (nothing else is kept)."""

    def file(self, agency_id: str, acquisition_number: str, code: str, at: datetime) -> None:
        """Keep a code under (agency, 取得番号); filing the same pair again replaces it."""
        ...

    def take(self, agency_id: str, acquisition_numbers: Sequence[str]) -> dict[str, str]:
        """Remove and return the codes filed for this agency under these numbers."""
        ...


class LinkageUnitOfWork(UnitOfWork, Protocol):
    @property
    def agency_codes(self) -> AgencyCodes: ...


# --- Residents' rights: disclosure, correction, complaints (national and prefecture) -----


class DisclosureRequests(Protocol):
    def add(self, request: DisclosureRequest) -> None: ...

    def get(self, request_id: str) -> DisclosureRequest | None:
        """The request, locked for update until the unit of work ends (where supported)."""
        ...

    def update(self, request: DisclosureRequest) -> None: ...

    def undecided(self) -> list[DisclosureRequest]:
        """Requests not decided yet, the earliest deadline first."""
        ...

    def received_between(self, first: date, last: date) -> list[DisclosureRequest]:
        """Requests received from ``first`` to ``last`` inclusive, oldest first."""
        ...

    def undelivered(self) -> list[DisclosureRequest]:
        """Requests decided but not yet handed over, the earliest decision first."""
        ...

    def filed_by_portal(
        self, resident_codes: Sequence[str], portal: str
    ) -> list[DisclosureRequest]:
        """The online requests ``portal`` filed for any of these 住民票コード, newest first."""
        ...


class CorrectionRequests(Protocol):
    def add(self, correction: CorrectionRequest) -> None: ...

    def get(self, correction_id: str) -> CorrectionRequest | None: ...

    def update(self, correction: CorrectionRequest) -> None: ...

    def unanswered(self) -> list[CorrectionRequest]:
        """Correction requests not answered yet, oldest first."""
        ...

    def following(self, disclosure_ids: Sequence[str]) -> list[CorrectionRequest]:
        """The correction requests that follow these disclosures, newest first."""
        ...


class Complaints(Protocol):
    def add(self, complaint: Complaint) -> None: ...

    def get(self, complaint_id: str) -> Complaint | None: ...

    def update(self, complaint: Complaint) -> None: ...

    def unanswered(self) -> list[Complaint]:
        """Complaints not answered yet, oldest first."""
        ...


class RightsCases(Protocol):
    """The case files of residents' rights a providing node keeps."""

    @property
    def disclosures(self) -> DisclosureRequests: ...

    @property
    def corrections(self) -> CorrectionRequests: ...

    @property
    def complaints(self) -> Complaints: ...


class RightsUnitOfWork(ProvisionUnitOfWork, Protocol):
    @property
    def rights(self) -> RightsCases: ...


# --- Notices of the immigration authority (住基法30条の50) --------------------------------


@dataclass(frozen=True, slots=True)
class SentNotice:
    """A notice ISA queued, and what the municipality answered (``outcome`` None: not yet)."""

    notice_id: str
    message_id: str
    municipality_code: str
    kind: str
    card_number: str | None
    operator: str
    queued_at: datetime
    outcome: str | None
    detail: str
    answered_at: datetime | None


class SentNotices(Protocol):
    """ISA's record of the notices it sent."""

    def add(
        self,
        notice_id: str,
        message_id: str,
        body: dict[str, Any],
        operator: str,
        at: datetime,
    ) -> None: ...

    def known(self, notice_ids: Sequence[str]) -> set[str]:
        """Which of these notice ids were queued before."""
        ...

    def record_outcomes(
        self, answers: Sequence[tuple[str, str, str]], recipient_code: str, at: datetime
    ) -> set[str]:
        """Keep (message id, outcome, detail) for notices sent to ``recipient_code`` that have
        no outcome yet — the first answer stands; return the message ids the answers settle."""
        ...

    def listed(self, outcome: str | None, limit: int) -> list[SentNotice]:
        """The latest notices first, only those with ``outcome`` if given ('pending': none)."""
        ...


class ImmigrationUnitOfWork(UnitOfWork, Protocol):
    @property
    def sent_notices(self) -> SentNotices: ...


class AppliedNotices(Protocol):
    """The municipality's memory of ISA's notices it applied, so a repeat changes nothing."""

    def seen(self, notice_id: str) -> bool: ...

    def remember(
        self, notice_id: str, message_id: str, record_id: str, kind: str, at: datetime
    ) -> None: ...


class ForeignResidents(Protocol):
    """Finding a foreign resident's active record the way ISA names them."""

    def by_card(self, card_number: str) -> Resident | None:
        """The active record whose 在留カード / 特別永住者証明書 number is ``card_number``."""
        ...

    def without_card(self, birth_date: date) -> list[Resident]:
        """Active foreign residents born on ``birth_date`` who hold no card number."""
        ...


class MunicipalImmigrationUnitOfWork(MunicipalUnitOfWork, Protocol):
    @property
    def applied_notices(self) -> AppliedNotices: ...

    @property
    def foreign_residents(self) -> ForeignResidents: ...


class AccessLog(Protocol):
    """The node's hash-chained access log (domain/access_log.py), bound to a unit of work:
    entries are chained and stored in the caller's transaction, so an action and its log
    lines commit together or not at all. Appends queue behind one another: two transactions
    never fork the chain."""

    def append(self, entries: Sequence[AccessEntry]) -> None: ...


class AccessLogArchive(Protocol):
    """Reading the access log back, for verification and investigators."""

    def stored(self) -> Generator[StoredEntry, None, None]:
        """Every entry in sequence order, streamed (a log of millions fits in no list)."""
        ...

    def checkpoints(self) -> list[Checkpoint]:
        """The signed checkpoints in the database, oldest first."""
        ...

    def newest_kept_apart(self) -> Checkpoint | None:
        """The newest checkpoint as kept outside the database (None if there is none)."""
        ...

    def search(self, query: AccessQuery) -> list[StoredEntry]:
        """Entries matching ``query``, newest first, at most ``query.limit``."""
        ...

    def between(self, start: datetime, end: datetime) -> Iterator[StoredEntry]:
        """Entries with ``start <= at < end`` in sequence order, streamed."""
        ...


class CheckpointSignatures(Protocol):
    """Whether a checkpoint was signed with this node's key (its CA-issued certificate)."""

    def valid(self, checkpoint: Checkpoint) -> bool: ...
