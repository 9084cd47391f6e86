"""Disclosure limited by data category (DESIGN.md section 4), tried as a partner would.

A problem shared with the council under an agreement that covers "Safeguarding and vulnerability
information", but by a share that does not disclose it, has an entry of every part that can hold
personal data in that category (description, demand notes and perceived problem, problem statement,
defined problem and CHEERS, triangle, controller, decision, update, attachment, action), each
holding a unique canary string. For the council's
member and lead, every URL of the project is requested (each URL taking no argument or a `pk`, with
the pk of every canary object; the others with the access matrix's arguments), every export among
them, and every notification and email partners get is made and sent: no canary appears anywhere,
and the withheld count does. The unrelated partner gets 404 on the problem's URLs. The positive
control discloses the category, and every canary appears (so the test can fail).

Completeness: the URLs requested are every named URL pattern of the project (url_names), not a
list kept by hand (the admin site apart: partners get 404 there, says the access matrix);
test_every_url_is_requested checks that none escapes. Pages asked for with parameters are asked
as the access matrix asks them (the partnership impact report and its CSV and PDF exports)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.models import Notification, Reminder, ReminderState
from core.reminders import registered_sweeps, reminders_send, sweep_run
from partnerships.models import DataCategory
from problems.models import (
    DecisionLogEntry,
    DisclosurePart,
    Problem,
    ProblemAttachment,
    ProblemFollower,
    ProblemUpdate,
    ResponseAction,
    Stage,
)
from problems.models.sharing import ProblemShare, ShareAccess
from problems.selectors.decisions import decision_list_awaiting_confirmation_by
from problems.selectors.disclosure import WITHHELD_TEXT, disclosed_rows, disclosure_for, withheld_note
from problems.services.contributions import problem_update_add
from problems.services.notifications import follower_digest_reminders
from problems.services.sara import action_add, controller_add
from problems.services.sharing import share_create
from tests.access_matrix import entries_by_name, url_names
from tests.conftest import World, sign_in
from tests.evaluation.access_impact import _area as impact_area
from tests.partnerships.factories_agreements import category
from tests.problems.factories_contributions import attachment, upload
from tests.problems.factories_decisions import decision
from tests.problems.factories_sara import problem_at
from tests.problems.factories_sharing import active_agreement, canary

pytestmark = pytest.mark.django_db

WITHHELD = "safeguarding"
DISCLOSED = "asb-reports"
PARTNERS = ("partner_member", "partner_lead")
COUNTED = re.compile(r"\d+ entr(?:y|ies) withheld: not covered by the agreement")


@dataclass
class Canaries:
    problem: Problem
    share: ProblemShare
    texts: dict[str, str]  # part -> its canary
    visible: str  # an update in a disclosed category
    ids: set[int] = field(default_factory=set)

    def found_in(self, text: str) -> list[str]:
        return [part for part, canary_text in self.texts.items() if canary_text in text]


def _make(world: World, *, disclose_withheld: bool = False) -> Canaries:
    officer = world.users["officer"]
    safeguarding = category(WITHHELD)
    agreement = active_agreement(
        world.force, world.partner, categories=[category(DISCLOSED), safeguarding, category("identity-contact")]
    )
    texts = {part: f"{part}-{canary()}" for part in DisclosurePart.values}
    texts["cheers"] = f"cheers-{canary()}"
    texts["responsible_person"] = f"person-{canary()}"
    texts["file_name"] = f"file-{canary()}"
    texts["decision_review"] = f"review-{canary()}"
    texts["perceived_problem"] = f"perceived-{canary()}"
    texts["defined_problem"] = f"defined-{canary()}"
    problem = problem_at(
        Stage.RESPONSE, force=world.force, owner=officer, title="Street drinking by the parade", description="x"
    )
    Problem.objects.filter(pk=problem.pk).update(
        description=texts[DisclosurePart.DESCRIPTION],
        description_category=safeguarding,
        demand_note=texts[DisclosurePart.DEMAND],
        perceived_problem=texts["perceived_problem"],
        demand_category=safeguarding,
        problem_statement=texts[DisclosurePart.STATEMENT],
        defined_problem=texts["defined_problem"],
        cheers_harm=texts["cheers"],
        statement_category=safeguarding,
        pat_offender=texts[DisclosurePart.TRIANGLE],
        triangle_category=safeguarding,
    )
    problem.refresh_from_db()
    # The positive control discloses every category the agreement covers.
    categories = [category(DISCLOSED), *([safeguarding, category("identity-contact")] if disclose_withheld else [])]
    shared = share_create(
        actor=officer,
        problem=problem,
        organisation=world.partner,
        access_level=ShareAccess.CONTRIBUTE,
        agreement=agreement,
        data_categories=categories,
    )
    # The council's member follows the problem with the digest: it hears of every update.
    ProblemFollower.objects.create(problem=problem, user=world.users["partner_member"], digest=True)
    controller = controller_add(
        actor=officer,
        problem=problem,
        kind="guardian",
        who=texts[DisclosurePart.CONTROLLER],
        notes=texts[DisclosurePart.CONTROLLER],
        data_category=safeguarding,
    )
    entry = decision(
        problem=problem,
        author=officer,
        is_joint=True,
        partner_organisations=[world.partner],
        decision_and_action=texts[DisclosurePart.DECISION],
        review=texts["decision_review"],
        data_category=safeguarding,
    )
    update = problem_update_add(
        actor=officer, problem=problem, text=texts[DisclosurePart.UPDATE], data_category=safeguarding
    )
    visible = f"visible-{canary()}"
    problem_update_add(actor=officer, problem=problem, text=visible)
    file = attachment(
        problem=problem,
        actor=officer,
        uploaded_file=upload(name=f"{texts['file_name']}.pdf"),
        description=texts[DisclosurePart.ATTACHMENT],
        data_category=safeguarding,
    )
    action = action_add(
        actor=officer,
        problem=problem,
        description=texts[DisclosurePart.ACTION],
        intervention_kind="support",
        responsible_organisation=world.partner,
        responsible_person=texts["responsible_person"],
        due_date=timezone.localdate() + datetime.timedelta(days=3),
        data_category=safeguarding,
    )
    ids = {problem.pk, shared.pk, controller.pk, entry.pk, update.pk, file.pk, action.pk}
    return Canaries(problem=problem, share=shared, texts=texts, visible=visible, ids=ids)


def _body(response: Any) -> str:
    streaming = getattr(response, "streaming", False)
    content = b"".join(response.streaming_content) if streaming else response.content  # type: ignore[attr-defined]
    return content.decode("utf-8", errors="replace")


def _named_urls(world: World, canaries: Canaries) -> list[tuple[str, str]]:
    """Every named URL of the project (but the admin site's, where partners get 404: the access
    matrix), as (name, url): with no argument, with each canary object's pk, or with the access
    matrix's arguments (URLs that name no problem entry: a survey question, a neighbourhood's
    "You said, we did", a password reset link)."""
    entries = entries_by_name()
    # The impact report pages are asked for with the area the matrix builds: its builder fills their
    # query (a module-level dict), so build it first, whatever ran before in this process.
    impact_area(world)
    urls: list[tuple[str, str]] = []
    for name in sorted(_requestable_names()):
        entry = entries.get(name)
        if entry is not None and entry.data and entry.method == "get":
            # A page asked for with parameters (an impact report for a partnership): as the matrix asks.
            urls.append((name, f"{reverse(name, kwargs=entry.kwargs(world))}?{urlencode(entry.data, doseq=True)}"))
        try:
            urls.append((name, reverse(name)))
            continue
        except NoReverseMatch:
            pass
        try:
            urls.extend((name, reverse(name, kwargs={"pk": pk})) for pk in sorted(canaries.ids))
            continue
        except NoReverseMatch:
            pass
        urls.append((name, reverse(name, kwargs=entries[name].kwargs(world))))
    return urls


def _requestable_names() -> set[str]:
    return {name for name in url_names() if not name.startswith(("admin:", "<unnamed"))}


def _urls(world: World, canaries: Canaries) -> list[str]:
    return [url for _, url in _named_urls(world, canaries)]


def _pages(client: Client, urls: list[str]) -> dict[str, tuple[int, str]]:
    return {url: ((response := client.get(url)).status_code, _body(response)) for url in urls}


def _notify_and_send(world: World) -> None:
    """Every sweep of reminders (actions due, the follower digest...), then send what is due."""
    today = timezone.localdate()
    for name in registered_sweeps():
        sweep_run(name, today=today)
    list(follower_digest_reminders(today))
    due = list(Reminder.objects.filter(state=ReminderState.DUE).values_list("pk", flat=True))
    reminders_send(reminder_ids=due)


def _messages_of(world: World) -> list[str]:
    partner_users = [world.users[p] for p in PARTNERS]
    notifications = Notification.objects.filter(recipient__in=partner_users).values_list("title", "link")
    reminders = Reminder.objects.filter(recipient__in=partner_users).values_list("title", "link", "context")
    texts = [" ".join(str(part) for part in row) for row in [*notifications, *reminders]]
    for message in mail.outbox:
        texts.append(" ".join([message.subject, message.body, *(str(a[0]) for a in message.alternatives)]))
    return texts


@pytest.mark.parametrize("persona", PARTNERS)
def test_a_partner_never_reads_an_entry_in_a_category_the_share_does_not_disclose(world: World, persona: str) -> None:
    canaries = _make(world)
    client = sign_in(Client(), world.users[persona])
    pages = _pages(client, _urls(world, canaries))
    leaks = {url: canaries.found_in(body) for url, (_, body) in pages.items() if canaries.found_in(body)}
    assert leaks == {}
    assert sum(status == 200 for status, _ in pages.values()) > 30, "the partner reached the pages it may see"

    detail = pages[reverse("problem-detail", kwargs={"pk": canaries.problem.pk})][1]
    summary = pages[reverse("problem-summary", kwargs={"pk": canaries.problem.pk})][1]
    assert canaries.visible in detail
    # The description, demand, statement (and the defined problem with it) and triangle say they are
    # withheld; each many-row part counts.
    assert detail.count(WITHHELD_TEXT) >= 6  # description, demand, statement, defined problem, triangle, the action
    assert summary.count(WITHHELD_TEXT) >= 5  # description, demand, statement, defined problem, triangle
    assert len(COUNTED.findall(detail)) == 5  # controllers, actions, updates, attachments, decisions
    assert len(COUNTED.findall(summary)) == 3  # controllers, actions, decisions
    assert withheld_note(1) in detail
    # The action is still the organisation's: its row says it is withheld, and it can be completed.
    home = pages[reverse("home")][1]
    assert WITHHELD_TEXT in home
    # The withheld file and decision are not there to fetch or confirm.
    file = ProblemAttachment.objects.get(problem=canaries.problem)
    assert pages[reverse("problem-attachment-download", kwargs={"pk": file.pk})][0] == 404
    entry = DecisionLogEntry.objects.get(problem=canaries.problem)
    assert client.post(reverse("decision-confirm", kwargs={"pk": entry.pk}), {"note": "ok"}).status_code == 404
    assert not entry.confirmations.exists()
    assert entry not in decision_list_awaiting_confirmation_by(user=world.users[persona])
    # A search for a withheld text finds nothing (the page repeats the words searched for, only).
    for name in ("problem-list", "shared-with-us"):
        assert canaries.problem.reference in _body(client.get(reverse(name)))
        for part in (DisclosurePart.DESCRIPTION, DisclosurePart.DEMAND, DisclosurePart.STATEMENT):
            found = _body(client.get(reverse(name) + f"?q={canaries.texts[part]}"))
            assert canaries.problem.reference not in found


def test_no_notification_or_email_to_a_partner_carries_a_withheld_entry(world: World) -> None:
    canaries = _make(world)
    _notify_and_send(world)
    messages = _messages_of(world)
    assert len(mail.outbox) >= 3, "shared, action assigned and the action's reminder were emailed"
    assert any("update added" in text for text in messages), "the follower heard of the update"
    assert [canaries.found_in(text) for text in messages if canaries.found_in(text)] == []


def test_the_unrelated_partner_gets_404_and_reads_no_canary(world: World) -> None:
    canaries = _make(world)
    client = sign_in(Client(), world.users["unrelated_partner"])
    pages = _pages(client, _urls(world, canaries))
    assert {url: canaries.found_in(body) for url, (_, body) in pages.items() if canaries.found_in(body)} == {}
    for name in ("problem-detail", "problem-summary", "problem-update-create"):
        assert pages[reverse(name, kwargs={"pk": canaries.problem.pk})][0] == 404
    file = ProblemAttachment.objects.get(problem=canaries.problem)
    assert pages[reverse("problem-attachment-download", kwargs={"pk": file.pk})][0] == 404


def test_with_the_category_disclosed_every_canary_is_read(world: World) -> None:
    """The positive control: the same problem, the share disclosing the category too."""
    canaries = _make(world, disclose_withheld=True)
    lead = world.users["partner_lead"]
    client = sign_in(Client(), lead)
    assert [e.pk for e in decision_list_awaiting_confirmation_by(user=lead)] == [
        DecisionLogEntry.objects.get(problem=canaries.problem).pk
    ]
    problem = canaries.problem.pk
    pages = [_body(client.get(reverse(name, kwargs={"pk": problem}))) for name in ("problem-detail", "problem-summary")]
    file = ProblemAttachment.objects.get(problem=canaries.problem)
    download = client.get(reverse("problem-attachment-download", kwargs={"pk": file.pk}))
    assert download.status_code == 200
    found = {part for page in pages for part in canaries.found_in(page)}
    assert found == set(canaries.texts)
    assert not COUNTED.findall(pages[0])
    assert WITHHELD_TEXT not in pages[0]


def test_the_force_reads_every_entry(world: World) -> None:
    canaries = _make(world)
    client = sign_in(Client(), world.users["officer"])
    detail = _body(client.get(reverse("problem-detail", kwargs={"pk": canaries.problem.pk})))
    assert set(canaries.found_in(detail)) == set(canaries.texts)
    assert WITHHELD_TEXT not in detail


def test_every_url_is_requested(world: World) -> None:
    """The canary requests reach every named URL pattern of the project but the admin site's, and
    each canary object's pk reaches every URL that takes a pk."""
    canaries = _make(world)
    named = _named_urls(world, canaries)
    assert {name for name, _ in named} == _requestable_names()
    detail = {url for name, url in named if name == "problem-detail"}
    assert detail == {reverse("problem-detail", kwargs={"pk": pk}) for pk in canaries.ids}
    assert len(_requestable_names()) > 100


