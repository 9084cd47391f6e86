"""/api/v1/: the API (issue 24). Each URL has its entry in tests/api/access_api.py."""

from __future__ import annotations

from typing import Any

from django.urls import path, re_path
from django.views.decorators.cache import never_cache

from api.views import docs, problems, registry


def _no_store(view: Any) -> Any:
    """Case data is never kept by a cache on the way, nor in the browser: the pages get this from
    core.middleware.NoStoreForSignedInMiddleware, which knows only the session, not a token."""
    return never_cache(view.as_view())


urlpatterns = [
    path("api/v1/schema/", docs.schema_view, name="api-schema"),
    path("api/v1/docs/", docs.swagger_view, name="api-docs"),
    path("api/v1/redoc/", docs.redoc_view, name="api-redoc"),
    path("api/v1/problems/", _no_store(problems.ProblemList), name="api-problem-list"),
    path("api/v1/problems/<int:pk>/", _no_store(problems.ProblemDetail), name="api-problem-detail"),
    path("api/v1/problems/<int:pk>/objectives/", _no_store(problems.ProblemObjectives), name="api-problem-objectives"),
    path("api/v1/problems/<int:pk>/actions/", _no_store(problems.ProblemActions), name="api-problem-actions"),
    path(
        "api/v1/problems/<int:pk>/actions/<int:action_pk>/complete/",
        _no_store(problems.ActionCompleted),
        name="api-action-complete",
    ),
    path("api/v1/problems/<int:pk>/updates/", _no_store(problems.ProblemUpdates), name="api-problem-updates"),
    path("api/v1/problems/<int:pk>/decisions/", _no_store(problems.ProblemDecisions), name="api-problem-decisions"),
    path("api/v1/problems/<int:pk>/reviews/", _no_store(problems.ProblemReviews), name="api-problem-reviews"),
    path("api/v1/problems/<int:pk>/shares/", _no_store(problems.ProblemShares), name="api-problem-shares"),
    path("api/v1/shared-with-us/", _no_store(problems.SharedWithUs), name="api-shared-with-us"),
    path("api/v1/agreements/", _no_store(registry.AgreementList), name="api-agreement-list"),
    path("api/v1/agreements/<int:pk>/", _no_store(registry.AgreementDetail), name="api-agreement-detail"),
    path("api/v1/organisations/", _no_store(registry.OrganisationList), name="api-organisation-list"),
    path("api/v1/organisations/<int:pk>/", _no_store(registry.OrganisationDetail), name="api-organisation-detail"),
    path(
        "api/v1/organisations/<int:pk>/contacts/",
        _no_store(registry.OrganisationContacts),
        name="api-organisation-contacts",
    ),
    path("api/v1/engagement-events/", _no_store(registry.EventList), name="api-event-list"),
    path("api/v1/engagement-events/<int:pk>/", _no_store(registry.EventDetail), name="api-event-detail"),
    path("api/v1/priorities/", _no_store(registry.PriorityList), name="api-priority-list"),
    path("api/v1/priorities/<int:pk>/", _no_store(registry.PriorityDetail), name="api-priority-detail"),
    path("api/v1/surveys/", _no_store(registry.SurveyList), name="api-survey-list"),
    path("api/v1/surveys/<int:pk>/results/", _no_store(registry.SurveyResults), name="api-survey-results"),
    path("api/v1/crime-import-runs/", _no_store(registry.CrimeImportRunList), name="api-crime-run-list"),
    path("api/v1/crime-import-runs/<int:pk>/", _no_store(registry.CrimeImportRunDetail), name="api-crime-run-detail"),
    re_path(r"^api/v1/.*$", _no_store(docs.NotFound), name="api-not-found"),
]
