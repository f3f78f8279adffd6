"""Provision statistics (``provision.operate``): records provided in a period by month, by
recipient and by method, as bar charts and tables, and the annual notice (別紙1) of the same
period as CSV and PDF — the documents ``jukinet report notice`` writes."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from jukinet.adapters.documents.csv_reports import provision_notice_csv
from jukinet.adapters.documents.reports import render_provision_notice
from jukinet.domain.errors import DomainError
from jukinet.domain.operators import Permission, Principal
from jukinet.nodes.provision.notices import provision_notice
from jukinet.nodes.provision.providers import Provider
from jukinet.nodes.provision.statistics import (
    ProvisionStatistics,
    last_twelve_months,
    provision_statistics,
)
from jukinet.web.pdf import pdf_response
from jukinet.web.screens.console import charts
from jukinet.web.screens.console.desks import Console
from jukinet.web.screens.rendering import language

INPUTS = ("from", "to")


def charts_of(stats: ProvisionStatistics, console: Console, lang: str) -> dict[str, charts.Chart]:
    """The three charts of the statistics, the methods named in the reader's language."""
    text = console.screens.catalogue.text
    methods = [(text(f"console.channel.{c.value}", lang), n) for c, n in stats.by_channel]
    return {
        "month": charts.columns(stats.by_month),
        "recipient": charts.bars(stats.by_recipient),
        "channel": charts.bars(methods),
    }


def routes(ui: APIRouter, console: Console, provider: Provider) -> None:
    Operator = Annotated[Principal, Depends(console.gate(Permission.PROVISION_OPERATE))]  # noqa: N806

    def period(request: Request) -> tuple[str, str]:
        first, last = last_twelve_months(provider.clock.today())
        asked = request.query_params
        return asked.get("from", first)[:20], asked.get("to", last)[:20]

    @ui.get("/statistics")
    async def statistics(request: Request, who: Operator) -> Response:
        first, last = period(request)
        context: dict[str, Any] = {"first": first, "last": last, "errors": {}, "general": ""}
        try:
            stats = await console.run(provision_statistics, first, last, provider)
        except DomainError as error:
            refusal = console.refusal(request, error, INPUTS)
            context.update(stats=None, errors=refusal.errors, general=refusal.general)
            return console.page(request, "console/statistics.html", context, refusal.status)
        context.update(stats=stats, charts=charts_of(stats, console, language(request)))
        return console.page(request, "console/statistics.html", context)

    @ui.get("/statistics/notice.csv")
    async def provision_notice_as_csv(request: Request, who: Operator) -> Response:
        first, last = period(request)
        notice = await console.run(provision_notice, first, last, provider)
        disposition = f'attachment; filename="provision-notice-{first}-{last}.csv"'
        return Response(
            provision_notice_csv(notice),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": disposition},
        )

    @ui.get("/statistics/notice.pdf")
    async def provision_notice_as_pdf(request: Request, who: Operator) -> Response:
        first, last = period(request)
        notice = await console.run(provision_notice, first, last, provider)
        return await pdf_response(
            render_provision_notice, notice, name=f"provision-notice-{first}-{last}"
        )
