"""The decision log (National Decision Model): entries are added, never changed or deleted; a
joint decision names its partners; a correction is a new entry that refers to the one it corrects."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.template.loader import render_to_string
from django.test import Client
from django.urls import NoReverseMatch, reverse

from core.models import AuditEvent
from problems.models import DecisionLogEntry, ProblemCategory
from problems.models.sharing import ShareAccess
from problems.selectors.access import can_record_decision
from problems.selectors.decisions import decision_list_for_problem, decision_log_for
from problems.services.decisions import (
    DECISION_CORRECTS_OTHER_PROBLEM,
    DECISION_JOINT_NEEDS_PARTNERS,
    DECISION_NOT_CONTRIBUTOR,
    DECISION_PARTNER_IS_OWNER,
    DECISION_PARTNERS_ONLY_IF_JOINT,
    REQUIRED_FIELDS,
    decision_confirm,
)
from tests.conftest import World, sign_in
from tests.partnerships.factories import OrganisationFactory
from tests.problems.factories import ProblemFactory
from tests.problems.factories_decisions import NDM_ANSWERS, decision
from tests.problems.factories_sharing import share

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _problem(world: World, **kwargs: Any) -> Any:
    return ProblemFactory(force=world.force, owner=world.users["officer"], **kwargs)


def _form_data(**overrides: Any) -> dict[str, Any]:
    return {**NDM_ANSWERS, **overrides}


# --- The service ---------------------------------------------------------------------------------


def test_recording_a_decision_keeps_every_heading_and_is_audited(world: World) -> None:
    problem = _problem(world)
    entry = decision(problem=problem, author=world.users["officer"])
    entry.refresh_from_db()
    for field, value in NDM_ANSWERS.items():
        assert getattr(entry, field) == value
    assert entry.author == world.users["officer"]
    assert not entry.is_joint
    event = AuditEvent.objects.get(verb="problems.decision.recorded")
    assert event.target_id == str(entry.pk)
    assert event.detail["problem"] == problem.pk


def test_a_joint_decision_names_its_partner_organisations(world: World) -> None:
    problem = _problem(world)
    charity = OrganisationFactory(name="Eastgate Homelessness Project")
    entry = decision(
        problem=problem, author=world.users["supervisor"], is_joint=True, partner_organisations=[world.partner, charity]
    )
    assert set(entry.partner_organisations.all()) == {world.partner, charity}
    assert AuditEvent.objects.get(verb="problems.decision.recorded").detail["partner_organisations"] == sorted(
        [world.partner.pk, charity.pk]
    )


def test_a_joint_decision_without_partners_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        decision(problem=_problem(world), author=world.users["officer"], is_joint=True)
    assert caught.value.message_dict == {"partner_organisations": [DECISION_JOINT_NEEDS_PARTNERS]}
    assert not DecisionLogEntry.objects.exists()


def test_partners_on_a_decision_that_is_not_joint_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        decision(problem=_problem(world), author=world.users["officer"], partner_organisations=[world.partner])
    assert caught.value.message_dict == {"partner_organisations": [DECISION_PARTNERS_ONLY_IF_JOINT]}


def test_the_owning_force_is_not_its_own_joint_partner(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        decision(
            problem=_problem(world), author=world.users["officer"], is_joint=True, partner_organisations=[world.force]
        )
    assert caught.value.message_dict == {"partner_organisations": [DECISION_PARTNER_IS_OWNER]}


def test_every_ndm_heading_but_review_is_required(world: World) -> None:
    blanks = dict.fromkeys(NDM_ANSWERS, "  ")
    with pytest.raises(ValidationError) as caught:
        decision(problem=_problem(world), author=world.users["officer"], **blanks)
    assert caught.value.message_dict == {field: [message] for field, message in REQUIRED_FIELDS.items()}
    assert "review" not in caught.value.message_dict


def test_a_correction_refers_to_the_entry_it_corrects(world: World) -> None:
    problem = _problem(world)
    original = decision(problem=problem, author=world.users["officer"])
    correction = decision(problem=problem, author=world.users["officer"], corrects=original, review="Corrected date.")
    assert list(original.corrections.all()) == [correction]
    assert (
        AuditEvent.objects.get(verb="problems.decision.recorded", target_id=str(correction.pk)).detail["corrects"]
        == original.pk
    )


def test_a_correction_of_another_problems_entry_is_refused(world: World) -> None:
    other = decision(problem=_problem(world), author=world.users["officer"])
    with pytest.raises(ValidationError) as caught:
        decision(problem=_problem(world), author=world.users["officer"], corrects=other)
    assert caught.value.message_dict == {"corrects": [DECISION_CORRECTS_OTHER_PROBLEM]}
    assert DecisionLogEntry.objects.count() == 1


def test_analyst_cannot_record_a_decision(world: World) -> None:
    with pytest.raises(PermissionDenied, match=DECISION_NOT_CONTRIBUTOR):
        decision(problem=_problem(world), author=world.users["analyst"])
    assert not DecisionLogEntry.objects.exists()


@pytest.mark.parametrize("persona", ["partner_member", "partner_lead"])
def test_a_partner_with_a_contribute_share_cannot_record_a_decision(world: World, persona: str) -> None:
    # The decision log is written by the lead organisation's users (DESIGN.md section 4); a
    # contribute share means updates and the partner's own actions, not the police's NDM record.
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    with pytest.raises(PermissionDenied, match=DECISION_NOT_CONTRIBUTOR):
        decision(problem=problem, author=world.users[persona], is_joint=True, partner_organisations=[world.partner])
    assert not DecisionLogEntry.objects.exists()
    assert not AuditEvent.objects.filter(verb="problems.decision.recorded").exists()


def test_the_owning_forces_officer_still_records_a_decision_on_a_shared_problem(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    entry = decision(
        problem=problem, author=world.users["officer"], is_joint=True, partner_organisations=[world.partner]
    )
    assert list(entry.partner_organisations.all()) == [world.partner]


# --- Append-only ---------------------------------------------------------------------------------


def test_a_decision_entry_cannot_be_updated_in_the_database(world: World) -> None:
    entry = decision(problem=_problem(world), author=world.users["officer"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DecisionLogEntry.objects.filter(pk=entry.pk).update(decision_and_action="Changed afterwards")
    entry.options = "Changed afterwards"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.save()
    entry.refresh_from_db()
    assert entry.decision_and_action == NDM_ANSWERS["decision_and_action"]


def test_a_decision_entry_cannot_be_deleted_in_the_database(world: World) -> None:
    entry = decision(problem=_problem(world), author=world.users["officer"])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        DecisionLogEntry.objects.filter(pk=entry.pk).delete()
    assert DecisionLogEntry.objects.filter(pk=entry.pk).exists()


def test_the_partners_named_on_a_joint_decision_cannot_be_removed_in_the_database(world: World) -> None:
    entry = decision(
        problem=_problem(world), author=world.users["officer"], is_joint=True, partner_organisations=[world.partner]
    )
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.partner_organisations.remove(world.partner)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        entry.partner_organisations.through.objects.filter(decisionlogentry_id=entry.pk).update(
            organisation_id=world.unrelated.pk
        )
    assert list(entry.partner_organisations.all()) == [world.partner]


def test_there_is_no_url_to_edit_or_delete_a_decision() -> None:
    from problems.views.decisions import urlpatterns

    # Adding an entry, and a partner lead's confirmation of one (a record of its own).
    assert [pattern.name for pattern in urlpatterns if "decision" in str(pattern.name)] == [
        "decision-create",
        "decision-confirm",
    ]


# --- The selector --------------------------------------------------------------------------------


def _log_with(world: World, count: int) -> Any:
    """`count` joint decisions, each confirmed by the council's lead (the problem is shared with
    the council) and awaiting another partner, and a correction of each."""
    problem = share(world).problem
    for _ in range(count):
        entry = decision(
            problem=problem,
            author=world.users["officer"],
            is_joint=True,
            partner_organisations=[world.partner, OrganisationFactory()],
        )
        decision_confirm(actor=world.users["partner_lead"], entry=entry)
        decision(problem=problem, author=world.users["supervisor"], corrects=entry)
    return problem


def test_the_log_selector_uses_the_same_queries_for_one_and_five_entries(
    world: World, django_assert_num_queries: Any
) -> None:
    # 1 entries with authors and corrected entries (JOINs), 2 their partner organisations, 3 the
    # corrections of each, 4 the partners' confirmations with who confirmed.
    for count in (1, 5):
        problem = _log_with(world, count)
        with django_assert_num_queries(4):
            entries = list(decision_list_for_problem(problem=problem))
            for entry in entries:
                _ = (entry.author.full_name, list(entry.partner_organisations.all()), list(entry.corrections.all()))
                _ = entry.corrects.created_at if entry.corrects_id else None
                _ = [confirmation.confirmed_by.full_name for confirmation in entry.confirmations.all()]
        assert len(entries) == count * 2


# --- The panel on the problem page ---------------------------------------------------------------


def _render_panel(problem: Any, user: Any) -> str:
    """The decision log as the problem page renders it, from the page's selector."""
    log = decision_log_for(user=user, problem=problem)
    return render_to_string(
        "problems/_decision_log.html",
        {
            "problem": problem,
            "rows": log.rows,
            "withheld": log.withheld,
            "can_record_decision": can_record_decision(user, problem),
        },
    )


