"""Suppressions and support measures at the window: each step behind its own permission, the
record showing the state plainly, and the alerts as a work queue."""

from __future__ import annotations

import re

from tests.conftest import DeploymentFactory
from tests.integration.screens.terminal_setup import (
    HOME,
    access_lines,
    chiyoda,
    family,
    register_rows,
    window,
)


def suppression(resident_code: str, **more: object) -> dict[str, object]:
    return {
        "target": "person",
        "resident_code": resident_code,
        "reason": "residence-investigation",
        "processes[]": ["lookup", "certificate-issuance"],
        "level": "error",
        **more,
    }


def test_a_supervisor_sets_an_error_suppression_from_the_record_and_releases_it(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    supervisor = window(node, ("supervisor",), "supervisor-1")
    record = f"/ui/terminal/residents/{head.resident_code}"

    form = supervisor.get(
        f"/ui/terminal/protection/suppressions/new?resident_code={head.resident_code}"
    )
    done = supervisor.post(
        "/ui/terminal/protection/suppressions",
        suppression(head.resident_code),
        follow_redirects=False,
    )
    withheld = supervisor.get(record)

    assert form.status_code == 200
    assert f'value="{head.resident_code}"' in form.text
    assert done.status_code == 303
    assert done.headers["location"] == f"{record}?done=set"
    assert "照会が抑止されています" in withheld.text
    assert HOME not in withheld.text
    release = re.search(
        r'action="(/ui/terminal/protection/suppressions/[0-9a-f]+/release)"', withheld.text
    )
    assert release is not None
    released = supervisor.post(
        release.group(1), {"resident_code": head.resident_code}, follow_redirects=True
    )
    assert "抑止を解除しました" in released.text
    assert HOME in released.text
    assert "抑止・支援措置：なし" in released.text
    line = access_lines(node)[-2]  # the release, before the record it went back to
    assert (line["action"], line["permission"], line["resident_codes"]) == (
        "ui.suppression-release",
        "suppression.release",
        head.resident_code,
    )


def test_a_temporary_release_lets_the_record_be_read_for_the_minutes_given_or_until_restored(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    supervisor = window(node, ("supervisor",), "supervisor-1")
    supervisor.post("/ui/terminal/protection/suppressions", suppression(head.resident_code))
    record = f"/ui/terminal/residents/{head.resident_code}"
    lift = re.search(r'action="([^"]+/temporary-release)"', supervisor.get(record).text)
    assert lift is not None

    lifted = supervisor.post(lift.group(1), {"resident_code": head.resident_code, "minutes": "5"})
    node.clock.advance(minutes=6)  # back by itself (within the screen lock's 10 minutes)
    expired = supervisor.get(record)
    supervisor.post(lift.group(1), {"resident_code": head.resident_code, "minutes": "5"})
    restore = re.search(r'action="([^"]+/restore)"', supervisor.get(record).text)
    assert restore is not None
    restored = supervisor.post(restore.group(1), {"resident_code": head.resident_code})

    assert HOME in lifted.text
    assert "一時解除しました" in lifted.text
    assert "2026-11-23 10:05 まで一時解除中" in lifted.text
    assert "照会が抑止されています" in expired.text
    assert "一時解除を終了しました" in restored.text
    assert HOME not in restored.text


def test_a_window_clerk_may_not_set_or_release_a_suppression(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    clerk = window(node)
    before = register_rows(node)

    for answer in (
        clerk.get(f"/ui/terminal/protection/suppressions/new?resident_code={head.resident_code}"),
        clerk.post("/ui/terminal/protection/suppressions", suppression(head.resident_code)),
        clerk.post("/ui/terminal/protection/suppressions/abc/release"),
    ):
        assert answer.status_code == 403
        assert "suppression." in answer.text
    assert register_rows(node) == before


def test_a_suppression_without_processes_is_refused_next_to_them_and_nothing_is_set(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    before = register_rows(node)

    refused = window(node, ("supervisor",), "supervisor-1").post(
        "/ui/terminal/protection/suppressions",
        suppression(head.resident_code, **{"processes[]": []}),
    )

    assert refused.status_code == 422
    message = re.search(r'<small id="e-processes"[^>]*>([^<]*)</small>', refused.text)
    assert message is not None
    assert "give a non-empty list" in message.group(1)
    assert register_rows(node) == before


def test_a_support_measure_protects_at_once_and_its_alerts_form_the_work_queue(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    _, wife, _ = family(node)
    supervisor = window(node, ("supervisor",), "supervisor-1")

    applied = supervisor.post(
        "/ui/terminal/protection/measures",
        {"resident_code": wife.resident_code, "provisional": ["false", "true"], "note": "DV相談"},
    )
    node.clock.advance(days=31)  # the provisional measure is overdue (a new day, a new session)
    supervisor = window(node, ("supervisor",), "supervisor-2")
    queue = supervisor.get("/ui/terminal/protection/alerts")

    assert "支援措置の対象者です" in applied.text
    assert "仮支援措置" in applied.text
    assert "住民票の写しの交付と閲覧は拒否されます" in applied.text
    assert '<span class="badge danger">仮支援措置の期限超過</span>' in queue.text
    assert f'href="/ui/terminal/residents/{wife.resident_code}"' in queue.text
    assert wife.resident_code in access_lines(node)[-1]["resident_codes"].split()
    grant = re.search(
        r'action="([^"]+/grant)"',
        supervisor.get(f"/ui/terminal/residents/{wife.resident_code}").text,
    )
    assert grant is not None
    granted = supervisor.post(grant.group(1), {"resident_code": wife.resident_code})
    assert "支援措置を決定しました" in granted.text
    assert "支援措置中" in granted.text
    assert "確認が必要なものはありません" in supervisor.get("/ui/terminal/protection/alerts").text


def test_a_step_the_state_does_not_allow_is_a_page_saying_why(
    make_deployment: DeploymentFactory,
) -> None:
    node = chiyoda(make_deployment)
    head, _, _ = family(node)
    supervisor = window(node, ("supervisor",), "supervisor-1")

    refused = supervisor.post(
        "/ui/terminal/protection/suppressions/no-such-id/release",
        {"resident_code": head.resident_code},
    )

    assert refused.status_code == 404
    assert "抑止を解除できません" in refused.text
    assert "<code>suppression_id</code>" in refused.text
    assert f'href="/ui/terminal/residents/{head.resident_code}"' in refused.text


def test_the_alerts_queue_reads_in_english(make_deployment: DeploymentFactory) -> None:
    node = chiyoda(make_deployment)

    page = window(node).get("/ui/terminal/protection/alerts?lang=en")

    assert page.status_code == 200
    assert "Protection alerts" in page.text
    assert "Nothing to look at" in page.text
