"""URLs of the evaluation app: each concept's view module lists its own (surveys, crime data,
impact)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []

from evaluation.views import award as award_views  # noqa: E402
from evaluation.views import impact as impact_views  # noqa: E402

urlpatterns += impact_views.urlpatterns + award_views.urlpatterns

from evaluation.views import surveys as survey_views  # noqa: E402
from evaluation.views import surveys_answer as survey_answer_views  # noqa: E402
from evaluation.views import surveys_questions as survey_question_views  # noqa: E402
from evaluation.views import surveys_results as survey_results_views  # noqa: E402

# surveys/trends/ comes before surveys/<int:pk>/ only by convention: an int converter never matches it.
urlpatterns += (
    survey_views.urlpatterns
    + survey_question_views.urlpatterns
    + survey_results_views.urlpatterns
    + survey_answer_views.urlpatterns
)

from evaluation.views import assessment as assessment_views  # noqa: E402
from evaluation.views import crime as crime_views  # noqa: E402

urlpatterns += crime_views.urlpatterns + assessment_views.urlpatterns

from evaluation.views import hotspots as hotspot_views  # noqa: E402

urlpatterns += hotspot_views.urlpatterns

from evaluation.views import partnership_health as partnership_health_views  # noqa: E402

urlpatterns += partnership_health_views.urlpatterns
