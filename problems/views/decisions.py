"""Views: the decision log (National Decision Model), a partner lead's confirmation of a joint
decision, and the printable summary of a problem. Thin: fetch with the access helper, bind a form,
call one service, redirect or render. There is no view to edit or delete a decision: entries are
only ever added (a correction is a new entry), and so are confirmations."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.http import AuthenticatedHttpRequest, form_call_service
from problems.forms.decisions import DecisionConfirmForm, DecisionForm
from problems.models import DisclosurePart
from problems.panels import stage_panel_contexts
from problems.selectors.access import problem_get_for_user
from problems.selectors.decisions import (
    decision_get_for_problem,
    decision_get_for_user,
    decision_list_for_problem,
    decision_log_rows,
    problem_summary_queryset,
)
from problems.selectors.disclosure import disclosure_for, problem_disclosure
from problems.services.contributions import problem_consulted
from problems.services.decisions import decision_confirm, decision_record
from problems.views.page import problem_page_refused

CONFIRMED = "You confirmed the joint decision for {organisation}."


@require_http_methods(["GET", "POST"])
def decision_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    problem = problem_get_for_user(user=request.user, pk=pk, action="decide")
    # `?corrects=<entry>` pre-links a correction; an id that is not this problem's is ignored.
    corrected = decision_get_for_problem(
        problem=problem, pk=request.POST.get("corrects") or request.GET.get("corrects")
    )
    initial = {"corrects": corrected.pk} if corrected is not None else {}
    form = DecisionForm(request.POST or None, problem=problem, initial=initial)
    title = "Record a correction" if corrected is not None else "Record a decision"
    return form_call_service(
        request,
        form,
        lambda data: decision_record(actor=request.user, problem=problem, **data),
        success="The decision has been added to the decision log.",
        done=lambda _: redirect(reverse("problem-detail", kwargs={"pk": problem.pk}) + "#decision-log"),
        refused=lambda form: render(
            request,
            "problems/decision_form.html",
            {"problem": problem, "form": form, "corrected": corrected, "title": title},
        ),
    )


@require_POST
def decision_confirm_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    entry = decision_get_for_user(user=request.user, pk=pk, action="confirm")
    return form_call_service(
        request,
        DecisionConfirmForm(request.POST, entry=entry),
        lambda data: decision_confirm(actor=request.user, entry=entry, note=data["note"]),
        success=lambda _: CONFIRMED.format(organisation=request.user.organisation.name),
        done=lambda _: redirect(reverse("problem-detail", kwargs={"pk": entry.problem_id}) + f"#decision-{entry.pk}"),
        # Refused (confirmed already, or a note too long): the problem page, its error summary
        # saying why and the entry's form keeping the note typed.
        refused=lambda form: problem_page_refused(request, entry.problem_id, form),
    )


@require_GET
def problem_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    problem = problem_get_for_user(user=user, pk=pk, queryset=problem_summary_queryset())
    problem_consulted(actor=user, problem=problem, how="print")
    decisions = disclosure_for(user=user, problem=problem).split(
        DisclosurePart.DECISION, decision_list_for_problem(problem=problem)
    )
    context = {
        "problem": problem,
        "shown": problem_disclosure(user=user, problem=problem),
        "rows": decision_log_rows(entries=decisions.entries),
        "decisions_withheld": decisions.note,
        "panels": stage_panel_contexts("summary", problem=problem, user=user),
    }
    return render(request, "problems/problem_summary.html", context)


urlpatterns: list[URLPattern] = [
    path("problems/<int:pk>/decisions/new/", decision_new, name="decision-create"),
    path("decisions/<int:pk>/confirm/", decision_confirm_view, name="decision-confirm"),
    path("problems/<int:pk>/summary/", problem_summary, name="problem-summary"),
]
