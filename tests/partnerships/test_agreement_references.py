"""Agreement references under concurrency: real transactions racing for the next number."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from partnerships.models import Agreement
from partnerships.services import agreements as services
from tests.partnerships.factories import OrganisationFactory
from tests.partnerships.factories_agreements import lead_of


@pytest.mark.django_db(transaction=True)
def test_drafts_created_at_the_same_moment_get_different_references() -> None:
    # Real concurrent transactions: each thread has its own database connection. Whoever loses
    # the race on the unique (reference, version) constraint retries with the next number.
    force = OrganisationFactory(name="Race Police", kind="police_force")
    supervisors = [lead_of(force) for _ in range(4)]
    barrier = threading.Barrier(len(supervisors))
    failures: list[BaseException] = []

    def create(user: object) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                services.agreement_create_draft(actor=user, title="Race", parties=[force])  # type: ignore[arg-type]
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(user,)) for user in supervisors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    references = list(Agreement.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 12
