"""Coordinators inspect discussions in Wagtail's admin, as they do issues (view only: they
change through the forum's services)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("forum")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    coordinators, _ = Group.objects.get_or_create(name="Coordinators")
    coordinators.permissions.add(
        *Permission.objects.filter(content_type__app_label="forum", codename="view_discussion")
    )


class Migration(migrations.Migration):
    dependencies = [("forum", "0007_discussions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
