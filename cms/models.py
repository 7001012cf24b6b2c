from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Subquery
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from koda.english_paths import localized
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index

import forum.core.converters  # noqa: F401 (registers <id:…>)
from cms.calendar import calendar_response
from forum.core.county_map import county_map
from forum.models import (
    AdvocacyTopic,
    TopicEvent,
    TopicPosition,
    TopicSignature,
)
from forum.topics.reach import topic_reach

from .blocks import RICH_TEXT_FEATURES, BodyBlock

PAGE_SIZE = 10


def _paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of `queryset` for ?page=N; out-of-range or malformed numbers give a valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class ImageAltMixin(models.Model):
    """A page's leading image with its alternative text; the text is required with the image."""

    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describe the image for people who cannot see it."),
    )

    image_panels = [
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading=_("Image"))
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.image_id and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Write an alternative text for the image, or remove the image.")}
            )

    @staticmethod
    def with_images(pages):
        """`pages` with their images and the images' renditions: a card each, two queries."""
        return pages.select_related("image").prefetch_related("image__renditions")

    @property
    def og_image(self):
        return self.image


class HomePage(Page):
    introduction = models.TextField(_("introduction"))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    join_title = models.CharField(_("call to join: title"), max_length=120, blank=True)
    join_text = models.TextField(_("call to join: text"), blank=True)
    join_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call to join: page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ["wagtailcore.Page"]

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("join_title"), FieldPanel("join_text"), FieldPanel("join_page")],
            heading=_("Call to join"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = ImageAltMixin.with_images(
            ArticlePage.objects.live().public().filter(locale_id=self.locale_id)
        ).order_by("-date", "-pk")
        context["latest_news"] = articles.filter(kind=ArticlePage.Kind.NEWS)[:3]
        context["positions"] = articles.filter(kind=ArticlePage.Kind.POSITION)[:3]
        context["upcoming_events"] = ImageAltMixin.with_images(
            EventPage.objects.live().public().filter(locale_id=self.locale_id).upcoming()
        ).order_by("start")[:3]
        return context


class StandardPage(ImageAltMixin, Page):
    lead = models.TextField(_("lead"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = (
        Page.content_panels
        + [FieldPanel("lead")]
        + ImageAltMixin.image_panels
        + [FieldPanel("body")]
    )
    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")


class ArticleIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    subpage_types = ["cms.ArticlePage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("article index")
        verbose_name_plural = _("article indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles_here = ArticlePage.objects.child_of(self).live().public()
        articles = ImageAltMixin.with_images(articles_here).order_by("-date", "-pk")
        # Only the tags of these articles: any other word, wherever it is used, is not one.
        tags = Tag.objects.filter(cms_articlepagetag_items__content_object__in=articles_here)
        tag = None
        if slug := request.GET.get("tag"):
            tag = tags.filter(slug=slug).first()
            articles = articles.filter(tags=tag) if tag else articles.none()
        context["tag"] = tag
        context["requested_tag"] = request.GET.get("tag", "")
        context["articles"] = _paginate(request, articles)
        context["tags"] = tags.distinct().order_by("name")
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(ImageAltMixin, Page):
    """News and the network's positions."""

    class Kind(models.TextChoices):
        NEWS = "news", _("news")
        POSITION = "position", _("position")

    date = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    lead = models.TextField(_("lead"), help_text=_("One or two sentences shown in lists."))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))

    parent_page_types = ["cms.ArticleIndexPage"]
    subpage_types = []

    content_panels = (
        Page.content_panels
        + [
            FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
            FieldPanel("lead"),
        ]
        + ImageAltMixin.image_panels
        + [
            FieldPanel("body"),
            FieldPanel("tags"),
            InlinePanel("related_links", label=_("Related articles")),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("date"),
        index.FilterField("kind"),
    ]

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [models.Index(fields=["kind", "-date"])]

    @property
    def related_articles(self):
        """The editor's choice, or else the newest articles sharing a tag."""
        chosen = [
            link.related
            for link in self.related_links.select_related("related")
            if link.related.live
        ]
        if chosen:
            return chosen
        return (
            ArticlePage.objects.live()
            .public()
            .filter(locale_id=self.locale_id, tags__in=self.tags.all())
            .exclude(pk=self.pk)
            .distinct()
            .order_by("-date")[:3]
        )


class ArticleRelatedLink(Orderable):
    page = ParentalKey(ArticlePage, related_name="related_links", on_delete=models.CASCADE)
    related = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("related")]


class EventIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("introduction"), blank=True)

    subpage_types = ["cms.EventPage"]
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("event index")
        verbose_name_plural = _("event indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = ImageAltMixin.with_images(EventPage.objects.child_of(self).live().public())
        context["upcoming_events"] = events.upcoming().order_by("start")
        context["past_events"] = _paginate(request, events.past().order_by("-start"))
        return context

    @path("")
    def index(self, request):
        return self.render(request)

    @path(localized("kalender/"), name="calendar")
    def calendar(self, request):
        """The upcoming events, for a calendar to subscribe to."""
        events = EventPage.objects.child_of(self).live().public().upcoming().order_by("start")
        return calendar_response(events, request, name=self.title, filename=self.title)


class EventPageQuerySet(PageQuerySet):
    def upcoming(self):
        return self.filter(end__gte=timezone.now())

    def past(self):
        return self.filter(end__lt=timezone.now())


class EventPage(RoutablePageMixin, ImageAltMixin, Page):
    """A training or seminar."""

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    location = models.CharField(
        _("place"), max_length=255, blank=True, help_text=_("Address or venue; empty if online.")
    )
    online = models.BooleanField(_("online"), default=False)
    lead = models.TextField(_("lead"), help_text=_("One or two sentences shown in lists."))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    registration_info = RichTextField(_("registration"), features=RICH_TEXT_FEATURES, blank=True)
    registration_url = models.URLField(_("registration link"), blank=True)
    registration_deadline = models.DateField(_("registration deadline"), null=True, blank=True)
    registration_email = models.EmailField(
        _("registration by e-mail"),
        blank=True,
        help_text=_("Where people write to register, if not (or also) through the link."),
    )

    objects = PageManager.from_queryset(EventPageQuerySet)()

    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []

    content_panels = (
        Page.content_panels
        + [
            FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
            FieldRowPanel([FieldPanel("location"), FieldPanel("online")]),
            FieldPanel("lead"),
        ]
        + ImageAltMixin.image_panels
        + [
            FieldPanel("body"),
            MultiFieldPanel(
                [
                    FieldPanel("registration_info"),
                    FieldPanel("registration_url"),
                    FieldPanel("registration_email"),
                    FieldPanel("registration_deadline"),
                ],
                heading=_("Registration"),
            ),
        ]
    )
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("location"),
        index.FilterField("start"),
    ]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["end"]), models.Index(fields=["start"])]

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The event cannot end before it starts.")
        if not self.online and not self.location.strip():
            errors["location"] = _("Give the place, or mark the event as online.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self):
        return self.end < timezone.now()

    @path("")
    def event(self, request):
        return self.render(request)

    @path(localized("kalender/"), name="calendar")
    def calendar(self, request):
        """This event as a file to add to one's calendar."""
        return calendar_response([self], request, name=self.title, filename=self.slug)


class PartnersPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("international partners page")
        verbose_name_plural = _("international partners pages")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["partners"] = Partner.objects.filter(locale_id=self.locale_id).select_related(
            "logo"
        )
        return context


class Partner(TranslatableMixin, models.Model):
    """An international partner organisation of the Koda."""

    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=100)
    description = models.TextField(_("description"))
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("country"),
        FieldPanel("description"),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]
        verbose_name = _("international partner")
        verbose_name_plural = _("international partners")

    def __str__(self):
        return self.name


