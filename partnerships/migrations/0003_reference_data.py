"""Reference lists: data categories for agreements, and seldom-heard groups (DESIGN.md section 2).
Administrators may add to both; this migration only creates what is missing."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DATA_CATEGORIES = [
    ("aggregate-crime-asb", "Aggregated crime and ASB counts", "non_personal"),
    ("location-data", "Locations and addresses of incidents", "non_personal"),
    ("identity-contact", "Names and contact details", "personal"),
    ("asb-reports", "ASB reports and complaints", "personal"),
    ("housing-tenancy", "Housing and tenancy information", "personal"),
    ("education-attendance", "Education and school attendance", "personal"),
    ("safeguarding", "Safeguarding and vulnerability information", "personal"),
    ("health", "Health information", "special_category"),
    ("ethnicity", "Racial or ethnic origin", "special_category"),
    ("religion", "Religious or philosophical beliefs", "special_category"),
    ("sexual-orientation", "Sex life or sexual orientation", "special_category"),
    ("offending-history", "Offences, allegations and convictions", "criminal_offence"),
    ("intelligence", "Police intelligence about individuals", "criminal_offence"),
]

SELDOM_HEARD_GROUPS = [
    "Young people",
    "Older people",
    "Disabled people",
    "Minority ethnic communities",
    "Faith communities",
    "LGBTQ+ people",
    "Gypsy, Roma and Traveller communities",
    "People experiencing homelessness",
    "Students",
    "Business owners",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    DataCategory = apps.get_model("partnerships", "DataCategory")
    SeldomHeardGroup = apps.get_model("partnerships", "SeldomHeardGroup")
    for code, name, kind in DATA_CATEGORIES:
        DataCategory.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
    for order, name in enumerate(SELDOM_HEARD_GROUPS, start=1):
        SeldomHeardGroup.objects.get_or_create(name=name, defaults={"order": order * 10})


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0002_partner_registry")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
