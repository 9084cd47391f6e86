"""/api/v1/: the API (issue 24). Each URL has its entry in tests/api/access_api.py."""

from __future__ import annotations

from django.urls import path, re_path

from api.views import docs, problems, registry

urlpatterns = [
    path("api/v1/schema/", docs.schema_view, name="api-schema"),
    path("api/v1/docs/", docs.swagger_view, name="api-docs"),
    path("api/v1/redoc/", docs.redoc_view, name="api-redoc"),
    path("api/v1/problems/", problems.ProblemList.as_view(), name="api-problem-list"),
    path("api/v1/problems/<int:pk>/", problems.ProblemDetail.as_view(), name="api-problem-detail"),
    path("api/v1/problems/<int:pk>/objectives/", problems.ProblemObjectives.as_view(), name="api-problem-objectives"),
    path("api/v1/problems/<int:pk>/actions/", problems.ProblemActions.as_view(), name="api-problem-actions"),
    path(
        "api/v1/problems/<int:pk>/actions/<int:action_pk>/complete/",
        problems.ActionCompleted.as_view(),
        name="api-action-complete",
    ),
    path("api/v1/problems/<int:pk>/updates/", problems.ProblemUpdates.as_view(), name="api-problem-updates"),
    path("api/v1/problems/<int:pk>/decisions/", problems.ProblemDecisions.as_view(), name="api-problem-decisions"),
    path("api/v1/problems/<int:pk>/reviews/", problems.ProblemReviews.as_view(), name="api-problem-reviews"),
    path("api/v1/problems/<int:pk>/shares/", problems.ProblemShares.as_view(), name="api-problem-shares"),
    path("api/v1/shared-with-us/", problems.SharedWithUs.as_view(), name="api-shared-with-us"),
    path("api/v1/agreements/", registry.AgreementList.as_view(), name="api-agreement-list"),
    path("api/v1/agreements/<int:pk>/", registry.AgreementDetail.as_view(), name="api-agreement-detail"),
    path("api/v1/organisations/", registry.OrganisationList.as_view(), name="api-organisation-list"),
    path("api/v1/organisations/<int:pk>/", registry.OrganisationDetail.as_view(), name="api-organisation-detail"),
    path(
        "api/v1/organisations/<int:pk>/contacts/",
        registry.OrganisationContacts.as_view(),
        name="api-organisation-contacts",
    ),
    path("api/v1/engagement-events/", registry.EventList.as_view(), name="api-event-list"),
    path("api/v1/engagement-events/<int:pk>/", registry.EventDetail.as_view(), name="api-event-detail"),
    path("api/v1/priorities/", registry.PriorityList.as_view(), name="api-priority-list"),
    path("api/v1/priorities/<int:pk>/", registry.PriorityDetail.as_view(), name="api-priority-detail"),
    path("api/v1/surveys/", registry.SurveyList.as_view(), name="api-survey-list"),
    path("api/v1/surveys/<int:pk>/results/", registry.SurveyResults.as_view(), name="api-survey-results"),
    path("api/v1/crime-import-runs/", registry.CrimeImportRunList.as_view(), name="api-crime-run-list"),
    path("api/v1/crime-import-runs/<int:pk>/", registry.CrimeImportRunDetail.as_view(), name="api-crime-run-detail"),
    re_path(r"^api/v1/.*$", docs.NotFound.as_view(), name="api-not-found"),
]
