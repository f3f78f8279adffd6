"""Operators (操作者) and what each may do.

Every person who works a node has an account of their own; what they may do is a set of
:class:`Permission`, and everything they do is done as a :class:`Principal`: who, at which
terminal, in which session, with which permissions. A use case that needs a permission asks
``principal.require(...)``; a refusal is :class:`NotPermitted` (403), naming the permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from jukinet.domain.errors import DomainError


class Permission(StrEnum):
    """The fine-grained rights an operator's roles grant."""

    RESIDENT_READ = "resident.read"  # look a resident up (exact keys only) and read the record
    REGISTER_CHANGE = "register.change"  # record an event of the register
    COPY_ISSUE = "copy.issue"  # issue copies (own and wide-area) and set the fee
    SUPPRESSION_SET = "suppression.set"  # set a suppression or a support measure
    SUPPRESSION_RELEASE = "suppression.release"  # end one
    SUPPRESSION_RELEASE_TEMPORARILY = "suppression.release-temporarily"  # lift one for a while
    PROVISION_OPERATE = "provision.operate"  # J-LIS / prefecture: registry, batches, reports
    RIGHTS_HANDLE = "rights.handle"  # disclosure, correction and complaint cases
    AUDIT_READ = "audit.read"  # search the access log and its anomalies
    OPERATORS_ADMINISTER = "operators.administer"  # accounts, roles, unlocking


class NotPermitted(DomainError):
    """The operator's roles do not grant what the step needs."""

    kind = "not-permitted"


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in operator a step is done for."""

    operator_id: str
    terminal: str
    session_id: str
    permissions: frozenset[Permission]

    def may(self, permission: Permission) -> bool:
        return permission in self.permissions

    def require(self, permission: Permission) -> None:
        if permission not in self.permissions:
            raise NotPermitted(
                "permission", f"operator {self.operator_id} lacks {permission.value}"
            )
