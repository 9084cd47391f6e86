"""The site search's selectors (search.selectors and each app's searchable selector): per persona,
what is found and what is not (DESIGN.md section 4), the disclosure rule for partners, the GIN
indexes in use on PostgreSQL, and the icontains fallback on SQLite (the embedded default)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.db import connection
from django.db.models import Model

from problems.models import Problem
from problems.selectors.search import problem_search_visible_to
from search.selectors import site_search
from tests.conftest import World
from tests.processes import run_python
from tests.search.factories import WORD, Found, quokka_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def found(world: World) -> Found:
    return quokka_world(world)


def _found_by(user) -> dict[str, set[int]]:  # type: ignore[no-untyped-def]
    results = site_search(user=user, query=WORD)
    return {kind.key: {row.pk for row in kind.rows} for kind in results.found}


def _pks(found: Found, *names: str) -> set[int]:
    return {found.problems[name].pk for name in names}


def test_officer_finds_their_forces_unrestricted_problems_and_every_kind(world: World, found: Found) -> None:
    results = _found_by(world.users["officer"])
    # The withheld text of a shared problem is the force's own: its officers read and find it.
    assert results["problems"] == _pks(found, "shared", "withheld", "disclosed", "unshared")
    assert results["organisations"] == {world.partner.pk}
    assert results["contacts"] == {found.records["contact"].pk}
    assert results["agreements"] == {found.records["agreement"].pk}
    assert results["events"] == {found.records["event"].pk}
    assert results["priorities"] == {found.records["priority"].pk}


def test_supervisor_also_finds_restricted_problems(world: World, found: Found) -> None:
    results = _found_by(world.users["supervisor"])
    assert results["problems"] == _pks(found, "shared", "withheld", "disclosed", "unshared", "restricted")


@pytest.mark.parametrize("persona", ["partner_member", "partner_lead"])
def test_partner_finds_only_shared_problems_and_only_by_disclosed_text(
    world: World, found: Found, persona: str
) -> None:
    results = _found_by(world.users[persona])
    # Not "withheld": its only match is in a description and triangle the share does not disclose.
    assert results["problems"] == _pks(found, "shared", "disclosed")
    assert results["organisations"] == {world.partner.pk}
    assert results["contacts"] == {found.records["contact"].pk}
    assert results["agreements"] == {found.records["agreement"].pk}
    assert results["events"] == {found.records["event"].pk}
    assert results["priorities"] == {found.records["priority"].pk}


def test_a_partner_finds_withheld_text_once_the_share_discloses_it(world: World, found: Found) -> None:
    from tests.partnerships.factories_agreements import category

    withheld = found.problems["withheld"]
    member = world.users["partner_member"]
    assert not problem_search_visible_to(user=member, query="keeper").exists()
    share = withheld.shares.get()
    share.agreement.data_categories.add(category("identity-contact"))
    share.data_categories.add(category("identity-contact"))
    assert list(problem_search_visible_to(user=member, query="keeper")) == [withheld]


def test_unrelated_partner_finds_none_of_the_forces_records(world: World, found: Found) -> None:
    assert _found_by(world.users["unrelated_partner"]) == {}


@pytest.mark.parametrize("persona", ["administrator", "dpo"])
def test_administrator_finds_no_case_text(world: World, found: Found, persona: str) -> None:
    results = _found_by(world.users[persona])
    # The partner registry, not problems or engagement records (DESIGN.md section 1).
    assert set(results) == {"organisations", "contacts", "agreements"}


def test_another_forces_officer_finds_nothing_operational_of_this_force(world: World, found: Found) -> None:
    results = _found_by(found.records["other_officer"])
    assert results["problems"] == _pks(found, "other_force")
    assert "events" not in results
    assert "priorities" not in results


def test_results_are_ranked_title_before_description(world: World, found: Found) -> None:
    # "disclosed" holds the word in its description (B), "shared" in its title (A).
    ranked = [row.pk for row in problem_search_visible_to(user=world.users["officer"], query=WORD)]
    assert ranked.index(found.problems["shared"].pk) < ranked.index(found.problems["disclosed"].pk)


def test_each_kind_is_capped_and_counts_what_more_matched(world: World, found: Found) -> None:
    results = site_search(user=world.users["supervisor"], query=WORD, per_kind=2)
    problems = next(kind for kind in results.kinds if kind.key == "problems")
    assert (len(problems.rows), problems.total, problems.more) == (2, 5, 3)


@pytest.mark.parametrize("query", ["&", "!!!", "the and of", '"unclosed', "a | b", "x:*", "\\", "'; drop"])
def test_any_text_is_a_query_never_a_syntax_error(world: World, found: Found, query: str) -> None:
    results = site_search(user=world.users["supervisor"], query=query)
    assert results.total >= 0


# --- PostgreSQL: the GIN indexes -------------------------------------------------------------

BULK_ROWS = 3000


def _plan(queryset, *, no_seqscan: bool = False) -> str:  # type: ignore[no-untyped-def]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        if no_seqscan:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _copies(model: type[Model], template: Model, **unique: Callable[[int], object]) -> None:
    """BULK_ROWS rows like `template` without the word, so that the planner chooses as it would on
    a real table (on a few rows any plan is cheap, and another index or a scan wins)."""
    fields = {f.attname: getattr(template, f.attname) for f in model._meta.concrete_fields if not f.primary_key}
    model._default_manager.bulk_create(
        [model(**{**fields, **{name: make(i) for name, make in unique.items()}}) for i in range(BULK_ROWS)],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {model._meta.db_table}")


# Not for a partner: their few shared problems are reached from their shares, by primary key, which
# the planner rightly prefers to any index on the text.
@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_the_problem_search_uses_its_gin_index(world: World, found: Found, persona: str) -> None:
    template = found.problems["unshared"]
    _copies(
        Problem,
        template,
        reference=lambda i: f"BULK-{i}",
        title=lambda i: f"Graffiti on the parade, wall {i}",
        description=lambda i: "Tags sprayed overnight.",
    )
    plan = _plan(problem_search_visible_to(user=world.users[persona], query=WORD))
    assert "problem_search_idx" in plan, plan


def test_engagement_searches_use_their_gin_indexes(world: World, found: Found) -> None:
    from engagement.models import CommunityPriority, EngagementEvent
    from engagement.selectors.search import event_search_visible_to, priority_search_visible_to

    _copies(EngagementEvent, found.records["event"], issues_raised=lambda i: f"Parking, complaint {i}.")
    _copies(CommunityPriority, found.records["priority"], issue=lambda i: f"Speeding on road {i}.")
    for persona in ("officer", "partner_member"):
        user = world.users[persona]
        assert "event_search_idx" in _plan(event_search_visible_to(user=user, query=WORD))
        assert "priority_search_idx" in _plan(priority_search_visible_to(user=user, query=WORD))


def test_registry_searches_can_use_their_gin_indexes(world: World, found: Found) -> None:
    from partnerships.selectors.search import (
        agreement_search_visible_to,
        contact_search_visible_to,
        organisation_search_visible_to,
    )

    # No other index serves these queries: without a sequential scan, only the GIN index can.
    officer = world.users["officer"]
    for selector, index in [
        (organisation_search_visible_to, "organisation_search_idx"),
        (contact_search_visible_to, "contact_search_idx"),
        (agreement_search_visible_to, "agreement_search_idx"),
    ]:
        plan = _plan(selector(user=officer, query=WORD), no_seqscan=True)
        assert index in plan, plan


# --- SQLite, the embedded default ------------------------------------------------------------------

SQLITE_SCRIPT = """
import django, json; django.setup()
from django.core.management import call_command; call_command('migrate', verbosity=0)
from django.db import connection
from tests.conftest import World
from tests.accounts.factories import UserFactory
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory
from accounts.models import Role
force = PoliceForceFactory(name='Northshire Police'); partner = OrganisationFactory(name='Northshire City Council')
unrelated = OrganisationFactory(name='Faraway Housing Trust')
world = World(force=force, partner=partner, unrelated=unrelated)
world.users = {
    'officer': UserFactory(role=Role.OFFICER, organisation=force),
    'supervisor': UserFactory(role=Role.SUPERVISOR, organisation=force),
    'partner_member': UserFactory(role=Role.PARTNER_MEMBER, organisation=partner),
    'unrelated_partner': UserFactory(role=Role.PARTNER_LEAD, organisation=unrelated),
    'administrator': UserFactory(role=Role.ADMINISTRATOR, organisation=force),
}
from tests.search.factories import quokka_world
from search.selectors import site_search
found = quokka_world(world)
names = {p.pk: name for name, p in found.problems.items()}
out = {'vendor': connection.vendor}
for persona, user in world.users.items():
    results = site_search(user=user, query='Quokka murals')
    out[persona] = {
        k.key: sorted(names.get(r.pk, r.pk) if k.key == 'problems' else r.pk for r in k.rows) for k in results.found
    }
    out[persona + '-word'] = {k.key: k.total for k in site_search(user=user, query='quokka').found}