def test_the_panel_shows_headings_partners_and_links_between_corrections(world: World) -> None:
    problem = _problem(world)
    original = decision(
        problem=problem, author=world.users["officer"], is_joint=True, partner_organisations=[world.partner]
    )
    correction = decision(problem=problem, author=world.users["supervisor"], corrects=original)
    html = _render_panel(problem, world.users["officer"])
    for heading in (
        "Information and intelligence",
        "Assessment of threat and risk",
        "Powers and policy",
        "Options considered",
        "Decision and action",
        "Review",
        "Code of Ethics consideration",
    ):
        assert heading in html
    assert "Joint decision</span> with Northshire City Council" in html
    assert f'Corrects <a href="#decision-{original.pk}">' in html
    assert f'Corrected by <a href="#decision-{correction.pk}">' in html
    create = reverse("decision-create", kwargs={"pk": problem.pk})
    assert f"{create}?corrects={original.pk}" in html
    assert html.count("Record a correction") == 2
    assert f'href="{create}"' in html


def test_the_panel_offers_no_writes_to_an_analyst(world: World) -> None:
    problem = _problem(world)
    decision(problem=problem, author=world.users["officer"])
    html = _render_panel(problem, world.users["analyst"])
    assert "Decision and action" in html
    assert "Record a correction" not in html
    assert "Record a decision" not in html


