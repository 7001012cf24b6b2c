from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase


class County(models.Model):
    """One of Estonia's 15 counties (maakond); loaded from forum/data/omavalitsused.csv."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        # "Harju County" on the English pages: the counties' official English names.
        if get_language() == "en":
            return self.name.replace(" maakond", " County")
        return self.name

    @property
    def everyday_name(self) -> str:
        """ "Võrumaa" for "Võru maakond": how people write the county, and search for it."""
        return self.name.replace(" maakond", "maa")


class Municipality(models.Model):
    """A local government (omavalitsus) after the 2017 reform: a town (linn) or rural
    municipality (vald)."""

    class Kind(models.TextChoices):
        TOWN = "linn", _("town")
        RURAL = "vald", _("rural municipality")

    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("county")
    )
    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class BilingualName(models.Model):
    """A name kept in Estonian with its English translation, shown in the reader's language."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        if self.name_en and get_language() == "en":
            return self.name_en
        return self.name


class Theme(BilingualName):
    """A field of child welfare (valdkond) that issues are filed under; coordinators keep the
    list."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class AgeGroup(BilingualName):
    slug = models.SlugField(max_length=32, unique=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")


# The vocabularies of the two kinds of thread, here so that the rooms below them (notifications
# store an issue's status, subscriptions a kind of discussion) can name them.
class IssueStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_REVIEW = "in_review", _("in review")
    ESCALATED = "escalated", _("escalated")
    RESOLVED = "resolved", _("resolved")
    CLOSED = "closed", _("closed")
    DUPLICATE = "duplicate", _("duplicate")


class DiscussionKind(models.TextChoices):
    QUESTION = "question", _("question")
    PRACTICE = "practice", _("good practice")
    MATERIAL = "material", _("material")
    TRAINING = "training", _("training need")
    PARTNERS = "partners", _("partner search")


class ForumTag(TagBase):
    """A word members tag issues and discussions with, and follow. A table of its own, apart
    from the public site's tags (taggit.Tag): public pages, their editors and the admin's tag
    autocomplete know only public tags, so nobody outside the forum can tell which words the
    forum uses."""

    class Meta:
        verbose_name = _("forum tag")
        verbose_name_plural = _("forum tags")
