"""Every form in the project, fuzzed: no input gives a server error, a refused form saves nothing,
and what was typed comes back escaped (DESIGN.md section 6, issue 19).

The forms are found, not listed: every page of the access matrix (tests/access_matrix.py) is
opened as the first persona the matrix lets in, and each `<form method="post">` it serves is posted
with generated values in every field (tests/fuzz/forms.py): empty, very long, NUL bytes, invalid
UTF-8 (lone surrogates), right-to-left marks, markup and script, formula prefixes, negative and huge
numbers, impossible dates, unknown choices, other organisations' ids, and Hypothesis's own text.
Hidden fields (a record's version, a next page) keep the value the page served in most examples
and are fuzzed in the rest, so that the rest of the form reaches its validation.

For each example:
- the response is not a server error (the test client re-raises any exception a view lets out);
- when the form is refused (any answer but a redirect), no table gained or lost a row;
- no typed markup comes back as markup, on the answer or on the page a success redirects to;
- a refused form shows a typed script back, escaped, in the field it was typed in.

Each example runs in a savepoint that is rolled back, so examples do not see each other's rows.
Examples per form: the Hypothesis profile named by HYPOTHESIS_PROFILE, "test" by default (a small,
derandomised sample that `make test` runs) or "fuzz" (at least 200 examples per form, new random
ones each run: `make fuzz`).

Findings (2026-12-07): no server error in any form, at 8 and at 200 examples per form (`make fuzz`:
about 110 pages' forms, 9 minutes on the 2-core machine; `make test`'s sample: under a minute).
What the first runs found were the fuzzer's own mistakes, fixed here: a failed sign-in rightly
records an audit event, a public survey's rate limit counts refused attempts, and a field sent twice
is read as its last value.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access_matrix import MATRIX, Entry
from tests.conftest import World, sign_in
from tests.fuzz.forms import HOSTILE, IMG, RAW_MARKUP, SCRIPT, Field, Form, encode, forms_in, served_pairs
from tests.partnerships.factories import OrganisationFactory, PoliceForceFactory
from tests.problems.factories import ProblemFactory

settings.register_profile(
    "test",
    max_examples=8,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "test")

# The persona that opens each page: the first the matrix lets in.
PERSONA_ORDER = (
    "officer",
    "supervisor",
    "analyst",
    "partner_lead",
    "partner_member",
    "unrelated_partner",
    "dpo",
    "administrator",
    "anonymous",
)
# Forms not fuzzed, and why: signing out ends the session every other example needs; the admin
# site's forms are Django's own, behind the administrator's second factor.
SKIP_ENTRIES = ("admin:*", "logout")
# A sample of pages that serve a form, so that a fuzzer that finds none fails.
PAGES_WITH_FORMS = ("problem-create", "problem-detail", "login", "survey-public", "crime-import", "agreement-edit")
# Rows a refused form may still write: the session (messages, the second factor's state) and the
# lockout's record of a failed sign-in (django-axes), which is its purpose.
# Audit events a refused form rightly records: a failed sign-in (the security log), and consultation
# (DPA 2018 s.62: a page that shows case records logs that they were seen, errors or not).
REFUSAL_AUDIT_VERBS = ("accounts.user.sign_in_failed", "accounts.user.second_factor_failed")
# A public survey's rate limit counts every attempt from an address, refused ones included.
UNCOUNTED_TABLES = (
    "django_session",
    "axes_accessattempt",
    "axes_accessfailurelog",
    "axes_accesslog",
    "evaluation_surveysubmissionattempt",
)


def _persona(entry: Entry) -> str | None:
    for persona in PERSONA_ORDER:
        if entry.expect.get(persona) == 200:
            return persona
    return None


FORM_PAGES = [entry for entry in MATRIX if entry.method == "get" and entry.name not in SKIP_ENTRIES and _persona(entry)]


def _row_counts() -> dict[str, int]:
    tables = [t for t in connection.introspection.table_names() if t not in UNCOUNTED_TABLES]
    # Table names from the database's own catalogue, quoted: nothing typed reaches this SQL.
    counts = [
        f"SELECT '{t}', count(*) FROM {connection.ops.quote_name(t)}"  # noqa: S608
        + (" WHERE NOT (verb = ANY(%s) OR verb LIKE '%%.consulted')" if t == "core_auditevent" else "")
        for t in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(counts), [list(REFUSAL_AUDIT_VERBS)])
        return dict(cursor.fetchall())


def _other_organisations_ids(world: World) -> list[bytes]:
    """Ids of records the signed-in user may not touch: another force, its problem, an unrelated
    partner."""
    other_force = PoliceForceFactory(name="Elsewhere Constabulary")
    problem = ProblemFactory(force=other_force)
    ids = {world.unrelated.pk, other_force.pk, problem.pk, problem.owner_id, OrganisationFactory().pk}
    return [str(i).encode() for i in sorted(ids)]


def _text(other_ids: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.integers(1_000, 12_000).map(lambda n: b"x" * n),
        st.integers(500, 4_000).map(lambda n: "é\u202e".encode() * n),
        st.sampled_from(other_ids),
        st.text(max_size=40).map(lambda s: s.encode("utf-8", "surrogatepass")),
        st.binary(max_size=20),
        st.dates().map(lambda d: d.isoformat().encode()),
        st.integers().map(lambda i: str(i).encode()),
    )


def _group(form: Form) -> dict[str, list[Field]]:
    groups: dict[str, list[Field]] = {}
    for f in form.fields:
        if f.tag == "button" or f.type in ("submit", "image", "file"):
            continue
        groups.setdefault(f.name, []).append(f)
    return groups


# Typed text that is valid (so a form can accept it and show it again later) yet hostile.
VALID_HOSTILE_TEXT = (
    SCRIPT,
    IMG,
    "\u202eevil\u202c street \u200f",
    '=HYPERLINK("http://x.invalid")',
    "@SUM(A1)",
    "+44 1234",
    "-1",
    "Ordinary words",
)


def _plausible(field: Field, fields: list[Field], kept: list[bytes]) -> st.SearchStrategy[list[bytes]]:
    """A value the field would accept from a careful user (or hostile text that is still valid), so
    that the rest of the form reaches its validation and, often enough, is saved and shown again."""
    if field.tag == "select":
        options = [o.encode() for o in field.options if o]
        if not options:
            return st.just(kept)
        return st.lists(st.sampled_from(options), min_size=1, max_size=2 if field.multiple else 1, unique=True)
    if field.type == "checkbox":
        return st.lists(st.sampled_from([(f.value or "on").encode() for f in fields]), unique=True)
    if field.type == "radio":
        return st.sampled_from([(f.value or "on").encode() for f in fields]).map(lambda v: [v])
    if field.type == "date":
        dates = st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2027, 12, 31))
        return dates.map(lambda d: [d.isoformat().encode()])
    if field.type == "time":
        return st.just([b"10:30"])
    if field.type == "number":
        return st.integers(0, 100).map(lambda n: [str(n).encode()])
    if field.type == "email":
        return st.just([b"fuzz@example.org"])
    if field.type in ("hidden", "password"):
        return st.just(kept)
    typed = st.sampled_from(VALID_HOSTILE_TEXT).map(lambda t: [t.encode()])
    return st.one_of(st.just(kept), typed) if any(kept) else typed


def _hostile(
    field: Field, fields: list[Field], kept: list[bytes], text: st.SearchStrategy[bytes]
) -> st.SearchStrategy[list[bytes]]:
    """Anything at all: the issue's list, other organisations' ids, Hypothesis's own text and bytes,
    several values for one field, or none."""
    if field.tag == "select" and field.options:
        choice = st.sampled_from([o.encode() for o in field.options])
        return st.one_of(st.lists(st.one_of(choice, text), max_size=3), st.lists(text, min_size=1, max_size=2))
    if field.type in ("checkbox", "radio"):
        options = [(f.value or "on").encode() for f in fields]
        return st.one_of(st.lists(st.sampled_from(options), max_size=3), st.lists(text, max_size=2))
    return st.one_of(st.lists(text, min_size=1, max_size=1), st.just([]), st.lists(text, min_size=2, max_size=2))


def _draw_pairs(data: st.DataObject, form: Form, other_ids: list[bytes]) -> list[tuple[str, bytes]]:
    served = served_pairs(form)
    groups = _group(form)
    # Hidden fields (a record's version, where to go next) keep what the page served in most
    # examples, so that the rest of the form reaches its validation.
    fuzz_hidden = data.draw(st.integers(0, 4), label="fuzz hidden fields") == 0
    text = _text(other_ids)
    pairs: list[tuple[str, bytes]] = [
        (name, value) for name, value in served if name not in groups or name == "csrfmiddlewaretoken"
    ]
    for name, fields in groups.items():
        if name == "csrfmiddlewaretoken":
            continue
        kept = [value for n, value in served if n == name]
        first = fields[0]
        if first.type == "hidden" and not fuzz_hidden:
            values = kept
        else:
            # Three fields in four plausible, one hostile: most examples get past the other fields'
            # validation, so the hostile value is what the form and its service must cope with.
            plausible = _plausible(first, fields, kept)
            hostile = _hostile(first, fields, kept, text)
            values = data.draw(st.integers(0, 3).flatmap(lambda i, p=plausible, h=hostile: p if i else h), label=name)
        pairs.extend((name, v) for v in values)
    # The first submit button, as a browser sends it.
    for f in form.fields:
        if f.tag == "button" or f.type in ("submit", "image"):
            pairs.append((f.name, f.value.encode()))
            break
    return pairs


def _assert_no_raw_markup(content: bytes, where: str) -> None:
    text = content.decode("utf-8", "replace")
    for raw in RAW_MARKUP:
        assert raw not in text, f"{where}: typed markup came back unescaped: {raw}"


def _typed_fields(form: Form, pairs: list[tuple[str, bytes]], payload: str) -> list[str]:
    shown_back = {f.name for f in form.fields if f.tag == "textarea" or f.type in ("text", "email", "search", "url")}
    # A field sent twice is read by Django as its last value: that is what the user "typed".
    last = dict(pairs)
    return [name for name in shown_back if last.get(name) == payload.encode()]


def _fuzz_form(client: Client, page_url: str, form: Form, other_ids: list[bytes]) -> None:
    url = form.action or page_url

    @settings(settings.get_profile(PROFILE))
    @given(data=st.data())
    def example(data: st.DataObject) -> None:
        pairs = _draw_pairs(data, form, other_ids)
        body, content_type = encode(form, pairs)
        saved_cookies = {key: morsel.value for key, morsel in client.cookies.items()}
        with transaction.atomic():
            before = _row_counts()
            response = client.generic("POST", url, body, content_type=content_type)
            where = f"POST {url} (from {page_url}) with {pairs!r}"
            assert response.status_code < 500, f"{where}: {response.status_code}"
            content = b"".join(response.streaming_content) if response.streaming else response.content
            _assert_no_raw_markup(content, where)
            if response.status_code in (301, 302, 303):
                location = response["Location"]
                if location.startswith("/") and not location.startswith(("/static/", "/media/")):
                    followed = client.get(location)
                    assert followed.status_code < 500, f"{where}, then GET {location}: {followed.status_code}"
                    if not followed.streaming:
                        _assert_no_raw_markup(followed.content, f"{where}, then GET {location}")
            else:
                after = _row_counts()
                changed = {t: (before[t], after.get(t)) for t in before if before[t] != after.get(t)}
                assert changed == {}, f"{where}: refused ({response.status_code}) but rows changed: {changed}"
                if response.status_code == 200 and b"error-summary" in content:
                    html = content.decode("utf-8", "replace")
                    for name in _typed_fields(form, pairs, SCRIPT):
                        assert "&lt;script&gt;alert(" in html, f"{where}: what was typed in {name} is not shown back"
            transaction.set_rollback(True)
        # A password change or a sign-out in a rolled-back example leaves the client a session that
        # no longer exists: give it back the one it had.
        client.cookies.clear()
        for key, value in saved_cookies.items():
            client.cookies[key] = value

    example()


@pytest.mark.parametrize("entry", FORM_PAGES, ids=[entry.name for entry in FORM_PAGES])
def test_every_form_survives_fuzzed_input(entry: Entry, world: World) -> None:
    persona = _persona(entry)
    assert persona is not None
    client = Client()
    if persona != "anonymous":
        sign_in(client, world.users[persona])
    url = reverse(entry.name, kwargs=entry.kwargs(world))
    page = client.get(url, entry.data)
    assert page.status_code == 200, f"GET {url} as {persona}: {page.status_code}"
    if page.streaming or not page["Content-Type"].startswith("text/html"):
        return
    forms = [f for f in forms_in(page.content.decode()) if f.action != reverse("logout")]
    assert forms or entry.name not in PAGES_WITH_FORMS, f"{url}: the fuzzer found no form"
    other_ids = _other_organisations_ids(world)
    for form in forms:
        _fuzz_form(client, url, form, other_ids)


def test_the_fuzzer_reads_every_kind_of_field() -> None:
    html = """
    <form method="get"><input name="q"></form>
    <form method="post" action="/x/" enctype="multipart/form-data">
      <input type="hidden" name="version" value="3"><input name="title" value="a &amp; b">
      <textarea name="body">typed &lt;b&gt;</textarea>
      <select name="kind"><option value="">--</option><option value="1" selected>One</option></select>
      <select name="many" multiple><option>x</option><option selected>y</option><option selected>z</option></select>
      <input type="checkbox" name="flag" value="yes" checked><input type="radio" name="r" value="a">
      <input type="file" name="upload"><input name="off" disabled>
      <button type="submit" name="action" value="save">Save</button>
      <button type="submit" name="action" value="other">Other</button>
    </form>
    """
    (form,) = forms_in(html)
    assert form.action == "/x/"
    assert form.multipart
    assert served_pairs(form) == [
        ("version", b"3"),
        ("title", b"a & b"),
        ("body", b"typed <b>"),
        ("kind", b"1"),
        ("many", b"y"),
        ("many", b"z"),
        ("flag", b"yes"),
        ("action", b"save"),
    ]
    body, content_type = encode(form, [("title", b"\xed\xa0\x80")])
    assert content_type.startswith("multipart/form-data; boundary=")
    assert b"\xed\xa0\x80" in body
    assert IMG.encode() in HOSTILE
    assert SCRIPT.encode() in HOSTILE


def test_a_field_sent_twice_counts_as_its_last_value() -> None:
    (form,) = forms_in('<form method="post"><textarea name="notes"></textarea><input name="title"></form>')
    script = SCRIPT.encode()
    assert _typed_fields(form, [("notes", script), ("notes", b"")], SCRIPT) == []
    assert _typed_fields(form, [("notes", b""), ("notes", script), ("title", b"x")], SCRIPT) == ["notes"]
