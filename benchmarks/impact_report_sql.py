"""The impact report's figures computed by hand-written SQL, panel by panel: the floor that
benchmarks/test_impact_report.py sets each panel of the report against.

Each `RAW` entry is (SQL, the function that reads its rows into figures) and each `FIGURES` entry
reads the same figures from the report's panel, in the same shape, so that the benchmark can
assert that they agree. The SQL is written for the benchmark's report: the partnership's, for its
force's supervisor (who sees every problem of the force, restricted ones included), so the
visibility rule is `owning_organisation_id = force`; the before/after designs are drawn by LSOA
(the benchmark's problems have no location). Formulas that the report applies to counts in
Python (the relative effect size, the weighted displacement quotient) are left out of both: the
counts they are computed from are compared."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection

from evaluation.selectors.impact_panels import Contribution, ObjectiveResults, ProblemFlow, ReviewStatus
from evaluation.selectors.impact_panels import StageDuration as StageDuration
from evaluation.selectors.impact_sources import CostPanel, CrimePanel, EngagementPanel, TrustPanel

Rows = list[tuple[Any, ...]]
Params = dict[str, Any]

# The report's problems: the force's, in the partnership's neighbourhoods.
_SCOPE = "p.owning_organisation_id = %(force)s AND p.neighbourhood_id = ANY(%(areas)s)"

FLOW = """
    WITH s AS (
        SELECT p.neighbourhood_id AS area, p.category_id, p.stage,
               p.opened_on BETWEEN %(start)s AND %(end)s AS opened,
               coalesce(p.closed_at >= %(first)s AND p.closed_at < %(after)s, false) AS closed
        FROM problems_problem p
        WHERE p.owning_organisation_id = %(force)s
          AND (p.neighbourhood_id = ANY(%(areas)s)
               OR (p.neighbourhood_id IS NULL AND p.owning_organisation_id = ANY(%(orgs)s)))
          AND (p.opened_on BETWEEN %(start)s AND %(end)s OR (p.closed_at >= %(first)s AND p.closed_at < %(after)s))
    )
    SELECT 'area', area, NULL, count(*) FILTER (WHERE opened), count(*) FILTER (WHERE closed) FROM s GROUP BY area
    UNION ALL
    SELECT 'category', s.category_id, c.name, count(*) FILTER (WHERE opened), count(*) FILTER (WHERE closed)
    FROM s JOIN problems_problemcategory c ON c.id = s.category_id WHERE s.area IS NOT NULL GROUP BY 2, 3
    UNION ALL
    SELECT 'stage', NULL, stage, count(*) FILTER (WHERE opened), 0 FROM s WHERE area IS NOT NULL GROUP BY stage
"""


def _flow(rows: Rows) -> dict[str, Any]:
    areas = {key: (o, c) for kind, key, _, o, c in rows if kind == "area" and (o or c)}
    categories = sorted((name, key, o, c) for kind, key, name, o, c in rows if kind == "category")
    stages = {name: o for kind, _, name, o, _ in rows if kind == "stage" and o}
    return {
        "opened": sum(c[2] for c in categories),
        "closed": sum(c[3] for c in categories),
        "categories": categories,
        "stages": stages,
        "areas": areas,
    }


def flow_figures(flow: ProblemFlow) -> dict[str, Any]:
    return {
        "opened": flow.opened,
        "closed": flow.closed,
        "categories": sorted((c.name, c.category_id, c.opened, c.closed) for c in flow.by_category),
        "stages": {s.stage: s.count for s in flow.by_stage if s.count},
        "areas": {a.neighbourhood_id: (a.opened, a.closed) for a in flow.by_area if a.opened or a.closed},
    }


# The median days and the stays of each stage that ended in the period, from the stored stays...
STAGES = f"""
    SELECT i.stage,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (i.left_at - i.entered_at)) / 86400.0),
           COUNT(*)
    FROM problems_stageinterval i JOIN problems_problem p ON p.id = i.problem_id
    WHERE {_SCOPE} AND i.left_at >= %(first)s AND i.left_at < %(after)s AND i.stage <> 'closed'
    GROUP BY i.stage ORDER BY i.stage
