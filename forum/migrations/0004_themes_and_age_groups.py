"""The starting list of themes (coordinators keep it in the admin) and the age groups."""

from django.db import migrations

THEMES = [
    ("haridus", "Haridus ja kool", "Education and school"),
    ("vaimne-tervis", "Tervis ja vaimne tervis", "Health and mental health"),
    ("turvalisus", "Turvalisus ja vägivalla ennetamine", "Safety and violence prevention"),
    ("perede-toetamine", "Perede toetamine", "Family support"),
    ("lastekaitse", "Lastekaitse ja sotsiaalhoolekanne", "Child protection and social welfare"),
    ("huvitegevus", "Vaba aeg ja huvitegevus", "Leisure and hobby activities"),
    ("digiturvalisus", "Digiturvalisus", "Online safety"),
    ("kaasamine", "Lapse õigused ja kaasamine", "Children's rights and participation"),
]

AGE_GROUPS = [
    ("0-2", "0–2 (imikud ja väikelapsed)", "0–2 (babies and toddlers)"),
    ("3-6", "3–6 (lasteaiaealised)", "3–6 (kindergarten age)"),
    ("7-12", "7–12 (algkooliealised)", "7–12 (primary school age)"),
    ("13-17", "13–17 (noorukid)", "13–17 (adolescents)"),
    ("18-26", "18–26 (noored täiskasvanud)", "18–26 (young adults)"),
]


def load(apps, schema_editor):
    Theme = apps.get_model("forum", "Theme")
    AgeGroup = apps.get_model("forum", "AgeGroup")
    for order, (slug, name, name_en) in enumerate(THEMES):
        Theme.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    for order, (slug, name, name_en) in enumerate(AGE_GROUPS):
        AgeGroup.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("forum", "0003_issues")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
