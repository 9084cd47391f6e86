"""Demo data of the data protection pages: a resident, Edith Walsh, named in a problem update, an
engagement event and a survey answer (so that a subject-access search for her finds three kinds of
record), and an open breach found 50 hours ago, naming the council's share of the bus shelters
problem, with one action done and one to do (beat's quarter-hourly sweep then makes its 24-hour reminder).

Written through the services where there is one, so the audit trail is real. Idempotent: each
record is looked for first (by its text or summary)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from accounts.models import User
from dataprotection.models import Breach
from dataprotection.services.breaches import breach_action_add, breach_action_complete, breach_record
from engagement.models import EngagementEvent, EventKind
from engagement.services.events import event_create
from evaluation.models import Answer, Audience, QuestionKind, Survey, SurveyResponse
from evaluation.services.surveys import survey_create, survey_publish
from evaluation.services.surveys_questions import question_add
from partnerships.demo.neighbourhoods import demo_point
from partnerships.models import Neighbourhood
from problems.models import Problem, ProblemShare, ProblemUpdate
from problems.services.contributions import problem_update_add

PERSON = "Edith Walsh"
PROBLEM_TITLE = "Repeat criminal damage to Eastgate bus shelters"
UPDATE_TEXT = f"Spoke with {PERSON} (Mill Road), who saw two young people kick in the shelter glass on Friday night."
EVENT_ISSUES = f"{PERSON} asked for the Mill Road shelter lights to be fixed; parking on the verge near the school."
SURVEY_TITLE = "Eastgate bus shelters: what residents see"
ANSWER_TEXT = f"I'm {PERSON}, 14 Mill Road: the shelter has been smashed three times since the summer."
BREACH_SUMMARY = "Bus shelter case notes emailed to the wrong council team"
OFFICER = "officer@police.example"
SUPERVISOR = "supervisor@police.example"
DPO = "dpo@police.example"


def seed(*, stdout: Any) -> None:
    """Nothing before the other apps' records exist (seed_records)."""


def _update(officer: User, problem: Problem) -> None:
    if not ProblemUpdate.objects.filter(problem=problem, text=UPDATE_TEXT).exists():
        problem_update_add(actor=officer, problem=problem, text=UPDATE_TEXT)


def _event(officer: User) -> None:
    eastgate = Neighbourhood.objects.filter(organisation=officer.organisation, name="Eastgate").first()
    if eastgate is None or EngagementEvent.objects.filter(issues_raised=EVENT_ISSUES).exists():
        return
    event_create(
        actor=officer,
        neighbourhood=eastgate,
        kind=EventKind.STREET_BRIEFING,
        held_on=timezone.localdate() - datetime.timedelta(days=9),
        place="Mill Road bus stop",
        attendees=6,
        issues_raised=EVENT_ISSUES,
        latitude=demo_point("Eastgate", 7)[0],
        longitude=demo_point("Eastgate", 7)[1],
    )


def _survey(supervisor: User) -> None:
    if Survey.objects.filter(title=SURVEY_TITLE).exists():
        return
    today = timezone.localdate()
    eastgate = Neighbourhood.objects.filter(organisation=supervisor.organisation, name="Eastgate").first()
    survey = survey_create(
        actor=supervisor,
        title=SURVEY_TITLE,
        audience=Audience.PUBLIC,
        neighbourhood=eastgate,
        opens_on=today - datetime.timedelta(days=20),
        closes_on=today + datetime.timedelta(days=10),
    )
    rating = question_add(
        actor=supervisor, survey=survey, kind=QuestionKind.AGREEMENT, text="I feel safe waiting at the bus stop."
    )
    comments = question_add(actor=supervisor, survey=survey, kind=QuestionKind.TEXT, text="Anything else?")
    survey_publish(actor=supervisor, survey=survey)
    response = SurveyResponse.objects.create(
        survey=survey, submitted_at=timezone.now() - datetime.timedelta(days=4), neighbourhood=eastgate
    )
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=rating, value_int=2),
            Answer(response=response, question=comments, value_text=ANSWER_TEXT),
        ]
    )


def _breach(dpo: User, problem: Problem) -> None:
    if Breach.objects.filter(summary=BREACH_SUMMARY).exists():
        return
    share = ProblemShare.objects.filter(problem=problem, ended_at__isnull=True).select_related("agreement").first()
    breach = breach_record(
        actor=dpo,
        summary=BREACH_SUMMARY,
        description=(
            "A case update on the bus shelters problem, naming a witness, was sent to the council's "
            "whole housing distribution list instead of its community safety team."
        ),
        found_at=timezone.now() - datetime.timedelta(hours=50),
        occurred_at=timezone.now() - datetime.timedelta(hours=53),
        people_affected_count=1,
        people_affected_description="One witness, named with her street.",
        shares=[share] if share else [],
        agreements=[share.agreement] if share else [],
    )
    recalled = breach_action_add(
        actor=dpo, breach=breach, description="Ask the council to delete the email from every mailbox.", owner="DPO"
    )
    breach_action_complete(actor=dpo, action=recalled)
    breach_action_add(
        actor=dpo,
        breach=breach,
        description="Tell the witness what happened and what was done.",
        owner="Neighbourhood officer",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )


def seed_records(*, stdout: Any) -> None:
    people = {user.email: user for user in User.objects.filter(email__in=[OFFICER, SUPERVISOR, DPO])}
    problem = Problem.objects.filter(title=PROBLEM_TITLE).first()
    if len(people) < 3 or problem is None:
        return
    _update(people[OFFICER], problem)
    _event(people[OFFICER])
    _survey(people[SUPERVISOR])
    _breach(people[DPO], problem)
    stdout.write(f"Data protection demo: {PERSON} named in three kinds of record; an open breach.")