class MemberDirectoryPage(RoutablePageMixin, Page):
    """The public directory of member organisations (forum.Organization with status member),
    each with its own page below this one at <slug>/, where the site search finds it."""

    intro = models.TextField(_("introduction"), blank=True)

    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = _("member directory")
        verbose_name_plural = _("member directories")

    @classmethod
    def for_active_language(cls):
        """The live member directory of the active language, or None."""
        return cls.objects.live().public().filter(locale__language_code=get_language()).first()

    def organization_path(self, organization) -> str:
        return self.reverse_subpage("organization", args=[organization.slug])

    @path("")
    def directory(self, request):
        from forum.models import County, Organization

        organizations = Organization.objects.members().select_related("county")
        county = County.objects.filter(slug=request.GET.get("maakond", "")).first()
        if county:
            organizations = organizations.filter(county=county)
        counties = County.objects.filter(
            organizations__status=Organization.Status.MEMBER
        ).distinct()
        return self.render(
            request,
            context_overrides={
                "county": county,
                "counties": counties,
                "organizations": _paginate(request, organizations, per_page=30),
            },
        )

    @path("<slug:slug>/", name="organization")
    def organization(self, request, slug):
        from forum.models import Organization

        organization = get_object_or_404(
            Organization.objects.members().select_related("county"), slug=slug
        )
        return self.render(
            request,
            template="cms/member_directory_organization.html",
            context_overrides={
                "organization": organization,
                "ancestors": self.get_ancestors(inclusive=True).filter(depth__gte=2),
                "crumb": {"title": organization.name},
            },
        )