def test_the_panel_offers_no_writes_to_a_partner_with_a_contribute_share(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    decision(problem=problem, author=world.users["officer"])
    for persona in ("partner_member", "partner_lead"):
        html = _render_panel(problem, world.users[persona])
        assert "Decision and action" in html
        assert "Record a correction" not in html
        assert "Record a decision" not in html
        assert reverse("decision-create", kwargs={"pk": problem.pk}) not in html


def test_the_panel_says_when_nothing_is_recorded(world: World) -> None:
    assert "No decisions recorded yet." in _render_panel(_problem(world), world.users["officer"])


def test_the_panel_uses_the_same_queries_for_one_and_five_entries(world: World, django_assert_num_queries: Any) -> None:
    # 1 entries with authors and corrected entries, 2 partner organisations, 3 corrections, 4 the
    # partners' confirmations with who confirmed. Whether the user may confirm an entry is worked
    # out from these. The partner lead's panel asks one more, first: 0 the data categories their
    # organisation's share discloses (problems.selectors.disclosure; the force's users see all).
    for count in (1, 5):
        problem = _log_with(world, count)
        for persona in ("officer", "partner_lead"):
            with django_assert_num_queries(4 if persona == "officer" else 5):
                html = _render_panel(problem, world.users[persona])
            assert html.count('class="card mb-3 decision-entry"') == count * 2
            assert html.count(": Confirmed by ") == count
            assert html.count("Awaiting confirmation by ") == count


# --- The form page -------------------------------------------------------------------------------


def test_the_form_asks_the_ndm_headings_in_order_with_help(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "officer").get(reverse("decision-create", kwargs={"pk": problem.pk}))
    assert response.status_code == 200
    labels = re.findall(r'<label[^>]*for="id_([a-z_]+)"', response.text)
    assert labels[:7] == [
        "information",
        "threat_and_risk",
        "powers_and_policy",
        "options",
        "decision_and_action",
        "review",
        "code_of_ethics",
    ]
    assert "What did you know when you decided" in response.text
    assert "How the decision is fair, proportionate" in response.text


def test_an_officer_records_a_joint_decision_through_the_form(world: World) -> None:
    problem = _problem(world)
    url = reverse("decision-create", kwargs={"pk": problem.pk})
    response = _client(world, "officer").post(url, _form_data(is_joint="on", partner_organisations=[world.partner.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("#decision-log")
    entry = DecisionLogEntry.objects.get()
    assert entry.is_joint
    assert list(entry.partner_organisations.all()) == [world.partner]
    assert entry.author == world.users["officer"]


def test_the_form_offers_partners_but_not_the_owning_force(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "officer").get(reverse("decision-create", kwargs={"pk": problem.pk}))
    assert "Northshire City Council" in response.text
    assert f'value="{world.force.pk}"' not in response.text


def test_corrects_in_the_query_string_pre_links_a_correction(world: World) -> None:
    problem = _problem(world)
    original = decision(problem=problem, author=world.users["officer"])
    client = _client(world, "supervisor")
    url = reverse("decision-create", kwargs={"pk": problem.pk})
    response = client.get(f"{url}?corrects={original.pk}")
    assert '<h1 class="mb-3">Record a correction</h1>' in response.text
    assert f'name="corrects" value="{original.pk}"' in response.text
    response = client.post(url, _form_data(corrects=original.pk))
    assert response.status_code == 302
    assert DecisionLogEntry.objects.get(corrects=original).author == world.users["supervisor"]


@pytest.mark.parametrize(
    "value", ["banana", "999999", "-1", "1.5", "", "99999999999999999999999", "\uff11\uff12", "\u00b2"]
)
def test_a_bad_corrects_in_the_query_string_is_ignored(world: World, value: str) -> None:
    problem = _problem(world)
    response = _client(world, "officer").get(
        reverse("decision-create", kwargs={"pk": problem.pk}) + f"?corrects={value}"
    )
    assert response.status_code == 200
    assert '<h1 class="mb-3">Record a decision</h1>' in response.text


def test_an_entry_of_another_problem_is_not_pre_linked(world: World) -> None:
    other = decision(problem=_problem(world), author=world.users["officer"])
    problem = _problem(world)
    response = _client(world, "officer").get(
        reverse("decision-create", kwargs={"pk": problem.pk}) + f"?corrects={other.pk}"
    )
    assert f'value="{other.pk}"' not in response.text


def test_posting_a_correction_of_another_problems_entry_shows_an_error_and_saves_nothing(world: World) -> None:
    other = decision(problem=_problem(world), author=world.users["officer"])
    problem = _problem(world)
    response = _client(world, "officer").post(
        reverse("decision-create", kwargs={"pk": problem.pk}), _form_data(corrects=other.pk)
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "A correction must refer to an entry in this problem&#x27;s decision log." in response.text
    assert DecisionLogEntry.objects.count() == 1


def test_invalid_input_shows_the_error_summary_keeps_what_was_typed_and_saves_nothing(world: World) -> None:
    problem = _problem(world)
    data = _form_data(information="", is_joint="on", options="Patrols, or a dispersal order")
    response = _client(world, "officer").post(reverse("decision-create", kwargs={"pk": problem.pk}), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter the information and intelligence the decision was based on." in response.text
    assert "Patrols, or a dispersal order" in response.text
    assert NDM_ANSWERS["code_of_ethics"] in response.text
    assert re.search(r'<input[^>]*name="is_joint"[^>]*checked', response.text)
    assert not DecisionLogEntry.objects.exists()
    assert not AuditEvent.objects.filter(verb="problems.decision.recorded").exists()


def test_a_joint_decision_without_partners_shows_the_error_on_the_form(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "officer").post(
        reverse("decision-create", kwargs={"pk": problem.pk}), _form_data(is_joint="on")
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#id_partner_organisations_0">Choose at least one partner organisation' in response.text
    assert NDM_ANSWERS["options"] in response.text
    assert not DecisionLogEntry.objects.exists()


def test_analyst_gets_403_and_records_nothing(world: World) -> None:
    problem = _problem(world)
    url = reverse("decision-create", kwargs={"pk": problem.pk})
    client = _client(world, "analyst")
    assert client.get(url).status_code == 403
    assert client.post(url, _form_data()).status_code == 403
    assert not DecisionLogEntry.objects.exists()


@pytest.mark.parametrize("persona", ["partner_member", "partner_lead"])
def test_a_partner_with_a_contribute_share_gets_403_and_records_nothing(world: World, persona: str) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    url = reverse("decision-create", kwargs={"pk": problem.pk})
    client = _client(world, persona)
    assert client.get(url).status_code == 403
    response = client.post(url, _form_data(is_joint="on", partner_organisations=[world.partner.pk]))
    assert response.status_code == 403
    assert not DecisionLogEntry.objects.exists()
    # The problem page a partner sees offers no way to the form.
    page = client.get(reverse("problem-detail", kwargs={"pk": problem.pk}))
    assert page.status_code == 200
    assert url not in page.text


def test_the_officer_records_a_decision_on_a_problem_shared_for_contribution(world: World) -> None:
    problem = share(world, access_level=ShareAccess.CONTRIBUTE).problem
    response = _client(world, "officer").post(
        reverse("decision-create", kwargs={"pk": problem.pk}),
        _form_data(is_joint="on", partner_organisations=[world.partner.pk]),
    )
    assert response.status_code == 302
    assert DecisionLogEntry.objects.get().author == world.users["officer"]


def test_a_partner_gets_404_and_records_nothing(world: World) -> None:
    problem = _problem(world)
    response = _client(world, "partner_lead").post(reverse("decision-create", kwargs={"pk": problem.pk}), _form_data())
    assert response.status_code == 404
    assert not DecisionLogEntry.objects.exists()


def test_another_officer_gets_404_on_a_restricted_problem(world: World) -> None:
    from accounts.models import Role
    from tests.accounts.factories import UserFactory

    problem = _problem(world, restricted=True)
    colleague = UserFactory(role=Role.OFFICER, organisation=world.force)
    response = sign_in(Client(), colleague).get(reverse("decision-create", kwargs={"pk": problem.pk}))
    assert response.status_code == 404


def test_an_unknown_problem_is_404(world: World) -> None:
    assert _client(world, "officer").get(reverse("decision-create", kwargs={"pk": 999999})).status_code == 404


def test_put_is_not_allowed(world: World) -> None:
    problem = _problem(world)
    assert _client(world, "officer").put(reverse("decision-create", kwargs={"pk": problem.pk})).status_code == 405


# --- Administration ------------------------------------------------------------------------------


def test_the_admin_site_has_no_decision_log() -> None:
    # Administrators see no case text, the admin included (tests/core/test_admin_site.py has the
    # pages and the rule for every registered model).
    with pytest.raises(NoReverseMatch):
        reverse("admin:problems_decisionlogentry_changelist")


def test_administrators_edit_the_list_of_categories(world: World) -> None:
    client = _client(world, "administrator")
    response = client.post(
        reverse("admin:problems_problemcategory_add"),
        {"name": "Fly-tipping", "code": "fly-tipping", "active": "on", "order": "75"},
    )
    assert response.status_code == 302
    category = ProblemCategory.objects.get(code="fly-tipping")
    assert AuditEvent.objects.get(verb="problems.category.created").target_id == str(category.pk)
    asb = ProblemCategory.objects.get(code="asb")
    assert client.get(reverse("admin:problems_problemcategory_delete", args=[asb.pk])).status_code == 403


@pytest.mark.parametrize("value", ["banana", "99999999999999999999999", "\u00b2"])
def test_a_bad_corrects_in_the_posted_form_is_an_error_not_a_server_error(world: World, value: str) -> None:
    problem = _problem(world)
    response = _client(world, "officer").post(
        reverse("decision-create", kwargs={"pk": problem.pk}), _form_data(corrects=value)
    )
    assert response.status_code == 200
    assert "A correction must refer to an entry in this problem&#x27;s decision log." in response.text
    assert not DecisionLogEntry.objects.exists()
