"""Who gets what from every forum URL: one HTTP request per URL name and role.

DESIGN: issues, comments and everything around them are network-internal. Visitors (and
deactivated accounts, which Django treats as anonymous) are sent to the sign-in page; people
who are not in a member organisation (the editor, a member of a former organisation) are
refused; members read and take part; representatives manage their own organisation and
answer a topic's position for it; coordinators (and the administrator) moderate, triage,
decide applications, escalate issues and run advocacy topics.

Every request uses the same concrete objects (the `world` of world.py, which the IDOR sweep
reads too, built once for both): an issue raised by
liige's organisation "paikesekiir", a comment on it by liige, "we see this too" by liige2's
organisation "emajoe-noored", a flag by liige2, an invitation sent by esindaja, an
applicant organisation, and an advocacy topic for the network in its working group (with a
position to sign) into which a second issue, raised by liige2's organisation, was
escalated; a question asked by liige with a reply by liige2, and a good practice shared by
liige2. Views that only take POST get a POST (the test client does not enforce CSRF) with
empty or minimal data; every other view gets a GET.
"""

from urllib.parse import quote

import pytest
from django.urls import URLResolver, get_resolver, reverse

from forum import services
from forum.models import (
    AdvocacyTopic,
    Comment,
    CommentRevision,
    Discussion,
    ForumTag,
    Issue,
    IssueRevision,
    Membership,
    Support,
    Theme,
    TopicComment,
    TopicIssue,
    TopicSignature,
)

from .world import ROLES, TOPIC

pytestmark = pytest.mark.django_db

SIGN_IN = "/konto/sisene/"
LOGIN = "login"  # a 302 to SIGN_IN?next=<the requested path>


# url name: (method, URL arguments as attributes of the `world` fixture, POST data)
REQUESTS = {
    "issue_list": ("GET", (), None),
    "issue_map": ("GET", (), None),
    "issue_create": ("GET", (), None),
    "tag": ("GET", ("tag",), None),
    "issue_detail": ("GET", ("issue",), None),
    "issue_edit": ("GET", ("issue",), None),
    "issue_support": ("POST", ("issue",), {}),
    "issue_support_withdraw": ("POST", ("issue", "supporter"), {}),
    "issue_comment": ("POST", ("issue",), {"body": "Meil on sama mure."}),
    "issue_follow": ("POST", ("issue",), {}),
    "issue_flag": ("GET", ("issue",), None),
    "issue_status": ("POST", ("issue",), {"status": "in_review"}),
    "issue_merge": ("GET", ("issue",), None),
    "issue_hide": ("GET", ("issue",), None),
    "issue_lock": ("POST", ("issue",), {}),
    "issue_history": ("GET", ("issue",), None),
    "comment_edit": ("GET", ("comment",), None),
    "comment_delete": ("POST", ("comment",), {}),
    "comment_hide": ("GET", ("comment",), None),
    "triage": ("GET", (), None),
    "overview": ("GET", (), None),
    "overview_export": ("GET", ("export_kind", "export_format"), None),
    "tags": ("GET", (), None),
    "flag_dismiss": ("POST", ("flag",), {}),
    "notifications": ("GET", (), None),
    "profile": ("GET", (), None),
    "personal_data_json": ("GET", (), None),
    "personal_data_html": ("GET", (), None),
    "personal_data_zip": ("GET", (), None),
    "account_erase": ("GET", (), None),
    "accept_invitation": ("GET", ("fresh_invitation",), None),
    "organization_manage": ("GET", ("organization",), None),
    "organization_invite": ("POST", ("organization",), {}),
    "membership_toggle": ("POST", ("organization", "liige_membership"), {}),
    "applications": ("GET", (), None),
    "application_decide": ("POST", ("applicant",), {}),
    "issue_escalate": ("GET", ("issue",), None),
    "issues_escalate": ("POST", (), {}),
    "issues_triage": ("POST", (), {}),
    "topic_list": ("GET", (), None),
    "topic_create": ("GET", (), None),
    "topic_detail": ("GET", ("topic",), None),
    "topic_publish": ("POST", ("topic",), {"action": "publish"}),
    "topic_public": ("GET", ("topic",), None),
    "topic_edit": ("GET", ("topic",), None),
    "topic_transition": ("POST", ("topic",), {"status": "position_adopted", "note": "Valmis."}),
    "topic_position": ("GET", ("topic",), None),
    "topic_join": ("POST", ("topic",), {"join": "1"}),
    "topic_comment": ("POST", ("topic",), {"body": "Toetame."}),
    "topic_sign": ("POST", ("topic",), {"stance": "sign"}),
    "topic_unlink": ("POST", ("topic", "linked_issue"), {"reason": "Ei kuulu siia."}),
    "discussion_list": ("GET", (), None),
    "discussion_create": ("GET", (), None),
    "discussion_detail": ("GET", ("question",), None),
    "discussion_edit": ("GET", ("question",), None),
    "discussion_reply": ("POST", ("question",), {"body": "Meil toimis nii."}),
    "discussion_accept": ("POST", ("question",), {"reply": ""}),
    "discussion_helpful": ("POST", ("practice",), {"helpful": "1"}),
    "discussion_follow": ("POST", ("question",), {"follow": "1"}),
    "discussion_flag": ("GET", ("question",), None),
    "discussion_hide": ("GET", ("question",), None),
    "discussion_lock": ("POST", ("question",), {"lock": "1"}),
    "discussion_history": ("GET", ("question",), None),
    "reply_edit": ("GET", ("reply",), None),
    "reply_delete": ("POST", ("reply",), {}),
    "reply_helpful": ("POST", ("reply",), {"helpful": "1"}),
    "reply_flag": ("GET", ("reply",), None),
    "reply_hide": ("GET", ("reply",), None),
    "training_needs": ("GET", (), None),
    "discussion_event_draft": ("POST", ("question",), {}),
    "discussion_article_draft": ("POST", ("practice",), {}),
    "subject_follow": ("POST", (), {"kind": "practice"}),
    "subject_unfollow": ("POST", ("subscription",), {}),
    "unsubscribe": ("GET", ("unsubscribe_token",), None),
}