# --- the rule itself, and its SQL twin -----------------------------------------------------------


def test_an_entry_without_a_category_is_in_its_parts_default(world: World) -> None:
    canaries = _make(world)
    disclosure = disclosure_for(user=world.users["partner_member"], problem=canaries.problem)
    assert disclosure.allows(DisclosurePart.UPDATE, None)  # asb-reports, disclosed
    assert not disclosure.allows(DisclosurePart.CONTROLLER, None)  # names and contact details, not disclosed
    assert not disclosure.allows(DisclosurePart.UPDATE, DataCategory.objects.get(code=WITHHELD).pk)


def test_the_sql_rule_agrees_with_the_python_rule(world: World) -> None:
    canaries = _make(world)
    member = world.users["partner_member"]
    ProblemUpdate.objects.create(
        problem=canaries.problem, author=world.users["officer"], organisation=world.force, text="default"
    )
    disclosure = disclosure_for(user=member, problem=canaries.problem)
    for model, part in ((ProblemUpdate, DisclosurePart.UPDATE), (ResponseAction, DisclosurePart.ACTION)):
        rows = model.objects.filter(problem=canaries.problem).annotate(ok=disclosed_rows(user=member, part=part))
        assert {row.pk: row.ok for row in rows} == {row.pk: disclosure.entry(part, row) for row in rows}


