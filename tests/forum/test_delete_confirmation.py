"""Withdrawing a comment or a reply asks first, on a page of its own that says it cannot be
undone; nothing is deleted until that form is sent (issue 20, defect 6)."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import Comment, Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(make_issue, roles):
    issue = make_issue("Koolibuss hilineb")
    return services.add_comment(author=roles["liige"], issue=issue, body="Meil samuti.")


@pytest.fixture
def reply(make_discussion, roles):
    discussion = make_discussion("Kuidas toetada ärevaid noori?")
    return services.add_reply(author=roles["liige"], discussion=discussion, body="Meil samuti.")


@pytest.mark.parametrize(
    ("kind", "url_name", "question"),
    [
        ("comment", "forum:comment_delete", "Kas kustutad oma kommentaari?"),
        ("reply", "forum:reply_delete", "Kas kustutad oma vastuse?"),
    ],
)
def test_deleting_asks_first_and_says_it_cannot_be_undone(
    client, roles, request, kind, url_name, question
):
    post = request.getfixturevalue(kind)
    model = {"comment": Comment, "reply": Reply}[kind]
    client.force_login(roles["liige"])
    thread_page = client.get(post.thread.get_absolute_url()).content.decode()
    url = reverse(url_name, args=[post.pk])
    assert f'<a href="{url}">Kustuta</a>' in thread_page  # a link to the question, not a form
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert question in html and "Seda ei saa tagasi võtta" in html and "Meil samuti." in html
    assert model.objects.get(pk=post.pk).deleted is None  # asking deletes nothing
    response = client.post(url)
    assert response.status_code == 302 and response.url == post.thread.get_absolute_url()
    assert model.objects.get(pk=post.pk).deleted is not None


@pytest.mark.parametrize("kind", ["comment", "reply"])
def test_nobody_else_sees_the_question(client, roles, request, kind):
    post = request.getfixturevalue(kind)
    client.force_login(roles["liige2"])
    url = reverse(f"forum:{kind}_delete", args=[post.pk])
    assert client.get(url).status_code == 403
