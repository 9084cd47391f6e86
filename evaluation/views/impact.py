"""Views: the impact report (page, CSV, PDF), the records under each of its figures, and its
background runs (progress and download). Thin: choose the scope through the access selector,
build the report, render or hand the work to a service.

Users with no report get 404 everywhere, except that the report page reached from the menu (no
area asked for) tells those whose role runs reports why they have none yet: an officer who owns
no problem in a neighbourhood, a partner lead whose organisation is in no current partnership."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.access import get_visible_or_404
from core.pagination import paginate
from evaluation.forms.impact import ImpactReportForm, default_period
from evaluation.models import ReportFormat, ReportRun, ReportState
from evaluation.selectors.impact import IMPACT_REPORT_ROLES, ReportScope, impact_areas_for, impact_scope_for
from evaluation.selectors.impact_panels import FIGURES, problems_behind_figure
from evaluation.selectors.impact_report import impact_chart_data, impact_report_build
from evaluation.services.reports import (
    impact_report_exported,
    impact_report_goes_to_background,
    report_run_downloaded,
    report_run_request,
)
from evaluation.services.reports_render import (
    impact_report_context,
    impact_report_csv,
    impact_report_filename,
    impact_report_pdf,
)
from problems.models import Stage

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


class _NoReportArea(Http404):
    """The user has no area to report on (a 404 unless the page explains it)."""


def _choose(request: HttpRequest, data: QueryDict) -> tuple[ImpactReportForm, ReportScope | None]:
    """The report form bound to `data` (or showing the defaults), and the scope once it is valid.
    404 when the user has no report at all, or chose an area they may not report on."""
    user = _user(request)
    areas = impact_areas_for(user)
    if not areas:
        raise _NoReportArea
    if not any(key in data for key in ("start", "end", "area")):
        start, end = default_period()
        initial = {"start": start, "end": end, "area": areas[0][0] if len(areas) == 1 else ""}
        return ImpactReportForm(initial=initial, areas=areas), None
    form = ImpactReportForm(data, areas=areas)
    if not form.is_valid():
        return form, None
    scope = impact_scope_for(user=user, **{k: form.cleaned_data[k] for k in ("area", "start", "end")})
    return form, scope


@require_GET
def impact_report(request: HttpRequest) -> HttpResponse:
    try:
        form, scope = _choose(request, request.GET)
    except _NoReportArea:
        # The menu's link (no area asked for) is explained; asking for an area stays a 404.
        if _user(request).role not in IMPACT_REPORT_ROLES or request.GET:
            raise
        return render(request, "evaluation/impact_report_none.html")
    context: dict[str, Any] = {"form": form, "report": None}
    if scope is not None:
        # A large area's page shows the problem panels only; the panels from crime data,
        # engagement, surveys and costs are in its background-made PDF or CSV, so the page stays
        # quick (see evaluation.services.reports for the threshold).
        large = impact_report_goes_to_background(scope)
        report = impact_report_build(scope, with_sources=not large)
        context["large"] = large
        context.update(impact_report_context(report))
        context["charts"] = impact_chart_data(report)
        context["query"] = urlencode(scope.parameters)
        context["stages"] = Stage
    return render(request, "evaluation/impact_report.html", context)


def _export(request: HttpRequest, format: str) -> HttpResponse:
    _, scope = _choose(request, request.GET)
    if scope is None:
        # Not a valid choice: the report page shows the form and its errors.
        return redirect(f"{reverse('impact-report')}?{request.GET.urlencode()}")
    if impact_report_goes_to_background(scope):
        return render(request, "evaluation/impact_report_background.html", {"scope": scope, "format": format})
    report = impact_report_build(scope)
    impact_report_exported(actor=_user(request), scope=scope, format=format)
    if format == ReportFormat.PDF:
        response = HttpResponse(impact_report_pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(impact_report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{impact_report_filename(report, format)}"'
    return response


@require_GET
def impact_report_csv_view(request: HttpRequest) -> HttpResponse:
    return _export(request, ReportFormat.CSV)


@require_GET
def impact_report_pdf_view(request: HttpRequest) -> HttpResponse:
    return _export(request, ReportFormat.PDF)


@require_POST
def impact_report_run_create(request: HttpRequest) -> HttpResponse:
    _, scope = _choose(request, request.POST)
    format = request.POST.get("format", "")
    if scope is None or format not in ReportFormat.values:
        return redirect(
            f"{reverse('impact-report')}?{urlencode({k: request.POST.get(k, '') for k in ('start', 'end', 'area')})}"
        )
    run = report_run_request(actor=_user(request), scope=scope, format=format)
    return redirect("impact-report-run", pk=run.pk)


@require_GET
def impact_report_problems(request: HttpRequest) -> HttpResponse:
    """The problems behind one figure of the report."""
    _, scope = _choose(request, request.GET)
    figure = request.GET.get("figure", "")
    if scope is None or figure not in FIGURES:
        raise Http404
    stage = request.GET.get("stage", "")
    problems = problems_behind_figure(
        scope,
        figure=figure,
        category_id=_int(request.GET.get("category")),
        stage=stage if stage in Stage.values else "",
        organisation_id=_int(request.GET.get("organisation")),
        met=request.GET.get("met", ""),
    )
    page = paginate(request, problems, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "scope": scope,
        "page": page,
        "figure": figure,
        "query": query.urlencode(),
        "back": urlencode(scope.parameters),
    }
    return render(request, "evaluation/impact_report_problems.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _run_for(request: HttpRequest, pk: int) -> ReportRun:
    """A background run: only the user who asked for it sees it (404 to everyone else)."""
    return get_visible_or_404(ReportRun.objects.filter(requested_by_id=_user(request).pk), pk=pk)


@require_GET
def impact_report_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    return render(request, "evaluation/impact_report_run.html", {"run": run, "ReportState": ReportState})


@require_GET
def impact_report_run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = _run_for(request, pk)
    done = run.is_ready
    return JsonResponse(
        {
            "state": run.state,
            "state_label": run.get_state_display(),
            "progress": run.progress,
            "step": run.step,
            "error": run.error,
            "download_url": reverse("impact-report-run-download", kwargs={"pk": run.pk}) if done else "",
        }
    )


@require_GET
def impact_report_run_download(request: HttpRequest, pk: int) -> FileResponse:
    run = _run_for(request, pk)
    if not run.is_ready:
        raise Http404
    report_run_downloaded(actor=_user(request), run=run)
    content_type = "application/pdf" if run.format == ReportFormat.PDF else "text/csv; charset=utf-8"
    name = (run.result.name or "").rsplit("/", 1)[-1]
    return FileResponse(run.result.open("rb"), as_attachment=True, filename=name, content_type=content_type)


urlpatterns: list[URLPattern] = [
    path("reports/impact/", impact_report, name="impact-report"),
    path("reports/impact/csv/", impact_report_csv_view, name="impact-report-csv"),
    path("reports/impact/pdf/", impact_report_pdf_view, name="impact-report-pdf"),
    path("reports/impact/problems/", impact_report_problems, name="impact-report-problems"),
    path("reports/impact/runs/", impact_report_run_create, name="impact-report-run-create"),
    path("reports/impact/runs/<int:pk>/", impact_report_run, name="impact-report-run"),
    path("reports/impact/runs/<int:pk>/progress/", impact_report_run_progress, name="impact-report-run-progress"),
    path("reports/impact/runs/<int:pk>/download/", impact_report_run_download, name="impact-report-run-download"),
]