def test_the_problem_page_of_a_partner_asks_the_same_queries_for_one_and_five_withheld_entries(
    world: World, django_assert_num_queries: Any
) -> None:
    canaries = _make(world)
    client = sign_in(Client(), world.users["partner_member"])
    url = reverse("problem-detail", kwargs={"pk": canaries.problem.pk})
    client.get(url)
    # The page's queries for a partner (tests/problems/test_sara_views.py lists the officer's), all
    # from problems.selectors.page: 1 session, 2 user, 3 OTP device, 4 the problem (visible to the
    # partner: its permission and active share; with the evaluation's design and EMMIE, the
    # user's follow and earlier views), 5 controllers, 6 hypotheses, 7 objectives, 8 actions,
    # 9 stage transitions, 10 the consultation (an audit INSERT), 11 whether the partner may
    # contribute (asked once), 12 the data categories the share discloses
    # (problems.selectors.disclosure: once for the page), 13 the decision log, 14 its partners,
    # 15 corrections, 16 confirmations, 17 the lead history, 18 the team, 19 the share banner,
    # 20 updates, 21 attachments, 22 the demand sources (issue 20). (The actions assigned to the
    # partner are read from the problem's actions.) Before the page had one selector it asked 26
    # (27 with the demand sources): the contribute check ran three times, and the follow, the
    # evaluation panel and the partner's actions one each.
    with django_assert_num_queries(PARTNER_PAGE_QUERIES):
        client.get(url)
    safeguarding = category(WITHHELD)
    for _ in range(4):
        controller_add(
            actor=world.users["officer"], problem=canaries.problem, kind="guardian", who="g", data_category=safeguarding
        )
        problem_update_add(actor=world.users["officer"], problem=canaries.problem, text="u", data_category=safeguarding)
    with django_assert_num_queries(PARTNER_PAGE_QUERIES):
        page = _body(client.get(url))
    assert withheld_note(5) in page


PARTNER_PAGE_QUERIES = 22
