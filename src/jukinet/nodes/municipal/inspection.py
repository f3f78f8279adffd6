"""住民基本台帳の一部の写しの閲覧 (住基法11条, 11条の2): the inspection list of an area.

The list shows four items — name, address, sex, date of birth — of the current residents
whose address begins with the area asked for (a town of this municipality), in address
order. It leaves out everyone covered by an open support measure (支援措置: the applicant and
the co-residents included) and everyone suppressed for inspection or for look-ups, whatever
the level. Each list produced is recorded (who asked, why, which area, how many listed and
left out), since the law has the mayor publish the inspections made.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from jukinet.domain.errors import InvalidValue
from jukinet.domain.municipalities import municipality
from jukinet.domain.operators import Permission, Principal
from jukinet.domain.residents import Resident
from jukinet.domain.suppressions import Process, Suppression, Target, evaluate
from jukinet.nodes.municipal.forms import Form
from jukinet.nodes.municipal.protection import ProtectionDesk
from jukinet.nodes.municipal.protection_checks import protected
from jukinet.nodes.ports import InspectionRecord, MunicipalUnitOfWork

MAX_LISTED = 5_000


class InspectionPurpose(StrEnum):
    PUBLIC_BODY = "public-body"  # 11条: 国又は地方公共団体の機関
    RESEARCH = "research"  # 11条の2第1項1号: 統計調査、世論調査、学術研究 (公益性の高いもの)
    PUBLIC_BENEFIT = "public-benefit"  # 同2号: 公共的団体の公益活動
    LEGITIMATE_NEED = "legitimate-need"  # 同3号: 営利以外で居住関係の確認が必要なもの


@dataclass(frozen=True, slots=True)
class InspectionEntry:
    """The four items of 11条."""

    name: str
    address: str
    sex: str
    birth_date: date


@dataclass(frozen=True, slots=True)
class InspectionList:
    inspection_id: str
    area: str
    entries: tuple[InspectionEntry, ...]


def inspection_list(form: object, principal: Principal, desk: ProtectionDesk) -> InspectionList:
    """The list for ``area`` asked by ``requester`` for ``purpose_kind`` / ``purpose``.

    Raises ``NotPermitted`` without RESIDENT_READ and ``InvalidValue`` naming the field when
    the area is not a town of this municipality or holds more than ``MAX_LISTED`` people.
    """
    principal.require(Permission.RESIDENT_READ)
    data = Form(form, desk.clock.today())
    requester = data.text("requester", 200)
    kind = data.choice("purpose_kind", InspectionPurpose)
    purpose = data.text("purpose", 400)
    area = _area(data, desk.office.municipality_code)
    with desk.unit_of_work() as uow:
        residents = uow.lookups.living_under(area, MAX_LISTED + 1)
        if len(residents) > MAX_LISTED:
            raise InvalidValue("area", f"holds more than {MAX_LISTED} people; ask a smaller area")
        listed = _listable(uow, desk, residents)
        record = InspectionRecord(
            inspection_id=uuid.uuid4().hex,
            at=desk.clock.now(),
            operator=principal.operator_id,
            requester=requester,
            purpose_kind=kind.value,
            purpose=purpose,
            area=area,
            listed=len(listed),
            left_out=len(residents) - len(listed),
        )
        uow.protection.record_inspection(record)
        uow.commit()
    return InspectionList(record.inspection_id, area, tuple(_entry(r) for r in listed))


def _area(form: Form, municipality_code: str) -> str:
    area = form.text("area", 200)
    here = municipality(municipality_code).full_name
    if not area.startswith(here) or len(area) == len(here):
        raise InvalidValue("area", f"name a town of {here}, e.g. {here}丸の内一丁目")
    return area


def _listable(
    uow: MunicipalUnitOfWork, desk: ProtectionDesk, residents: list[Resident]
) -> list[Resident]:
    """Everyone not protected; the suppressions are read once, not once per person."""
    covered = protected(uow, residents)
    targets: dict[tuple[Target, str], list[Suppression]] = defaultdict(list)
    for suppression in uow.protection.unreleased():
        targets[suppression.target, suppression.target_id].append(suppression)
    now, today = desk.clock.now(), desk.clock.today()

    def suppressed(r: Resident) -> bool:
        own = targets[Target.PERSON, r.resident_code] + targets[Target.HOUSEHOLD, r.household_id]
        return any(evaluate(own, p, now, today).suppressed for p in _LEFT_OUT_FOR)

    return [r for r in residents if r.resident_code not in covered and not suppressed(r)]


_LEFT_OUT_FOR = (Process.INSPECTION, Process.LOOKUP)


def _entry(resident: Resident) -> InspectionEntry:
    name = f"{resident.name.family}\u3000{resident.name.given}".strip()
    return InspectionEntry(name, resident.address, resident.sex.value, resident.birth_date)