"""  # noqa: S608
# ... and recomputed from every transition of those problems, as the report did before the stays
# were stored (measured for the record; not the floor).
STAGES_FROM_TRANSITIONS = f"""
    WITH stays AS (
        SELECT t.from_stage AS stage, t.at AS left_at,
               COALESCE(LAG(t.at) OVER (PARTITION BY t.problem_id ORDER BY t.at, t.id), p.created_at) AS entered_at
        FROM problems_stagetransition t JOIN problems_problem p ON p.id = t.problem_id
        WHERE {_SCOPE} AND t.kind <> 'sign_off'
    )
    SELECT stage, percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM (left_at - entered_at)) / 86400.0),
           COUNT(*)
    FROM stays WHERE left_at >= %(first)s AND left_at < %(after)s AND stage <> 'closed'
    GROUP BY stage ORDER BY stage
"""  # noqa: S608


def _stages(rows: Rows) -> list[tuple[str, float, int]]:
    return [(stage, round(float(median), 6), count) for stage, median, count in rows]


def stage_figures(durations: list[StageDuration]) -> list[tuple[str, float, int]]:
    return sorted((d.stage, round(d.median_days, 6), d.stays) for d in durations if d.median_days is not None)


REVIEWS = f"""
    SELECT count(*) FILTER (WHERE p.stage = ANY(%(open_stages)s)),
           count(*) FILTER (WHERE p.stage = ANY(%(open_stages)s) AND p.next_review_date < %(today)s)
    FROM problems_problem p WHERE {_SCOPE}
"""  # noqa: S608


def review_figures(reviews: ReviewStatus) -> tuple[int, int]:
    return (reviews.open_now, reviews.overdue)


OBJECTIVES = f"""
    SELECT count(*) FILTER (WHERE o.met), count(*) FILTER (WHERE NOT o.met), count(*) FILTER (WHERE o.met IS NULL)
    FROM problems_objective o JOIN problems_problem p ON p.id = o.problem_id
    WHERE {_SCOPE} AND o.target_date BETWEEN %(start)s AND %(end)s
"""  # noqa: S608


def objective_figures(objectives: ObjectiveResults) -> tuple[int, int, int]:
    return (objectives.met, objectives.not_met, objectives.not_assessed)


CONTRIBUTIONS = f"""
    SELECT a.responsible_organisation_id, o.name, count(*), count(DISTINCT a.problem_id)
    FROM problems_responseaction a JOIN problems_problem p ON p.id = a.problem_id
    LEFT JOIN partnerships_organisation o ON o.id = a.responsible_organisation_id
    WHERE {_SCOPE} AND a.status = 'done' AND a.completed_at >= %(first)s AND a.completed_at < %(after)s
    GROUP BY 1, 2 ORDER BY 3 DESC, 2
