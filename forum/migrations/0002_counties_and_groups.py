"""Load Estonia's counties and municipalities from data/omavalitsused.csv (after the 2017
reform), and create the groups that carry the members' and coordinators' roles."""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data" / "omavalitsused.csv"
GROUPS = ["Members", "Coordinators"]


def load(apps, schema_editor):
    County = apps.get_model("forum", "County")
    Municipality = apps.get_model("forum", "Municipality")
    Group = apps.get_model("auth", "Group")
    with DATA.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    counties = {}
    for row in rows:
        name = row["county"]
        if name not in counties:
            counties[name], _ = County.objects.get_or_create(
                name=name, defaults={"slug": slugify(name.replace(" maakond", "maa"))}
            )
        Municipality.objects.get_or_create(
            name=row["municipality"],
            defaults={
                "county": counties[name],
                "slug": slugify(row["municipality"]),
                "kind": row["kind"],
            },
        )
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
