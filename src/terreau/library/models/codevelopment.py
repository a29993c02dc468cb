"""Co-development: a member brings a need, peers offer help or an experience, staff take the
need to a co-development session, its outcome is recorded and the member marks it resolved."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terreau.core.search import normalise


class NeedState(models.TextChoices):
    OPEN = "open", pgettext_lazy("co-development need state", "Open")
    SCHEDULED = "scheduled", pgettext_lazy("co-development need state", "Taken to a session")
    RESOLVED = "resolved", pgettext_lazy("co-development need state", "Resolved")
    WITHDRAWN = "withdrawn", pgettext_lazy("co-development need state", "Withdrawn")


class Need(models.Model):
    """A question a member brings to their peers ("how to restart a local exchange system that is
    falling asleep?")."""

    title = models.CharField(
        _("your question"),
        max_length=250,
        help_text=_("As you would ask it: “How to …?”"),
    )
    slug = models.SlugField(_("slug"), max_length=260, unique=True)
    description = models.TextField(
        _("context"),
        blank=True,
        help_text=_("What you have tried, who is involved, what would help. Markdown."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codevelopment_needs",
    )
    author_name = models.CharField(
        _("name shown"), max_length=200, blank=True, help_text=_("As the board shows it.")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codevelopment_needs",
    )
    themes = models.ManyToManyField(
        "core.Theme", verbose_name=_("themes"), blank=True, related_name="codevelopment_needs"
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="codevelopment_needs",
    )
    department = models.ForeignKey(
        "territories.Department",
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="codevelopment_needs",
        help_text=_("Filled from the commune when there is one."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=NeedState.choices, default=NeedState.OPEN, db_index=True
    )
    session = models.ForeignKey(
        "events.Session",
        verbose_name=_("co-development session"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codevelopment_needs",
    )
    meeting = models.ForeignKey(
        "events.Event",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codevelopment_needs",
        help_text=_("A group meeting, when the need is worked outside an event's programme."),
    )
    outcome = models.TextField(
        _("outcome"), blank=True, help_text=_("What the session brought. Markdown.")
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # Normalised title and context for accent-insensitive search (see core.search).
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("co-development need")
        verbose_name_plural = _("co-development needs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="need_state_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(session__isnull=True) | models.Q(meeting__isnull=True),
                name="need_one_session_or_meeting",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = normalise(self.title, self.description)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("library:need_detail", kwargs={"slug": self.slug})

    @property
    def is_open(self) -> bool:
        return self.state in {NeedState.OPEN, NeedState.SCHEDULED}


class OfferKind(models.TextChoices):
    HELP = "help", pgettext_lazy("co-development offer kind", "I can help")
    EXPERIENCE = "experience", pgettext_lazy("co-development offer kind", "We have lived this")


class Offer(models.Model):
    """A peer's answer to a need: help, or an experience (an initiative of the observatory)."""

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="offers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("offered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codevelopment_offers",
    )
    author_name = models.CharField(_("name shown"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=OfferKind.choices)
    text = models.TextField(_("message"), max_length=3000)
    initiative = models.ForeignKey(
        "observatory.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codevelopment_offers",
        help_text=_("The initiative of the observatory this experience comes from."),
    )
    created_at = models.DateTimeField(_("offered"), auto_now_add=True)

    class Meta:
        verbose_name = _("offer of help")
        verbose_name_plural = _("offers of help")
        ordering = ["need", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.need}"
