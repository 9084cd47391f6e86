"""The evaluation app's data, one module per concept: surveys (questions, responses), crime
(imported street-level crime), assessment (before/after settings, EMMIE, costs and unit costs),
reports (generated impact reports). Each concept adds its imports here."""

from __future__ import annotations

from evaluation.models.assessment import (
    EMMIE_PARTS,
    CrimeUnitCost,
    EmmieAssessment,
    EmmieRating,
    EvaluationDesign,
    MarylandLevel,
)
from evaluation.models.crime import (
    POLICE_CRIME_TYPES,
    POLICE_CSV_HEADER,
    CrimeImportRun,
    CrimeRecord,
    ImportState,
)
from evaluation.models.reports import AwardDraft, ReportFormat, ReportRun, ReportState
from evaluation.models.surveys import (
    Answer,
    Audience,
    Question,
    QuestionKind,
    QuestionOption,
    Survey,
    SurveyResponse,
    SurveyStatus,
    SurveySubmissionAttempt,
    SurveySubmissionMark,
)

__all__ = [
    "EMMIE_PARTS",
    "POLICE_CRIME_TYPES",
    "POLICE_CSV_HEADER",
    "Answer",
    "Audience",
    "AwardDraft",
    "CrimeImportRun",
    "CrimeRecord",
    "CrimeUnitCost",
    "EmmieAssessment",
    "EmmieRating",
    "EvaluationDesign",
    "ImportState",
    "MarylandLevel",
    "Question",
    "QuestionKind",
    "QuestionOption",
    "ReportFormat",
    "ReportRun",
    "ReportState",
    "Survey",
    "SurveyResponse",
    "SurveyStatus",
    "SurveySubmissionAttempt",
    "SurveySubmissionMark",
]
