"""The one place that wires adapters to use cases.

``build_node`` wires one node — store, keys, peers, handlers, relay, batch worker, ASGI app —
and ``open_node`` does it from a deployment folder (PKI, signed directory, secrets), as
``jukinet serve`` runs one node per process; ``register_recipient`` enrols an agency or a
portal with a providing node. A whole country of nodes in one process (the demo, tests,
benchmarks) is ``deployments.Deployment``.
"""

from __future__ import annotations

import os
import secrets
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import Engine, MetaData

from jukinet.adapters.clock import SystemClock
from jukinet.adapters.crypto.ca import DeploymentCA
from jukinet.adapters.crypto.directory_files import load_signed_directory
from jukinet.adapters.crypto.operator_credentials import (
    Argon2PasswordHasher,
    SecretBox,
    TotpCodes,
)
from jukinet.adapters.crypto.packages import MediaKey
from jukinet.adapters.crypto.request_signatures import (
    Credential,
    certificate_fingerprint,
    raw_public_key,
)
from jukinet.adapters.crypto.signers import CertificateVerifier, NodeSigner
from jukinet.adapters.network.peer import SignedPeer
from jukinet.adapters.network.recipient_client import RecipientCredentials, write_profile
from jukinet.adapters.network.relay import Relay
from jukinet.adapters.network.tls import client_ssl_context
from jukinet.adapters.network.transports import EnvelopePoster
from jukinet.adapters.storage import migrations
from jukinet.adapters.storage.access_log import (
    AccessLogSeal,
    CertificateCheckpointSignatures,
    SqlAccessLogArchive,
    head_file_for,
)
from jukinet.adapters.storage.cards import Argon2PinHasher, PinHashCost
from jukinet.adapters.storage.credentials import SqlRecipientCredentials
from jukinet.adapters.storage.engines import StoreLocation, make_engine
from jukinet.adapters.storage.messaging import OutboxReader, RefusalLog
from jukinet.adapters.storage.operators import operator_units
from jukinet.adapters.storage.tables import METADATA
from jukinet.adapters.storage.units import (
    SqlAnswerUnitOfWork,
    SqlCardUnitOfWork,
    SqlIdentityStoreUnitOfWork,
    SqlImmigrationUnitOfWork,
    SqlLinkageUnitOfWork,
    SqlMunicipalUnitOfWork,
    SqlNationalUnitOfWork,
    SqlUnitOfWork,
)
from jukinet.domain.agency_codes import AgencyCodeDeriver
from jukinet.domain.legal import registry_in_force
from jukinet.domain.operators import SignInPolicy
from jukinet.domain.provision import check_id
from jukinet.nodes.card.checks import CheckPin, ContinueUse
from jukinet.nodes.card.counter import CardCounter
from jukinet.nodes.immigration.notices import RecordNoticeOutcomes
from jukinet.nodes.inbound import Handler, Receiver
from jukinet.nodes.linkage.codes import DeriveAgencyCode
from jukinet.nodes.municipal.codes import CodeSupply
from jukinet.nodes.municipal.copies import AnswerWideAreaCopyRequest
from jukinet.nodes.municipal.cs import AnswerDigest
from jukinet.nodes.municipal.households import AnswerHouseholdQuery
from jukinet.nodes.municipal.immigration import ApplyImmigrationNotices
from jukinet.nodes.municipal.move_notices import CompleteMoveOuts, KeepCertificateInfo
from jukinet.nodes.municipal.office import Office
from jukinet.nodes.municipal.protection_notices import RecordRequestedMeasures
from jukinet.nodes.national.consistency import ConsistencyCheck
from jukinet.nodes.national.intake import GenerateMyNumber, GrantCodePool, StoreIdentityUpdates
from jukinet.nodes.national.numbering import MyNumberDeriver
from jukinet.nodes.operators.offices import OperatorOffice
from jukinet.nodes.ports import Clock
from jukinet.nodes.prefecture.forwarding import (
    ForwardIdentityUpdates,
    PrefectureOffice,
    answer_digest,
)
from jukinet.nodes.provision.batches import run_pending
from jukinet.nodes.provision.providers import Provider
from jukinet.nodes.rights.offices import RightsOffice
from jukinet.protocol.catalogue import (
    AgencyCodeRequest,
    CardContinuedUse,
    CardPinCheck,
    CertificateInfoNotice,
    CodePoolRequest,
    DigestRequest,
    HouseholdQuery,
    IdentityUpdate,
    ImmigrationNotice,
    MeasureNotice,
    MoveInNotice,
    MyNumberRequest,
    Role,
    WideAreaCopyRequest,
)
from jukinet.protocol.directory import (
    NATIONAL_ID,
    Directory,
    NodeEntry,
)
from jukinet.settings import Settings
from jukinet.web.recipient_auth import RecipientAuthenticator

