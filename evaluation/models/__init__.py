"""The evaluation app's data, one module per concept: surveys (questions, responses), crime
(imported street-level crime), assessment (before/after settings, EMMIE, costs and unit costs),
reports (generated impact reports). Each concept adds its imports here."""

from __future__ import annotations
