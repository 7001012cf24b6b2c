"""The "Members" group was never read: a member's role is their Membership of an organisation
(forum.permissions). The group goes; its people keep every membership."""

from django.db import migrations


def remove_members_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Members").delete()


def restore_members_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Members")


class Migration(migrations.Migration):
    dependencies = [("forum", "0011_discussion_and_reply_revisions")]

    operations = [migrations.RunPython(remove_members_group, restore_members_group)]
