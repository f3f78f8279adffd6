"""Who asks to see identity information, and how they proved who they are (本人確認).

A disclosure request (住基法30条の32) may come from the person themself or from the legal
representative of a minor or of an adult ward; an ordinary proxy (任意代理人) is refused. At
the counter or by post the requester proves their identity with one photo ID or two other
documents, and a representative also proves their authority; an online request is checked by
公的個人認証 through a resident portal. Only the kinds of document are recorded, never their
numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jukinet.domain.errors import InvalidValue
from jukinet.domain.identity import NAME_LIMIT
from jukinet.domain.reports import ContactMethod
from jukinet.domain.text import clean_text

# The age of majority: 20 until the Civil Code amendment of 2022-04-01, 18 since.
_MAJORITY = ((date(2022, 4, 1), 18), (date.min, 20))
_DOCUMENTS_FIELD = "identity_check.documents"


class Relation(StrEnum):
    """Who files a disclosure request, in relation to the person it concerns."""

    SELF = "self"  # 本人
    MINORS_REPRESENTATIVE = "minors-representative"  # 親権者・未成年後見人
    WARDS_GUARDIAN = "wards-guardian"  # 成年後見人
    PROXY = "proxy"  # 任意代理人: named only so that it can be refused clearly

    @property
    def label(self) -> str:
        return _RELATION_LABELS[self]


_RELATION_LABELS = {
    Relation.SELF: "本人",
    Relation.MINORS_REPRESENTATIVE: "法定代理人（未成年者の親権者又は未成年後見人）",
    Relation.WARDS_GUARDIAN: "法定代理人（成年後見人）",
    Relation.PROXY: "任意代理人",
}


def age_on(birth_date: date, day: date) -> int:
    """Completed years on ``day`` (one born on 29 February comes of a new age on 1 March)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def majority_on(day: date) -> int:
    """The age of majority in force on ``day``."""
    return next(age for since, age in _MAJORITY if day >= since)


@dataclass(frozen=True, slots=True)
class Requester:
    """Who asks: the person (``name`` may be left empty: it is theirs), or a legal
    representative, who gives their own name."""

    relation: Relation
    name: str = ""

    def __post_init__(self) -> None:
        if self.relation is Relation.PROXY:
            raise InvalidValue(
                "requester.relation",
                "an ordinary proxy (任意代理人) may not request disclosure; only the person or"
                " the legal representative of a minor or an adult ward may",
            )
        required = self.relation is not Relation.SELF
        name = clean_text("requester.name", self.name, max_length=NAME_LIMIT * 2, required=required)
        object.__setattr__(self, "name", name)

    def may_act_for(self, birth_date: date, on: date) -> None:
        """Refuse a minor's representative for a person of age on ``on``."""
        of_age = age_on(birth_date, on) >= majority_on(on)
        if self.relation is Relation.MINORS_REPRESENTATIVE and of_age:
            raise InvalidValue(
                "requester.relation",
                f"the person (born {birth_date.isoformat()}) is of age on {on.isoformat()};"
                " a minor's representative cannot request for them",
            )


class Proof(StrEnum):
    PHOTO = "photo"  # one is enough
    OTHER = "other"  # two are needed
    AUTHORITY = "authority"  # proves a legal representative's authority
    ELECTRONIC = "electronic"  # 公的個人認証, online only


class IdentityDocument(StrEnum):
    """The documents a requester may show (or, by post, send a copy of)."""

    MY_NUMBER_CARD = "my-number-card"
    DRIVERS_LICENCE = "drivers-licence"
    PASSPORT = "passport"
    RESIDENCE_CARD = "residence-card"
    SPECIAL_PERMANENT_RESIDENT_CERTIFICATE = "special-permanent-resident-certificate"
    HEALTH_INSURANCE_CARD = "health-insurance-card"
    PENSION_BOOK = "pension-book"
    PENSION_CERTIFICATE = "pension-certificate"
    FAMILY_REGISTER_COPY = "family-register-copy"
    GUARDIANSHIP_CERTIFICATE = "guardianship-certificate"
    PUBLIC_KEY_AUTHENTICATION = "jpki-portal"

    @property
    def label(self) -> str:
        return _DOCUMENTS[self][0]

    @property
    def proof(self) -> Proof:
        return _DOCUMENTS[self][1]


