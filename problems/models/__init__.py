"""The problems app's data: SARA/OSARA problem records, one module per concept."""

from __future__ import annotations

from problems.models.decisions import DecisionConfirmation, DecisionLogEntry
from problems.models.disclosure import DEFAULT_CATEGORY_CODES, DisclosurePart
from problems.models.following import ProblemFollower
from problems.models.leads import Handover, HandoverKind, ProblemTeamMember
from problems.models.problems import (
    Problem,
    ProblemCategory,
    ProblemSource,
    ReviewEntry,
    RiskLevel,
    Stage,
    StageInterval,
    StageTransition,
    TransitionKind,
)
from problems.models.retention import ProblemDisposal, RetentionOutcome, RetentionReview
from problems.models.sara import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Controller,
    Hypothesis,
    HypothesisStatus,
    InterventionKind,
    Objective,
    ObjectiveRevision,
    ResponseAction,
)
from problems.models.sharing import (
    ProblemAttachment,
    ProblemGroupObjectPermission,
    ProblemShare,
    ProblemUpdate,
    ProblemUserObjectPermission,
    ShareAccess,
    ShareEnd,
)

__all__ = [
    "DEFAULT_CATEGORY_CODES",
    "OPEN_ACTION_STATUSES",
    "ActionStatus",
    "Controller",
    "DecisionConfirmation",
    "DecisionLogEntry",
    "DisclosurePart",
    "Handover",
    "HandoverKind",
    "Hypothesis",
    "HypothesisStatus",
    "InterventionKind",
    "Objective",
    "ObjectiveRevision",
    "Problem",
    "ProblemAttachment",
    "ProblemCategory",
    "ProblemDisposal",
    "ProblemFollower",
    "ProblemGroupObjectPermission",
    "ProblemShare",
    "ProblemSource",
    "ProblemTeamMember",
    "ProblemUpdate",
    "ProblemUserObjectPermission",
    "ResponseAction",
    "RetentionOutcome",
    "RetentionReview",
    "ReviewEntry",
    "RiskLevel",
    "ShareAccess",
    "ShareEnd",
    "Stage",
    "StageInterval",
    "StageTransition",
    "TransitionKind",
]
