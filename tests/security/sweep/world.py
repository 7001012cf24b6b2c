"""The world both sweeps stand on (the permission matrix and the IDOR sweep): the demo's roles
and one of each kind of object those roles may or may not reach.

Users are named as the demo's accounts; esindaja2 (the representative of liige2's organisation)
and kolmas (a member of a third organisation) are no roles of their own: the IDOR sweep's
positive controls act as them.
"""

import datetime
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.documents import get_document_model
from wagtail.models import Collection, UploadedFile
from wagtail.users.models import UserProfile

from cms.models import ArticleIndexPage, ArticlePage
from forum import services
from forum.discussions.attachments import attach_documents, forum_collection
from forum.inbox.subscriptions import follow_subject
from forum.members import unsubscribe
from forum.members.roles import COORDINATORS as COORDINATORS_GROUP
from forum.members.roles import EDITORS
from forum.models import (
    AdvocacyTopic,
    Discussion,
    ForumTag,
    Invitation,
    Membership,
    Organization,
    OutgoingMail,
    Profile,
    Theme,
)

ROLES = [
    "visitor",
    "liige",
    "liige2",
    "esindaja",
    "koordinaator",
    "toimetaja",
    "admin",
    "deactivated",
    "former",
]

REP = Membership.Role.REPRESENTATIVE
TOPIC = {
    "title": "Koolitransport maapiirkondades",
    "summary": "Maal elavad lapsed jäävad koolibussi tõttu huviringidest ilma.",
    "problem": "Bussid ei sobi koolipäevaga.",
}
NEW_PASSWORD = "Pikk-uus-parool-2024"


