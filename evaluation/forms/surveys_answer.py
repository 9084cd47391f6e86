"""The answer form of a survey, built from its questions: one field `q_<question id>` per question,
each parsed to the value the response service stores (an int for scales and yes/no, a Decimal, an
option or a list of options, or text). Options come from the prefetched questions, so building the
form costs no query per question."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from evaluation.models.surveys import AGREEMENT_LABELS, YES_NO_LABELS, Question, QuestionKind, QuestionOption
from evaluation.services.surveys_responses import ANSWER_REQUIRED

TEXT_MAX_LENGTH = 2000
NUMBER_INVALID = "Enter a number for: {text}"
NUMBER_TOO_SMALL = "Enter a number of at least {min} for: {text}"
NUMBER_TOO_LARGE = "Enter a number of no more than {max} for: {text}"
CHOICE_INVALID = "Choose one of the options for: {text}"


@dataclass(frozen=True)
class FormItem:
    field: forms.BoundField
    question: Question
    consent_before: bool


def _field(question: Question) -> forms.Field:
    common: dict[str, Any] = {
        "label": question.text,
        "help_text": question.help_text,
        "required": question.required,
    }
    messages = {
        "required": ANSWER_REQUIRED.format(text=question.text),
        "invalid_choice": CHOICE_INVALID.format(text=question.text),
    }
    kind = question.kind
    if kind == QuestionKind.AGREEMENT:
        choices = list(AGREEMENT_LABELS.items())
    elif kind == QuestionKind.RATING:
        choices = [(n, str(n)) for n in range(1, 11)]
    elif kind == QuestionKind.YES_NO:
        choices = list(YES_NO_LABELS.items())
    elif kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = [(option.pk, option.label) for option in question.options.all()]
    elif kind == QuestionKind.NUMBER:
        return forms.DecimalField(
            **common,
            max_digits=12,
            decimal_places=2,
            min_value=question.min_value,
            max_value=question.max_value,
            error_messages={
                **messages,
                "invalid": NUMBER_INVALID.format(text=question.text),
                "min_value": NUMBER_TOO_SMALL.format(min=question.min_value, text=question.text),
                "max_value": NUMBER_TOO_LARGE.format(max=question.max_value, text=question.text),
                "max_digits": NUMBER_INVALID.format(text=question.text),
                "max_decimal_places": NUMBER_INVALID.format(text=question.text),
            },
        )
    else:
        return forms.CharField(
            **common, max_length=TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}), error_messages=messages
        )
    if kind == QuestionKind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            **common, choices=choices, coerce=int, widget=forms.CheckboxSelectMultiple, error_messages=messages
        )
    return forms.TypedChoiceField(
        **common, choices=choices, coerce=int, empty_value=None, widget=forms.RadioSelect, error_messages=messages
    )


class SurveyAnswerForm(forms.Form):
    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self._options: dict[int, QuestionOption] = {}
        for question in questions:
            self.fields[f"q_{question.pk}"] = _field(question)
            self._options.update({option.pk: option for option in question.options.all()})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for question in self.questions:
            name = f"q_{question.pk}"
            if name not in cleaned:
                continue
            if question.kind == QuestionKind.SINGLE and cleaned[name] is not None:
                cleaned[name] = self._options[cleaned[name]]
            elif question.kind == QuestionKind.MULTIPLE:
                cleaned[name] = [self._options[pk] for pk in cleaned[name]]
        return cleaned

    def items(self) -> list[FormItem]:
        """Each field with its question; the consent text goes before the first demographic one."""
        result = []
        consent_shown = False
        for question in self.questions:
            consent_before = question.demographic and not consent_shown
            consent_shown = consent_shown or question.demographic
            result.append(FormItem(field=self[f"q_{question.pk}"], question=question, consent_before=consent_before))
        return result