log = structlog.get_logger("jukinet.node")

MY_NUMBER_KEY = "my-number.key"

UNITS: dict[Role, type[SqlUnitOfWork]] = {
    Role.MUNICIPALITY: SqlMunicipalUnitOfWork,
    Role.PREFECTURE: SqlIdentityStoreUnitOfWork,
    Role.NATIONAL: SqlNationalUnitOfWork,
    Role.LINKAGE: SqlLinkageUnitOfWork,
    Role.IMMIGRATION: SqlImmigrationUnitOfWork,
    Role.CARD: SqlCardUnitOfWork,
}


@dataclass
class Node:
    """One node's wiring: store, keys, peers, handlers, relay, and its ASGI app."""

    entry: NodeEntry
    engine: Engine
    metadata: MetaData
    clock: Clock
    directory: Directory
    peer: SignedPeer
    receiver: Receiver
    relay: Relay
    outbox: OutboxReader
    refusals: RefusalLog
    supply: CodeSupply | None = None
    operators: OperatorOffice | None = None  # staff accounts and sessions
    consistency: ConsistencyCheck | None = None
    provider: Provider | None = None
    credentials: SqlRecipientCredentials | None = None
    authenticator: RecipientAuthenticator | None = None
    batch_wake: threading.Event = field(default_factory=threading.Event)
    settings: Settings | None = None
    signer: NodeSigner | None = None
    access_seal: AccessLogSeal | None = None  # signs the access log's checkpoints
    access_log: SqlAccessLogArchive | None = None  # the log read back: verify, search
    checkpoint_signatures: CertificateCheckpointSignatures | None = None
    rights: RightsOffice | None = None
    cards: CardCounter | None = None  # the card node's counter work
    _app: Any = None

    def unit_of_work(self) -> Any:
        """A new unit of work on this node's store (its type depends on the node's role)."""
        return UNITS[self.entry.role](
            self.engine,
            self.metadata,
            self.clock.now,
            self.relay.wake.set,
            access_seal=self.access_seal,
        )

    def serve_background_work(self, stop: threading.Event) -> list[threading.Thread]:
        """Start the outbox relay and, on a providing node, the batch worker."""
        threads = [threading.Thread(target=self.relay.serve, args=(stop,), daemon=True)]
        if self.provider is not None:
            threads.append(threading.Thread(target=self._serve_batches, args=(stop,), daemon=True))
        for thread in threads:
            thread.start()
        return threads

    def _serve_batches(self, stop: threading.Event, idle: float = 2.0) -> None:
        """Match waiting batches until ``stop``; an upload wakes the worker at once."""
        assert self.provider is not None
        while not stop.is_set():
            try:
                run_pending(self.provider)
            except Exception:  # the worker must outlive any single failure
                log.exception("batch matching failed")
            self.batch_wake.wait(idle)
            self.batch_wake.clear()

    @property
    def app(self) -> Any:
        if self._app is None:
            from jukinet.web.app import create_app

            self._app = create_app(self)
        return self._app


def municipal_office(entry: NodeEntry, directory: Directory) -> Office:
    """Who a municipality node is on the network, and which other municipalities it reaches."""
    assert entry.municipality_code is not None
    return Office(
        entry.municipality_code,
        entry.id,
        directory.prefecture_node_for(entry.municipality_code).id,
        NATIONAL_ID,
        frozenset(n.municipality_code for n in directory.municipalities() if n.municipality_code),
    )


