"""The forum's addresses: each room's, under one namespace, so that URL names stay "forum:…"."""

from forum.discussions import urls as discussions
from forum.inbox import urls as inbox
from forum.issues import urls as issues
from forum.members import urls as members
from forum.moderation import urls as moderation
from forum.personal_data import urls as personal_data
from forum.topics import urls as topics

app_name = "forum"

urlpatterns = [
    *issues.urlpatterns,
    *discussions.urlpatterns,
    *topics.urlpatterns,
    *moderation.urlpatterns,
    *inbox.urlpatterns,
    *members.urlpatterns,
    *personal_data.urlpatterns,
]