# SQLite rebuilds a table to alter a column, with every index of the model's Meta: the search
# index must be a no-op there (core.search.SearchIndex), or no later migration could alter problems.
from django.db import models
from problems.models import Problem
old = Problem._meta.get_field('title')
new = models.CharField(max_length=201)
new.set_attributes_from_name('title')
new.model = Problem
with connection.schema_editor() as editor:
    editor.alter_field(Problem, old, new)
out['remade'] = Problem.objects.filter(title__icontains='murals').count()
print(json.dumps(out))
"""


def test_on_sqlite_the_search_falls_back_to_matching_each_word(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = run_python(
        "-c",
        SQLITE_SCRIPT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.base", "VAR_DIR": str(tmp_path)},
        drop=frozenset({"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"}),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["vendor"] == "sqlite"
    assert out["remade"] == 1
    # Every word must occur: "Quokka murals" finds the one problem with both.
    assert out["officer"] == {"problems": ["shared"]}
    assert out["partner_member"] == {"problems": ["shared"]}
    assert out["unrelated_partner"] == {}
    # The same rules of who sees what as on PostgreSQL, withheld text included.
    assert out["officer-word"]["problems"] == 4
    assert out["supervisor-word"]["problems"] == 5
    assert out["partner_member-word"]["problems"] == 2
    assert "problems" not in out["administrator-word"]
    assert out["administrator-word"] == {"organisations": 1, "contacts": 1, "agreements": 1}