def _handlers(
    entry: NodeEntry, clock: Clock, secrets_dir: Path, directory: Directory
) -> dict[str, Handler]:
    if entry.role is Role.MUNICIPALITY:
        office = municipal_office(entry, directory)
        return {
            MoveInNotice.TYPE: CompleteMoveOuts(office, clock),
            CertificateInfoNotice.TYPE: KeepCertificateInfo(office, clock),
            DigestRequest.TYPE: AnswerDigest(office),
            HouseholdQuery.TYPE: AnswerHouseholdQuery(office, clock),
            ImmigrationNotice.TYPE: ApplyImmigrationNotices(office, clock),
            WideAreaCopyRequest.TYPE: AnswerWideAreaCopyRequest(office, clock),
            MeasureNotice.TYPE: RecordRequestedMeasures(office, clock),
        }
    if entry.role is Role.PREFECTURE:
        pref = PrefectureOffice(entry.id, frozenset(entry.prefectures), NATIONAL_ID)
        return {
            IdentityUpdate.TYPE: ForwardIdentityUpdates(pref, clock),
            DigestRequest.TYPE: answer_digest,
        }
    if entry.role is Role.CARD:
        hasher = card_pin_hasher(secrets_dir)
        return {
            CardPinCheck.TYPE: CheckPin(hasher, clock),
            CardContinuedUse.TYPE: ContinueUse(hasher, clock),
        }
    if entry.role is Role.IMMIGRATION:
        return {}  # ISA only sends: its notices' answers come back on the same exchange
    if entry.role is Role.LINKAGE:
        codes = AgencyCodeDeriver(_secret(secrets_dir, LINKAGE_KEY))
        return {AgencyCodeRequest.TYPE: DeriveAgencyCode(codes, clock)}
    deriver = MyNumberDeriver(my_number_key(secrets_dir))
    return {
        IdentityUpdate.TYPE: StoreIdentityUpdates(clock),
        CodePoolRequest.TYPE: GrantCodePool(clock),
        MyNumberRequest.TYPE: GenerateMyNumber(deriver, clock),
    }


MEDIA_KEY = "media.key"
MEDIA_PUBLIC_KEY = "media.pub.pem"


def media_key(settings: Settings) -> MediaKey:
    """The national node's key for batch requests on media: created once, kept secret; its
    public half goes to every agency with its credentials."""
    path = settings.secrets_dir / MEDIA_KEY
    if not path.exists():
        settings.secrets_dir.mkdir(parents=True, exist_ok=True)
        MediaKey.generate().save(path)
    return MediaKey.load(path)


LINKAGE_KEY = "linkage.key"
CARD_KEY = "card.key"


def card_pin_hasher(secrets_dir: Path) -> Argon2PinHasher:
    """The card node's PIN hasher: its key (``card.key``) lives only on the card node's host,
    never in its database; the argon2 cost comes from ``JUKINET_CARD_PIN_*`` (see
    ``adapters/storage/cards.py``)."""
    return Argon2PinHasher(_secret(secrets_dir, CARD_KEY), PinHashCost.from_env())


def my_number_key(secrets_dir: Path) -> bytes:
    """J-LIS's secret for deriving 個人番号; created once, never leaves the national node."""
    return _secret(secrets_dir, MY_NUMBER_KEY)


def _secret(secrets_dir: Path, name: str) -> bytes:
    """A node's 32-byte secret, created on first use with mode 0600. The 個人番号 key belongs
    to J-LIS and the agency-code key (``linkage.key``) to the provision network: in
    production each lives only on its own node's host."""
    path = secrets_dir / name
    if not path.exists():
        secrets_dir.mkdir(parents=True, exist_ok=True)
        # Created with mode 0600 from the start, so the key is never readable by others; a
        # process that loses the race to create it reads the winner's.
        with suppress(FileExistsError):
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(descriptor, "wb") as file:
                file.write(secrets.token_bytes(32))
    return path.read_bytes()


# Nodes that only resident portals call as recipients: the card node (signing residents in
# with the card) and the municipalities (online move-out, requests for the window).
PORTAL_ONLY = (Role.CARD, Role.MUNICIPALITY)


