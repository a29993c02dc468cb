"""The observatory of practices: initiatives (fiches expérience), methods (fiches méthode),
their controlled vocabularies, media and revisions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from terreau.core.models import Vocabulary
from terreau.core.moderation.models import ModeratedProposal, ModerationComment
from terreau.core.moderation.states import ModerationState


# Controlled vocabularies: data that staff edit in the admin.
class TargetPublic(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("target public")
        verbose_name_plural = _("target publics")


class FacilitationFormat(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("facilitation format")
        verbose_name_plural = _("facilitation formats")


class RecruitmentMethod(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("recruitment method")
        verbose_name_plural = _("recruitment methods")


class Purpose(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("purpose")
        verbose_name_plural = _("purposes")


class Approach(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("approach")
        verbose_name_plural = _("approaches")


class ChangeType(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("type of change")
        verbose_name_plural = _("types of change")


class OrganiserType(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("organiser or funder type")
        verbose_name_plural = _("organiser and funder types")


# Fixed lists: the domain's own (Participedia's and the seeds').
class Status(models.TextChoices):
    EMERGING = "emerging", _("Emerging")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class Phase(models.TextChoices):
    EMERGENCE = "emergence", _("Emergence")
    CONSOLIDATION = "consolidation", _("Consolidation")
    REALISATION = "realisation", _("Realisation")


class Scale(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    COMMUNE = "commune", _("Commune")
    INTERCOMMUNAL = "intercommunal", _("Intercommunal")
    DEPARTMENT = "department", _("Département")
    REGION = "region", _("Region")
    NATIONAL = "national", _("National")


class ParticipationLevel(models.TextChoices):
    INFORMATION = "information", _("Information")
    CONSULTATION = "consultation", _("Consultation")
    CONCERTATION = "concertation", _("Concertation")
    CO_CONSTRUCTION = "co_construction", _("Co-construction")
    CO_DECISION = "co_decision", _("Co-decision")
    AUTONOMOUS = "autonomous", _("Autonomous citizen initiative")


class LegalStructure(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    HOSTED = "hosted", _("Hosted by another structure")
    INFORMAL = "informal", _("Informal collective")
    COOPERATIVE = "cooperative", _("Cooperative")
    PUBLIC_AUTHORITY = "public", _("Public authority")
    OTHER = "other", _("Other")


class Openness(models.TextChoices):
    OPEN = "open", _("Open to all")
    LIMITED = "limited", _("Limited to some groups")


class InteractionMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    ONLINE = "online", _("Online")
    BOTH = "both", _("Both")


class TimeFrame(models.TextChoices):
    SINGLE = "single", _("Single event")
    REPEATED = "repeated", _("Repeated over time")
    ONGOING = "ongoing", _("Ongoing")


class DecisionMethod(models.TextChoices):
    NONE = "none", _("No decision taken")
    CONSENSUS = "consensus", _("Consensus")
    VOTING = "voting", _("Voting")
    IDEA_GENERATION = "ideas", _("Idea generation")
    NOT_APPLICABLE = "na", _("Not applicable")


class VotingMethod(models.TextChoices):
    PREFERENTIAL = "preferential", _("Preferential")
    PLURALITY = "plurality", _("Plurality")
    MAJORITARIAN = "majoritarian", _("Majoritarian")
    SUPERMAJORITY = "supermajority", _("Supermajority")
    UNANIMOUS = "unanimous", _("Unanimous")


class Completeness(models.TextChoices):
    STUB = "stub", _("Stub")
    PARTIAL = "partial", _("Partially complete")
    COMPLETE = "complete", _("Complete")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class Method(models.Model):
    """A fiche méthode: a participation method or tool and how to use it."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("what it is"), max_length=400)
    when_to_use = models.TextField(_("when to use it"), blank=True)
    steps = models.TextField(_("steps"), blank=True, help_text=_("Markdown."))
    duration = models.CharField(_("duration"), max_length=120, blank=True)
    group_size = models.CharField(_("group size"), max_length=120, blank=True)
    materials = models.TextField(_("materials"), blank=True)
    pitfalls = models.TextField(_("pitfalls to avoid"), blank=True)
    facilitation_formats = models.ManyToManyField(
        FacilitationFormat, verbose_name=_("facilitation formats"), blank=True
    )
    themes = models.ManyToManyField("core.Theme", verbose_name=_("themes"), blank=True)
    state = models.CharField(
        _("publication state"),
        max_length=12,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("observatory:method_detail", kwargs={"slug": self.slug})


class Initiative(models.Model):
    """A fiche expérience: a participatory practice, described so that others can learn from it.

    Its fields cover Participedia's case model so that exports map onto it.
    """

    # Identity
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=280, help_text=_("280 characters at most."))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    state = models.CharField(
        _("publication state"),
        max_length=12,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
        db_index=True,
    )
    completeness = models.CharField(
        _("completeness"), max_length=10, choices=Completeness.choices, default=Completeness.STUB
    )
    # Time
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, blank=True)
    phase = models.CharField(_("phase"), max_length=15, choices=Phase.choices, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    time_frame = models.CharField(
        _("time frame"), max_length=10, choices=TimeFrame.choices, blank=True
    )
    # Place
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    department = models.ForeignKey(
        "territories.Department",
        verbose_name=_("département"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
        help_text=_("Filled from the commune when there is one."),
    )
    scale = models.CharField(_("scale"), max_length=15, choices=Scale.choices, blank=True)
    is_qpv = models.BooleanField(_("in a priority neighbourhood (QPV)"), default=False)
    qpv_name = models.CharField(_("priority neighbourhood"), max_length=200, blank=True)
    # Topic and people
    themes = models.ManyToManyField(
        "core.Theme", verbose_name=_("themes"), blank=True, related_name="initiatives"
    )
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    lead_organisations = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("lead organisations"),
        blank=True,
        related_name="led_initiatives",
    )
    partners = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("partners"),
        blank=True,
        related_name="partner_initiatives",
    )
    contacts = models.ManyToManyField(
        "directory.Person", verbose_name=_("contacts"), blank=True, related_name="initiatives"
    )
    target_publics = models.ManyToManyField(
        TargetPublic, verbose_name=_("target publics"), blank=True
    )
    # Participation
    facilitation_formats = models.ManyToManyField(
        FacilitationFormat, verbose_name=_("facilitation formats"), blank=True
    )
    participation_level = models.CharField(
        _("participation level"), max_length=20, choices=ParticipationLevel.choices, blank=True
    )
    purposes = models.ManyToManyField(Purpose, verbose_name=_("purposes"), blank=True)
    approaches = models.ManyToManyField(Approach, verbose_name=_("approaches"), blank=True)
    openness = models.CharField(
        _("open or limited participation"), max_length=10, choices=Openness.choices, blank=True
    )
    recruitment_methods = models.ManyToManyField(
        RecruitmentMethod, verbose_name=_("recruitment"), blank=True
    )
    participant_count = models.PositiveIntegerField(
        _("number of participants"), null=True, blank=True
    )
    interaction_mode = models.CharField(
        _("face to face or online"), max_length=15, choices=InteractionMode.choices, blank=True
    )
    has_trained_facilitators = models.BooleanField(_("trained facilitators"), null=True, blank=True)
    decision_method = models.CharField(
        _("decision method"), max_length=15, choices=DecisionMethod.choices, blank=True
    )
    voting_method = models.CharField(
        _("voting method"), max_length=15, choices=VotingMethod.choices, blank=True
    )
    methods = models.ManyToManyField(
        Method, verbose_name=_("methods and tools"), blank=True, related_name="initiatives"
    )
    # Means
    funding = models.TextField(_("funding"), blank=True)
    funder_types = models.ManyToManyField(
        OrganiserType, verbose_name=_("funder types"), blank=True, related_name="+"
    )
    organiser_types = models.ManyToManyField(
        OrganiserType, verbose_name=_("organiser types"), blank=True, related_name="+"
    )
    legal_structure = models.CharField(
        _("legal carrying structure"), max_length=15, choices=LegalStructure.choices, blank=True
    )
    staff_count = models.PositiveIntegerField(_("paid staff"), null=True, blank=True)
    volunteer_count = models.PositiveIntegerField(_("volunteers"), null=True, blank=True)
    # Narrative (Participedia's headings)
    problems_purpose = models.TextField(_("problems and purpose"), blank=True)
    background = models.TextField(_("background, history and context"), blank=True)
    process = models.TextField(_("what went on: process and interaction"), blank=True)
    outcomes = models.TextField(_("influence, outcomes and effects"), blank=True)
    outcomes_communication = models.TextField(_("how outcomes were communicated"), blank=True)
    # Analysis
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    lessons = models.TextField(_("lessons learned"), blank=True)
    impact_evidence = models.TextField(_("evidence of impact"), blank=True)
    change_types = models.ManyToManyField(ChangeType, verbose_name=_("types of change"), blank=True)
    has_formal_evaluation = models.BooleanField(_("formal evaluation"), null=True, blank=True)
    # Bookkeeping
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["title"]
        indexes = [
            models.Index(fields=["state", "title"]),
            models.Index(fields=["state", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="initiative_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("observatory:initiative_detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.state == PublicationState.PUBLISHED


class InitiativeLink(models.Model):
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="links"
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("address"))

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class InitiativeMedia(models.Model):
    """An image or a document (PDF, DOCX, ODT) attached to an initiative."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="media"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to="initiatives/%Y/")
    title = models.CharField(_("title"), max_length=200)
    alt_text = models.CharField(
        _("text alternative"), max_length=300, blank=True, help_text=_("Describes the image.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("image or document")
        verbose_name_plural = _("images and documents")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.title


class InitiativeRevision(models.Model):
    """A published state of an initiative: who changed what, when; restorable."""

    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("number"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    message = models.CharField(_("summary of changes"), max_length=300, blank=True)
    data = models.JSONField(_("content"), help_text=_("A snapshot of the initiative's fields."))

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["initiative", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.initiative} #{self.number}"


# The states of a contribution are those of every proposal (terreau.core.moderation).
ProposalState = ModerationState


class InitiativeProposal(ModeratedProposal):
    """A contribution: a new initiative (no target) or an edit of a published one.

    `data` holds the proposed content in the same format as a revision snapshot, so that the
    diff, the publication and the restoration of revisions share one code path.
    """

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        help_text=_("Empty for a new initiative."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="initiative_proposals",
    )
    data = models.JSONField(_("proposed content"), default=dict, blank=True)
    base_data = models.JSONField(
        _("content when the edit started"),
        default=dict,
        blank=True,
        help_text=_("Publishing applies only the fields the contributor changed from this."),
    )
    base_revision = models.PositiveIntegerField(
        _("revision edited"),
        null=True,
        blank=True,
        help_text=_("The revision number the edit started from."),
    )
    step = models.PositiveSmallIntegerField(_("furthest step reached"), default=1)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("observatory:proposal_review", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        return self.data.get("title") or (self.initiative.title if self.initiative_id else "—")

    @property
    def is_new_initiative(self) -> bool:
        return self.initiative_id is None


class ProposalComment(ModerationComment):
    """A moderator's comment or decision on a contribution; the contributor reads them."""

    proposal = models.ForeignKey(
        InitiativeProposal,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="comments",
    )

    class Meta(ModerationComment.Meta):
        verbose_name = _("moderation comment")
        verbose_name_plural = _("moderation comments")


class ProposalMedia(models.Model):
    """An image or a document uploaded with a contribution; copied to the initiative on
    publication."""

    proposal = models.ForeignKey(
        InitiativeProposal,
        verbose_name=_("contribution"),
        on_delete=models.CASCADE,
        related_name="media",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=InitiativeMedia.Kind.choices)
    file = models.FileField(_("file"), upload_to="contributions/%Y/")
    title = models.CharField(_("title"), max_length=200)
    alt_text = models.CharField(_("text alternative"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("uploaded file")
        verbose_name_plural = _("uploaded files")
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.title


class InitiativeSearchEntry(models.Model):
    """SQLite only: a row of the FTS5 table that indexes initiatives for full-text search.

    The table (migration 0003_search) holds the stems of each initiative's title, summary,
    description and lessons; triggers keep it in step with the initiative table. On PostgreSQL
    the same role is held by a `search_vector` column. See terreau.observatory.search.
    """

    initiative = models.OneToOneField(
        Initiative,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="search_entry",
    )
    # FTS5 hidden columns: the table-named column takes MATCH queries, `rank` orders by bm25.
    document = models.TextField(db_column="observatory_initiative_fts")
    rank = models.FloatField(db_column="rank")

    class Meta:
        managed = False
        db_table = "observatory_initiative_fts"

    def __str__(self) -> str:
        return f"search entry {self.pk}"


# The initiative's controlled vocabularies (its many-to-many fields to a list of terms), in the
# order the form, the admin, the snapshot and the exports show them: the one list of them.
INITIATIVE_VOCABULARIES = (
    "themes",
    "target_publics",
    "facilitation_formats",
    "purposes",
    "approaches",
    "recruitment_methods",
    "methods",
    "funder_types",
    "organiser_types",
    "change_types",
)


def vocabulary_model(name: str) -> type[models.Model]:
    """The model of the terms of one of the initiative's vocabularies."""
    return Initiative._meta.get_field(name).related_model
