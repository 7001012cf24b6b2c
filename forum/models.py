from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """One of Estonia's 15 counties (maakond); loaded from data/omavalitsused.csv."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name


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


registry_code_validator = RegexValidator(
    r"^\d{8}\Z", _("A registry code has exactly 8 digits, for example 80012345.")
)


class OrganizationQuerySet(models.QuerySet):
    def members(self):
        return self.filter(status=Organization.Status.MEMBER)


class Organization(models.Model):
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
