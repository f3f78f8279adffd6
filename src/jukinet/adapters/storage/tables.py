"""Tables of every node role, in SQLAlchemy Core.

Each role has its own ``MetaData`` (and its own database or PostgreSQL schema); tables that
every node needs — the outbox, the envelope inbox, the refusal log and the identity store —
are defined once by a function and added to each role's metadata. Every identity row carries
its local-government code so that the national store can be partitioned by prefecture.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    text,
)

ID = String(36)
NODE = String(64)
CODE11 = String(11)
CODE12 = String(12)
LG = String(6)

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL wants BIGINT for the outbox.
SERIAL = BigInteger().with_variant(Integer(), "sqlite")


def _messaging(metadata: MetaData) -> None:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("message_id", ID, nullable=False, unique=True),
        Column("recipient", NODE, nullable=False),
        Column("type", String(64), nullable=False),
        Column("version", Integer, nullable=False),
        Column("stream", String(64), nullable=False),
        Column("sequence", Integer, nullable=False),
        Column("created_at", String(32), nullable=False),
        Column("body", Text, nullable=False),
        Column("delivered_at", DateTime(timezone=True)),
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        # Set when the recipient refused the message for its content (see relay.py).
        Column("refused_at", DateTime(timezone=True)),
        Column("refusal", Text),
    )
    Index(
        "ix_outbox_pending",
        outbox.c.recipient,
        outbox.c.id,
        sqlite_where=outbox.c.delivered_at.is_(None),
        postgresql_where=outbox.c.delivered_at.is_(None),
    )
    Table(
        "received_envelopes",
        metadata,
        Column("envelope_id", ID, primary_key=True),
        Column("sender", NODE, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False, index=True),
    )
    Table(
        "refusals",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("sender", String(200), nullable=False),
        Column("envelope_id", String(200), nullable=False),
        Column("reason", String(40), nullable=False),
        Column("detail", Text, nullable=False),
    )


def _identity_store(metadata: MetaData) -> None:
    """Every version received or notified, and the latest version of each record."""
    Table(
        "identity_versions",
        metadata,
        Column("stream", ID, primary_key=True),
        Column("sequence", Integer, primary_key=True),
        Column("message_id", ID, nullable=False),
        Column("municipality_code", LG, nullable=False),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("reason", String(40), nullable=False),
        Column("change_date", Date, nullable=False),
        Column("content", Text, nullable=False),
        Column("digest", String(64), nullable=False),
        Column("stored_at", DateTime(timezone=True), nullable=False),
    )
    current = Table(
        "identity_current",
        metadata,
        Column("stream", ID, primary_key=True),
        Column("sequence", Integer, nullable=False),
        Column("municipality_code", LG, nullable=False),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("my_number", CODE12, index=True),
        Column("status", String(10), nullable=False),
        Column("content", Text, nullable=False),
        Column("digest", String(64), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        # Search keys (matching.py), so that provision finds people by index, never by scan.
        Column("name_key", String(200), nullable=False, server_default=""),
        Column("kana_key", String(200), nullable=False, server_default=""),
        Column("birth_date", Date),
        Column("sex", String(6), nullable=False, server_default=""),
        Column("address_key", String(400), nullable=False, server_default=""),
    )
    Index("ix_identity_current_municipality", current.c.municipality_code, current.c.stream)
    Index("ix_identity_current_name", current.c.name_key, current.c.birth_date)
    Index("ix_identity_current_kana", current.c.kana_key, current.c.birth_date)


def _operators(metadata: MetaData) -> None:
    """Operator accounts (one per person: the 照合ID is unique for good), their sessions
    (tokens as SHA-256 hashes) and the log of every sign-in and account change."""
    Table(
        "operator_accounts",
        metadata,
        Column("operator_id", String(32), primary_key=True),
        Column("matching_id", String(16), nullable=False, unique=True),
        Column("name", String(100), nullable=False),
        Column("roles", String(200), nullable=False),  # comma-separated
        Column("password_hash", String(200), nullable=False),
        Column("code_secret", String(200), nullable=False),  # AES-GCM with operators.key
        Column("last_code_step", BigInteger, nullable=False),
        Column("failed_sign_ins", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("locked_at", DateTime(timezone=True)),
        Column("disabled_at", DateTime(timezone=True)),
    )
    Table(
        "operator_sessions",
        metadata,
        Column("session_id", ID, primary_key=True),
        Column("token_hash", String(64), nullable=False, unique=True),
        Column("operator_id", String(32), nullable=False, index=True),
        Column("terminal", String(64), nullable=False),
        Column("started_at", DateTime(timezone=True), nullable=False),
        Column("last_seen_at", DateTime(timezone=True), nullable=False),
        Column("ended_at", DateTime(timezone=True)),
        Column("end_reason", String(20)),
    )
    Table(
        "operator_events",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("kind", String(30), nullable=False),
        Column("operator_id", String(64), nullable=False, index=True),
        Column("actor", String(64), nullable=False),
        Column("terminal", String(64), nullable=False),
        Column("detail", Text, nullable=False),
    )


def _credentials(metadata: MetaData) -> None:
    """Recipients' registered client certificates, and the log of every change to them."""
    Table(
        "recipient_credentials",
        metadata,
        Column("fingerprint", String(64), primary_key=True),
        Column("recipient_id", String(64), nullable=False, index=True),
        Column("kind", String(10), nullable=False),  # agency | portal
        Column("public_key", Text, nullable=False),
        Column("not_after", DateTime(timezone=True), nullable=False),
        Column("registered_at", DateTime(timezone=True), nullable=False),
        Column("registered_by", String(64), nullable=False),
        Column("revoked_at", DateTime(timezone=True)),
        Column("revoked_by", String(64)),
    )
    Table(
        "registry_changes",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("operator", String(64), nullable=False),
        Column("action", String(40), nullable=False),
        Column("subject", String(64), nullable=False),
        Column("detail", Text, nullable=False),
    )