def build_node(
    entry: NodeEntry,
    *,
    directory: Directory,
    store: StoreLocation,
    signer: NodeSigner,
    verifier: CertificateVerifier,
    poster: EnvelopePoster,
    settings: Settings,
    clock: Clock,
) -> Node:
    engine = make_engine(store)
    migrations.upgrade(engine, entry.role.value)
    metadata = METADATA[entry.role.value]
    peer = SignedPeer(entry.id, directory, poster, signer, verifier, clock)
    outbox = OutboxReader(engine, metadata)
    refusals = RefusalLog(engine, metadata)
    relay = Relay(outbox, peer)
    seal = access_log_seal(entry, signer, settings)
    units = partial(
        UNITS[entry.role], engine, metadata, clock.now, relay.wake.set, access_seal=seal
    )
    receiver = Receiver(
        me=entry.id,
        directory=directory,
        verifier=verifier,
        signer=signer,
        clock=clock,
        unit_of_work=units,
        refusals=refusals,
        handlers=_handlers(entry, clock, settings.secrets_dir, directory),
        max_skew=settings.max_skew,
    )
    node = Node(
        entry,
        engine,
        metadata,
        clock,
        directory,
        peer,
        receiver,
        relay,
        outbox,
        refusals,
    )
    if entry.role is Role.MUNICIPALITY:
        office = municipal_office(entry, directory)
        node.supply = CodeSupply(office, peer, clock, node.unit_of_work)
        node.operators = operator_office(node, settings)
    if entry.role is Role.NATIONAL:
        node.consistency = ConsistencyCheck(directory, peer, node.unit_of_work)
    node.settings, node.signer = settings, signer
    if seal is not None:
        node.access_seal = seal
        node.access_log = SqlAccessLogArchive(engine, metadata, seal)
        node.checkpoint_signatures = CertificateCheckpointSignatures(verifier, entry)
    if entry.role in PROVIDER_NAMES:
        _add_provision(node, settings)
    if entry.role in PORTAL_ONLY or entry.role is Role.LINKAGE:
        _add_credentials(node, settings)
    if entry.role is Role.IMMIGRATION:
        relay.receipts[ImmigrationNotice.TYPE] = RecordNoticeOutcomes(node.unit_of_work, clock)
    if entry.role is Role.CARD:
        node.cards = CardCounter(node.unit_of_work, card_pin_hasher(settings.secrets_dir), clock)
    return node


AUDITED_ROLES = (Role.MUNICIPALITY, Role.PREFECTURE, Role.NATIONAL)
AUDIT_CHECKPOINT_EVERY = 1000  # entries between two automatic signed checkpoints


def access_log_seal(
    entry: NodeEntry, signer: NodeSigner, settings: Settings
) -> AccessLogSeal | None:
    """How a node with an access log signs its checkpoints; the newest is also kept in
    ``<home>/audit/<node>.head``, outside the database (docs/audit.md)."""
    if entry.role not in AUDITED_ROLES:
        return None
    head_file = head_file_for(settings.home, entry.id)
    return AccessLogSeal(entry.id, signer.sign, head_file, AUDIT_CHECKPOINT_EVERY)


PROVIDER_NAMES = {
    Role.NATIONAL: "地方公共団体情報システム機構",
    Role.PREFECTURE: "都道府県知事（都道府県サーバ集約センター）",
}


def _add_provision(node: Node, settings: Settings) -> None:
    """Provision to recipients: the law in force, credentials, the request authenticator."""
    role = node.entry.role
    node.provider = Provider(
        PROVIDER_NAMES[role],
        partial(registry_in_force, role.value),
        node.clock,
        unit_of_work=node.unit_of_work,
        answering=partial(SqlAnswerUnitOfWork, node.engine, node.metadata),
        max_candidates=settings.max_candidates,
    )
    _add_credentials(node, settings)
    _add_rights(node, node.provider, settings)