def build_world() -> SimpleNamespace:
    """The objects the URLs point at."""
    User = get_user_model()
    orgs = {o.slug: o for o in Organization.objects.all()}
    paikesekiir, emajoe, vorumaa = (
        orgs[s] for s in ("paikesekiir", "emajoe-noored", "vorumaa-lapsed")
    )
    haridus = Theme.objects.get(slug="haridus")

    def person(username, organization=None, role=Membership.Role.MEMBER, **fields):
        user = User.objects.create_user(
            username, email=f"{username}@example.org", password="demo", **fields
        )
        if organization:
            Membership.objects.create(user=user, organization=orgs[organization], role=role)
        return user

    users = {
        "liige": person("liige", "paikesekiir"),
        "liige2": person("liige2", "emajoe-noored"),
        "esindaja": person("esindaja", "paikesekiir", REP),
        "koordinaator": person("koordinaator"),
        "toimetaja": person("toimetaja", is_staff=True),
        "admin": User.objects.create_superuser("admin", email="admin@example.org", password="x"),
        "deactivated": person("deaktiveeritud", "paikesekiir", is_active=False),
        "former": person("endine", "laanemaa-pere"),
        "esindaja2": person("esindaja2", "emajoe-noored", REP),
        "kolmas": person("kolmas", "vorumaa-lapsed"),
    }
    users["koordinaator"].groups.add(Group.objects.get(name=COORDINATORS_GROUP))
    users["toimetaja"].groups.add(Group.objects.get(name=EDITORS))
    Organization.objects.filter(slug="laanemaa-pere").update(status=Organization.Status.FORMER)
    for user in users.values():
        # Wagtail's admin makes a person's preferences row on their first visit; made here, so
        # that a refused visit to the admin writes nothing.
        UserProfile.get_for_user(user)
    liige, liige2, koord = users["liige"], users["liige2"], users["koordinaator"]
    Profile.objects.get_or_create(user=liige)  # e-mail at once: what an unsubscribe turns off

    # Issues: one visible (raised by liige's organisation, liige2's organisation sees it too),
    # one hidden by a coordinator, one raised by a third organisation.
    def issue(author, organization, title, **fields):
        return services.post_issue(
            author=author, organization=organization, title=title, body="Kirjeldus.",
            theme=haridus, **fields,
        )  # fmt: skip

    visible = issue(liige, paikesekiir, "Koolibuss ei sobi koolipäevaga", tags=["koolitransport"])
    comment = services.add_comment(author=liige, issue=visible, body="Lisan infot.")
    liige2_comment = services.add_comment(author=liige2, issue=visible, body="Meil ka nii.")
    services.add_support(user=liige2, issue=visible, organization=emajoe)
    flag = services.flag_content(reporter=liige2, issue=visible, reason="Palun vaadake üle.")
    other_issue = issue(users["kolmas"], vorumaa, "Mänguväljak on katki")
    hidden = issue(liige, paikesekiir, "Peidetud mure Kuusalu koolis")
    hidden_comment = services.add_comment(author=liige, issue=hidden, body="Minu kommentaar.")
    services.add_support(user=liige2, issue=hidden, organization=emajoe)
    services.hide_issue(moderator=koord, issue=hidden, reason="Isikuandmed.")

    # Topics: one for the network in its working group; one for coordinators only, with its
    # position adopted; one adopted for the network (publishable); one published.
    def topic(title, issues, *, status, visibility="network"):
        described = {"title": title, "summary": TOPIC["summary"], "problem": TOPIC["problem"]}
        if issues:
            reason = "Sama mure mitmes maakonnas."
            created = services.escalate_issues(
                coordinator=koord, issues=issues, reason=reason, **described
            )
        else:
            created = services.create_topic(coordinator=koord, **described)
        services.change_topic_status(
            coordinator=koord, topic=created, status="working_group", note="Alustame."
        )
        services.set_position(user=koord, topic=created, text="Koolibuss sobigu koolipäevaga.")
        if status != "working_group":
            services.change_topic_status(
                coordinator=koord, topic=created, status=status, note="Valmis."
            )
        AdvocacyTopic.objects.filter(pk=created.pk).update(visibility=visibility)
        return AdvocacyTopic.objects.get(pk=created.pk)

    linked_issue = issue(liige2, emajoe, "Õhtust bussi ei ole")
    network_topic = topic(TOPIC["title"], [linked_issue], status="working_group")
    secret_linked_issue = issue(users["kolmas"], vorumaa, "Siseteema mure")
    secret_topic = topic(
        "Siseteema", [secret_linked_issue], status="position_adopted", visibility="coordinators"
    )
    adopted_topic = topic("Vastuvõetud seisukoht", [], status="position_adopted")
    published_topic = services.publish_topic(
        coordinator=koord, topic=topic("Avalik seisukoht", [], status="position_adopted")
    )

    # Discussions: liige's question with liige2's reply; liige2's good practice (with a file)
    # and training need; a third organisation's question with a reply by liige; a hidden question
    # (reply by liige2) and a hidden good practice (with a file), both by liige.
    def discussion(author, organization, kind, title, **fields):
        return services.post_discussion(
            author=author, organization=organization, kind=kind, title=title,
            body="Kuidas teised seda teevad?", **fields,
        )  # fmt: skip

    K = Discussion.Kind
    question = discussion(liige, paikesekiir, K.QUESTION, "Kuidas kaasata isasid?")
    reply = services.add_reply(author=liige2, discussion=question, body="Isade õhtud.")
    practice = discussion(
        liige2, emajoe, K.PRACTICE, "Isade õhtud", details={"results": "Isad tulevad."}
    )
    training = discussion(
        liige2, emajoe, K.TRAINING, "Koolitus kiusamisest", details={"participants": 12}
    )
    other_question = discussion(users["kolmas"], vorumaa, K.QUESTION, "Kust leida vabatahtlikke?")
    other_reply = services.add_reply(author=liige, discussion=other_question, body="Kuulutusega.")
    hidden_question = discussion(liige, paikesekiir, K.QUESTION, "Peidetud küsimus")
    hidden_reply = services.add_reply(author=liige2, discussion=hidden_question, body="Vastus.")
    hidden_practice = discussion(
        liige, paikesekiir, K.PRACTICE, "Peidetud hea tava", details={"results": "Toimib."}
    )

    def attach(to, name):
        files = [SimpleUploadedFile(name, b"Juhendi sisu.")]
        return attach_documents(discussion=to, files=files, user=to.author)[0].document

    document = attach(practice, "juhend.txt")
    hidden_document = attach(hidden_practice, "peidetud.txt")
    for hide in (hidden_question, hidden_practice):
        services.hide_discussion(moderator=koord, discussion=hide, reason="Isikuandmed.")

    subscription = follow_subject(user=liige, kind=K.TRAINING)
    liige2_subscription = follow_subject(user=liige2, kind=K.PRACTICE)

    # Invitations: one to liige's address (an existing account) into liige2's organisation,
    # one used, one expired, one fresh (the control's).
    def invite(email, organization=paikesekiir, inviter=users["esindaja"]):
        return services.invite_person(inviter=inviter, organization=organization, email=email)

    to_liige = invite("liige@example.org", emajoe, koord)
    used = invite("kasutatud@example.org")
    services.accept_invitation(
        token=used.token, username="kasutatud", first_name="Kaja", last_name="Kask",
        password=NEW_PASSWORD,
    )  # fmt: skip
    expired = invite("aegunud@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires=timezone.now() - datetime.timedelta(1))
    fresh = invite("uus@example.org")

    applicant = services.apply_for_membership(
        name="MTÜ Testi Lapsed", registry_code="80991234", contact_name="Mari Maasikas",
        contact_email="mari@example.org", county=paikesekiir.county,
        field_of_work="noorsootöö", motivation="Tahame kaasa rääkida.",
    )  # fmt: skip
    spare_theme = Theme.objects.create(name="Testivaldkond", name_en="Test theme", slug="test")
    outgoing_mail = OutgoingMail.objects.create(
        from_email="info@koda.invalid", to=["liige2@example.org"], subject="Uus kommentaar",
        body="Teie murele vastati.",
    )  # fmt: skip

    # The public site: a draft page nobody may see at its address.
    news = ArticleIndexPage.objects.get(locale__language_code="et")
    draft = ArticlePage(
        title="Mustand", slug="idor-mustand", lead="Mustand.", locale=news.locale, live=False
    )
    news.add_child(instance=draft)
    root_path = news.get_site().root_page.url_path

    upload = UploadedFile.objects.create(
        file=SimpleUploadedFile("laadimine.txt", b"Laaditud."),
        for_content_type=ContentType.objects.get_for_model(get_document_model()),
        uploaded_by_user=users["toimetaja"],
    )

    return SimpleNamespace(
        users=users,
        orgs=orgs,
        issue=visible.pk,
        comment=comment.pk,
        liige2_comment=liige2_comment.pk,
        flag=flag.pk,
        other_issue=other_issue.pk,
        hidden_issue=hidden.pk,
        hidden_comment=hidden_comment.pk,
        tag=ForumTag.objects.get(name="koolitransport").slug,
        topic=network_topic.pk,
        linked_issue=linked_issue.pk,
        secret_topic=secret_topic.pk,
        secret_linked_issue=secret_linked_issue.pk,
        adopted_topic=adopted_topic.pk,
        published_topic=published_topic.pk,
        question=question.pk,
        reply=reply.pk,
        practice=practice.pk,
        training=training.pk,
        other_reply=other_reply.pk,
        hidden_question=hidden_question.pk,
        hidden_reply=hidden_reply.pk,
        hidden_practice=hidden_practice.pk,
        document=(document.pk, document.filename),
        hidden_document=(hidden_document.pk, hidden_document.filename),
        forum_collection=forum_collection().pk,
        root_collection=Collection.get_first_root_node().pk,
        subscription=subscription.pk,
        liige2_subscription=liige2_subscription.pk,
        to_liige=to_liige.token,
        used_invitation=used.token,
        expired_invitation=expired.token,
        fresh_invitation=fresh.token,
        applicant=applicant.pk,
        applicant_slug=applicant.slug,
        spare_theme=spare_theme.pk,
        outgoing_mail=outgoing_mail.pk,
        liige_membership=Membership.objects.get(user=liige).pk,
        liige2_membership=Membership.objects.get(user=liige2).pk,
        draft_path=draft.url_path[len(root_path) :],
        news_path=news.url_path[len(root_path) :],
        upload=upload.pk,
        unsubscribe_token=unsubscribe.make_token(liige),
        liige2_uid=urlsafe_base64_encode(force_bytes(liige2.pk)),
        # The permission matrix's constant URL arguments.
        supporter="emajoe-noored",
        organization="paikesekiir",
        export_kind="issues",
        export_format="csv",
    )
