"""The problems app's data: SARA/OSARA problem records, one module per concept."""

from __future__ import annotations

from problems.models.decisions import DecisionConfirmation, DecisionLogEntry
from problems.models.disclosure import DEFAULT_CATEGORY_CODES, DisclosurePart
from problems.models.following import ProblemFollower
from problems.models.leads import Handover, HandoverKind, ProblemTeamMember
from problems.models.meetings import AgendaItem, AgendaItemKind, MeetingDecision, TaskingMeeting
from problems.models.problems import (
    DemandSourceKind,
    Problem,
    ProblemCategory,
    ProblemDemandSource,
    ProblemSource,
    ReviewEntry,
    RiskLevel,
    Stage,
    StageInterval,
    StageTransition,
    TransitionKind,
)
from problems.models.referrals import Referral, ReferralStatus
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
from problems.models.stakeholders import ProblemStakeholder

__all__ = [
    "DEFAULT_CATEGORY_CODES",
    "OPEN_ACTION_STATUSES",
    "ActionStatus",
    "AgendaItem",
    "AgendaItemKind",
    "Controller",
    "DecisionConfirmation",
    "DecisionLogEntry",
    "DemandSourceKind",
    "DisclosurePart",
    "Handover",
    "HandoverKind",
    "Hypothesis",
    "HypothesisStatus",
    "InterventionKind",
    "MeetingDecision",
    "Objective",
    "ObjectiveRevision",
    "Problem",
    "ProblemAttachment",
    "ProblemCategory",
    "ProblemDemandSource",
    "ProblemDisposal",
    "ProblemFollower",
    "ProblemGroupObjectPermission",
    "ProblemShare",
    "ProblemSource",
    "ProblemStakeholder",
    "ProblemTeamMember",
    "ProblemUpdate",
    "ProblemUserObjectPermission",
    "Referral",
    "ReferralStatus",
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
    "TaskingMeeting",
    "TransitionKind",
]
