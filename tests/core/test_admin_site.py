"""The admin site holds organisations, users and reference data; administrators see no operational
records (case text) there (DESIGN.md section 1). The registry is checked as a whole, so that a model
registered later is judged by the same rule; the audit log and reminder ledger it keeps are shown
without the fields that can carry case text."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

from core.models import AuditEvent, Reminder
from problems.services.problems import problem_review_record, problem_update
from tests.conftest import World, sign_in
from tests.problems.factories_decisions import NDM_ANSWERS, decision
from tests.problems.factories_sharing import canary, canary_problem

pytestmark = pytest.mark.django_db

# Apps whose records are the work itself: every model in them is operational unless it is reference
# data an administrator keeps (below). A model added to these apps later is operational by default.
OPERATIONAL_APPS = ("problems", "engagement", "evaluation", "dataprotection")
# Operational records of the other apps: agreements, contacts and stakeholder maps are managed by
# the organisations' own users; notifications carry titles of the work.
OPERATIONAL_ELSEWHERE = frozenset(
    {
        "core.Notification",
        "partnerships.Agreement",
        "partnerships.AgreementParty",
        "partnerships.Contact",
        "partnerships.DataSource",
        "partnerships.Handover",
        "partnerships.StakeholderEntry",
    }
)
# Reference data in the operational apps: lists that administrators edit.
REFERENCE_DATA = frozenset({"problems.ProblemCategory", "evaluation.CrimeUnitCost"})


def operational_labels() -> set[str]:
    in_apps = {model._meta.label for model in apps.get_models() if model._meta.app_label in OPERATIONAL_APPS}
    return (in_apps - REFERENCE_DATA) | OPERATIONAL_ELSEWHERE


def _models_along(model: type[models.Model], path: str) -> Iterator[type[models.Model]]:
    """The models a field name or lookup path ("problem__title") of `model` passes through."""
    for part in path.lstrip("^=@").split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return  # a method or property of the admin, or a lookup such as "exact"
        if not field.is_relation or field.related_model is None:
            return
        model = field.related_model  # type: ignore[assignment]
        yield model


def _names_used(model_admin: admin.ModelAdmin[Any], request: Any) -> Iterator[str]:
    yield from (name for name in model_admin.get_fields(request) if isinstance(name, str))
    yield from (name for name in model_admin.get_list_display(request) if isinstance(name, str))
    for entry in model_admin.get_list_filter(request):
        if isinstance(entry, str):
            yield entry
        elif isinstance(entry, tuple) and isinstance(entry[0], str):
            yield entry[0]
    yield from model_admin.get_search_fields(request)
    yield from model_admin.raw_id_fields
    yield from model_admin.get_autocomplete_fields(request)
    yield from model_admin.list_select_related if isinstance(model_admin.list_select_related, tuple | list) else ()


def test_no_operational_model_is_registered_in_the_admin_site() -> None:
    registered = {model._meta.label for model in admin.site._registry}
    assert registered & operational_labels() == set()


def test_operational_labels_name_real_models() -> None:
    # A renamed model must not slip out of the rule unnoticed.
    labels = {model._meta.label for model in apps.get_models()}
    assert labels >= (OPERATIONAL_ELSEWHERE | REFERENCE_DATA)
    assert {"problems.Problem", "problems.DecisionLogEntry", "engagement.EngagementEvent"} <= operational_labels()
    assert {"evaluation.SurveyResponse", "evaluation.Answer"} <= operational_labels()


def test_no_admin_reaches_an_operational_model_through_a_relation_or_inline(world: World) -> None:
    request = RequestFactory().get("/admin/")
    request.user = world.users["administrator"]
    operational = operational_labels()
    reached: list[str] = []
    for model, model_admin in admin.site._registry.items():
        for inline in model_admin.get_inlines(request, None):
            if inline.model._meta.label in operational:
                reached.append(f"{model._meta.label} inline {inline.model._meta.label}")
        for name in _names_used(model_admin, request):
            for target in _models_along(model, name):
                if target._meta.label in operational:
                    reached.append(f"{model._meta.label}.{name} -> {target._meta.label}")
    assert reached == []


@pytest.fixture
def admin_client(world: World) -> Client:
    return sign_in(Client(), world.users["administrator"])


def test_the_admin_has_no_pages_for_the_decision_log(admin_client: Client, world: World) -> None:
    problem = canary_problem(world, restricted=True)
    entry = decision(problem=problem, author=world.users["officer"])
    for url in (
        "/admin/problems/decisionlogentry/",
        f"/admin/problems/decisionlogentry/{entry.pk}/change/",
        f"/admin/problems/decisionlogentry/{entry.pk}/history/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 404, url
        assert problem.title not in response.text
        assert NDM_ANSWERS["decision_and_action"] not in response.text
    index = admin_client.get(reverse("admin:index")).text
    assert "Decision log" not in index
    assert "decisionlogentry" not in index


def test_the_audit_log_in_the_admin_shows_no_case_text(admin_client: Client, world: World) -> None:
    # A problem's change is audited with its before and after; a review with its notes.
    problem = canary_problem(world, restricted=True)
    title = f"Problem {canary()}"
    problem_update(actor=world.users["officer"], problem=problem, title=title)
    notes = f"Review notes {canary()}"
    problem_review_record(actor=world.users["officer"], problem=problem, notes=notes)
    updated = AuditEvent.objects.get(verb="problems.problem.updated", target_id=str(problem.pk))
    reviewed = AuditEvent.objects.get(verb="problems.review.recorded", target_id=str(problem.pk))
    assert updated.detail["title"]["after"] == title  # the detail does hold case text
    pages = [
        admin_client.get(reverse("admin:core_auditevent_changelist")),
        admin_client.get(reverse("admin:core_auditevent_change", args=[updated.pk])),
        admin_client.get(reverse("admin:core_auditevent_change", args=[reviewed.pk])),
    ]
    for page in pages:
        assert page.status_code == 200
        for text in (problem.title, title, notes):
            assert text not in page.text
    # Who did what to which record, and when, is still there.
    assert "problems.problem.updated" in pages[1].text
    assert str(problem.pk) in pages[1].text
    # Nor does the search look into the detail.
    search = admin_client.get(reverse("admin:core_auditevent_changelist"), {"q": title})
    assert "0 results" in search.text


def test_the_reminder_ledger_in_the_admin_shows_no_context(admin_client: Client, world: World) -> None:
    secret = canary()
    reminder = Reminder.objects.create(
        kind="test.reminder",
        target_type="problems.problem",
        target_id="1",
        due_date=datetime.date(2026, 12, 1),
        recipient=world.users["officer"],
        template="review_reminder",
        context={"reference": "P-0001", "note": secret},
        title="Review of P-0001 due today",
        link="/problems/1/",
        state="failed",
        last_error="SMTP 451",
    )
    page = admin_client.get(reverse("admin:core_reminder_change", args=[reminder.pk]))
    assert page.status_code == 200
    assert "SMTP 451" in page.text
    assert secret not in page.text


def test_the_second_factor_devices_are_not_in_the_admin_site(admin_client: Client, world: World) -> None:
    # They hold each user's authenticator secret and backup codes (found while fixing issue 15).
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)
    assert admin_client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert admin_client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_admin_index_names_its_sections_in_plain_words(admin_client: Client, world: World) -> None:
    # Issue 20: the index showed internal app labels (AXES, OTP_STATIC, OTP_TOTP).
    from config.admin_site import SECTION_NAMES

    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "Sign-in lockouts" in page
    assert "Audit log and reminders" in page
    for internal in ("Axes", "AXES", "OTP_", "Core<", "Authentication and Authorization"):
        assert internal not in page, internal
    registered = {model._meta.app_label for model in admin.site._registry}
    assert registered <= set(SECTION_NAMES), registered - set(SECTION_NAMES)