# The expected status of each request. 302 means a redirect elsewhere than the sign-in page
# (the action was done, or an invalid form was sent back with a message); 400 means the
# permission gate was passed and the form refused the data. "We see this too" (issue_support)
# is refused (403) to the organisation that raised the issue, answers 400 to liige2 (whose
# organisation already said it) and to coordinators (who speak for no organisation). Escalating
# several issues with none ticked sends the coordinator back to the list with a message. Only
# an organisation's representative answers a topic's position (topic_sign): coordinators
# speak for no organisation.
# fmt: off
_TABLE = {
    #                          visitor liige liige2 esind. koord. toimet. admin deact. former
    "issue_list":             (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "issue_map":              (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "issue_create":           (LOGIN,  200,  200,   200,   403,   403,    403,  LOGIN, 403),
    "tag":                    (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "issue_detail":           (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "issue_edit":             (LOGIN,  200,  403,   403,   200,   403,    200,  LOGIN, 403),
    "issue_support":          (LOGIN,  403,  400,   403,   400,   403,    400,  LOGIN, 403),
    "issue_support_withdraw": (LOGIN,  403,  302,   403,   302,   403,    302,  LOGIN, 403),
    "issue_comment":          (LOGIN,  302,  302,   302,   302,   403,    302,  LOGIN, 403),
    "issue_follow":           (LOGIN,  302,  302,   302,   302,   403,    302,  LOGIN, 403),
    "issue_flag":             (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "issue_status":           (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "issue_merge":            (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "issue_hide":             (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "issue_lock":             (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "issue_history":          (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "comment_edit":           (LOGIN,  200,  403,   403,   403,   403,    403,  LOGIN, 403),
    "comment_delete":         (LOGIN,  302,  403,   403,   403,   403,    403,  LOGIN, 403),
    "comment_hide":           (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "triage":                 (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "overview":               (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "overview_export":        (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "tags":                   (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "flag_dismiss":           (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "notifications":          (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "profile":                (LOGIN,  200,  200,   200,   200,   200,    200,  LOGIN, 200),
    "personal_data_json":     (LOGIN,  200,  200,   200,   200,   200,    200,  LOGIN, 200),
    "personal_data_html":     (LOGIN,  200,  200,   200,   200,   200,    200,  LOGIN, 200),
    "personal_data_zip":      (LOGIN,  200,  200,   200,   200,   200,    200,  LOGIN, 200),
    "account_erase":          (LOGIN,  200,  200,   200,   200,   200,    200,  LOGIN, 200),
    "accept_invitation":      (200,    200,  200,   200,   200,   200,    200,  200,   200),
    "organization_manage":    (LOGIN,  403,  403,   200,   200,   403,    200,  LOGIN, 403),
    "organization_invite":    (LOGIN,  403,  403,   400,   400,   403,    400,  LOGIN, 403),
    "membership_toggle":      (LOGIN,  403,  403,   302,   302,   403,    302,  LOGIN, 403),
    "applications":           (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "application_decide":     (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "issue_escalate":         (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "issues_escalate":        (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "issues_triage":          (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "topic_list":             (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "topic_create":           (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "topic_detail":           (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    # The topic is not published: its public page is not found, by anyone who may look.
    "topic_publish":          (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "topic_public":           (LOGIN,  404,  404,   404,   404,   403,    404,  LOGIN, 403),
    "topic_edit":             (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "topic_transition":       (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "topic_position":         (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "topic_join":             (LOGIN,  302,  302,   302,   302,   403,    302,  LOGIN, 403),
    "topic_comment":          (LOGIN,  302,  302,   302,   302,   403,    302,  LOGIN, 403),
    "topic_sign":             (LOGIN,  403,  403,   302,   403,   403,    403,  LOGIN, 403),
    "topic_unlink":           (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    # Discussions: liige asked the question and liige2 replied; liige2 shared the good
    # practice. Only the asker (or a coordinator) accepts an answer; nobody marks their own
    # text as helpful; only the author edits or withdraws a reply.
    "discussion_list":        (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "discussion_create":      (LOGIN,  200,  200,   200,   403,   403,    403,  LOGIN, 403),
    "discussion_detail":      (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "discussion_edit":        (LOGIN,  200,  403,   403,   200,   403,    200,  LOGIN, 403),
    "discussion_reply":       (LOGIN,  302,  302,   302,   302,   403,    302,  LOGIN, 403),
    "discussion_accept":      (LOGIN,  302,  403,   403,   302,   403,    302,  LOGIN, 403),
    "discussion_helpful":     (LOGIN,  302,  403,   302,   302,   403,    302,  LOGIN, 403),
    "discussion_follow":      (LOGIN,  302,  302,   302,   302,   403,    302,  LOGIN, 403),
    "discussion_flag":        (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "discussion_hide":        (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "discussion_lock":        (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "discussion_history":     (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "reply_edit":             (LOGIN,  403,  200,   403,   403,   403,    403,  LOGIN, 403),
    "reply_delete":           (LOGIN,  403,  302,   403,   403,   403,    403,  LOGIN, 403),
    "reply_helpful":          (LOGIN,  302,  403,   302,   302,   403,    302,  LOGIN, 403),
    "reply_flag":             (LOGIN,  200,  200,   200,   200,   403,    200,  LOGIN, 403),
    "reply_hide":             (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    # Coordinators roll up training needs and draft public pages from discussions (a wrong
    # kind goes back to the discussion with a message: 302 as well).
    "training_needs":         (LOGIN,  403,  403,   403,   200,   403,    200,  LOGIN, 403),
    "discussion_event_draft": (LOGIN,  403,  403,   403,   302,   403,    302,  LOGIN, 403),
    "discussion_article_draft": (LOGIN, 403, 403,   403,   302,   403,    302,  LOGIN, 403),
    # Following subjects is for members; someone else's subscription is simply not found (302
    # back with a message, nothing removed). The unsubscribe link is its own credential: it
    # works signed out, for whoever holds it.
    "subject_follow":         (LOGIN,  302,  302,   302,   302,   403,    302,  LOGIN, 403),
    "subject_unfollow":       (LOGIN,  302,  302,   302,   302,   403,    302,  LOGIN, 403),
    "unsubscribe":            (200,    200,  200,   200,   200,   200,    200,  200,   200),
}
# fmt: on

MATRIX = {name: dict(zip(ROLES, row, strict=True)) for name, row in _TABLE.items()}

# Pages that people outside the network may still open with a 200: the invitation link is
# the credential itself (it must work before the person has an account), and the profile is
# the signed-in person's own account page (name, e-mail settings), showing nothing of the
# network's; so are the download of their own data and the erasure of their own account.
OPEN_TO_ANYONE = {"accept_invitation", "unsubscribe"}
OWN_ACCOUNT = {
    "profile", "personal_data_json", "personal_data_html", "personal_data_zip", "account_erase"
}  # fmt: skip
OUTSIDERS = ["visitor", "toimetaja", "deactivated", "former"]


def _forum_url_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _forum_url_names(pattern.url_patterns)
        else:
            yield pattern.name


def _request(client, roles, role, name, world):
    if role != "visitor":
        client.force_login(roles[role])
    method, arguments, data = REQUESTS[name]
    path = reverse(f"forum:{name}", args=[getattr(world, a) for a in arguments])
    if method == "POST":
        return path, client.post(path, data)
    return path, client.get(path)


def _describe(response):
    return f"{response.status_code} {response.get('Location', '')}".strip()


def _assert_answer(response, expected, path):
    if expected == LOGIN:
        assert response.status_code == 302, _describe(response)
        assert response.url == f"{SIGN_IN}?next={quote(path, safe='/')}", _describe(response)
        return
    acceptable = expected if isinstance(expected, set) else {expected}
    assert response.status_code in acceptable, _describe(response)
    if response.status_code == 302:
        assert not response.url.startswith(SIGN_IN), _describe(response)


# 1. The matrix ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        pytest.param(name, role, expected, id=f"{name}-{role}")
        for name, row in MATRIX.items()
        for role, expected in row.items()
    ],
)
def test_permission_matrix(client, roles, world, name, role, expected):
    path, response = _request(client, roles, role, name, world)
    _assert_answer(response, expected, path)


# 2. Completeness and the table's own promises --------------------------------------------------


def test_every_forum_url_is_in_the_matrix():
    names = list(_forum_url_names(get_resolver("forum.urls").url_patterns))
    assert None not in names, "a forum URL has no name, so the matrix cannot cover it"
    missing = [name for name in names if name not in MATRIX]
    assert not missing, f"forum URLs missing from the permission matrix: {', '.join(missing)}"
    stale = sorted(set(MATRIX) - set(names))
    assert not stale, f"the permission matrix names URLs that no longer exist: {stale}"
    assert set(REQUESTS) == set(MATRIX)


def test_the_matrix_never_lets_outsiders_in():
    for name, row in MATRIX.items():
        if name in OPEN_TO_ANYONE:
            continue
        for role in ("visitor", "deactivated"):
            assert row[role] == LOGIN, f"{name}-{role}"
        if name in OWN_ACCOUNT:
            continue
        for role in OUTSIDERS:
            expected = row[role] if isinstance(row[role], set) else {row[role]}
            assert not expected & {200, 302, 400}, f"{name}-{role}"


# POST views that answer a GET with a question whose form sends the POST (deleting one's own
# post asks first: tests/forum/test_delete_confirmation.py shows the GET changes nothing).
ASK_FIRST = {"comment_delete", "reply_delete"}


@pytest.mark.parametrize(
    "name",
    [
        name
        for name, (method, _args, _data) in REQUESTS.items()
        if method == "POST" and name not in ASK_FIRST
    ],
)
def test_state_changing_views_refuse_get(client, roles, world, name):
    """The matrix sends these a POST because they take nothing else; an administrator (who
    passes every permission gate) proves it."""
    client.force_login(roles["admin"])
    _method, arguments, _data = REQUESTS[name]
    response = client.get(reverse(f"forum:{name}", args=[getattr(world, a) for a in arguments]))
    assert response.status_code == 405


def test_a_deactivated_account_is_anonymous_even_with_a_session(client, roles):
    client.force_login(roles["deactivated"])
    response = client.get(reverse("forum:issue_list"))
    assert response.wsgi_request.user.is_anonymous
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


# 3. Reaching other people's things by URL ------------------------------------------------------


def _issue_form_data(issue, **changes):
    return {
        "organization": issue.organization_id,
        "title": issue.title,
        "body": issue.body,
        "theme": issue.theme_id,
        "county": "",
        "municipality": "",
        "tags": "",
        **changes,
    }


@pytest.fixture
def liige_issue(roles, make_issue):
    return make_issue("Mänguväljak on katki", author=roles["liige"], body="Kiik on katki.")


@pytest.mark.parametrize("role", ["liige2", "esindaja"])
def test_only_the_author_edits_an_issue_by_url(client, roles, liige_issue, role):
    url = reverse("forum:issue_edit", args=[liige_issue.pk])
    client.force_login(roles[role])
    assert client.get(url).status_code == 403
    other_theme = Theme.objects.exclude(pk=liige_issue.theme_id).first()
    data = _issue_form_data(
        liige_issue, title="Ülevõetud", body="Muudetud tekst.", theme=other_theme.pk
    )
    assert client.post(url, data).status_code == 403
    unchanged = Issue.objects.get(pk=liige_issue.pk)
    assert (unchanged.title, unchanged.body, unchanged.theme_id) == (
        "Mänguväljak on katki",
        "Kiik on katki.",
        liige_issue.theme_id,
    )
    assert not IssueRevision.objects.filter(issue=liige_issue).exists()


def test_the_author_edits_with_the_same_data(client, roles, liige_issue):
    """The control for the test above: the refused data is a valid edit."""
    client.force_login(roles["liige"])
    data = _issue_form_data(liige_issue, title="Ülevõetud", body="Muudetud tekst.")
    response = client.post(reverse("forum:issue_edit", args=[liige_issue.pk]), data)
    assert response.status_code == 302
    assert Issue.objects.get(pk=liige_issue.pk).title == "Ülevõetud"


@pytest.fixture
def liige2_comment(roles, liige_issue):
    return services.add_comment(author=roles["liige2"], issue=liige_issue, body="Meil ka.")


def test_a_member_cannot_edit_or_delete_another_members_comment(client, roles, liige2_comment):
    client.force_login(roles["liige"])
    edit = reverse("forum:comment_edit", args=[liige2_comment.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"body": "Ülevõetud."}).status_code == 403
    delete = reverse("forum:comment_delete", args=[liige2_comment.pk])
    assert client.post(delete).status_code == 403
    comment = Comment.objects.get(pk=liige2_comment.pk)
    assert (comment.body, comment.edited, comment.deleted) == ("Meil ka.", None, None)
    assert not CommentRevision.objects.filter(comment=comment).exists()


def test_the_comment_author_edits_and_deletes_with_the_same_data(client, roles, liige2_comment):
    client.force_login(roles["liige2"])
    edit = reverse("forum:comment_edit", args=[liige2_comment.pk])
    assert client.post(edit, {"body": "Ülevõetud."}).status_code == 302
    delete = reverse("forum:comment_delete", args=[liige2_comment.pk])
    assert client.post(delete).status_code == 302
    comment = Comment.objects.get(pk=liige2_comment.pk)
    assert comment.body == "Ülevõetud."
    assert comment.deleted is not None


@pytest.mark.parametrize("role", ["liige", "esindaja"])
def test_a_member_cannot_withdraw_another_organisations_support(
    client, roles, organizations, liige_issue, role
):
    services.add_support(
        user=roles["liige2"], issue=liige_issue, organization=organizations["emajoe-noored"]
    )
    client.force_login(roles[role])
    url = reverse("forum:issue_support_withdraw", args=[liige_issue.pk, "emajoe-noored"])
    assert client.post(url).status_code == 403
    assert Support.objects.filter(issue=liige_issue, organization__slug="emajoe-noored").exists()
    assert Issue.objects.get(pk=liige_issue.pk).support_count == 1


@pytest.mark.parametrize("role", ["liige", "liige2", "esindaja"])
def test_a_plain_member_cannot_moderate_an_issue(client, roles, liige_issue, role):
    client.force_login(roles[role])
    pk = liige_issue.pk
    status = client.post(reverse("forum:issue_status", args=[pk]), {"status": "in_review"})
    assert status.status_code == 403
    assert client.post(reverse("forum:issue_lock", args=[pk])).status_code == 403
    hide = client.post(reverse("forum:issue_hide", args=[pk]), {"reason": "Ülevõetud."})
    assert hide.status_code == 403
    issue = Issue.objects.get(pk=pk)
    assert (issue.status, issue.locked, issue.hidden) == (Issue.Status.OPEN, False, False)


@pytest.mark.parametrize("role", ["liige", "esindaja"])
def test_a_plain_member_cannot_rename_a_tag(client, roles, world, role):
    tag = ForumTag.objects.get(slug=world.tag)
    client.force_login(roles[role])
    response = client.post(reverse("forum:tags"), {"tag": tag.pk, "name": "ülevõetud"})
    assert response.status_code == 403
    assert ForumTag.objects.get(pk=tag.pk).name == "koolitransport"


def test_the_coordinator_renames_a_tag_with_the_same_data(client, roles, world):
    tag = ForumTag.objects.get(slug=world.tag)
    client.force_login(roles["koordinaator"])
    response = client.post(reverse("forum:tags"), {"tag": tag.pk, "name": "ülevõetud"})
    assert response.status_code == 302
    assert ForumTag.objects.get(pk=tag.pk).name == "ülevõetud"


def test_the_coordinator_changes_the_status_with_the_same_data(client, roles, liige_issue):
    client.force_login(roles["koordinaator"])
    url = reverse("forum:issue_status", args=[liige_issue.pk])
    assert client.post(url, {"status": "in_review"}).status_code == 302
    assert Issue.objects.get(pk=liige_issue.pk).status == Issue.Status.IN_REVIEW


# A hidden issue ---------------------------------------------------------------------------------

HIDDEN_TITLE = "Peidetav mure Kuusalu koolis"


@pytest.fixture
def hidden(roles, world):
    """The world's issue, hidden by the coordinator after its title was changed to one that
    is easy to look for."""
    Issue.objects.filter(pk=world.issue).update(title=HIDDEN_TITLE)
    issue = Issue.objects.get(pk=world.issue)
    services.hide_issue(moderator=roles["koordinaator"], issue=issue, reason="Isikuandmed.")
    return issue


def _listed(client, title=HIDDEN_TITLE):
    response = client.get(reverse("forum:issue_list"), {"q": title.split()[0]})
    assert response.status_code == 200
    return [issue.title for issue in response.context["issues"]]


@pytest.mark.parametrize("role", ["liige", "liige2", "esindaja"])
def test_a_hidden_issue_is_gone_for_members(client, roles, world, role):
    client.force_login(roles[role])
    Issue.objects.filter(pk=world.issue).update(title=HIDDEN_TITLE)
    assert _listed(client) == [HIDDEN_TITLE]  # the control: listed while visible
    issue = Issue.objects.get(pk=world.issue)
    services.hide_issue(moderator=roles["koordinaator"], issue=issue, reason="Isikuandmed.")
    assert client.get(reverse("forum:issue_detail", args=[issue.pk])).status_code == 404
    assert _listed(client) == []


@pytest.mark.parametrize(
    "name",
    [
        "issue_detail",
        "issue_edit",
        "issue_support",
        "issue_support_withdraw",
        "issue_comment",
        "issue_follow",
        "issue_flag",
        "comment_edit",
        "comment_delete",
    ],
)
@pytest.mark.parametrize("role", ["liige", "liige2"])
def test_every_member_url_of_a_hidden_issue_answers_404(client, roles, world, hidden, name, role):
    """Even to its own author (liige wrote the issue and the comment) and to the
    organisation that supports it (liige2)."""
    _path, response = _request(client, roles, role, name, world)
    assert response.status_code == 404, _describe(response)
    assert Issue.objects.get(pk=hidden.pk).hidden


@pytest.mark.parametrize("role", ["koordinaator", "admin"])
def test_the_coordinator_still_sees_a_hidden_issue(client, roles, hidden, role):
    client.force_login(roles[role])
    assert client.get(reverse("forum:issue_detail", args=[hidden.pk])).status_code == 200
    assert _listed(client) == [HIDDEN_TITLE]


# Advocacy topics --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["liige", "liige2", "esindaja"])
def test_a_plain_member_cannot_run_a_topic_by_url(client, roles, world, role):
    client.force_login(roles[role])
    pk = world.topic
    moved = client.post(
        reverse("forum:topic_transition", args=[pk]),
        {"status": "position_adopted", "note": "Ülevõetud."},
    )
    assert moved.status_code == 403
    edited = client.post(
        reverse("forum:topic_edit", args=[pk]),
        {**TOPIC, "title": "Ülevõetud", "visibility": "public"},
    )
    assert edited.status_code == 403
    unlink = reverse("forum:topic_unlink", args=[pk, world.linked_issue])
    assert client.post(unlink, {"reason": "Ülevõetud."}).status_code == 403
    escalate = reverse("forum:issue_escalate", args=[world.issue])
    assert client.post(escalate, {"topic": str(pk), "reason": "Ülevõetud."}).status_code == 403
    topic = AdvocacyTopic.objects.get(pk=pk)
    assert (topic.status, topic.title, topic.visibility) == (
        "working_group",
        TOPIC["title"],
        "network",
    )
    assert list(TopicIssue.objects.filter(topic=topic).values_list("issue", flat=True)) == [
        world.linked_issue
    ]


def test_the_coordinator_runs_the_topic_with_the_same_data(client, roles, world):
    client.force_login(roles["koordinaator"])
    pk = world.topic
    escalate = reverse("forum:issue_escalate", args=[world.issue])
    assert client.post(escalate, {"topic": str(pk), "reason": "Kuulub siia."}).status_code == 302
    unlink = reverse("forum:topic_unlink", args=[pk, world.linked_issue])
    assert client.post(unlink, {"reason": "Ei kuulu siia."}).status_code == 302
    moved = client.post(
        reverse("forum:topic_transition", args=[pk]),
        {"status": "position_adopted", "note": "Valmis."},
    )
    assert moved.status_code == 302
    topic = AdvocacyTopic.objects.get(pk=pk)
    assert topic.status == "position_adopted"
    assert list(topic.issues.values_list("pk", flat=True)) == [world.issue]


def test_a_representative_answers_only_for_their_own_organisation(
    client, roles, world, make_member, organizations
):
    other = make_member(organization="emajoe-noored", role=Membership.Role.REPRESENTATIVE)
    client.force_login(other)
    url = reverse("forum:topic_sign", args=[world.topic])
    data = {"organization": str(organizations["paikesekiir"].pk), "stance": "sign"}
    assert client.post(url, data).status_code == 400
    assert not TopicSignature.objects.filter(topic_id=world.topic).exists()
    data["organization"] = str(organizations["emajoe-noored"].pk)
    assert client.post(url, data).status_code == 302
    (signature,) = TopicSignature.objects.filter(topic_id=world.topic)
    assert signature.organization.slug == "emajoe-noored"


TOPIC_URLS = [name for name, (_m, arguments, _d) in REQUESTS.items() if "topic" in arguments]


@pytest.mark.parametrize("name", TOPIC_URLS)
@pytest.mark.parametrize("role", ["liige", "liige2", "esindaja"])
def test_every_url_of_a_coordinators_only_topic_answers_404_to_members(
    client, roles, world, name, role
):
    AdvocacyTopic.objects.filter(pk=world.topic).update(visibility="coordinators")
    _path, response = _request(client, roles, role, name, world)
    assert response.status_code in (403, 404), _describe(response)
    if name in ("topic_detail", "topic_position", "topic_join", "topic_comment", "topic_sign"):
        # The member URLs do not even tell that the topic exists.
        assert response.status_code == 404, _describe(response)
    assert not TopicComment.objects.filter(topic_id=world.topic).exists()
    assert not AdvocacyTopic.objects.get(pk=world.topic).working_group.exists()
    assert not TopicSignature.objects.filter(topic_id=world.topic).exists()


# Discussions -------------------------------------------------------------------------------------

DISCUSSION_MEMBER_URLS = [
    "discussion_detail",
    "discussion_edit",
    "discussion_reply",
    "discussion_accept",
    "discussion_follow",
    "discussion_flag",
    "reply_edit",
    "reply_delete",
    "reply_helpful",
    "reply_flag",
]


@pytest.mark.parametrize("name", DISCUSSION_MEMBER_URLS)
@pytest.mark.parametrize("role", ["liige", "liige2"])
def test_every_member_url_of_a_hidden_discussion_answers_404(client, roles, world, name, role):
    """Even to the one who asked (liige) and the one who replied (liige2)."""
    discussion = Discussion.objects.get(pk=world.question)
    services.hide_discussion(moderator=roles["koordinaator"], discussion=discussion, reason="x")
    _path, response = _request(client, roles, role, name, world)
    assert response.status_code == 404, _describe(response)
    stored = Discussion.objects.get(pk=world.question)
    assert (stored.hidden, stored.reply_count, stored.flags.count()) == (True, 1, 0)
    assert stored.replies.filter(deleted__isnull=True, helpful_count=0).count() == 1


@pytest.mark.parametrize("role", ["koordinaator", "admin"])
def test_the_coordinator_still_sees_a_hidden_discussion(client, roles, world, role):
    discussion = Discussion.objects.get(pk=world.question)
    services.hide_discussion(moderator=roles["koordinaator"], discussion=discussion, reason="x")
    client.force_login(roles[role])
    assert client.get(reverse("forum:discussion_detail", args=[discussion.pk])).status_code == 200
