"""Editors (toimetaja) edit *and publish* the public pages, and keep the partners and the
contact details; Wagtail's default Editors group may only edit pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CMS_PERMISSIONS = [
    "add_partner",
    "change_partner",
    "delete_partner",
    "change_contactsettings",
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    editors, _ = Group.objects.get_or_create(name="Editors")

    # Model permissions are normally created after migrating; create cms's now to grant them.
    app_config = apps.get_app_config("cms")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="cms", codename__in=CMS_PERMISSIONS)
    )

    root = Page.objects.filter(depth=1).first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    if root and publish:
        GroupPagePermission.objects.get_or_create(group=editors, page=root, permission=publish)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
