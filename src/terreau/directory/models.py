"""The network's directory: organisations, people and their memberships."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terreau.core.search import normalise


class OrganisationKind(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    EPCI = "epci", _("EPCI (intercommunal body)")
    DEPARTMENT = "departement", _("Département")
    REGION = "region", _("Region")
    STATE_SERVICE = "state", _("State service")
    ASSOCIATION = "association", _("Association")
    SOCIAL_CENTRE = "social_centre", _("Social centre")
    CITIZEN_COLLECTIVE = "collective", _("Citizen collective (informal)")
    RESEARCH = "research", _("University / research")
    COMPANY = "company", _("Company")
    FOUNDATION = "foundation", _("Foundation")
    PUBLIC_BODY = "public_body", _("Public body")
    THIRD_PLACE = "third_place", _("Third place")


class ActorCategory(models.TextChoices):
    ELECTED = "elected", _("Elected official")
    PUBLIC_STAFF = "public_staff", _("Public-service staff")
    ASSOCIATION_STAFF = "association_staff", _("Association staff")
    VOLUNTEER = "volunteer", _("Volunteer")
    CITIZEN = "citizen", _("Resident / citizen")
    RESEARCHER = "researcher", _("Researcher")
    CONSULTANT = "consultant", _("Consultant")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    themes = models.ManyToManyField(
        "core.Theme", verbose_name=_("themes"), blank=True, related_name="organisations"
    )
    is_published = models.BooleanField(_("published"), default=True)
    # Normalised name, acronym and commune for accent-insensitive search (see core.search).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kind", "name"]),
            models.Index(fields=["is_published", "name"], name="organisation_published_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation_detail", kwargs={"slug": self.slug})

    def build_search_text(self) -> str:
        commune = self.commune.name if self.commune_id else ""
        return normalise(self.name, self.acronym, commune)


class Person(models.Model):
    """Someone in the network: the public profile of an account, or a contact kept by staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    title = models.CharField(_("function / title"), max_length=255, blank=True)
    actor_category = models.CharField(
        _("actor category"), max_length=20, choices=ActorCategory.choices, default="other"
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    bio = models.TextField(_("biography"), blank=True, help_text=_("Markdown."))
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    themes = models.ManyToManyField(
        "core.Theme", verbose_name=_("themes"), blank=True, related_name="people"
    )
    is_listed = models.BooleanField(
        _("listed in the public directory"),
        default=False,
        help_text=_("I agree to appear in the public directory of the network."),
    )
    contact_consent = models.BooleanField(
        _("contact details visible"),
        default=False,
        help_text=_("I agree that my e-mail and phone are shown to signed-in members."),
    )
    # Normalised names and title for accent-insensitive search (see core.search).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(
                fields=["is_listed", "last_name", "first_name"], name="person_listed_name"
            ),
            # Matching a registrant or a new account to the directory by e-mail, case aside.
            models.Index(Lower("email"), name="person_email_lower"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        self.search_text = self.build_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("directory:person_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def build_search_text(self) -> str:
        return normalise(self.first_name, self.last_name, self.title)


class Membership(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=255, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-start_date", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="membership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.organisation}"

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.end_date is None or self.end_date >= timezone.localdate()
