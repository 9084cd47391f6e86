"""Access matrix entries for surveys. Joined into tests/access_matrix.py.

A police survey (owned by the force, built by the officer) is seen and changed by the force's
officers, supervisors and analysts; partners and the administrator get 404. A partner survey
(owned by the council, in a neighbourhood of the force that the council's partnership works) is
built by the council's lead, read by its member (403 on writes) and by the force's supervisor (403
on writes); other police users get 404.
The public form and its thank-you page are open to everyone, signed in or not."""

from __future__ import annotations

from typing import Any

from tests.access_matrix import PERSONAS, REDIRECT, ROLES, Entry, Outcome, public_page, signed_in_page

POLICE = ("officer", "supervisor", "analyst")
OUTSIDERS_404 = dict.fromkeys(("partner_member", "partner_lead", "unrelated_partner", "administrator"), 404)


def police_page(outcome: Outcome = 200) -> dict[str, Outcome]:
    return signed_in_page(**OUTSIDERS_404, **dict.fromkeys(POLICE, outcome))


def _police_survey(world: Any, **fields: Any) -> Any:
    from tests.evaluation.factories_surveys import make_survey

    return make_survey(world.users["officer"], **fields)


def _survey(world: Any) -> dict[str, Any]:
    return {"pk": _police_survey(world).pk}


def _draft(world: Any) -> dict[str, Any]:
    return {"pk": _police_survey(world, publish=False).pk}


def _draft_question(world: Any) -> dict[str, Any]:
    survey = _police_survey(world, publish=False)
    return {"pk": survey.pk, "question_pk": survey.questions.get().pk}


def _partner_survey(world: Any) -> Any:
    from evaluation.models import Audience
    from tests.engagement.factories import neighbourhood_for
    from tests.evaluation.factories_surveys import make_survey

    # A neighbourhood worked by a partnership the council is in: one its lead may survey.
    return make_survey(world.users["partner_lead"], audience=Audience.PARTNER, neighbourhood=neighbourhood_for(world))


def _linked_priority(world: Any) -> dict[str, Any]:
    from django.utils import timezone

    from engagement.models import ChosenBy
    from evaluation.services.survey_priorities import survey_priority_link
    from tests.engagement.factories import make_priority, neighbourhood_for

    officer, eastgate = world.users["officer"], neighbourhood_for(world)
    survey = _police_survey(world, neighbourhood=eastgate)
    chosen = make_priority(eastgate, by=officer, chosen_by=ChosenBy.SURVEY, issue_date=timezone.localdate())
    priority = survey_priority_link(actor=officer, survey=survey, priority=chosen)
    return {"pk": survey.pk, "priority_pk": priority.pk}


def _public(world: Any) -> dict[str, Any]:
    return {"token": _police_survey(world).public_token}


# The partner survey: its owner's lead builds; its member and the force's supervisor read (403 on
# writes); the officer and analyst of the force see nothing (not theirs, not supervisors).
PARTNER_READ = signed_in_page(
    **{**dict.fromkeys(ROLES, 404), "partner_member": 200, "partner_lead": 200, "supervisor": 200}
)
PARTNER_WRITE = signed_in_page(
    **{**dict.fromkeys(ROLES, 404), "partner_member": 403, "partner_lead": 200, "supervisor": 403}
)
# Priorities are linked to a survey by its builders who also set priorities: police officers and
# supervisors (an analyst builds surveys but sets no priorities: 403); on a partner survey nobody
# may (its lead builds it but sets no police priorities). An empty form is shown again with its
# errors (200).
LINK_PRIORITY = {**police_page(), "analyst": 403}
UNLINK_PRIORITY = {**police_page(REDIRECT), "analyst": 403}
PARTNER_LINK_PRIORITY = {**PARTNER_WRITE, "partner_lead": 403}

ENTRIES: list[Entry] = [
    Entry("survey-list", signed_in_page()),
    Entry("survey-trends", signed_in_page()),
    Entry(
        "survey-create",
        signed_in_page(**{**dict.fromkeys(ROLES, 200), "partner_member": 403, "administrator": 403}),
    ),
    Entry("survey-detail", police_page(), kwargs=_survey),
    Entry("survey-detail", PARTNER_READ, kwargs=lambda world: {"pk": _partner_survey(world).pk}),
    Entry("survey-edit", police_page(), kwargs=_survey),
    Entry("survey-edit", PARTNER_WRITE, kwargs=lambda world: {"pk": _partner_survey(world).pk}),
    Entry("survey-publish", police_page(REDIRECT), kwargs=_draft, method="post"),
    Entry("survey-close", police_page(REDIRECT), kwargs=_survey, method="post"),
    Entry("survey-copy", police_page(REDIRECT), kwargs=_survey, method="post"),
    Entry("survey-new-version", police_page(REDIRECT), kwargs=_survey, method="post"),
    Entry("survey-qr", police_page(), kwargs=_survey),
    Entry("survey-question-add", police_page(), kwargs=_draft),
    Entry("survey-question-edit", police_page(), kwargs=_draft_question),
    Entry("survey-question-delete", police_page(REDIRECT), kwargs=_draft_question, method="post"),
    Entry(
        "survey-question-move",
        police_page(REDIRECT),
        kwargs=_draft_question,
        method="post",
        data={"direction": "up"},
    ),
    Entry("survey-results", police_page(), kwargs=_survey),
    Entry("survey-results", PARTNER_READ, kwargs=lambda world: {"pk": _partner_survey(world).pk}),
    Entry("survey-export", police_page(), kwargs=_survey),
    Entry("survey-priority-link", LINK_PRIORITY, kwargs=_survey, method="post"),
    Entry(
        "survey-priority-link",
        PARTNER_LINK_PRIORITY,
        kwargs=lambda world: {"pk": _partner_survey(world).pk},
        method="post",
    ),
    Entry("survey-priority-unlink", UNLINK_PRIORITY, kwargs=_linked_priority, method="post"),
    # A partner survey is answered by its owner's users (and members of its partnership) only.
    Entry(
        "survey-answer",
        signed_in_page(**{**dict.fromkeys(ROLES, 404), "partner_member": 200, "partner_lead": 200}),
        kwargs=lambda world: {"pk": _partner_survey(world).pk},
    ),
    Entry("survey-public", public_page(), kwargs=_public),
    Entry("survey-public-thanks", public_page(), kwargs=_public),
]

assert all(set(entry.expect) == set(PERSONAS) for entry in ENTRIES)
