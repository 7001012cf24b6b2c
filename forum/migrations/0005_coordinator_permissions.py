"""Coordinators use Wagtail's admin for organisations, memberships, themes and issues, but
never for user accounts (that would let them make superusers)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "forum": [
        "add_organization", "change_organization", "view_organization",
        "add_membership", "change_membership", "view_membership",
        "add_theme", "change_theme", "view_theme",
        "view_issue",
    ],
    "wagtailadmin": ["access_admin"],
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    app_config = apps.get_app_config("forum")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    coordinators, _ = Group.objects.get_or_create(name="Coordinators")
    for app_label, codenames in PERMISSIONS.items():
        coordinators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0004_themes_and_age_groups"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
