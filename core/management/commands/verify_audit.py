"""Check the audit log's hash chain (core.audit_chain): name the first event that no longer
matches, or confirm that every event does and print the head to note elsewhere."""

from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.audit_chain import audit_chain_passes_through, audit_chain_verify

HEAD = re.compile(r"^(?P<seq>[1-9][0-9]*):(?P<hash>[0-9a-fA-F]{64})$")
HEAD_INVALID = "Give the head as POSITION:HASH, as an earlier run printed it (for example 41:9f3c...)."
HEAD_MISSING = (
    "The audit log does not verify. The chain no longer passes through the head noted earlier "
    "(position {seq}, hash {hash}): events at its end were removed, or the chain was rewritten."
)


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain in order and report the first event that no longer "
        "matches (exit status 1), or the number of events verified and the newest hash (exit status 0)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chunk-size", type=int, default=2000, help="Events read from the database at a time.")
        parser.add_argument(
            "--head",
            help="POSITION:HASH printed by an earlier run: check that the chain still passes through it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["chunk_size"] < 1:
            raise CommandError("The chunk size is a whole number of at least 1.")
        head = None
        if options["head"] is not None:
            head = HEAD.match(options["head"].strip())
            if head is None:
                raise CommandError(HEAD_INVALID)
        report = audit_chain_verify(chunk_size=options["chunk_size"])
        mismatch = report.mismatch
        if mismatch is not None:
            raise CommandError(
                f"The audit log does not verify. {report.checked} event(s) matched; the first that does not is "
                f"event {mismatch.id} (chain position {mismatch.seq}, {mismatch.verb}, "
                f"recorded {mismatch.created_at.isoformat()}): {mismatch.reason}."
            )
        if head is not None and not audit_chain_passes_through(seq=int(head["seq"]), hash=head["hash"]):
            raise CommandError(HEAD_MISSING.format(seq=head["seq"], hash=head["hash"].lower()))
        self.stdout.write(
            f"Verified {report.checked} audit event(s): the chain is intact. "
            f"Head: position {report.head_seq}, hash {report.head_hash} (check it later with "
            f"--head {report.head_seq}:{report.head_hash})."
        )
