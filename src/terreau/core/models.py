"""Shared models: the two-level theme taxonomy and the base for staff-editable vocabularies."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class LabelledQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Vocabulary(models.Model):
    """A term of a controlled vocabulary: data that staff edit, named in French and English."""

    name = models.CharField(_("name (French)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = LabelledQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The term in the active language (French when no English name is set)."""
        if self.name_en and (translation.get_language() or "fr").startswith("en"):
            return self.name_en
        return self.name


class Theme(Vocabulary):
    """A theme (thématique); a theme with a parent is a sub-theme. Two levels at most."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent theme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
    )
    description = models.TextField(_("description"), blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.parent_id and (self.parent.parent_id or self.parent_id == self.pk):
            raise ValidationError({"parent": _("Themes have two levels at most.")})


class ContentVersion(models.Model):
    """The version of a part of the site's content, shared by every server process: a counter
    that every write of that content moves in the same transaction (see `core.versions`). Cached
    public pages and fragments are keyed on it, so a change is never served stale."""

    name = models.CharField(_("name"), max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self) -> str:
        return f"{self.name} {self.value}"


from .outbox.models import OutboxBody, OutboxMessage, OutboxStatus  # noqa: E402, F401  (the outbox's rows)
