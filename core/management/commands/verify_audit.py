"""Check the audit log's hash chain (core.audit_chain): name the first event that no longer
matches, or confirm that every event does and print the head to note elsewhere."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.audit_chain import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain in order and report the first event that no longer "
        "matches (exit status 1), or the number of events verified and the newest hash (exit status 0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk-size", type=int, default=2000, help="Events read from the database at a time.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("The chunk size is a whole number of at least 1.")
        report = audit_chain_verify(chunk_size=options["chunk_size"])
        mismatch = report.mismatch
        if mismatch is not None:
            raise CommandError(
                f"The audit log does not verify. {report.checked} event(s) matched; the first that does not is "
                f"event {mismatch.id} (chain position {mismatch.seq}, {mismatch.verb}, "
                f"recorded {mismatch.created_at.isoformat()}): {mismatch.reason}."
            )
        self.stdout.write(
            f"Verified {report.checked} audit event(s): the chain is intact. "
            f"Head: position {report.head_seq}, hash {report.head_hash}."
        )
