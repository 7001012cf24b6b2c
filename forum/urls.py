"""The forum's addresses: each room's, under one namespace, so that URL names stay "forum:…"."""

from forum.discussions import urls as discussions
from forum.issues import urls as issues
from forum.members import urls as members
from forum.moderation import urls as moderation
from forum.notifications import urls as notifications
from forum.personal_data import urls as personal_data
from forum.topics import urls as topics

app_name = "forum"

urlpatterns = [
    *issues.urlpatterns,
    *discussions.urlpatterns,
    *topics.urlpatterns,
    *moderation.urlpatterns,
    *notifications.urlpatterns,
    *members.urlpatterns,
    *personal_data.urlpatterns,
]
