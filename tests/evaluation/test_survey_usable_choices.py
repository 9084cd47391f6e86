"""A survey is addressed only to the neighbourhoods and partnerships its builder may use
(evaluation.selectors.surveys_access): the form offers no others and the services refuse any other
id with a message, so a partner lead cannot survey a partnership their organisation is not in (its
members would answer, and the outsider would read their answers)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluation.models import Audience, Survey, SurveyStatus
from evaluation.selectors.surveys_access import (
    neighbourhood_list_usable_for_surveys,
    partnership_list_usable_for_surveys,
)
from evaluation.services.surveys import (
    NEIGHBOURHOOD_NOT_USABLE,
    PARTNERSHIP_NOT_USABLE,
    PROBLEM_NOT_USABLE,
    survey_copy,
    survey_create,
    survey_publish,
    survey_update,
)
from partnerships.models import Neighbourhood, Partnership
from partnerships.services.partnerships import partnership_member_end
from tests.conftest import World, sign_in
from tests.evaluation.factories_surveys import make_survey
from tests.partnerships.factories import NeighbourhoodFactory, PoliceForceFactory
from tests.partnerships.factories_partnerships import make_partnership
from tests.problems.factories import ProblemFactory

pytestmark = pytest.mark.django_db


def _ours_and_theirs(world: World) -> tuple[Partnership, Neighbourhood, Partnership, Neighbourhood]:
    """The council's partnership and the neighbourhood it works; another partnership (of the
    unrelated partner) and its neighbourhood."""
    ours = make_partnership(name="Council and Police Partnership", members=[world.force, world.partner])
    theirs = make_partnership(name="Faraway Housing Partnership", members=[world.unrelated])
    return (
        ours,
        NeighbourhoodFactory(organisation=world.force, partnership=ours, name="Eastgate"),
        theirs,
        NeighbourhoodFactory(
            organisation=PoliceForceFactory(name="Faraway Police"), partnership=theirs, name="Farside"
        ),
    )


def _dates() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {"opens_on": today, "closes_on": today + datetime.timedelta(days=28)}


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "template": "",
        "title": "Partnership health check",
        "audience": Audience.PARTNER,
        **{name: value.isoformat() for name, value in _dates().items()},
    }
    data.update(overrides)
    return data


def _choices(response: Any, field: str) -> set[str]:
    return {str(label) for value, label in response.context["form"].fields[field].choices if value != ""}


def test_form_offers_a_partner_lead_only_their_partnerships_and_neighbourhoods(world: World) -> None:
    _ours_and_theirs(world)
    response = sign_in(Client(), world.users["partner_lead"]).get(reverse("survey-create"))
    assert _choices(response, "partnership") == {"Council and Police Partnership"}
    assert _choices(response, "neighbourhood") == {"Eastgate"}
    assert "Faraway Housing Partnership" not in response.content.decode()
    assert "Farside" not in response.content.decode()


@pytest.mark.parametrize(
    ("field", "message"), [("partnership", PARTNERSHIP_NOT_USABLE), ("neighbourhood", NEIGHBOURHOOD_NOT_USABLE)]
)
def test_posting_another_partnerships_id_is_refused_with_the_message_and_creates_nothing(
    world: World, field: str, message: str
) -> None:
    _, _, theirs, farside = _ours_and_theirs(world)
    other = {"partnership": theirs, "neighbourhood": farside}[field]
    client = sign_in(Client(), world.users["partner_lead"])
    response = client.post(reverse("survey-create"), _form(**{field: other.pk}))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert not Survey.objects.exists()


def test_posting_their_own_partnership_creates_the_survey(world: World) -> None:
    ours, eastgate, _, _ = _ours_and_theirs(world)
    client = sign_in(Client(), world.users["partner_lead"])
    response = client.post(reverse("survey-create"), _form(partnership=ours.pk, neighbourhood=eastgate.pk))
    survey = Survey.objects.get()
    assert response["Location"] == reverse("survey-detail", kwargs={"pk": survey.pk})
    assert (survey.partnership, survey.neighbourhood) == (ours, eastgate)


def test_the_service_refuses_another_partnership_neighbourhood_and_an_unseen_problem(world: World) -> None:
    _, _, theirs, farside = _ours_and_theirs(world)
    unshared = ProblemFactory(force=world.force, owner=world.users["officer"])
    with pytest.raises(ValidationError) as caught:
        survey_create(
            actor=world.users["partner_lead"],
            title="Health check",
            audience=Audience.PARTNER,
            partnership=theirs,
            neighbourhood=farside,
            problem=unshared,
            **_dates(),
        )
    assert caught.value.message_dict == {
        "partnership": [PARTNERSHIP_NOT_USABLE],
        "neighbourhood": [NEIGHBOURHOOD_NOT_USABLE],
        "problem": [PROBLEM_NOT_USABLE],
    }
    assert not Survey.objects.exists()


def test_a_police_officer_cannot_survey_another_forces_neighbourhood(world: World) -> None:
    _, eastgate, _, farside = _ours_and_theirs(world)
    officer = world.users["officer"]
    assert list(neighbourhood_list_usable_for_surveys(user=officer)) == [eastgate]
    with pytest.raises(ValidationError) as caught:
        survey_create(actor=officer, title="Trust", audience=Audience.PUBLIC, neighbourhood=farside, **_dates())
    assert caught.value.message_dict == {"neighbourhood": [NEIGHBOURHOOD_NOT_USABLE]}


def test_users_who_cannot_build_surveys_may_use_nothing(world: World) -> None:
    _ours_and_theirs(world)
    for persona in ("partner_member", "administrator"):
        user = world.users[persona]
        assert not partnership_list_usable_for_surveys(user=user).exists()
        assert not neighbourhood_list_usable_for_surveys(user=user).exists()


# --- editing, copying and publishing ------------------------------------------------------------


def test_editing_cannot_move_a_survey_to_another_partnership(world: World) -> None:
    ours, _, theirs, _ = _ours_and_theirs(world)
    lead = world.users["partner_lead"]
    survey = make_survey(lead, audience=Audience.PARTNER, partnership=ours, publish=False)
    client = sign_in(Client(), lead)
    edit = reverse("survey-edit", kwargs={"pk": survey.pk})
    assert _choices(client.get(edit), "partnership") == {"Council and Police Partnership"}
    response = client.post(edit, _form(partnership=theirs.pk, title="Moved"))
    assert response.status_code == 200
    assert PARTNERSHIP_NOT_USABLE in response.content.decode()
    with pytest.raises(ValidationError) as caught:
        survey_update(actor=lead, survey=survey, partnership=theirs)
    assert caught.value.message_dict == {"partnership": [PARTNERSHIP_NOT_USABLE]}
    survey.refresh_from_db()
    assert (survey.partnership, survey.title) == (ours, "Test survey")


def test_a_survey_keeps_its_partnership_when_edited_after_the_organisation_left_it(world: World) -> None:
    ours, _, _, _ = _ours_and_theirs(world)
    lead = world.users["partner_lead"]
    survey = make_survey(lead, audience=Audience.PARTNER, partnership=ours)
    membership = ours.memberships.get(organisation=world.partner)
    partnership_member_end(actor=None, membership=membership, left_on=timezone.localdate() - datetime.timedelta(days=1))
    client = sign_in(Client(), lead)
    response = client.post(reverse("survey-edit", kwargs={"pk": survey.pk}), _form(partnership=ours.pk, title="Kept"))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.partnership, survey.title) == (ours, "Kept")
    # ... but a copy of it is not published to the partnership the organisation has left.
    copy = survey_copy(actor=lead, survey=survey)
    with pytest.raises(ValidationError) as caught:
        survey_publish(actor=lead, survey=copy)
    assert caught.value.message_dict == {"partnership": [PARTNERSHIP_NOT_USABLE]}
    copy.refresh_from_db()
    assert copy.status == SurveyStatus.DRAFT


def test_the_edit_form_offers_and_keeps_the_surveys_own_problem(world: World) -> None:
    officer = world.users["officer"]
    problem = ProblemFactory(force=world.force, owner=officer)
    survey = make_survey(officer, publish=False, problem=problem)
    client = sign_in(Client(), officer)
    edit = reverse("survey-edit", kwargs={"pk": survey.pk})
    assert problem.pk in {value for value, _ in client.get(edit).context["form"].fields["problem"].choices if value}
    response = client.post(edit, _form(audience=Audience.PUBLIC, problem=problem.pk, title="Kept"))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.problem, survey.title) == (problem, "Kept")
