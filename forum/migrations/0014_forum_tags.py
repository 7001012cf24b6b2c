"""The forum's tags move out of taggit's shared table into their own (ForumTag). Each keeps its
id, so the rows that point at it (issues', discussions' and subscriptions' tags) need no
change: only their foreign keys change table. The shared table then forgets the words only the
forum used; a word public pages use too stays there for them."""

import django.db.models.deletion
import taggit.managers
from django.core.management.color import no_style
from django.db import migrations, models


USERS = (("forum", "IssueTag"), ("forum", "DiscussionTag"), ("forum", "Subscription"))


def _forum_tag_ids(apps):
    ids = set()
    for app, model in USERS:
        rows = apps.get_model(app, model).objects.filter(tag__isnull=False)
        ids |= set(rows.values_list("tag_id", flat=True))
    return ids


def copy_forum_tags(apps, schema_editor):
    Tag, ForumTag = apps.get_model("taggit", "Tag"), apps.get_model("forum", "ForumTag")
    tags = Tag.objects.filter(pk__in=_forum_tag_ids(apps))
    ForumTag.objects.bulk_create(ForumTag(pk=t.pk, name=t.name, slug=t.slug) for t in tags)
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [ForumTag]):
            cursor.execute(sql)


def forget_forum_only_tags(apps, schema_editor):
    """Delete from taggit's table the forum's words no other table points at any longer
    (public pages, documents, images: whatever references taggit_tag, read from the database)."""
    connection = schema_editor.connection
    forum_ids = list(apps.get_model("forum", "ForumTag").objects.values_list("pk", flat=True))
    if not forum_ids:
        return
    quote = connection.ops.quote_name
    used = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column, (_target, target_table) in connection.introspection.get_relations(
                cursor, table
            ).items():
                if target_table != "taggit_tag":
                    continue
                marks = ", ".join(["%s"] * len(forum_ids))
                cursor.execute(
                    f"SELECT DISTINCT {quote(column)} FROM {quote(table)}"
                    f" WHERE {quote(column)} IN ({marks})",
                    forum_ids,
                )
                used |= {row[0] for row in cursor.fetchall()}
    apps.get_model("taggit", "Tag").objects.filter(pk__in=set(forum_ids) - used).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('forum', '0013_thread_core'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='ForumTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                ('slug', models.SlugField(allow_unicode=True, max_length=100, unique=True, verbose_name='slug')),
            ],
            options={
                'verbose_name': 'forum tag',
                'verbose_name_plural': 'forum tags',
            },
        ),
        migrations.RunPython(copy_forum_tags, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='discussion',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='forum.DiscussionTag', to='forum.ForumTag', verbose_name='tags'),
        ),
        migrations.AlterField(
            model_name='discussiontag',
            name='tag',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='forum.forumtag'),
        ),
        migrations.AlterField(
            model_name='issue',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='A comma-separated list of tags.', through='forum.IssueTag', to='forum.ForumTag', verbose_name='tags'),
        ),
        migrations.AlterField(
            model_name='issuetag',
            name='tag',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='forum.forumtag'),
        ),
        migrations.AlterField(
            model_name='subscription',
            name='tag',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='forum.forumtag'),
        ),
        migrations.RunPython(forget_forum_only_tags, migrations.RunPython.noop),
    ]
