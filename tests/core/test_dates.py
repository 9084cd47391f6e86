"""The `date` filter every template uses (core.templatetags.dates) gives exactly Django's own
`date` filter's text: every format code, literal and escape, dates and datetimes, aware ones in
several time zones, other languages, and the values and formats it hands back to Django."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.template.defaultfilters import date as django_date
from django.utils import timezone, translation

from core.templatetags.dates import date

FORMATS = [
    "j M Y",
    "j F Y",
    "j M Y H:i",
    "F Y",
    "j F Y, H:i",
    "M Y",
    "j F Y H:i",
    "H:i, j M Y",
    r"H:i \o\n j F Y",
    "j M Y H:i:s",
    "d/m/y n G",
    r"\j\M \Y j",
    "Y-m-d",
    "D, d N Y",  # codes not formatted here: handed to Django
    "DATE_FORMAT",  # a setting's name: handed to Django
    "",
]
DAYS = [datetime.date(2026, month, day) for month in range(1, 13) for day in (1, 9, 28)] + [
    datetime.date(1, 1, 1),
    datetime.date(999, 12, 31),
    datetime.date(2024, 2, 29),
]
MOMENTS = [datetime.datetime(2026, 3, 29, 0, 59, 7), datetime.datetime(2026, 10, 25, 1, 30, 0)]


def _aware(moment: datetime.datetime, zone: str) -> datetime.datetime:
    return moment.replace(tzinfo=datetime.UTC).astimezone(zoneinfo.ZoneInfo(zone))


@pytest.mark.parametrize("language", ["en-gb", "fr", "de", "cy"])
@pytest.mark.parametrize("form", FORMATS)
def test_dates_give_django_date_filters_text(form: str, language: str) -> None:
    with translation.override(language):
        for day in DAYS:
            try:
                expected = django_date(day, form)
            except TypeError:
                with pytest.raises(TypeError):
                    date(day, form)
            else:
                assert date(day, form) == expected, (day, form, language)


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "America/St_Johns", "Asia/Kathmandu"])
@pytest.mark.parametrize("form", FORMATS)
def test_datetimes_give_django_date_filters_text(form: str, zone: str) -> None:
    for moment in MOMENTS:
        for value in (moment, _aware(moment, zone), moment.replace(microsecond=999_999)):
            assert date(value, form) == django_date(value, form), (value, form)


@pytest.mark.parametrize("value", [None, "", "2026-01-01", 17, datetime.time(9, 5)])
def test_other_values_give_django_date_filters_text(value: Any) -> None:
    for form in ("j M Y", "H:i", None):
        assert date(value, form) == django_date(value, form)


def test_a_date_asked_for_its_time_is_refused_as_django_refuses_it() -> None:
    with pytest.raises(TypeError):
        date(datetime.date(2026, 1, 1), "j M Y H:i")


@pytest.mark.parametrize("zone", ["Europe/London", "Pacific/Auckland"])
def test_templates_use_it_with_times_in_the_current_time_zone(settings: Any, zone: str) -> None:
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    engine = Engine(builtins=["core.templatetags.dates"])
    plain = Engine()
    source = '{{ when|date:"j F Y, H:i" }} {{ when|date:"DATE_FORMAT" }} {{ day|date:"j M Y" }}'
    context = {"when": moment, "day": moment.date()}
    with timezone.override(zone):
        ours = engine.from_string(source).render(Context(context))
        assert ours == plain.from_string(source).render(Context(context))
    assert "2026" in ours


def test_the_project_templates_use_this_filter(settings: Any) -> None:
    rendered = Template('{{ day|date:"j M Y" }}').render(Context({"day": datetime.date(2026, 1, 5)}))
    assert rendered == "5 Jan 2026"
    from django.template import engines

    assert engines["django"].engine.template_builtins[-1].filters["date"] is date
    with pytest.raises(TemplateSyntaxError):
        Template("{{ day|date:'j' 'M' }}")
