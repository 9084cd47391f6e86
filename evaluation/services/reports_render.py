"""The impact report and the award entry as files: CSV, and PDF through WeasyPrint.

PDFs are rendered from an HTML template with a URL fetcher that loads nothing from the network:
only files of our own static folders (found by Django's static finders) and data: URIs. Any other
URL in a template is refused, so a PDF never reaches outside the server."""

from __future__ import annotations

import io
import logging
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from core.csv_export import csv_writer
from evaluation.selectors import impact_sources
from evaluation.selectors.impact_report import ImpactReport

# WeasyPrint logs every layout step at INFO: noise in the worker's and the tests' output.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The base URL WeasyPrint resolves relative links against: never fetched, only parsed below.
PDF_BASE_URL = "https://commonground.invalid/"
REFUSED = "The PDF may only use the application's own static files."


def _static_only_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyURLFetcher(URLFetcher):
        """WeasyPrint's fetcher limited to data: URIs and files under STATIC_URL, read from our
        static folders: nothing is ever requested over the network or read from elsewhere."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parts, base = urlsplit(url), urlsplit(PDF_BASE_URL)
            if (parts.scheme, parts.netloc) == (base.scheme, base.netloc) and parts.path.startswith(
                settings.STATIC_URL
            ):
                found = finders.find(parts.path.removeprefix(settings.STATIC_URL))
                if isinstance(found, str):
                    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, Path(found).read_bytes(), {"Content-Type": content_type})
            raise ValueError(f"{REFUSED} Refused: {url}")

    return StaticOnlyURLFetcher


def static_only_url_fetcher(url: str) -> Any:
    """Fetch `url` as the PDF renderer would (tests call it to show what is refused)."""
    return _static_only_fetcher_class()()(url)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    fetcher = _static_only_fetcher_class()(allowed_protocols=("data", "https"))
    pdf: bytes = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).write_pdf()
    return pdf


def impact_report_pdf(report: ImpactReport) -> bytes:
    html = render_to_string("evaluation/impact_report_pdf.html", impact_report_context(report))
    return html_to_pdf(html)


def impact_report_context(report: ImpactReport) -> dict[str, Any]:
    """What the page and the PDF templates show: the report and the bars of the PDF's charts
    (Chart.js needs a browser, so the PDF draws bars as boxes sized by percentage)."""
    most_opened = max((c.opened for c in report.flow.by_category), default=0) or 1
    most_closed = max((c.closed for c in report.flow.by_category), default=0) or 1
    most = max(most_opened, most_closed)
    bars = [
        {
            "name": c.name,
            "opened": c.opened,
            "closed": c.closed,
            "opened_pct": 100 * c.opened // most,
            "closed_pct": 100 * c.closed // most,
        }
        for c in report.flow.by_category
    ]
    return {"report": report, "scope": report.scope, "category_bars": bars}


def impact_report_csv(report: ImpactReport) -> str:
    """One row per figure: section, item, measure, value. Spreadsheet-friendly and stable."""
    out = io.StringIO()
    writer = csv_writer(out)
    scope = report.scope
    writer.writerow(["section", "item", "measure", "value"])
    writer.writerow(["report", "area", "name", scope.area_label])
    writer.writerow(["report", "period", "start", scope.start.isoformat()])
    writer.writerow(["report", "period", "end", scope.end.isoformat()])
    writer.writerow(["report", "generated", "at", report.generated_at.isoformat(timespec="seconds")])
    writer.writerow(["problems", "all categories", "opened", report.flow.opened])
    writer.writerow(["problems", "all categories", "closed", report.flow.closed])
    for category in report.flow.by_category:
        writer.writerow(["problems by category", category.name, "opened", category.opened])
        writer.writerow(["problems by category", category.name, "closed", category.closed])
    for area in report.flow.by_area:
        # The last line: the problems with no neighbourhood recorded (in no area's figures).
        writer.writerow(["problems by neighbourhood", area.name, "opened", area.opened])
        writer.writerow(["problems by neighbourhood", area.name, "closed", area.closed])
    for stage in report.flow.by_stage:
        writer.writerow(["problems opened by stage now", stage.label, "count", stage.count])
    for duration in report.durations:
        median = "" if duration.median_days is None else f"{duration.median_days:.1f}"
        writer.writerow(["days in stage", duration.label, "median days", median])
        writer.writerow(["days in stage", duration.label, "stays ended in period", duration.stays])
    writer.writerow(["reviews", "open problems", "count", report.reviews.open_now])
    writer.writerow(["reviews", "overdue reviews", "count", report.reviews.overdue])
    writer.writerow(["objectives", "met", "count", report.objectives.met])
    writer.writerow(["objectives", "not met", "count", report.objectives.not_met])
    writer.writerow(["objectives", "not yet assessed", "count", report.objectives.not_assessed])
    for contribution in report.contributions:
        writer.writerow(["partner contributions", contribution.organisation, "actions done", contribution.actions_done])
        writer.writerow(["partner contributions", contribution.organisation, "problems", contribution.problems])
    for row in impact_sources.csv_rows(report.sources):
        writer.writerow(row)
    return out.getvalue()


def impact_report_filename(report: ImpactReport, extension: str) -> str:
    from django.utils.text import slugify

    scope = report.scope
    return f"impact-{slugify(scope.area_label)}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}.{extension}"
