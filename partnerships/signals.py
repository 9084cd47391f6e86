"""Signals of the partnerships app. Other apps listen; partnerships knows nothing of them
(the dependency rule: partnerships never imports problems)."""

from __future__ import annotations

import django.dispatch

# Sent (sender=Agreement, agreement=..., reason=...) when an agreement stops being in force:
# terminated by hand, expired, or superseded by an amendment. Sharing under it must stop.
agreement_ended = django.dispatch.Signal()
