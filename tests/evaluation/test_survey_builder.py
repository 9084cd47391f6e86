"""The survey builder: surveys from the shipped templates, questions of every type, publishing with
an unguessable link, the lock on questions once a survey has responses, copies and new versions,
and the builder's pages (happy path, invalid input, read-only 403, outsider 404, query counts)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent
from evaluation.models import Audience, Question, QuestionKind, Survey, SurveyStatus
from evaluation.services.survey_templates import PARTNERSHIP_HEALTH, RESIDENT_FEEDBACK, TEMPLATES, TRUST_CONFIDENCE
from evaluation.services.surveys import (
    AUDIENCE_FIXED,
    DATES_ORDERED,
    NO_QUESTIONS,
    QUESTIONS_LOCKED,
    SURVEY_CANNOT_BUILD,
    survey_copy,
    survey_create,
    survey_new_version,
    survey_publish,
    survey_update,
)
from evaluation.services.surveys_questions import (
    OPTIONS_NEEDED,
    OptionInput,
    question_add,
    question_move,
    question_update,
)
from partnerships.models import SeldomHeardGroup
from tests.conftest import World, sign_in
from tests.engagement.factories import neighbourhood_for
from tests.evaluation.factories_surveys import add_response, make_survey
from tests.partnerships.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db


def _dates() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {"opens_on": today, "closes_on": today + datetime.timedelta(days=28)}


# --- templates ----------------------------------------------------------------------------------


def test_trust_and_confidence_template_has_the_six_items_then_consented_demographics(world: World) -> None:
    survey = survey_create(
        actor=world.users["supervisor"],
        title="Trust and confidence, Eastgate, winter",
        audience=Audience.PUBLIC,
        template_key=TRUST_CONFIDENCE,
        consent_text=TEMPLATES[TRUST_CONFIDENCE].consent_text,
        **_dates(),
    )
    questions = list(survey.questions.order_by("order"))
    assert [q.item_key for q in questions[:6]] == [
        "good_job",
        "fair_respect",
        "listen_concerns",
        "deal_matters",
        "relied_on",
        "know_contact",
    ]
    assert all(q.kind == QuestionKind.AGREEMENT and q.required and not q.demographic for q in questions[:6])
    demographic = questions[6:]
    assert demographic
    assert all(q.demographic and not q.required for q in demographic)
    assert survey.consent_text
    older = demographic[0].options.get(label="65 or over")
    assert older.seldom_heard_group == SeldomHeardGroup.objects.get(name="Older people")


@pytest.mark.parametrize("key", [PARTNERSHIP_HEALTH, RESIDENT_FEEDBACK])
def test_other_shipped_templates_build_their_questions(world: World, key: str) -> None:
    survey = survey_create(
        actor=world.users["officer"],
        title="From a template",
        audience=TEMPLATES[key].audience,
        template_key=key,
        **_dates(),
    )
    assert survey.questions.count() == len(TEMPLATES[key].questions)


def test_partnership_health_check_rates_six_aspects_with_a_free_text_box() -> None:
    kinds = [(q.key, q.kind) for q in TEMPLATES[PARTNERSHIP_HEALTH].questions]
    assert kinds == [
        ("shared_goals", "rating"),
        ("communication", "rating"),
        ("data_sharing", "rating"),
        ("trust", "rating"),
        ("decision_making", "rating"),
        ("contribution", "rating"),
        ("comments", "text"),
    ]


# --- services -----------------------------------------------------------------------------------


def test_partner_member_cannot_build_a_survey(world: World) -> None:
    with pytest.raises(PermissionDenied, match=SURVEY_CANNOT_BUILD):
        survey_create(actor=world.users["partner_member"], title="No", audience=Audience.PUBLIC, **_dates())


def test_closing_date_before_opening_date_is_refused(world: World) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        survey_create(
            actor=world.users["officer"],
            title="Backwards",
            audience=Audience.PUBLIC,
            opens_on=today,
            closes_on=today - datetime.timedelta(days=1),
        )
    assert caught.value.message_dict == {"closes_on": [DATES_ORDERED]}
    assert not Survey.objects.exists()


def test_choice_question_needs_two_options(world: World) -> None:
    survey = make_survey(world.users["officer"], publish=False)
    with pytest.raises(ValidationError) as caught:
        question_add(
            actor=world.users["officer"],
            survey=survey,
            kind=QuestionKind.SINGLE,
            text="Pick",
            options=[OptionInput("Only one")],
        )
    assert caught.value.message_dict == {"options": [OPTIONS_NEEDED]}
    assert survey.questions.count() == 1


def test_publishing_a_public_survey_gives_it_an_unguessable_link(world: World) -> None:
    survey = make_survey(world.users["officer"], publish=False)
    survey_publish(actor=world.users["officer"], survey=survey)
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.PUBLISHED
    assert survey.public_token
    assert len(survey.public_token) >= 32
    assert AuditEvent.objects.filter(verb="evaluation.survey.published", target_id=str(survey.pk)).exists()


def test_a_survey_without_questions_cannot_be_published(world: World) -> None:
    survey = survey_create(actor=world.users["officer"], title="Empty", audience=Audience.PUBLIC, **_dates())
    with pytest.raises(ValidationError, match=NO_QUESTIONS):
        survey_publish(actor=world.users["officer"], survey=survey)


def test_signed_in_audiences_have_no_public_link(world: World) -> None:
    survey = make_survey(world.users["officer"], audience=Audience.OFFICER)
    assert survey.public_token is None


def test_published_survey_questions_may_change_until_it_has_responses(world: World) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer)
    question = survey.questions.get()
    question_update(actor=officer, question=question, kind=QuestionKind.AGREEMENT, text="Reworded.", required=True)
    add_response(survey, {question: 4})
    with pytest.raises(ValidationError, match=QUESTIONS_LOCKED):
        question_update(actor=officer, question=question, kind=QuestionKind.AGREEMENT, text="Again.", required=True)
    with pytest.raises(ValidationError, match=QUESTIONS_LOCKED):
        question_add(actor=officer, survey=survey, kind=QuestionKind.TEXT, text="More?")
    question.refresh_from_db()
    assert question.text == "Reworded."


def test_new_version_is_an_editable_draft_pointing_at_the_survey_it_replaces(world: World) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, template=TRUST_CONFIDENCE)
    add_response(survey, {survey.questions.first(): 5})  # type: ignore[dict-item]
    version = survey_new_version(actor=officer, survey=survey)
    assert (version.status, version.version, version.previous_version) == (SurveyStatus.DRAFT, 2, survey)
    assert version.public_token is None
    assert list(version.questions.values_list("item_key", flat=True)) == list(
        survey.questions.values_list("item_key", flat=True)
    )
    question_add(actor=officer, survey=version, kind=QuestionKind.TEXT, text="Anything else?")
    assert version.questions.count() == survey.questions.count() + 1


def test_copy_keeps_questions_and_group_mappings(world: World) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, template=TRUST_CONFIDENCE)
    copy = survey_copy(actor=officer, survey=survey)
    assert copy.title.startswith("Copy of ")
    assert copy.version == 1
    assert copy.previous_version is None
    mapped = lambda s: sorted(  # noqa: E731
        s.questions.filter(options__seldom_heard_group__isnull=False).values_list(
            "options__seldom_heard_group", flat=True
        )
    )
    assert mapped(copy) == mapped(survey) != []


def test_moving_a_question_swaps_it_with_its_neighbour(world: World) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, publish=False)
    second = question_add(actor=officer, survey=survey, kind=QuestionKind.TEXT, text="Second")
    question_move(actor=officer, question=second, up=True)
    assert list(survey.questions.values_list("text", flat=True)) == ["Second", "The police do a good job."]


# --- views --------------------------------------------------------------------------------------


def _form(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    data = {
        "template": TRUST_CONFIDENCE,
        "title": "Trust and confidence, winter round",
        "introduction": "Tell us.",
        "audience": Audience.PUBLIC,
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=28)).isoformat(),
        "consent_text": "Optional questions follow.",
    }
    data.update(overrides)
    return data


def test_supervisor_creates_a_survey_from_the_template_page(client: Client, world: World) -> None:
    neighbourhood = NeighbourhoodFactory(organisation=world.force, name="Eastgate")
    sign_in(client, world.users["supervisor"])
    page = client.get(reverse("survey-create") + f"?template={TRUST_CONFIDENCE}")
    assert page.status_code == 200
    assert TEMPLATES[TRUST_CONFIDENCE].title in page.content.decode()
    response = client.post(reverse("survey-create"), _form(neighbourhood=neighbourhood.pk))
    survey = Survey.objects.get()
    assert response["Location"] == reverse("survey-detail", kwargs={"pk": survey.pk})
    assert (survey.template_key, survey.neighbourhood, survey.owner) == (TRUST_CONFIDENCE, neighbourhood, world.force)
    assert survey.questions.count() == len(TEMPLATES[TRUST_CONFIDENCE].questions)


def test_invalid_survey_form_shows_errors_keeps_input_and_creates_nothing(client: Client, world: World) -> None:
    sign_in(client, world.users["officer"])
    today = timezone.localdate()
    response = client.post(
        reverse("survey-create"),
        _form(title="Kept title", closes_on=(today - datetime.timedelta(days=3)).isoformat()),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert DATES_ORDERED in body
    assert 'value="Kept title"' in body
    assert not Survey.objects.exists()


def test_invalid_question_shows_errors_and_changes_nothing(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"], publish=False)
    sign_in(client, world.users["officer"])
    response = client.post(
        reverse("survey-question-add", kwargs={"pk": survey.pk}),
        {"kind": QuestionKind.MULTIPLE, "text": "Which ones?", "options": "Just one"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert OPTIONS_NEEDED in body
    assert 'value="Which ones?"' in body
    assert survey.questions.count() == 1


def test_question_option_naming_an_unknown_group_is_refused(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"], publish=False)
    sign_in(client, world.users["officer"])
    response = client.post(
        reverse("survey-question-add", kwargs={"pk": survey.pk}),
        {"kind": QuestionKind.SINGLE, "text": "Age?", "options": "Young | Nobody\nOld | Older people"},
    )
    assert "there is no seldom-heard group called “Nobody”" in response.content.decode()
    assert survey.questions.count() == 1


def test_question_added_through_the_builder_maps_options_to_groups(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"], publish=False)
    sign_in(client, world.users["officer"])
    client.post(
        reverse("survey-question-add", kwargs={"pk": survey.pk}),
        {"kind": QuestionKind.SINGLE, "text": "Age?", "options": "Under 65\n65 or over | Older people"},
    )
    question = survey.questions.get(text="Age?")
    assert [(o.label, o.seldom_heard_group and o.seldom_heard_group.name) for o in question.options.all()] == [
        ("Under 65", None),
        ("65 or over", "Older people"),
    ]


def test_partner_member_reads_their_organisations_survey_but_cannot_publish_it(client: Client, world: World) -> None:
    survey = make_survey(world.users["partner_lead"], publish=False)
    sign_in(client, world.users["partner_member"])
    assert client.get(reverse("survey-detail", kwargs={"pk": survey.pk})).status_code == 200
    assert client.post(reverse("survey-publish", kwargs={"pk": survey.pk})).status_code == 403
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


def test_unrelated_partner_gets_404_for_another_organisations_survey(client: Client, world: World) -> None:
    survey = make_survey(world.users["partner_lead"])
    sign_in(client, world.users["unrelated_partner"])
    for name in ("survey-detail", "survey-results", "survey-export", "survey-edit"):
        assert client.get(reverse(name, kwargs={"pk": survey.pk})).status_code == 404, name


def test_questions_locked_page_offers_a_new_version(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"])
    add_response(survey, {survey.questions.get(): 3})
    sign_in(client, world.users["officer"])
    body = client.get(reverse("survey-detail", kwargs={"pk": survey.pk})).content.decode()
    assert "Make a new version" in body
    assert "Add a question" not in body


def test_qr_code_is_an_svg_of_the_public_link_without_inline_styles(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"])
    sign_in(client, world.users["officer"])
    response = client.get(reverse("survey-qr", kwargs={"pk": survey.pk}))
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg")
    assert "style" not in svg


def _list_queries(client: Client, world: World, count: int, django_assert_num_queries: Any) -> None:
    for n in range(count):
        make_survey(
            world.users["officer"], title=f"Survey {n}", neighbourhood=NeighbourhoodFactory(organisation=world.force)
        )
    sign_in(client, world.users["officer"])
    # Session, user (with its organisation), OTP device; the surveys (one query with relations and
    # the response count); the surveys waiting for this user's answer.
    with django_assert_num_queries(5):
        assert client.get(reverse("survey-list")).status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_survey_list_query_count_does_not_grow_with_surveys(
    client: Client, world: World, count: int, django_assert_num_queries: Any
) -> None:
    _list_queries(client, world, count, django_assert_num_queries)


@pytest.mark.parametrize("count", [1, 5])
def test_builder_page_query_count_does_not_grow_with_questions(
    client: Client, world: World, count: int, django_assert_num_queries: Any
) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer, publish=False)
    for n in range(count - 1):
        question_add(
            actor=officer,
            survey=survey,
            kind=QuestionKind.SINGLE,
            text=f"Q{n}",
            options=[OptionInput("A"), OptionInput("B")],
        )
    assert Question.objects.filter(survey=survey).count() == count
    sign_in(client, officer)
    # Session, user, OTP device; the survey with its relations; whether it has responses; the
    # questions; their options (with groups).
    with django_assert_num_queries(7):
        assert client.get(reverse("survey-detail", kwargs={"pk": survey.pk})).status_code == 200


def test_audience_cannot_change_once_published(world: World) -> None:
    survey = make_survey(world.users["officer"])
    with pytest.raises(ValidationError) as caught:
        survey_update(actor=world.users["officer"], survey=survey, audience=Audience.PARTNER)
    assert caught.value.message_dict == {"audience": [AUDIENCE_FIXED]}
    survey.refresh_from_db()
    assert survey.audience == Audience.PUBLIC


def test_supervisor_cannot_change_a_partner_survey_they_can_read(world: World) -> None:
    # The council's partnership works the force's neighbourhood, so its lead may survey it.
    survey = make_survey(world.users["partner_lead"], neighbourhood=neighbourhood_for(world))
    with pytest.raises(PermissionDenied):
        survey_update(actor=world.users["supervisor"], survey=survey, title="Taken over")


def test_edit_page_saves_the_details(client: Client, world: World) -> None:
    survey = make_survey(world.users["officer"], publish=False)
    sign_in(client, world.users["analyst"])
    data = _form(template="", title="Renamed survey")
    response = client.post(reverse("survey-edit", kwargs={"pk": survey.pk}), data)
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.title == "Renamed survey"
    assert AuditEvent.objects.filter(verb="evaluation.survey.updated", target_id=str(survey.pk)).exists()


def test_closed_survey_is_not_in_the_public_form_but_can_be_copied(client: Client, world: World) -> None:
    officer = world.users["officer"]
    survey = make_survey(officer)
    sign_in(client, officer)
    client.post(reverse("survey-close", kwargs={"pk": survey.pk}))
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    client.post(reverse("survey-copy", kwargs={"pk": survey.pk}))
    copy = Survey.objects.exclude(pk=survey.pk).get()
    assert copy.status == SurveyStatus.DRAFT
    assert copy.questions.count() == 1
