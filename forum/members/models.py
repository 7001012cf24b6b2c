from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from forum.core.models import County

registry_code_validator = RegexValidator(
    r"^\d{8}\Z", _("A registry code has exactly 8 digits, for example 80012345.")
)


class OrganizationQuerySet(models.QuerySet):
    def members(self):
        return self.filter(status=Organization.Status.MEMBER)


class Organization(index.Indexed, models.Model):
    """A member organisation of the network (or one applying to become one).

    The organisation is the member of the Koda; its people sign in personally and are linked
    to it through Membership.
    """

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("applicant")
        MEMBER = "member", _("member")
        DECLINED = "declined", _("declined")
        FORMER = "former", _("former member")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    registry_code = models.CharField(
        _("registry code"), max_length=8, unique=True, validators=[registry_code_validator]
    )
    county = models.ForeignKey(
        County,
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("county"),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    field_of_work = models.CharField(_("field of work"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.APPLICANT
    )
    joined = models.DateField(_("joined"), null=True, blank=True)
    # The application as it arrived through the join page.
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    motivation = models.TextField(_("motivation"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    # The site search finds member organisations by what the public directory shows of them;
    # never by the application's contact person, e-mail or motivation.
    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("field_of_work", boost=2),
        index.SearchField("description"),
        index.RelatedFields(
            "county", [index.SearchField("name"), index.SearchField("everyday_name")]
        ),
        index.FilterField("status"),
        index.FilterField("county"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        indexes = [
            models.Index(fields=["status", "name"]),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's link to their organisation; representatives manage the organisation."""

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("representative")
        MEMBER = "member", _("member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    active = models.BooleanField(_("active"), default=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="forum_membership_unique_user_org"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organization}"


class Profile(models.Model):
    """A person's settings: how they want to hear about what they follow."""

    class Delivery(models.TextChoices):
        IMMEDIATELY = "immediately", _("immediately")
        DAILY = "daily", _("daily digest")
        WEEKLY = "weekly", _("weekly digest")
        NONE = "none", _("no e-mail")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_profile"
    )
    email_delivery = models.CharField(
        _("e-mail notifications"),
        max_length=16,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATELY,
    )
    last_digest_sent = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        return str(self.user)


class Invitation(models.Model):
    """A single-use link that lets a person set a password and join an organisation."""

    email = models.EmailField(_("e-mail"))
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    accepted = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return self.email