class JoinPage(RoutablePageMixin, Page):
    """ "Why join?" with the membership application form; sent applications land on a thank-you
    page so that reloading cannot send them twice."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)
    form_title = models.CharField(_("form title"), max_length=120)
    form_intro = models.TextField(_("form introduction"), blank=True)
    thank_you_text = RichTextField(_("thank-you text"), features=RICH_TEXT_FEATURES)

    subpage_types = []
    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("form_title"), FieldPanel("form_intro"), FieldPanel("thank_you_text")],
            heading=_("Application form"),
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    class Meta:
        verbose_name = _("join page")
        verbose_name_plural = _("join pages")

    @path("")
    def application(self, request):
        from koda import ratelimit

        from forum.services import apply_for_membership

        from .forms import MembershipApplicationForm

        form = MembershipApplicationForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid() and ratelimit.allow(request, "join", form):
            try:
                apply_for_membership(**form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(self.url + self.reverse_subpage("thanks"))
        return self.render(request, context_overrides={"form": form})

    @path(localized("aitah/"), name="thanks")
    def thanks(self, request):
        return TemplateResponse(request, "cms/join_page_thanks.html", self.get_context(request))


# Advocacy topics on the public site --------------------------------------------------------


def topic_slug(topic) -> str:
    return slugify(topic.title) or "teema"


def reach_text(organizations: int, counties: int) -> str:
    """ "Raised by 5 organisations in 3 counties." (empty for a topic without issues)"""
    if not organizations:
        return ""
    raised_by = ngettext("%(count)d organisation", "%(count)d organisations", organizations) % {
        "count": organizations
    }
    if not counties:  # every issue concerns all of Estonia
        return gettext("Raised by %(organisations)s.") % {"organisations": raised_by}
    where = ngettext("%(count)d county", "%(count)d counties", counties) % {"count": counties}
    return gettext("Raised by %(organisations)s in %(counties)s.") % {
        "organisations": raised_by,
        "counties": where,
    }


def add_reach(topics) -> None:
    """Set `reach` on each topic: how many organisations in how many counties raised it
    (forum.topics.reach), and `reach_by_county`: how many organisations named each county, by
    the county's id. Two queries for any number of topics; nothing of the issues themselves
    leaves this function."""
    reach = topic_reach([topic.pk for topic in topics])
    for topic in topics:
        counted = reach[topic.pk]
        topic.reach = reach_text(len(counted.organizations), len(counted.counties))
        topic.reach_by_county = {
            county: len(organizations)
            for county, organizations in counted.county_organizations.items()
        }


def topic_milestones(topic) -> list[dict]:
    """The public milestones, oldest first: the position adopted, submitted (to whom), the
    outcome, each from the latest such transition, and the publication. The coordinators'
    notes on the transitions stay in the forum."""
    T = AdvocacyTopic.Status
    # Oldest first, so the latest of each transition wins.
    reached = dict(
        topic.events.filter(
            action=TopicEvent.Action.TRANSITION,
            to_status__in=[T.POSITION_ADOPTED, T.SUBMITTED, T.OUTCOME],
        ).values_list("to_status", "created")
    )
    milestones = []
    if T.POSITION_ADOPTED in reached:
        milestones.append(
            {"date": reached[T.POSITION_ADOPTED], "label": gettext("Position adopted")}
        )
    if T.SUBMITTED in reached:
        kind = topic.get_institution_kind_display() if topic.institution_kind else ""
        if topic.institution and kind:
            to = f"{topic.institution} ({kind})"
        else:
            to = topic.institution or kind
        milestones.append(
            {"date": reached[T.SUBMITTED], "label": gettext("Position submitted"), "detail": to}
        )
    if T.OUTCOME in reached and topic.outcome:
        milestones.append(
            {
                "date": reached[T.OUTCOME],
                "label": gettext("Outcome"),
                "detail": topic.get_outcome_display(),
            }
        )
    milestones.append({"date": topic.published_at, "label": gettext("Published on this site")})
    return sorted(milestones, key=lambda milestone: milestone["date"])


class TopicIndexPage(RoutablePageMixin, Page):
    """The advocacy topics the network has published, newest first, each served below this page
    at <pk>/<slug>/. Topics are written in Estonian: the English tree shows the same topics
    with English labels. The public sees a topic's summary, position, signatories, milestones
    and reach, never its issues, their authors or the discussion."""

    intro = models.TextField(_("introduction"), blank=True)

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count_per_parent = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    class Meta:
        verbose_name = _("advocacy topics page")
        verbose_name_plural = _("advocacy topics pages")

    @classmethod
    def for_active_language(cls):
        """The live topics page of the active language, or None."""
        return cls.objects.live().public().filter(locale__language_code=get_language()).first()

    def topic_path(self, topic) -> str:
        return self.reverse_subpage("topic", args=[topic.pk, topic_slug(topic)])

    def topic_url(self, topic, request=None) -> str:
        return self.get_url(request) + self.topic_path(topic)

    def add_public_urls(self, topics, request=None) -> None:
        """Set `public_url` on each topic, looking up this page's own URL once."""
        here = self.get_url(request)
        for topic in topics:
            topic.public_url = here + self.topic_path(topic)

    @path("")
    def topic_list(self, request):
        topics = _paginate(
            request,
            AdvocacyTopic.objects.published()
            .defer("problem", "problem_html", "position", "position_html")
            .order_by("-published_at", "-pk"),
        )
        topics.object_list = list(topics.object_list)
        add_reach(topics.object_list)
        self.add_public_urls(topics.object_list, request)
        return self.render(request, context_overrides={"topics": topics})

    @path("<id:pk>/<slug:slug>/", name="topic")
    def topic(self, request, pk, slug):
        topic = get_object_or_404(
            AdvocacyTopic.objects.published().defer("problem", "problem_html"), pk=pk
        )
        if slug != topic_slug(topic):
            return redirect(self.topic_url(topic, request), permanent=True)
        add_reach([topic])
        # Only answers to the adopted text: a signature of an earlier draft is not one of it.
        adopted = TopicPosition.objects.filter(topic=topic).order_by("-created", "-pk")
        signatories = (
            topic.signatures.filter(
                stance=TopicSignature.Stance.SIGN, position=Subquery(adopted.values("pk")[:1])
            )
            .select_related("organization")
            .order_by("organization__name")
        )
        return self.render(
            request,
            template="cms/topic_page.html",
            context_overrides={
                "topic": topic,
                "signatories": [signature.organization for signature in signatories],
                "milestones": topic_milestones(topic),
                "reach_map": county_map(topic.reach_by_county) if topic.reach_by_county else None,
                "canonical_url": self.get_full_url(request) + self.topic_path(topic),
                "ancestors": self.get_ancestors(inclusive=True).filter(depth__gte=2),
            },
        )

    def get_sitemap_urls(self, request=None):
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        for topic in (
            AdvocacyTopic.objects.published().only("pk", "title", "updated").order_by("pk")
        ):
            urls.append({"location": base + self.topic_path(topic), "lastmod": topic.updated})
        return urls


@register_setting(icon="mail")
class ContactSettings(BaseSiteSetting):
    """Contact details shown in the footer of every page."""

    organization_name = models.CharField(
        _("organisation name"), max_length=200, default="MTÜ Lapse Huvikaitse Koda"
    )
    registry_code = models.CharField(_("registry code"), max_length=8, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_en = models.CharField(
        _("address in English"),
        max_length=255,
        blank=True,
        help_text=_("Shown on the English pages; if empty, the Estonian address is shown."),
    )
    facebook = models.URLField(_("Facebook page"), blank=True)

    def address_for_language(self) -> str:
        if self.address_en and get_language() == "en":
            return self.address_en
        return self.address

    class Meta:
        verbose_name = _("contact details")