"""  # noqa: S608


def contribution_figures(contributions: list[Contribution]) -> Rows:
    return [(c.organisation_id, c.organisation, c.actions_done, c.problems) for c in contributions]


# Crime change, and costs and benefits, in one statement (the report's cost panel reuses the crime
# panel's counts): each evaluated problem's design (response started in the period), the crime
# rows of its window in its target and comparison LSOAs read once, counted by crime type, before
# and after (a row in both counts as target), the months of its window with no row held, and the
# benefit of each crime type counted in the target at its unit cost.
CRIME_AND_COSTS = f"""
    WITH d AS MATERIALIZED (
        SELECT d.problem_id, p.reference, p.title, d.crime_types AS types,
               coalesce(regexp_split_to_array(nullif(upper(trim(d.target_lsoa_codes)), ''), '\\s+'),
                        regexp_split_to_array(nullif(upper(trim(p.lsoa_code)), ''), '\\s+')) AS tcodes,
               regexp_split_to_array(nullif(upper(trim(d.comparison_lsoa_codes)), ''), '\\s+') AS ccodes,
               date_trunc('month', d.response_start)::date AS start_a,
               (date_trunc('month', d.response_start) - make_interval(months => d.months_before))::date AS start_b,
               (date_trunc('month', d.response_start) + make_interval(months => d.months_after))::date AS end_a,
               d.missing_months_are_zero AS as_zero,
               round(d.officer_hours * d.officer_hourly_cost, 2) + round(d.partner_hours * d.partner_hourly_cost, 2)
                   + round(d.money_spent, 2) AS cost
        FROM evaluation_evaluationdesign d JOIN problems_problem p ON p.id = d.problem_id
        WHERE {_SCOPE} AND d.response_start BETWEEN %(start)s AND %(end)s
    ), hits AS (
        SELECT d.problem_id, r.crime_type, r.month, r.lsoa_code = ANY(d.tcodes) AS t, r.month >= d.start_a AS after,
               (jsonb_array_length(d.types) = 0 OR jsonb_exists(d.types, r.crime_type)) AS counted
        FROM d JOIN evaluation_crimerecord r
          ON r.lsoa_code = ANY(d.tcodes || coalesce(d.ccodes, '{{}}')) AND r.month >= d.start_b AND r.month < d.end_a
    ), by_type AS (
        SELECT problem_id, crime_type,
               count(*) FILTER (WHERE counted AND t AND NOT after) AS tb,
               count(*) FILTER (WHERE counted AND t AND after) AS ta,
               count(*) FILTER (WHERE counted AND NOT t AND NOT after) AS cb,
               count(*) FILTER (WHERE counted AND NOT t AND after) AS ca
        FROM hits GROUP BY 1, 2
    ), held AS (
        SELECT problem_id, array_agg(DISTINCT month) AS months FROM hits GROUP BY 1
    ), lines AS (
        SELECT d.problem_id, d.reference, d.title, d.cost, d.ccodes IS NOT NULL AS compared,
               coalesce(sum(b.tb), 0) AS tb, coalesce(sum(b.ta), 0) AS ta,
               coalesce(sum(b.cb), 0) AS cb, coalesce(sum(b.ca), 0) AS ca,
               ARRAY(SELECT m::date FROM generate_series(d.start_b, d.end_a - interval '1 month', interval '1 month') m
                     WHERE m::date <> ALL(coalesce(h.months, '{{}}')) ORDER BY 1) AS missing,
               d.as_zero
        FROM d LEFT JOIN by_type b ON b.problem_id = d.problem_id LEFT JOIN held h ON h.problem_id = d.problem_id
        GROUP BY d.problem_id, d.reference, d.title, d.cost, d.ccodes, d.start_b, d.end_a, h.months, d.as_zero
    ), benefits AS (
        SELECT b.crime_type, u.cost IS NULL AS no_unit_cost,
               round(b.tb * x.ratio - b.ta, 2) AS prevented, round((b.tb * x.ratio - b.ta) * u.cost, 2) AS value
        FROM by_type b
        JOIN (SELECT problem_id, CASE WHEN compared AND cb > 0 THEN ca::numeric / cb ELSE 1 END AS ratio FROM lines) x
          ON x.problem_id = b.problem_id
        LEFT JOIN evaluation_crimeunitcost u ON u.crime_type = b.crime_type
        WHERE b.tb > 0 OR b.ta > 0
    )
    SELECT 'line', reference, title, tb, ta, cb, ca, missing, cardinality(missing) > 0 AND NOT as_zero, compared
    FROM lines
    UNION ALL
    SELECT 'totals', NULL, NULL, sum(tb), sum(ta), sum(tb) FILTER (WHERE compared), sum(ta) FILTER (WHERE compared),
           NULL, bool_or(cardinality(missing) > 0 AND NOT as_zero), NULL
    FROM lines
    UNION ALL
    SELECT 'compared', NULL, NULL, count(*) FILTER (WHERE compared), count(*), sum(cb) FILTER (WHERE compared),
           sum(ca) FILTER (WHERE compared), NULL, NULL, NULL
    FROM lines
    UNION ALL
    SELECT 'costs', NULL, string_agg(DISTINCT crime_type, '|' ORDER BY crime_type) FILTER (WHERE no_unit_cost),
           (SELECT sum(cost) FROM lines), sum(value), sum(prevented), NULL, NULL, NULL, NULL
    FROM benefits
