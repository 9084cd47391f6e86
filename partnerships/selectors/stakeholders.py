"""Reads of stakeholder maps: the power/interest grid's layout and the gaps panel.

The layout and the gaps are pure functions over the entries (no queries), so they are tested on
their own and the page costs a fixed number of queries however many stakeholders it maps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import PermissionDenied

from core.access import get_visible_or_404
from partnerships.models import EngagementStatus, Partnership, SeldomHeardGroup, StakeholderEntry
from partnerships.selectors.partnerships import can_manage_stakeholders, partnership_visible

if TYPE_CHECKING:
    from accounts.models import User

# On the 1-5 scales, 4 and 5 are "high". The gaps panel uses the same line, so a stakeholder drawn
# in a high-influence quadrant is exactly one the panel can list.
HIGH_SCORE = 4

QuadrantKey = Literal["manage_closely", "keep_satisfied", "keep_informed", "monitor"]

QUADRANT_TITLES: dict[QuadrantKey, str] = {
    "manage_closely": "Manage closely",
    "keep_satisfied": "Keep satisfied",
    "keep_informed": "Keep informed",
    "monitor": "Monitor",
}
QUADRANT_ADVICE: dict[QuadrantKey, str] = {
    "manage_closely": "High influence, high interest: involve them in decisions.",
    "keep_satisfied": "High influence, low interest: consult them and keep them content.",
    "keep_informed": "Low influence, high interest: keep them up to date and listen.",
    "monitor": "Low influence, low interest: check in from time to time.",
}


def stakeholder_quadrant(*, influence: int, interest: int) -> QuadrantKey:
    high_influence, high_interest = influence >= HIGH_SCORE, interest >= HIGH_SCORE
    if high_influence:
        return "manage_closely" if high_interest else "keep_satisfied"
    return "keep_informed" if high_interest else "monitor"


# Geometry of the picture, in SVG user units (the SVG scales to its container through app.css).
GRID_WIDTH = 680
GRID_HEIGHT = 500
PLOT_LEFT = 70
PLOT_TOP = 20
PLOT_WIDTH = 590
PLOT_HEIGHT = 410
DOT_RADIUS = 6
STACK_STEP = 18
LABEL_LENGTH = 12


def _fraction(score: int) -> float:
    """Where a 1-5 score sits along its axis (0 to 1). Each half of the axis is one side of the
    quadrant line, so 1-3 share the low half and 4-5 the high half, and the quadrants are equal."""
    score = min(max(score, 1), 5)
    if score < HIGH_SCORE:
        return (score - 1 + 0.5) / (HIGH_SCORE - 1) * 0.5
    return 0.5 + (score - HIGH_SCORE + 0.5) / (5 - HIGH_SCORE + 1) * 0.5


def _cells_in_half(score: int) -> int:
    return HIGH_SCORE - 1 if score < HIGH_SCORE else 5 - HIGH_SCORE + 1


def _cell_height(score: int) -> float:
    return PLOT_HEIGHT * 0.5 / _cells_in_half(score)


def _cell_width(score: int) -> float:
    return PLOT_WIDTH * 0.5 / _cells_in_half(score)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


@dataclass(frozen=True)
class GridQuadrant:
    key: QuadrantKey
    title: str
    advice: str
    x: float
    y: float
    width: float
    height: float

    @property
    def label_x(self) -> float:
        return self.x + 8

    @property
    def label_y(self) -> float:
        return self.y + 18


@dataclass(frozen=True)
class GridDot:
    number: int
    entry: StakeholderEntry
    quadrant: QuadrantKey
    x: float
    y: float
    label: str

    @property
    def seldom_heard(self) -> bool:
        return self.entry.is_seldom_heard

    @property
    def diamond_points(self) -> str:
        """A diamond for seldom-heard groups: shape, not colour alone, tells them apart."""
        r = DOT_RADIUS + 1.5
        return f"{self.x},{self.y - r} {self.x + r},{self.y} {self.x},{self.y + r} {self.x - r},{self.y}"

    @property
    def label_x(self) -> float:
        return round(self.x + DOT_RADIUS + 4, 1)

    @property
    def label_y(self) -> float:
        return round(self.y + 4, 1)

    @property
    def quadrant_title(self) -> str:
        return QUADRANT_TITLES[self.quadrant]


@dataclass(frozen=True)
class StakeholderGrid:
    quadrants: list[GridQuadrant]
    dots: list[GridDot]
    width: int = GRID_WIDTH
    height: int = GRID_HEIGHT
    plot_left: int = PLOT_LEFT
    plot_top: int = PLOT_TOP
    plot_width: int = PLOT_WIDTH
    plot_height: int = PLOT_HEIGHT

    @property
    def plot_right(self) -> int:
        return self.plot_left + self.plot_width

    @property
    def plot_bottom(self) -> int:
        return self.plot_top + self.plot_height

    @property
    def mid_x(self) -> float:
        return self.plot_left + self.plot_width / 2

    @property
    def mid_y(self) -> float:
        return self.plot_top + self.plot_height / 2

    @property
    def x_axis_label_y(self) -> int:
        return self.plot_bottom + 40

    @property
    def y_axis_label_x(self) -> int:
        return 24

    @property
    def ticks(self) -> list[dict[str, float | int]]:
        """Score marks along both axes: the value, its x (interest) and its y (influence)."""
        return [
            {
                "score": score,
                "x": round(self.plot_left + _fraction(score) * self.plot_width, 1),
                "y": round(self.plot_bottom - _fraction(score) * self.plot_height, 1),
            }
            for score in range(1, 6)
        ]

    @property
    def tick_label_y(self) -> int:
        return self.plot_bottom + 18

    @property
    def tick_label_x(self) -> int:
        return self.plot_left - 10

    @property
    def seldom_heard_count(self) -> int:
        return sum(1 for dot in self.dots if dot.seldom_heard)


def stakeholder_grid(entries: Sequence[StakeholderEntry]) -> StakeholderGrid:
    """Lay the entries out on a power/interest grid: influence up, interest across. Entries are
    numbered in the order given (the table beside the picture uses the same numbers); entries with the
    same scores are stacked in their cell so that no dot hides another."""
    half_w, half_h = PLOT_WIDTH / 2, PLOT_HEIGHT / 2
    quadrants = [
        GridQuadrant("keep_satisfied", "", "", PLOT_LEFT, PLOT_TOP, half_w, half_h),
        GridQuadrant("manage_closely", "", "", PLOT_LEFT + half_w, PLOT_TOP, half_w, half_h),
        GridQuadrant("monitor", "", "", PLOT_LEFT, PLOT_TOP + half_h, half_w, half_h),
        GridQuadrant("keep_informed", "", "", PLOT_LEFT + half_w, PLOT_TOP + half_h, half_w, half_h),
    ]
    quadrants = [
        GridQuadrant(q.key, QUADRANT_TITLES[q.key], QUADRANT_ADVICE[q.key], q.x, q.y, q.width, q.height)
        for q in quadrants
    ]
    cells: dict[tuple[int, int], list[tuple[int, StakeholderEntry]]] = defaultdict(list)
    for number, entry in enumerate(entries, start=1):
        cells[(entry.influence, entry.interest)].append((number, entry))
    dots: list[GridDot] = []
    for (influence, interest), members in cells.items():
        # The dot sits at the left of its cell, so that its label runs across the cell.
        dot_x = PLOT_LEFT + _fraction(interest) * PLOT_WIDTH - _cell_width(interest) / 2 + DOT_RADIUS + 4
        centre_y = PLOT_TOP + PLOT_HEIGHT - _fraction(influence) * PLOT_HEIGHT
        step = min(STACK_STEP, _cell_height(influence) / len(members))
        for index, (number, entry) in enumerate(members):
            offset = (index - (len(members) - 1) / 2) * step
            dots.append(
                GridDot(
                    number=number,
                    entry=entry,
                    quadrant=stakeholder_quadrant(influence=influence, interest=interest),
                    x=round(dot_x, 1),
                    y=round(centre_y + offset, 1),
                    label=f"{number}. {_short(entry.display_name)}",
                )
            )
    dots.sort(key=lambda dot: dot.number)
    return StakeholderGrid(quadrants=quadrants, dots=dots)


@dataclass(frozen=True)
class StakeholderGaps:
    high_influence_not_engaged: list[StakeholderEntry]
    seldom_heard_missing: list[SeldomHeardGroup]

    @property
    def any(self) -> bool:
        return bool(self.high_influence_not_engaged or self.seldom_heard_missing)


def stakeholder_gaps(
    entries: Iterable[StakeholderEntry], seldom_heard_groups: Iterable[SeldomHeardGroup]
) -> StakeholderGaps:
    """Who have we left out? High-influence (4-5) stakeholders not yet engaged, and the seldom-heard
    groups (pass the active ones) that no entry on the map stands for."""
    entries = list(entries)
    mapped_groups = {entry.seldom_heard_group_id for entry in entries if entry.seldom_heard_group_id}
    return StakeholderGaps(
        high_influence_not_engaged=[
            entry
            for entry in entries
            if entry.influence >= HIGH_SCORE and entry.engagement_status == EngagementStatus.NOT_ENGAGED
        ],
        seldom_heard_missing=[group for group in seldom_heard_groups if group.pk not in mapped_groups],
    )


@dataclass(frozen=True)
class StakeholderMap:
    entries: list[StakeholderEntry]
    grid: StakeholderGrid
    gaps: StakeholderGaps


def seldom_heard_groups_active() -> list[SeldomHeardGroup]:
    return list(SeldomHeardGroup.objects.filter(active=True))


def stakeholder_map_for(*, partnership: Partnership) -> StakeholderMap:
    """A partnership's map: entries, grid and gaps, in two queries."""
    entries = list(partnership.stakeholders.select_related("organisation", "seldom_heard_group"))
    return StakeholderMap(
        entries=entries,
        grid=stakeholder_grid(entries),
        gaps=stakeholder_gaps(entries, seldom_heard_groups_active()),
    )


def stakeholder_get_for_user(*, user: User, pk: object) -> StakeholderEntry:
    """An entry, for editing or removing it: Http404 unless its partnership is visible to `user`,
    PermissionDenied unless `user` may manage stakeholder maps."""
    visible = StakeholderEntry.objects.select_related("partnership", "organisation", "seldom_heard_group").filter(
        partnership__in=partnership_visible(user=user)
    )
    entry = get_visible_or_404(visible, pk=pk)
    if not can_manage_stakeholders(user):
        raise PermissionDenied
    return entry
