"""Views: the award-ready summary of a closed problem (Tilley Award shape): read and edit it, and
download it as a PDF. Whoever may see the problem may read the entry; its owner and the force's
supervisors edit it. An open problem shows why there is no entry yet, never an error page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.forms import form_add_service_errors
from evaluation.forms.award import AwardEntryForm
from evaluation.models import AwardDraft
from evaluation.services.award import (
    AWARD_PROBLEM_OPEN,
    SARA_MAX_WORDS,
    SUMMARY_MAX_WORDS,
    award_draft_save,
    award_text_drafted,
    word_count,
)
from evaluation.services.reports_render import html_to_pdf
from problems.models import Problem, ResponseAction, Stage
from problems.selectors.access import can_change_problem, problem_get_for_user
from problems.services.contributions import problem_consulted


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _award_queryset() -> QuerySet[Problem]:
    """The problem with what the draft is written from: one query for the problem (and its draft),
    one each for objectives, actions (with organisations) and hypotheses."""
    return Problem.objects.select_related(
        "category", "owning_organisation", "owner", "award_draft", "neighbourhood"
    ).prefetch_related(
        "objectives",
        "hypotheses",
        Prefetch("actions", queryset=ResponseAction.objects.select_related("responsible_organisation")),
    )


def _saved_draft(problem: Problem) -> AwardDraft | None:
    try:
        return problem.award_draft
    except AwardDraft.DoesNotExist:
        return None


def _entry_texts(problem: Problem) -> tuple[str, str, AwardDraft | None]:
    draft = _saved_draft(problem)
    if draft is not None:
        return draft.summary, draft.sara_description, draft
    summary, sara = award_text_drafted(problem)
    return summary, sara, None


@require_http_methods(["GET", "POST"])
def award_summary(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    action = "change" if request.method == "POST" else "view"
    problem = problem_get_for_user(user=user, pk=pk, action=action, queryset=_award_queryset())
    context: dict[str, Any] = {
        "problem": problem,
        "is_closed": problem.stage == Stage.CLOSED,
        "open_message": AWARD_PROBLEM_OPEN,
        "can_edit": can_change_problem(user, problem),
        "summary_max": SUMMARY_MAX_WORDS,
        "sara_max": SARA_MAX_WORDS,
    }
    if problem.stage != Stage.CLOSED:
        if request.method == "POST":
            messages.error(request, AWARD_PROBLEM_OPEN)
            return redirect("award-summary", pk=problem.pk)
        return render(request, "evaluation/award_summary.html", context)
    summary, sara, draft = _entry_texts(problem)
    if request.method == "POST":
        form = AwardEntryForm(request.POST)
        if form.is_valid():
            try:
                award_draft_save(actor=user, problem=problem, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_errors(form, error)
            else:
                messages.success(request, "Award entry saved.")
                return redirect("award-summary", pk=problem.pk)
    else:
        form = AwardEntryForm(initial={"summary": summary, "sara_description": sara})
    context.update(
        {
            "form": form,
            "draft": draft,
            "summary_words": word_count(summary),
            "sara_words": word_count(sara),
        }
    )
    return render(request, "evaluation/award_summary.html", context)


@require_GET
def award_summary_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=_user(request), pk=pk, queryset=_award_queryset())
    if problem.stage != Stage.CLOSED:
        messages.error(request, AWARD_PROBLEM_OPEN)
        return redirect("award-summary", pk=problem.pk)
    summary, sara, draft = _entry_texts(problem)
    # The PDF carries the case's detail away from the system: logged as an export (DPA 2018 s.62).
    problem_consulted(actor=_user(request), problem=problem, how="export", detail={"document": "award entry"})
    html = render_to_string(
        "evaluation/award_summary_pdf.html",
        {"problem": problem, "summary": summary, "sara": sara, "draft": draft},
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    filename = f"award-entry-{slugify(problem.reference)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def award_panel_context(*, problem: Problem, user: User) -> dict[str, Any] | None:
    """The problem page's link to the award entry (assessment section), once the problem is
    closed. The page already checked that the user may see the problem."""
    if problem.stage != Stage.CLOSED:
        return None
    return {"problem": problem, "can_edit": can_change_problem(user, problem)}


def register_award_panel() -> None:
    """Call from EvaluationConfig.ready(): adds the award entry link to the problem page."""
    from problems.panels import register_stage_panel

    register_stage_panel("assessment", "evaluation/award_panel.html", award_panel_context)


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/award-entry/", award_summary, name="award-summary"),
    path("problems/<int:pk>/award-entry/pdf/", award_summary_pdf, name="award-summary-pdf"),
]