"""  # noqa: S608


def _crime_and_costs(rows: Rows) -> dict[str, Any]:
    by_kind: dict[str, Rows] = {}
    for row in rows:
        by_kind.setdefault(row[0], []).append(row[1:])
    _, _, target_before, target_after, compared_before, compared_after, _, withheld, _ = by_kind["totals"][0]
    _, _, compared, problems, comparison_before, comparison_after, *_ = by_kind["compared"][0]
    _, missing_costs, total_cost, total_benefit, prevented, *_ = by_kind["costs"][0]
    return {
        "problems": problems,
        "target": (target_before or 0, target_after or 0),
        "compared": (
            compared,
            compared_before or 0,
            compared_after or 0,
            comparison_before or 0,
            comparison_after or 0,
        ),
        "withheld": bool(withheld),
        "lines": sorted(
            (ref, title, tb, ta, cb if c else None, ca if c else None, list(missing), w)
            for ref, title, tb, ta, cb, ca, missing, w, c in by_kind.get("line", [])
        ),
        "costs": (problems, total_cost or Decimal(0), total_benefit or Decimal(0), prevented or Decimal(0)),
        "missing_unit_costs": missing_costs.split("|") if missing_costs else [],
    }


def crime_and_cost_figures(crime: CrimePanel, costs: CostPanel) -> dict[str, Any]:
    months = {m.reference: list(m.months) for m in crime.missing}
    return {
        "problems": crime.problems,
        "target": (crime.target_before, crime.target_after),
        "compared": (
            crime.compared,
            crime.compared_target_before,
            crime.compared_target_after,
            crime.comparison_before,
            crime.comparison_after,
        ),
        "withheld": crime.effect_withheld,
        "lines": sorted(
            (
                line.reference,
                line.title,
                line.target_before,
                line.target_after,
                line.comparison_before,
                line.comparison_after,
                months.get(line.reference, []),
                line.withheld,
            )
            for line in crime.lines
        ),
        "costs": (costs.problems, costs.total_cost, costs.total_benefit, costs.crimes_prevented),
        "missing_unit_costs": costs.missing_unit_costs,
    }


# Engagement: the events held in the area in the period by kind, and for each active seldom-heard
# group the number of the area's active neighbourhoods where it was reached (represented at an
# event, or a public survey's option mapped to it chosen), in the period.
ENGAGEMENT = """
    SELECT 'kind', e.kind, count(*), coalesce(sum(e.attendees), 0)
    FROM engagement_engagementevent e JOIN partnerships_neighbourhood n ON n.id = e.neighbourhood_id
    WHERE n.organisation_id = %(force)s AND e.neighbourhood_id = ANY(%(areas)s)
      AND e.held_on BETWEEN %(start)s AND %(end)s
    GROUP BY e.kind
    UNION ALL (
    WITH places AS (
        SELECT id FROM partnerships_neighbourhood
        WHERE id = ANY(%(areas)s) AND organisation_id = %(force)s AND active
    ), reached AS (
        SELECT e.neighbourhood_id, g.seldomheardgroup_id AS group_id
        FROM engagement_engagementevent_groups_represented g
        JOIN engagement_engagementevent e ON e.id = g.engagementevent_id
        WHERE e.neighbourhood_id IN (SELECT id FROM places) AND e.held_on BETWEEN %(start)s AND %(end)s
        UNION
        SELECT r.neighbourhood_id, o.seldom_heard_group_id
        FROM evaluation_answer a JOIN evaluation_surveyresponse r ON r.id = a.response_id
        JOIN evaluation_survey s ON s.id = r.survey_id JOIN evaluation_questionoption o ON o.id = a.option_id
        WHERE s.audience = 'public' AND r.neighbourhood_id IN (SELECT id FROM places)
          AND (r.submitted_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s
          AND o.seldom_heard_group_id IS NOT NULL
    )
    SELECT 'group', g.name, count(r.neighbourhood_id), (SELECT count(*) FROM places)
    FROM partnerships_seldomheardgroup g LEFT JOIN reached r ON r.group_id = g.id
    WHERE g.active GROUP BY g.id, g.name)
"""


def _engagement(rows: Rows) -> dict[str, Any]:
    return {
        "kinds": sorted((kind, events, people) for what, kind, events, people in rows if what == "kind"),
        "groups": sorted((name, reached, of) for what, name, reached, of in rows if what == "group"),
    }


def engagement_figures(engagement: EngagementPanel) -> dict[str, Any]:
    return {
        "kinds": sorted((k.kind, k.events, k.attendees) for k in engagement.by_kind),
        "groups": sorted((g.group, g.reached_in, g.neighbourhoods) for g in engagement.coverage),
    }


# Trust and confidence: each round in the area that opened in the period, its responses, and the
# net agreement with each trust item (to one place, ties to even as Python's round) and overall
# (the mean of the items').
TRUST = """
    WITH rounds AS (
        SELECT s.id, n.name AS area, s.title, s.opens_on,
               (SELECT count(*) FROM evaluation_surveyresponse r WHERE r.survey_id = s.id) AS responses
        FROM evaluation_survey s JOIN partnerships_neighbourhood n ON n.id = s.neighbourhood_id
        WHERE s.template_key = %(trust)s AND s.status <> 'draft' AND s.neighbourhood_id = ANY(%(areas)s)
          AND n.organisation_id = %(force)s AND s.opens_on BETWEEN %(start)s AND %(end)s
    ), items AS (
        SELECT r.survey_id, q.item_key,
               round(1000.0::float8 * (count(*) FILTER (WHERE a.value_int >= 4)
                                       - count(*) FILTER (WHERE a.value_int <= 2)) / count(*)) / 10 AS net
        FROM evaluation_answer a JOIN evaluation_surveyresponse r ON r.id = a.response_id
        JOIN evaluation_question q ON q.id = a.question_id
        WHERE r.survey_id IN (SELECT id FROM rounds) AND q.kind = 'agreement' AND q.item_key <> ''
        GROUP BY 1, 2
    )
    SELECT x.area, x.title, x.opens_on, x.responses, round(avg(i.net) * 10) / 10,
           jsonb_object_agg(i.item_key, i.net) FILTER (WHERE i.item_key IS NOT NULL)
    FROM rounds x LEFT JOIN items i ON i.survey_id = x.id
    GROUP BY x.id, x.area, x.title, x.opens_on, x.responses
    ORDER BY x.opens_on, x.area
"""


def _trust(rows: Rows) -> Rows:
    # Django leaves jsonb as text (it decodes JSON fields itself).
    return [(area, title, opens, n, overall, json.loads(net or "{}")) for area, title, opens, n, overall, net in rows]


def trust_figures(trust: TrustPanel) -> Rows:
    return [
        (r.area, r.survey, r.opens_on, r.responses, r.overall, {k: v for k, v in r.net.items() if v is not None})
        for r in trust.rounds
    ]


RAW: dict[str, tuple[str, Callable[[Rows], Any]]] = {
    "problem_flow": (FLOW, _flow),
    "time_in_each_stage": (STAGES, _stages),
    "reviews": (REVIEWS, lambda rows: tuple(rows[0])),
    "objectives": (OBJECTIVES, lambda rows: tuple(rows[0])),
    "partner_contributions": (CONTRIBUTIONS, list),
    "crime_and_costs": (CRIME_AND_COSTS, _crime_and_costs),
    "engagement": (ENGAGEMENT, _engagement),
    "trust": (TRUST, _trust),
}


def raw_figures(panel: str, params: Params) -> Any:
    """The panel's figures by its raw SQL: one statement, its rows read into the figures' shape."""
    sql, read = RAW[panel]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return read([tuple(row) for row in cursor.fetchall()])
