"""Engagement events, community priorities, seldom-heard coverage and safety plans (to come)."""
