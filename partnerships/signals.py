"""Signals of the partnerships app. Other apps listen; partnerships knows nothing of them
(the dependency rule: partnerships never imports problems)."""

from __future__ import annotations

import django.dispatch

# Sent (sender=Agreement, agreement=..., reason=..., cause=..., ended_by=...) when an agreement stops
# being in force: terminated by hand, expired, or superseded by an amendment. Sharing under it must
# stop. `cause` is "agreement_terminated", "agreement_expired" or "agreement_superseded";
# `ended_by` is the user who ended it (None when the expiry sweep did), for the audit log.
agreement_ended = django.dispatch.Signal()