_DOCUMENTS = {
    IdentityDocument.MY_NUMBER_CARD: ("個人番号カード", Proof.PHOTO),
    IdentityDocument.DRIVERS_LICENCE: ("運転免許証", Proof.PHOTO),
    IdentityDocument.PASSPORT: ("旅券", Proof.PHOTO),
    IdentityDocument.RESIDENCE_CARD: ("在留カード", Proof.PHOTO),
    IdentityDocument.SPECIAL_PERMANENT_RESIDENT_CERTIFICATE: ("特別永住者証明書", Proof.PHOTO),
    IdentityDocument.HEALTH_INSURANCE_CARD: ("健康保険の資格確認書類", Proof.OTHER),
    IdentityDocument.PENSION_BOOK: ("年金手帳", Proof.OTHER),
    IdentityDocument.PENSION_CERTIFICATE: ("年金証書", Proof.OTHER),
    IdentityDocument.FAMILY_REGISTER_COPY: ("戸籍謄本又は抄本", Proof.AUTHORITY),
    IdentityDocument.GUARDIANSHIP_CERTIFICATE: ("後見登記の登記事項証明書", Proof.AUTHORITY),
    IdentityDocument.PUBLIC_KEY_AUTHENTICATION: ("公的個人認証 (portal)", Proof.ELECTRONIC),
}
# The document that proves each representative's authority.
_AUTHORITY = {
    Relation.MINORS_REPRESENTATIVE: IdentityDocument.FAMILY_REGISTER_COPY,
    Relation.WARDS_GUARDIAN: IdentityDocument.GUARDIANSHIP_CERTIFICATE,
}


def identity_documents(values: Iterable[object]) -> frozenset[IdentityDocument]:
    """Read document kinds as sent; ``InvalidValue`` names the first unknown one."""
    documents = set()
    for value in values:
        try:
            documents.add(IdentityDocument(str(value)))
        except ValueError:
            known = ", ".join(kind.value for kind in IdentityDocument)
            raise InvalidValue(_DOCUMENTS_FIELD, f"{value!r} is not one of: {known}") from None
    return frozenset(documents)


@dataclass(frozen=True, slots=True)
class IdentityCheck:
    """The documents seen (kinds only, never their numbers), when and by whom."""

    documents: frozenset[IdentityDocument]
    checked_on: date
    checked_by: str

    def suffices_for(self, requester: Requester, method: ContactMethod) -> None:
        """One photo ID or two other documents (公的個人認証 alone online), and for a legal
        representative also the document that proves their authority."""
        proofs = [document.proof for document in self.documents]
        if method is ContactMethod.ONLINE or Proof.ELECTRONIC in proofs:
            _online_check(proofs, requester, method)
            return
        if Proof.PHOTO not in proofs and proofs.count(Proof.OTHER) < 2:
            raise InvalidValue(
                _DOCUMENTS_FIELD, "one photo ID, or two other identity documents, are needed"
            )
        authority = _AUTHORITY.get(requester.relation)
        if authority is not None and authority not in self.documents:
            raise InvalidValue(
                _DOCUMENTS_FIELD,
                f"a {requester.relation.label} also shows {authority.label} ({authority.value})",
            )

    def labels(self) -> list[str]:
        return [document.label for document in IdentityDocument if document in self.documents]


def _online_check(proofs: list[Proof], requester: Requester, method: ContactMethod) -> None:
    if method is not ContactMethod.ONLINE or Proof.ELECTRONIC not in proofs:
        raise InvalidValue(
            _DOCUMENTS_FIELD, "公的個人認証 (jpki-portal) checks online requests, and only those"
        )
    if requester.relation is not Relation.SELF:
        raise InvalidValue("requester.relation", "only the person may request online")
