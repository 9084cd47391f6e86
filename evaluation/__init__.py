"""Surveys, crime data, before/after, cost-benefit and impact reports (to come)."""