def _provision(metadata: MetaData) -> None:
    """Provision to agencies: credentials, the registry's change log, the provision log and
    batch requests (national and prefecture nodes)."""
    _credentials(metadata)
    provisions = Table(
        "provisions",
        metadata,
        Column("provision_id", ID, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("month", String(7), nullable=False),  # YYYY-MM in Japan time, for the notice
        Column("recipient_id", String(64), nullable=False),
        Column("affair_id", String(64), nullable=False),
        Column("channel", String(20), nullable=False),
        Column("operator", String(64), nullable=False),
        Column("key_kind", String(20), nullable=False),
        Column("outcome", String(30), nullable=False),
        Column("provided", Integer, nullable=False),
        Column("batch_id", ID),
        Column("detail", Text, nullable=False),
    )
    Index("ix_provisions_month", provisions.c.month, provisions.c.recipient_id)
    Table(
        "provided_residents",
        metadata,
        Column("provision_id", ID, primary_key=True),
        Column("resident_code", CODE11, primary_key=True, index=True),
    )
    Table(
        "batches",
        metadata,
        Column("batch_id", ID, primary_key=True),
        Column("recipient_id", String(64), nullable=False, index=True),
        Column("affair_id", String(64), nullable=False),
        Column("channel", String(20), nullable=False),
        Column("operator", String(64), nullable=False),
        Column("format", String(10), nullable=False),
        Column("encoding", String(20)),
        Column("history", Boolean, nullable=False),
        Column("state", String(12), nullable=False, index=True),
        Column("rows_total", Integer, nullable=False),
        Column("rows_done", Integer, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False),
        Column("finished_at", DateTime(timezone=True)),
        Column("problem", Text),
    )
    Table(
        "batch_rows",
        metadata,
        Column("batch_id", ID, primary_key=True),
        Column("number", Integer, primary_key=True),
        Column("reference", String(64), nullable=False),
        Column("key_kind", String(20)),
        Column("resident_code", CODE11),
        Column("my_number", CODE12),
        Column("name_key", String(200)),
        Column("kana_key", String(200)),
        Column("birth_date", Date),
        Column("sex", String(6)),
        Column("address_key", String(400)),
        Column("problem", Text),
    )
    Table(
        "batch_results",
        metadata,
        Column("batch_id", ID, primary_key=True),
        Column("number", Integer, primary_key=True),
        Column("reference", String(64), nullable=False),
        Column("outcome", String(12), nullable=False),
        Column("content", Text, nullable=False),
    )


def _rights(metadata: MetaData) -> None:
    """Residents' rights at a providing node: disclosure requests, correction requests and
    complaints, each with who recorded every step; and the staff's operator accounts."""
    disclosures = Table(
        "disclosure_requests",
        metadata,
        Column("request_id", ID, primary_key=True),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("relation", String(30), nullable=False),
        Column("requester_name", String(200), nullable=False),
        Column("method", String(10), nullable=False),
        Column("received_on", Date, nullable=False, index=True),
        Column("deadline", Date, nullable=False),
        Column("received_by", String(64), nullable=False),
        Column("portal", String(64)),
        Column("documents", String(400)),  # the kinds seen, comma-separated
        Column("checked_on", Date),
        Column("checked_by", String(64)),
        Column("decision", String(10)),
        Column("decided_on", Date),
        Column("decided_by", String(64)),
        Column("refusal_reason", Text),
        Column("delivery", String(10)),
        Column("delivered_on", Date),
        Column("delivered_by", String(64)),
    )
    Index("ix_disclosure_requests_open", disclosures.c.decision, disclosures.c.deadline)
    Table(
        "correction_requests",
        metadata,
        Column("correction_id", ID, primary_key=True),
        Column("disclosure_id", ID, nullable=False, index=True),
        Column("resident_code", CODE11, nullable=False),
        Column("items", String(200), nullable=False),  # comma-separated
        Column("statement", Text, nullable=False),
        Column("received_on", Date, nullable=False),
        Column("received_by", String(64), nullable=False),
        Column("findings", Text),
        Column("result", String(20)),
        Column("municipality_code", LG),
        Column("investigated_on", Date),
        Column("investigated_by", String(64)),
        Column("answered_on", Date),
        Column("answered_by", String(64)),
    )
    Table(
        "complaints",
        metadata,
        Column("complaint_id", ID, primary_key=True),
        Column("complainant", String(200), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("details", Text, nullable=False),
        Column("received_on", Date, nullable=False, index=True),
        Column("received_by", String(64), nullable=False),
        Column("disclosure_id", ID),
        Column("answer", Text),
        Column("answered_on", Date),
        Column("answered_by", String(64)),
    )
    _operators(metadata)


def _copies(metadata: MetaData) -> None:
    """住民票の写し: the fee in force, copies issued here, wide-area requests answered here."""
    Table(
        "copy_fees",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("amount", Integer, nullable=False),
        Column("set_at", DateTime(timezone=True), nullable=False),
        Column("operator", String(64), nullable=False),
    )
    Table(
        "copy_issuances",
        metadata,
        Column("issuance_id", ID, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("operator", String(64), nullable=False),
        Column("requester_kind", String(20), nullable=False),
        Column("requester_name", String(200), nullable=False),
        Column("requester_code", CODE11),
        Column("document", String(40)),
        Column("purpose", Text, nullable=False),
        Column("issuing_municipality", LG, nullable=False),
        Column("home_municipality", LG, nullable=False),
        Column("layout", String(20), nullable=False),
        Column("items", String(200), nullable=False),
        Column("sheets", Integer, nullable=False),
        Column("fee", Integer, nullable=False),
        Column("outcome", String(10), nullable=False),
        Column("detail", Text, nullable=False),
    )
    Table(
        "copy_issuance_people",
        metadata,
        Column("issuance_id", ID, primary_key=True),
        Column("resident_code", CODE11, primary_key=True, index=True),
    )
    Table(
        "wide_area_answers",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("requester_node", NODE, nullable=False),
        Column("issuing_municipality", LG, nullable=False),
        Column("request_id", String(64), nullable=False),
        Column("requester_code", CODE11, nullable=False),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("items", String(200), nullable=False),
        Column("outcome", String(10), nullable=False),
        Column("detail", Text, nullable=False),
    )


def _moves(metadata: MetaData) -> None:
    """Moves between municipalities: 転出証明書情報 received for card holders moving here, and
    every 転入通知 received, with what it did (``completed`` or ``unmatched``)."""
    Table(
        "arriving_certificates",
        metadata,
        Column("issuer", LG, primary_key=True),
        Column("certificate_id", String(64), primary_key=True),
        Column("holder", CODE11, nullable=False, index=True),
        Column("resident_code", CODE11, nullable=False),
        Column("planned_on", Date, nullable=False),
        Column("content", Text, nullable=False),
        Column("received_at", DateTime(timezone=True), nullable=False),
        Column("used_at", DateTime(timezone=True)),
    )
    Table(
        "move_in_notices",
        metadata,
        Column("message_id", ID, primary_key=True),
        Column("received_at", DateTime(timezone=True), nullable=False),
        Column("sender", LG, nullable=False),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("content", Text, nullable=False),
        Column("outcome", String(16), nullable=False, index=True),
        Column("detail", Text, nullable=False),
    )


def _protection(metadata: MetaData) -> None:
    """抑止 and 支援措置: suppressions, support measures and whom they cover, the outbound feed
    of suppression changes, and the inspection lists (閲覧) produced."""
    Table(
        "suppressions",
        metadata,
        Column("suppression_id", ID, primary_key=True),
        Column("target", String(10), nullable=False),
        Column("target_id", ID, nullable=False, index=True),
        Column("reason", String(40), nullable=False),
        Column("processes", String(200), nullable=False),
        Column("level", String(10), nullable=False),
        Column("starts_on", Date, nullable=False),
        Column("ends_on", Date),
        Column("set_by", String(64), nullable=False),
        Column("set_at", DateTime(timezone=True), nullable=False),
        Column("note", Text, nullable=False),
        Column("measure_id", ID, index=True),
        Column("released_at", DateTime(timezone=True)),
        Column("released_by", String(64), nullable=False),
        Column("temporary_until", DateTime(timezone=True)),
        Column("temporary_by", String(64), nullable=False),
    )
    Table(
        "support_measures",
        metadata,
        Column("measure_id", ID, primary_key=True),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("state", String(12), nullable=False, index=True),
        Column("origin", String(16), nullable=False),
        Column("requested_by", String(6), nullable=False),
        Column("remote_measure_id", String(64), nullable=False),
        Column("content", Text, nullable=False),
    )
    Table(
        "support_measure_people",
        metadata,
        Column("measure_id", ID, primary_key=True),
        Column("resident_code", CODE11, primary_key=True, index=True),
    )
    Table(
        "suppression_feed",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("event", String(10), nullable=False),
        Column("suppression_id", ID, nullable=False),
        Column("content", Text, nullable=False),
    )
    Table(
        "inspections",
        metadata,
        Column("inspection_id", ID, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("operator", String(64), nullable=False),
        Column("requester", String(200), nullable=False),
        Column("purpose_kind", String(40), nullable=False),
        Column("purpose", Text, nullable=False),
        Column("area", String(200), nullable=False),
        Column("listed", Integer, nullable=False),
        Column("left_out", Integer, nullable=False),
    )


def _access_log(metadata: MetaData) -> None:
    """The hash-chained access log (domain/access_log.py), its signed checkpoints, and the
    one-row table an append locks so that two transactions never fork the chain. Triggers
    created by the migrations refuse UPDATE and DELETE on the log and its checkpoints."""
    log = Table(
        "access_log",
        metadata,
        Column("sequence", BigInteger, primary_key=True, autoincrement=False),
        Column("at", DateTime(timezone=True), nullable=False, index=True),
        Column("operator_id", String(128), nullable=False),
        Column("terminal", String(128), nullable=False),
        Column("session_id", String(128), nullable=False),
        Column("action", String(64), nullable=False),
        Column("permission", String(64), nullable=False),
        Column("resident_codes", Text, nullable=False),  # space-separated
        Column("outcome", String(10), nullable=False),
        Column("detail", Text, nullable=False),
        Column("previous_hash", String(64), nullable=False),
        Column("entry_hash", String(64), nullable=False),
    )
    Index("ix_access_log_operator_at", log.c.operator_id, log.c.at)
    Table(
        "access_log_checkpoints",
        metadata,
        Column("sequence", BigInteger, primary_key=True, autoincrement=False),
        Column("entry_hash", String(64), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("signature", String(128), nullable=False),  # Ed25519, hex
    )
    Table(
        "access_log_lock",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("appended", BigInteger, nullable=False),
    )


def municipal_metadata() -> MetaData:
    metadata = MetaData()
    _messaging(metadata)
    _identity_store(metadata)
    Table(
        "households",
        metadata,
        Column("household_id", ID, primary_key=True),
        Column("municipality_code", LG, nullable=False),
        Column("address", String(200), nullable=False),
        Column("head_record_id", ID),
        Column("created_on", Date, nullable=False),
        Column("ended_on", Date),
    )
    residents = Table(
        "residents",
        metadata,
        Column("record_id", ID, primary_key=True),
        Column("municipality_code", LG, nullable=False),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("my_number", CODE12),
        Column("family_name", String(200), nullable=False),
        Column("given_name", String(200), nullable=False),
        Column("family_name_kana", String(200), nullable=False),
        Column("given_name_kana", String(200), nullable=False),
        Column("former_surname", String(200), nullable=False),
        Column("alias", String(400), nullable=False),
        Column("birth_date", Date, nullable=False),
        Column("sex", String(6), nullable=False),
        Column("household_id", ID, nullable=False, index=True),
        Column("relationship", String(30), nullable=False),
        Column("address", String(800), nullable=False),
        Column("address_set_on", Date, nullable=False),
        Column("became_resident_on", Date, nullable=False),
        Column("notified_on", Date, nullable=False),
        Column("previous_address", String(800), nullable=False),
        Column("domicile", Text),
        Column("foreign_block", Text),
        Column("welfare", Text, nullable=False),
        Column("status", String(10), nullable=False),
        Column("removal_reason", String(40)),
        Column("removed_on", Date),
        Column("destination", String(800), nullable=False),
        Column("remarks", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("last_reason", String(40), nullable=False),
        Column("last_change_date", Date),
        Column("previous_resident_code", CODE11),
    )
    # A person has at most one active record in a municipality.
    Index(
        "ux_residents_active_code",
        residents.c.resident_code,
        unique=True,
        sqlite_where=residents.c.status == "active",
        postgresql_where=residents.c.status == "active",
    )
    Table(
        "changes",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("record_id", ID, nullable=False, index=True),
        Column("reason", String(40), nullable=False),
        Column("occurred_on", Date, nullable=False),
        Column("notified_on", Date, nullable=False),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
        Column("operator", String(64), nullable=False),
        Column("before", Text),
        Column("after", Text, nullable=False),
    )
    _operators(metadata)
    Table(
        "code_pool",
        metadata,
        Column("code", CODE11, primary_key=True),
        Column("granted_at", DateTime(timezone=True), nullable=False),
        Column("taken_at", DateTime(timezone=True), index=True),
    )
    Table(
        "move_out_certificates",
        metadata,
        Column("certificate_id", String(64), primary_key=True),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("content", Text, nullable=False),
        Column("issued_on", Date, nullable=False),
    )
    Table(
        "consumed_certificates",
        metadata,
        Column("issuer", LG, primary_key=True),
        Column("certificate_id", String(64), primary_key=True),
        Column("consumed_at", DateTime(timezone=True), nullable=False),
    )
    # 世帯情報の確認: who asked about whom, kept by the municipality that answered.
    Table(
        "household_inquiries",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("requester", NODE, nullable=False),
        Column("provision_id", ID, nullable=False),
        Column("recipient_id", String(64), nullable=False),
        Column("affair_id", String(64), nullable=False),
        Column("resident_code", CODE11, nullable=False, index=True),
    )
    _copies(metadata)
    _moves(metadata)
    _immigration_notices_received(metadata)
    _protection(metadata)
    _access_log(metadata)
    _credentials(metadata)  # resident portals' signed requests (online move-out, code change)
    _online_requests(metadata)
    return metadata


def _online_requests(metadata: MetaData) -> None:
    """Requests residents filed through a resident portal that a clerk completes at the window
    (住民票コードの変更請求), pending until then."""
    Table(
        "online_requests",
        metadata,
        Column("request_id", ID, primary_key=True),
        Column("kind", String(30), nullable=False),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("portal", String(64), nullable=False),
        Column("filed_by", String(64), nullable=False),
        Column("filed_at", DateTime(timezone=True), nullable=False),
        Column("state", String(10), nullable=False, index=True),
        Column("completed_at", DateTime(timezone=True)),
        Column("completed_by", String(64)),
    )


def prefecture_metadata() -> MetaData:
    metadata = MetaData()
    _messaging(metadata)
    _identity_store(metadata)
    _provision(metadata)
    _rights(metadata)
    _access_log(metadata)
    return metadata


def national_metadata() -> MetaData:
    metadata = MetaData()
    _messaging(metadata)
    _identity_store(metadata)
    _provision(metadata)
    _rights(metadata)
    _access_log(metadata)
    Table(
        "issued_resident_codes",
        metadata,
        Column("code", CODE11, primary_key=True),
        Column("municipality_code", LG, nullable=False),
        Column("granted_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "issued_my_numbers",
        metadata,
        Column("my_number", CODE12, primary_key=True),
        Column("resident_code", CODE11, nullable=False, index=True),
        Column("reason", String(10), nullable=False),
        Column("issued_at", DateTime(timezone=True), nullable=False),
        Column("retired", Boolean, nullable=False, server_default=text("false")),
    )
    # Everyone registered at one address (世帯情報の確認), found by index.
    current = metadata.tables["identity_current"]
    Index("ix_identity_current_address", current.c.municipality_code, current.c.address_key)
    return metadata


def linkage_metadata() -> MetaData:
    """The provision network's code component: codes waiting for their agency."""
    metadata = MetaData()
    _messaging(metadata)
    _credentials(metadata)
    Table(
        "agency_codes",
        metadata,
        Column("agency_id", String(64), primary_key=True),
        Column("acquisition_number", String(40), primary_key=True),
        Column("code", String(32), nullable=False),
        Column("filed_at", DateTime(timezone=True), nullable=False),
    )
    return metadata


def card_metadata() -> MetaData:
    """The card node: the cards, their PIN hashes (never a PIN), and the card event log."""
    metadata = MetaData()
    _messaging(metadata)
    cards = Table(
        "cards",
        metadata,
        Column("card_number", CODE12, primary_key=True),
        Column("resident_code", CODE11, nullable=False),
        Column("holder_name", String(200), nullable=False),
        Column("birth_date", Date, nullable=False),
        Column("municipality_code", LG, nullable=False),
        Column("issued_on", Date, nullable=False),
        Column("expires_on", Date, nullable=False),
        Column("state", String(10), nullable=False),
        Column("failed_attempts", Integer, nullable=False),
        Column("pin_hash", String(200), nullable=False),
    )
    # A resident holds one card at a time: every card but a revoked one counts.
    Index(
        "ux_cards_one_per_resident",
        cards.c.resident_code,
        unique=True,
        sqlite_where=cards.c.state != "revoked",
        postgresql_where=cards.c.state != "revoked",
    )
    Index("ix_cards_resident_code", cards.c.resident_code)
    Table(
        "card_events",
        metadata,
        Column("id", SERIAL, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False),
        Column("card_number", CODE12, nullable=False, index=True),
        Column("action", String(20), nullable=False),
        Column("actor", NODE, nullable=False),
        Column("outcome", String(20), nullable=False),
        Column("detail", Text, nullable=False),
    )
    _credentials(metadata)  # resident portals signing residents in with the card
    return metadata


def _immigration_notices_received(metadata: MetaData) -> None:
    """Notices of the immigration authority a municipality applied (so a repeat is a no-op),
    and an index that finds the active foreign residents among all records."""
    Table(
        "immigration_notices",
        metadata,
        Column("notice_id", String(40), primary_key=True),
        Column("message_id", ID, nullable=False),
        Column("record_id", ID, nullable=False, index=True),
        Column("kind", String(40), nullable=False),
        Column("applied_at", DateTime(timezone=True), nullable=False),
    )
    residents = metadata.tables["residents"]
    foreign_and_active = residents.c.foreign_block.is_not(None) & (residents.c.status == "active")
    Index(
        "ix_residents_foreign_active",
        residents.c.record_id,
        sqlite_where=foreign_and_active,
        postgresql_where=foreign_and_active,
    )


def immigration_metadata() -> MetaData:
    """The immigration authority's node (ISA): its messaging and the notices it sent, each
    with the outcome the municipality answered."""
    metadata = MetaData()
    _messaging(metadata)
    Table(
        "sent_notices",
        metadata,
        Column("notice_id", String(40), primary_key=True),
        Column("message_id", ID, nullable=False, unique=True),
        Column("municipality_code", LG, nullable=False),
        Column("kind", String(40), nullable=False),
        Column("card_number", String(12)),
        Column("body", Text, nullable=False),
        Column("operator", String(64), nullable=False),
        Column("queued_at", DateTime(timezone=True), nullable=False),
        Column("outcome", String(20), index=True),
        Column("detail", Text, nullable=False, server_default=""),
        Column("answered_at", DateTime(timezone=True)),
    )
    return metadata


METADATA = {
    "municipality": municipal_metadata(),
    "prefecture": prefecture_metadata(),
    "national": national_metadata(),
    "linkage": linkage_metadata(),
    "immigration": immigration_metadata(),
    "card": card_metadata(),
}