def _add_rights(node: Node, provider: Provider, settings: Settings) -> None:
    """Residents' rights at a providing node, and the accounts of the staff who record them."""
    node.rights = RightsOffice(provider, node.unit_of_work, settings.disclosure_days)
    node.operators = operator_office(node, settings)


OPERATORS_KEY = "operators.key"


def operator_office(node: Node, settings: Settings) -> OperatorOffice:
    """Operator accounts and sessions of a node with staff; TOTP secrets are encrypted with
    the node's ``operators.key`` (created on first use, kept in the secrets folder)."""
    box = SecretBox(_secret(settings.secrets_dir, OPERATORS_KEY))
    policy = SignInPolicy(
        settings.operator_max_failures, settings.session_idle, settings.session_lifetime
    )
    return OperatorOffice(
        node.entry.role.value,
        f"jukinet {node.entry.id}",
        operator_units(node.engine, node.metadata, box),
        node.clock,
        Argon2PasswordHasher(),
        TotpCodes(),
        policy,
    )


def _add_credentials(node: Node, settings: Settings) -> None:
    """Recipients' credentials and the authenticator of their signed requests."""
    node.credentials = SqlRecipientCredentials(node.engine, node.metadata)
    node.authenticator = RecipientAuthenticator(
        node.credentials.get, node.clock.now, settings.max_skew
    )


def open_node(node_id: str, settings: Settings, clock: Clock | None = None) -> Node:
    """A node of an existing deployment, talking HTTPS with mutual TLS (``jukinet serve``)."""
    ca_pem = (settings.pki_dir / "ca.cert.pem").read_bytes()
    directory = load_signed_directory(settings.directory_file, ca_pem)
    entry = directory.node(node_id)
    key, cert = (
        settings.pki_dir / "nodes" / f"{node_id}.key.pem",
        settings.pki_dir / "nodes" / f"{node_id}.cert.pem",
    )
    context = client_ssl_context(settings.pki_dir / "ca.cert.pem", cert, key)
    return build_node(
        entry,
        directory=directory,
        store=settings.store(node_id),
        signer=NodeSigner.from_files(node_id, key),
        verifier=CertificateVerifier(ca_pem),
        poster=EnvelopePoster.https(context),
        settings=settings,
        clock=clock or SystemClock(),
    )


RECIPIENT_KINDS = ("agency", "portal")


def register_recipient(
    node: Node, recipient_id: str, kind: str, operator: str, folder: Path, pki_dir: Path
) -> RecipientCredentials:
    """Issue a recipient a client certificate from the deployment CA, register it with the
    providing ``node`` (logged in the registry's change log) and write the credentials
    folder the recipient's systems use.

    An agency must be a recipient the legal registry in force names; a portal (a resident
    portal asking on residents' behalf) only needs a valid id.
    """
    if node.credentials is None:
        raise ValueError(f"{node.entry.id} has no recipients")
    if kind not in RECIPIENT_KINDS:
        raise ValueError(f"kind must be one of {RECIPIENT_KINDS}, got {kind!r}")
    check_id("recipient", recipient_id)
    if node.entry.role in PORTAL_ONLY and kind != "portal":
        raise ValueError(f"{node.entry.id} takes resident portals only (kind portal)")
    if kind == "agency":
        law = (
            node.provider.law()
            if node.provider is not None
            else registry_in_force("national", node.clock.today())  # the provision network
        )
        law.recipient(recipient_id)
    issued = DeploymentCA.load(pki_dir).issue_client(f"recipient:{recipient_id}", folder)
    certificate = issued.certificate
    node.credentials.register(
        Credential(
            certificate_fingerprint(certificate),
            recipient_id,
            kind,
            raw_public_key(certificate),
            certificate.not_valid_after_utc,
            None,
        ),
        operator,
        node.clock.now(),
    )
    (folder / "ca.cert.pem").write_bytes((pki_dir / "ca.cert.pem").read_bytes())
    if node.entry.role is Role.NATIONAL and node.settings is not None:
        (folder / MEDIA_PUBLIC_KEY).write_bytes(media_key(node.settings).public_pem())
    write_profile(folder, recipient_id, kind, node.entry.id, node.entry.endpoint)
    return RecipientCredentials.load(folder)
