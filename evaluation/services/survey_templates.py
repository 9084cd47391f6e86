"""The survey templates shipped with the product, defined here in code rather than as rows.

Why code: a template is product content that changes with releases, not data an organisation edits.
Defined in code it needs no data migration or install command, cannot be lost when a test flushes
the database, and is reviewed like any other change. Building from a template
(`survey_create_from_template` in evaluation.services.surveys) copies a template's questions into a
new draft survey that its builder may then change; each question keeps its `item_key`, so rounds of
the same template are compared item by item (trust and confidence trends).

Demographic options name a seldom-heard group (partnerships.SeldomHeardGroup, by name); choosing
one counts as reaching that group in the survey's neighbourhood (engagement coverage)."""

from __future__ import annotations

from dataclasses import dataclass, field

from evaluation.models.surveys import Audience, QuestionKind

TRUST_CONFIDENCE = "trust_confidence"
PARTNERSHIP_HEALTH = "partnership_health"
RESIDENT_FEEDBACK = "resident_feedback"

DEMOGRAPHIC_CONSENT = (
    "The next questions are about you. They are optional: skip any you prefer not to answer. "
    "We use the answers only to check that we hear from every part of the community, counted in "
    "groups and never to identify you. By answering them you consent to that use. We do not ask "
    "for your name or contact details."
)


@dataclass(frozen=True)
class OptionSpec:
    label: str
    group: str = ""  # a SeldomHeardGroup name


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    kind: str
    text: str
    required: bool = False
    help_text: str = ""
    demographic: bool = False
    options: tuple[OptionSpec, ...] = ()
    min_value: int | None = None
    max_value: int | None = None


@dataclass(frozen=True)
class TemplateSpec:
    key: str
    title: str
    description: str
    audience: str
    introduction: str
    questions: tuple[QuestionSpec, ...] = field(default_factory=tuple)
    consent_text: str = ""


def _agree(key: str, text: str) -> QuestionSpec:
    return QuestionSpec(key=key, kind=QuestionKind.AGREEMENT, text=text, required=True)


def _rate(key: str, text: str) -> QuestionSpec:
    return QuestionSpec(
        key=key, kind=QuestionKind.RATING, text=text, required=True, help_text="1 is very poor, 10 is excellent."
    )


TEMPLATES: dict[str, TemplateSpec] = {
    TRUST_CONFIDENCE: TemplateSpec(
        key=TRUST_CONFIDENCE,
        title="Trust and confidence in your local police",
        description="Six procedural-justice items (CSEW style) with optional demographic questions.",
        audience=Audience.PUBLIC,
        introduction=(
            "Tell us what you think of policing where you live. It takes about two minutes and "
            "you do not need to give your name."
        ),
        consent_text=DEMOGRAPHIC_CONSENT,
        questions=(
            _agree("good_job", "The police in this area do a good job."),
            _agree("fair_respect", "The police in this area treat people fairly and with respect."),
            _agree("listen_concerns", "The police in this area listen to the concerns of local people."),
            _agree("deal_matters", "The police in this area deal with the things that matter to this community."),
            _agree("relied_on", "The police in this area can be relied on to be there when you need them."),
            _agree("know_contact", "I would know how to contact my local neighbourhood team."),
            QuestionSpec(
                key="age_band",
                kind=QuestionKind.SINGLE,
                text="How old are you?",
                demographic=True,
                options=(
                    OptionSpec("Under 18", "Young people"),
                    OptionSpec("18 to 24", "Young people"),
                    OptionSpec("25 to 64"),
                    OptionSpec("65 or over", "Older people"),
                    OptionSpec("Prefer not to say"),
                ),
            ),
            QuestionSpec(
                key="describes_you",
                kind=QuestionKind.MULTIPLE,
                text="Do any of these describe you?",
                help_text="Choose all that apply, or none.",
                demographic=True,
                options=(
                    OptionSpec("Disabled or with a long-term health condition", "Disabled people"),
                    OptionSpec("From a minority ethnic community", "Minority ethnic communities"),
                    OptionSpec("Part of a faith community", "Faith communities"),
                    OptionSpec("Lesbian, gay, bisexual, trans or queer", "LGBTQ+ people"),
                    OptionSpec("Gypsy, Roma or Traveller", "Gypsy, Roma and Traveller communities"),
                    OptionSpec("Without a settled home", "People experiencing homelessness"),
                    OptionSpec("A student", "Students"),
                    OptionSpec("A local business owner", "Business owners"),
                ),
            ),
        ),
    ),
    PARTNERSHIP_HEALTH: TemplateSpec(
        key=PARTNERSHIP_HEALTH,
        title="Partnership health check",
        description="Members rate six aspects of the partnership from 1 to 10, with a comment.",
        audience=Audience.PARTNER,
        introduction="Rate how well the partnership is working. Your answers are seen only as totals.",
        questions=(
            _rate("shared_goals", "We have shared goals that every member understands."),
            _rate("communication", "Communication between members is open and timely."),
            _rate("data_sharing", "Data is shared when it is needed, within our agreements."),
            _rate("trust", "Members trust one another."),
            _rate("decision_making", "Decisions are made jointly and followed through."),
            _rate("contribution", "Every member contributes its fair share."),
            QuestionSpec(
                key="comments", kind=QuestionKind.TEXT, text="What one thing would most improve the partnership?"
            ),
        ),
    ),
    RESIDENT_FEEDBACK: TemplateSpec(
        key=RESIDENT_FEEDBACK,
        title="Your views on our response to a local problem",
        description="Residents say whether the response to a problem made a difference.",
        audience=Audience.PUBLIC,
        introduction="We have been working with partners on a problem near you. Tell us whether it made a difference.",
        questions=(
            QuestionSpec(
                key="aware",
                kind=QuestionKind.YES_NO,
                text="Did you know about the work on this problem?",
                required=True,
            ),
            QuestionSpec(
                key="better",
                kind=QuestionKind.SINGLE,
                text="Since the work began, has the problem got better or worse?",
                required=True,
                options=(
                    OptionSpec("Much better"),
                    OptionSpec("A little better"),
                    OptionSpec("No change"),
                    OptionSpec("A little worse"),
                    OptionSpec("Much worse"),
                ),
            ),
            _agree("feel_safer", "I feel safer in the area than before."),
            _agree("listened", "The police and partners listened to residents about this problem."),
            QuestionSpec(key="comments", kind=QuestionKind.TEXT, text="Is there anything else you want to tell us?"),
        ),
    ),
}


def template_choices() -> list[tuple[str, str]]:
    return [(spec.key, spec.title) for spec in TEMPLATES.values()]
