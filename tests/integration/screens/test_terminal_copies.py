"""住民票の写し at the window: issued with its fee and a PDF to check, refused by a page when
a suppression forbids it, and 広域交付 for a person registered elsewhere."""

from __future__ import annotations

import re

from tests.conftest import TOKYO_CHIYODA, YOKOHAMA_TSURUMI, DeploymentFactory
from tests.integration.screens.terminal_setup import (
    access_lines,
    chiyoda,
    family,
    register_rows,
    window,
)

from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.municipal import protection, protection_measures
from jukinet.nodes.municipal.protection import ProtectionDesk

SUPERVISOR = Principal(
    "supervisor-1",
    "desk",
    "session",
    frozenset({Permission.RESIDENT_READ, Permission.SUPPRESSION_SET}),
)


def own_copy(requester_code: str, **more: object) -> dict[str, object]:
    """The head asks for his household's copy, as a member of it (12条)."""
    return {
        "requester.kind": "household-member",
        "requester.name": "髙橋　一郎",
        "requester.resident_code": requester_code,
        "requester.document": "my-number-card",
        "layout": "household",
        "include_removed": "false",
        **more,
    }


def test_a_copy_is_issued_with_its_fee_and_shown_as_a_pdf_before_it_is_handed_over(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    clerk = window(node)

    form = clerk.get(f"/ui/terminal/copies?subject={head.resident_code}")
    done = clerk.post(
        "/ui/terminal/copies", own_copy(head.resident_code, **{"items[]": "household-head"})
    )

    assert form.status_code == 200
    assert f'value="{head.resident_code}"' in form.text
    assert done.status_code == 200, done.text
    assert "300円" in done.text
    issuance = re.search(r'data-item="issuance_id"><code>([0-9a-f]+)</code>', done.text)
    assert issuance is not None
    frame = f'<iframe class="pdf" title="写しのプレビュー" src="/ui/terminal/copies/{issuance.group(1)}/pdf">'
    assert frame in done.text
    pdf = clerk.get(f"/ui/terminal/copies/{issuance.group(1)}/pdf")
    assert (pdf.headers["content-type"], pdf.content[:5]) == ("application/pdf", b"%PDF-")
    assert pdf.headers["cache-control"] == "no-store"
    line = access_lines(node)[-1]
    assert (line["action"], line["permission"]) == ("ui.copy-pdf", "copy.issue")
    assert head.resident_code in line["resident_codes"].split()


def test_the_pdf_of_a_copy_is_shown_only_to_the_session_that_issued_it(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    done = window(node).post("/ui/terminal/copies", own_copy(head.resident_code))
    issuance = re.search(r'data-item="issuance_id"><code>([0-9a-f]+)</code>', done.text)
    assert issuance is not None

    other = window(node, operator_id="clerk-other").get(
        f"/ui/terminal/copies/{issuance.group(1)}/pdf"
    )

    assert other.status_code == 404
    assert b"%PDF" not in other.content


def test_a_copy_of_a_person_under_a_support_measure_is_refused_with_a_page_and_not_recorded(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, wife, _ = family(node)
    assert node.supply is not None
    protection_measures.apply_for_measure(
        {"resident_code": wife.resident_code}, SUPERVISOR, ProtectionDesk.of(node.supply)
    )
    clerk = window(node)
    before = register_rows(node)

    refused = clerk.post("/ui/terminal/copies", own_copy(head.resident_code))

    assert refused.status_code == 409
    assert "写しを交付できません" in refused.text
    assert "抑止されています" in refused.text
    assert "<code>resident_code</code>" in refused.text
    assert register_rows(node) == before
    line = access_lines(node)[-1]
    assert (line["action"], line["outcome"]) == ("ui.copy-issue", "refused")
    assert head.resident_code in line["resident_codes"].split()


def test_an_alert_level_suppression_is_shown_to_the_clerk_with_the_copy(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    assert node.supply is not None
    protection.set_suppression(
        {
            "resident_code": head.resident_code,
            "reason": "residence-investigation",
            "processes": ["certificate-issuance"],
            "level": "alert",
        },
        SUPERVISOR,
        ProtectionDesk.of(node.supply),
    )

    done = window(node).post(
        "/ui/terminal/copies",
        own_copy(
            head.resident_code, **{"requester.kind": "self", "members[0]": head.resident_code}
        ),
    )

    assert done.status_code == 200, done.text
    alert = re.search(r'<p class="alert" role="alert">(.*?)</p>', done.text, re.S)
    assert alert is not None
    assert "実態調査" in alert.group(1)


def test_an_item_a_third_party_may_never_have_is_refused_next_to_the_items(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    before = register_rows(node)

    refused = window(node).post(
        "/ui/terminal/copies",
        {
            "requester.kind": "third-party",
            "requester.name": "株式会社サンプル",
            "requester.purpose": "債権回収のため",
            "requester.document": "drivers-licence",
            "subject": head.resident_code,
            "items[]": "my-number",
        },
    )

    assert refused.status_code == 422
    message = re.search(r'<small id="e-items"[^>]*>([^<]*)</small>', refused.text)
    assert message is not None
    assert "never shows the 住民票コード or the 個人番号" in message.group(1)
    assert register_rows(node) == before


def test_a_wide_area_copy_is_issued_for_a_resident_of_another_municipality(
    make_deployment: DeploymentFactory,
) -> None:
    country = make_deployment((TOKYO_CHIYODA, YOKOHAMA_TSURUMI))
    head, _, _ = family(country.municipality(TOKYO_CHIYODA))
    clerk = window(country.municipality(YOKOHAMA_TSURUMI))

    done = clerk.post(
        "/ui/terminal/wide-area-copies",
        {
            "home_municipality": TOKYO_CHIYODA,
            "requester.resident_code": head.resident_code,
            "requester.family_name": "高橋",  # typed from the card as 高: the variant folds
            "requester.given_name": "一郎",
            "requester.birth_date": "1980-04-01",
            "requester.document": "my-number-card",
            "layout": "individual",
        },
    )

    assert done.status_code == 200, done.text
    assert "広域交付" in done.text
    assert "個人票" in done.text
    assert "900円" in done.text  # three sheets of 個人票


def test_a_copy_form_refuses_a_role_without_copy_issue(make_deployment: DeploymentFactory) -> None:
    node = chiyoda(make_deployment)

    refused = window(node, ("auditor",), "auditor-1").get("/ui/terminal/copies")

    assert refused.status_code == 403
    assert "copy.issue" in refused.text
