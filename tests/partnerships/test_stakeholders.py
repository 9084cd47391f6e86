"""Stakeholder maps: the power/interest grid placed right, the gaps panel finding who is left out,
the entry rules, and the pages that add, edit and remove entries."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from partnerships.models import EngagementStatus, SeldomHeardGroup, StakeholderEntry, StakeholderKind
from partnerships.selectors.stakeholders import (
    GRID_HEIGHT,
    stakeholder_gaps,
    stakeholder_grid,
    stakeholder_map_for,
    stakeholder_quadrant,
)
from partnerships.services.stakeholders import (
    STAKEHOLDER_NAME_REQUIRED,
    STAKEHOLDER_ORGANISATION_ALREADY_MAPPED,
    STAKEHOLDER_ORGANISATION_REQUIRED,
    STAKEHOLDER_SCORE_OUT_OF_RANGE,
    stakeholder_add,
    stakeholder_update,
)
from tests.conftest import World, sign_in
from tests.partnerships.factories_partnerships import make_partnership, make_stakeholder

pytestmark = pytest.mark.django_db


def _client(world: World, persona: str) -> Client:
    return sign_in(Client(), world.users[persona])


def _entry(influence: int, interest: int, **fields: object) -> StakeholderEntry:
    """An unsaved entry: the grid and the gaps are pure functions of the entries."""
    fields.setdefault("kind", StakeholderKind.COMMUNITY_GROUP)
    fields.setdefault("name", f"Group {influence}-{interest}")
    return StakeholderEntry(influence=influence, interest=interest, **fields)  # type: ignore[misc]


# Grid placement ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("influence", "interest", "quadrant"),
    [
        (5, 5, "manage_closely"),
        (4, 4, "manage_closely"),
        (4, 3, "keep_satisfied"),
        (5, 1, "keep_satisfied"),
        (3, 4, "keep_informed"),
        (1, 5, "keep_informed"),
        (3, 3, "monitor"),
        (1, 1, "monitor"),
    ],
)
def test_each_score_pair_falls_in_its_quadrant(influence: int, interest: int, quadrant: str) -> None:
    assert stakeholder_quadrant(influence=influence, interest=interest) == quadrant
    grid = stakeholder_grid([_entry(influence, interest)])
    (dot,) = grid.dots
    box = next(q for q in grid.quadrants if q.key == quadrant)
    # The dot is drawn inside its quadrant's rectangle.
    assert box.x < dot.x < box.x + box.width
    assert box.y < dot.y < box.y + box.height


def test_more_influence_is_higher_and_more_interest_further_right() -> None:
    dots = stakeholder_grid([_entry(1, 1), _entry(2, 2), _entry(3, 3), _entry(4, 4), _entry(5, 5)]).dots
    xs, ys = [d.x for d in dots], [d.y for d in dots]
    assert xs == sorted(xs)
    assert len(set(xs)) == 5
    assert ys == sorted(ys, reverse=True)
    assert len(set(ys)) == 5
    assert all(0 < y < GRID_HEIGHT for y in ys)


def test_stakeholders_with_the_same_scores_do_not_hide_each_other() -> None:
    dots = stakeholder_grid([_entry(4, 5, name=f"Same {n}") for n in range(4)]).dots
    assert len({(d.x, d.y) for d in dots}) == 4
    assert len({d.quadrant for d in dots}) == 1


def test_dots_are_numbered_as_listed_and_seldom_heard_ones_are_diamonds() -> None:
    group = SeldomHeardGroup.objects.get(name="Young people")
    grid = stakeholder_grid(
        [_entry(2, 5, name="Youth Forum", seldom_heard_group=group), _entry(5, 5, name="A very long council name")]
    )
    assert [d.number for d in grid.dots] == [1, 2]
    assert [d.seldom_heard for d in grid.dots] == [True, False]
    assert grid.dots[0].label == "1. Youth Forum"
    assert grid.dots[1].label == "2. A very long…"  # shortened in the picture, in full in the table
    assert grid.seldom_heard_count == 1


# Gaps --------------------------------------------------------------------------------------------


def test_gaps_list_high_influence_stakeholders_not_yet_engaged() -> None:
    five_not_engaged = _entry(5, 1, name="Five, not engaged")
    four_not_engaged = _entry(4, 4, name="Four, not engaged")
    three_not_engaged = _entry(3, 5, name="Three, not engaged")
    five_informed = _entry(5, 5, name="Five, informed", engagement_status=EngagementStatus.INFORMED)
    gaps = stakeholder_gaps([five_not_engaged, four_not_engaged, three_not_engaged, five_informed], [])
    assert gaps.high_influence_not_engaged == [five_not_engaged, four_not_engaged]
    assert gaps.any


def test_gaps_list_the_seldom_heard_groups_missing_from_the_map() -> None:
    groups = list(SeldomHeardGroup.objects.filter(name__in=["Young people", "Older people", "Students"]))
    young = next(g for g in groups if g.name == "Young people")
    gaps = stakeholder_gaps([_entry(2, 5, seldom_heard_group=young, engagement_status="consulted")], groups)
    assert [g.name for g in gaps.seldom_heard_missing] == ["Older people", "Students"]
    assert gaps.high_influence_not_engaged == []
    assert not stakeholder_gaps([], []).any


def test_map_counts_only_active_seldom_heard_groups(world: World) -> None:
    SeldomHeardGroup.objects.exclude(name__in=["Young people", "Students"]).update(active=False)
    partnership = make_partnership()
    make_stakeholder(partnership, seldom_heard_group=SeldomHeardGroup.objects.get(name="Students"))
    assert [g.name for g in stakeholder_map_for(partnership=partnership).gaps.seldom_heard_missing] == ["Young people"]


# Entry rules -------------------------------------------------------------------------------------


def test_entry_rules_are_each_explained(world: World) -> None:
    partnership = make_partnership()
    cases = [
        (
            {"kind": StakeholderKind.ORGANISATION, "influence": 3, "interest": 3},
            "organisation",
            STAKEHOLDER_ORGANISATION_REQUIRED,
        ),
        (
            {"kind": StakeholderKind.COMMUNITY_GROUP, "name": "  ", "influence": 3, "interest": 3},
            "name",
            STAKEHOLDER_NAME_REQUIRED,
        ),
        ({"kind": StakeholderKind.NAMED_ROLE, "influence": 3, "interest": 3}, "name", STAKEHOLDER_NAME_REQUIRED),
        (
            {"kind": StakeholderKind.NAMED_ROLE, "name": "Head", "influence": 0, "interest": 3},
            "influence",
            STAKEHOLDER_SCORE_OUT_OF_RANGE,
        ),
        (
            {"kind": StakeholderKind.NAMED_ROLE, "name": "Head", "influence": 3, "interest": 6},
            "interest",
            STAKEHOLDER_SCORE_OUT_OF_RANGE,
        ),
    ]
    for fields, field, message in cases:
        with pytest.raises(ValidationError) as error:
            stakeholder_add(actor=None, partnership=partnership, **fields)  # type: ignore[arg-type]
        assert error.value.message_dict[field] == [message]
    assert not StakeholderEntry.objects.exists()


def test_an_organisation_is_on_a_map_once(world: World) -> None:
    partnership = make_partnership()
    make_stakeholder(partnership, kind=StakeholderKind.ORGANISATION, organisation=world.partner)
    with pytest.raises(ValidationError) as error:
        make_stakeholder(partnership, kind=StakeholderKind.ORGANISATION, organisation=world.partner)
    assert error.value.message_dict["organisation"] == [STAKEHOLDER_ORGANISATION_ALREADY_MAPPED]
    # The same organisation may be on another partnership's map.
    make_stakeholder(make_partnership(), kind=StakeholderKind.ORGANISATION, organisation=world.partner)


def test_changes_and_removals_are_audited(world: World) -> None:
    partnership = make_partnership()
    entry = make_stakeholder(partnership, name="Youth Forum", influence=2)
    stakeholder_update(actor=world.users["officer"], entry=entry, influence=4)
    event = AuditEvent.objects.get(verb="partnerships.stakeholder.updated")
    assert event.detail == {"influence": {"before": 2, "after": 4}}
    response = _client(world, "officer").post(reverse("stakeholder-delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not StakeholderEntry.objects.exists()
    removed = AuditEvent.objects.get(verb="partnerships.stakeholder.removed")
    assert (removed.actor, removed.detail["name"], removed.detail["partnership"]) == (
        world.users["officer"],
        "Youth Forum",
        partnership.pk,
    )


# Pages -------------------------------------------------------------------------------------------


def test_partnership_page_draws_the_grid_with_a_table_and_gaps(world: World) -> None:
    partnership = make_partnership(members=[world.partner])
    young = SeldomHeardGroup.objects.get(name="Young people")
    make_stakeholder(partnership, name="Youth Forum", influence=2, interest=5, seldom_heard_group=young)
    make_stakeholder(partnership, kind=StakeholderKind.ORGANISATION, organisation=world.partner, influence=5)
    response = _client(world, "partner_member").get(reverse("partnership-detail", args=[partnership.pk]))
    text = response.text
    svg = re.search(r"<svg class=\"stakeholder-grid\".*?</svg>", text, re.S)
    assert svg is not None
    picture = svg.group(0)
    assert 'role="img"' in picture
    assert "<title" in picture
    assert "<desc" in picture
    assert picture.count('data-shape="diamond"') == 1
    assert picture.count('data-shape="circle"') == 1
    assert 'data-quadrant="keep_informed"' in picture
    assert 'data-quadrant="keep_satisfied"' in picture
    assert "2. Youth Forum" in picture  # numbered in map order: most influential first
    # The same data as a table, and the gaps panel.
    assert "Stakeholders on the map (the same data as the grid)" in text
    assert "Seldom heard: Young people" in text
    gaps = re.search(r"data-gaps.*?</section>", text, re.S).group(0)  # type: ignore[union-attr]
    assert f"{world.partner.name} (influence 5)" in gaps
    assert "Older people" in gaps
    assert "Young people" not in gaps
    # The Content Security Policy forbids inline styles and scripts.
    assert "style=" not in text
    assert "<script>" not in text


def test_partnership_page_keeps_the_same_query_count_with_1_and_with_5_stakeholders(
    world: World,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    partnership = make_partnership(members=[world.force, world.partner])
    young = SeldomHeardGroup.objects.get(name="Young people")
    client = _client(world, "officer")
    url = reverse("partnership-detail", args=[partnership.pk])

    def count_queries(rows: int) -> None:
        while partnership.stakeholders.count() < rows:
            make_stakeholder(partnership, seldom_heard_group=young)
            make_stakeholder(make_partnership(), name="On another map")
        # 1 the session, 2 the user with their organisation, 3 the OTP device, 4 the partnership,
        # 5 its memberships with each organisation, 6 the stakeholders with organisation and group,
        # 7 the active seldom-heard groups; the panels of later apps (partnerships.panels): 8 whether
        # the user sees the partnership's tasking meetings, 9 its latest meetings (none here: no
        # attendance prefetch), 10 the organisations that ever attended, 11 its current members,
        # 12 its health-check rounds (none here: no means asked).
        client.get(url)  # the session's last-seen time is written once
        with django_assert_num_queries(12):
            response = client.get(url)
        assert len(response.context["map"].entries) == rows

    count_queries(1)
    count_queries(5)


def test_officer_adds_a_stakeholder(world: World) -> None:
    partnership = make_partnership()
    response = _client(world, "officer").post(
        reverse("stakeholder-create", args=[partnership.pk]),
        {
            "kind": StakeholderKind.COMMUNITY_GROUP,
            "name": "Traveller Liaison Group",
            "influence": "2",
            "interest": "4",
            "engagement_status": EngagementStatus.INFORMED,
            "seldom_heard_group": SeldomHeardGroup.objects.get(name="Gypsy, Roma and Traveller communities").pk,
            "pat_controller": "guardian",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("partnership-detail", args=[partnership.pk])
    entry = StakeholderEntry.objects.get(partnership=partnership)
    assert (entry.name, entry.influence, entry.interest, entry.pat_controller) == (
        "Traveller Liaison Group",
        2,
        4,
        "guardian",
    )
    assert AuditEvent.objects.filter(verb="partnerships.stakeholder.added", actor=world.users["officer"]).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "community_group", "name": "", "influence": "3", "interest": "3"}, STAKEHOLDER_NAME_REQUIRED),
        (
            {"kind": "organisation", "name": "Typed name", "influence": "3", "interest": "3"},
            STAKEHOLDER_ORGANISATION_REQUIRED,
        ),
        (
            {"kind": "named_role", "name": "Typed name", "influence": "9", "interest": "3"},
            STAKEHOLDER_SCORE_OUT_OF_RANGE,
        ),
        (
            {"kind": "named_role", "name": "Typed name", "influence": "high", "interest": ""},
            STAKEHOLDER_SCORE_OUT_OF_RANGE,
        ),
        (
            {"kind": "wizard", "name": "Typed name", "influence": "3", "interest": "3", "organisation": "x"},
            "Select a valid choice",
        ),
    ],
)
def test_invalid_stakeholder_keeps_what_was_typed_and_adds_nothing(
    world: World, data: dict[str, str], message: str
) -> None:
    partnership = make_partnership()
    data = {"engagement_status": "not_engaged", **data}
    response = _client(world, "supervisor").post(reverse("stakeholder-create", args=[partnership.pk]), data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    if data["name"]:
        assert f'value="{data["name"]}"' in response.text
    assert not StakeholderEntry.objects.exists()


def test_stakeholder_pages_are_for_officers_supervisors_and_administrators(world: World) -> None:
    partnership = make_partnership(members=[world.partner])
    entry = make_stakeholder(partnership, name="Kept")
    data = {
        "kind": "community_group",
        "name": "Changed",
        "influence": "3",
        "interest": "3",
        "engagement_status": "not_engaged",
    }
    for persona in ("analyst", "partner_member", "partner_lead"):
        client = _client(world, persona)
        assert client.post(reverse("stakeholder-create", args=[partnership.pk]), data).status_code == 403
        assert client.post(reverse("stakeholder-edit", args=[entry.pk]), data).status_code == 403
        assert client.post(reverse("stakeholder-delete", args=[entry.pk])).status_code == 403
    outsider = _client(world, "unrelated_partner")
    assert outsider.post(reverse("stakeholder-edit", args=[entry.pk]), data).status_code == 404
    assert outsider.post(reverse("stakeholder-delete", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.name == "Kept"
    assert StakeholderEntry.objects.count() == 1


def test_supervisor_edits_a_stakeholder_from_its_saved_values(world: World) -> None:
    partnership = make_partnership()
    entry = make_stakeholder(partnership, name="Youth Forum", influence=2, interest=5)
    client = _client(world, "supervisor")
    url = reverse("stakeholder-edit", args=[entry.pk])
    form = client.get(url).text
    assert 'value="Youth Forum"' in form
    assert 'value="2"' in form
    response = client.post(
        url,
        {
            "kind": "community_group",
            "name": "Youth Forum",
            "influence": "4",
            "interest": "5",
            "engagement_status": "involved",
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.influence, entry.engagement_status) == (4, "involved")


def test_remove_asks_first_then_removes(world: World) -> None:
    entry = make_stakeholder(make_partnership(), name="Lunch club")
    client = _client(world, "administrator")
    response = client.get(reverse("stakeholder-delete", args=[entry.pk]))
    assert response.status_code == 200
    assert "Remove Lunch club from the map?" in response.text
    assert StakeholderEntry.objects.filter(pk=entry.pk).exists()
    assert client.post(reverse("stakeholder-delete", args=[entry.pk])).status_code == 302
    assert not StakeholderEntry.objects.filter(pk=entry.pk).exists()
    assert client.post(reverse("stakeholder-delete", args=[entry.pk])).status_code == 404
