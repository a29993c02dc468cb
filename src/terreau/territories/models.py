"""The administrative geography: regions, départements, EPCI, communes, and staff-named zones."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .text import normalize


class Region(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="departments"
    )
    outline = models.JSONField(
        _("outline"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Simplified GeoJSON MultiPolygon, for maps."),
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("territories:department_detail", args=[self.code])


class Epci(models.Model):
    """An intercommunal body (établissement public de coopération intercommunale)."""

    class Kind(models.TextChoices):
        METROPOLE = "MET", _("Metropolis")
        URBAN = "CU", _("Urban community")
        AGGLOMERATION = "CA", _("Agglomeration community")
        COMMUNES = "CC", _("Community of communes")

    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    insee = models.CharField(_("INSEE code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=120, db_index=True)
    search_name = models.CharField(
        _("search name"),
        max_length=120,
        db_index=True,
        editable=False,
        help_text=_("The name without accents, case or punctuation."),
    )
    department = models.ForeignKey(
        Department, verbose_name=_("département"), on_delete=models.PROTECT, related_name="communes"
    )
    epci = models.ForeignKey(
        Epci,
        verbose_name=_("EPCI"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
    )
    postal_codes = models.CharField(
        _("postal codes"), max_length=200, blank=True, help_text=_("Comma-separated.")
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.department_id})"

    def save(self, *args, **kwargs):
        self.search_name = normalize(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("territories:commune_detail", args=[self.insee])

    @property
    def postal_code(self) -> str:
        return self.postal_codes.split(",")[0] if self.postal_codes else ""

    @property
    def postal_code_list(self) -> list[str]:
        return [code for code in self.postal_codes.split(",") if code]

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


class Zone(models.Model):
    """A named group of départements and/or communes (e.g. "Est" / "Ouest"), edited by staff."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    departments = models.ManyToManyField(
        Department, verbose_name=_("départements"), blank=True, related_name="zones"
    )
    communes = models.ManyToManyField(
        Commune, verbose_name=_("communes"), blank=True, related_name="zones"
    )

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:zone_detail", args=[self.slug])
