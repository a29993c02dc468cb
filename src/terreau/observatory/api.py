"""The observatory's JSON API (django-ninja): the published catalogue, page by page, with the
list's filters, and contributions by signed-in members that follow the moderation rules (the
contribution services of terreau.observatory.services.proposals). The OpenAPI document is served
at /observatoire/api/openapi.json."""

import math
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Query, Schema, Status
from ninja.security import django_auth

from terreau.core import throttle
from terreau.core.api import ERRORS, Errors, Id, InputSchema, Message, terreau_api
from terreau.core.models import Theme

from . import exports, imports
from .filters import SortChoices, catalogue_from_query
from .forms import STEP_COUNT
from .models import FacilitationFormat, InitiativeProposal, TargetPublic
from .selectors import browse
from .services import proposals as proposal_services

api = terreau_api(
    title="Terreau — observatoire des pratiques",
    version="1",
    description=(
        f"Published participatory initiatives. Data licence: {exports.LICENCE} "
        f"({exports.LICENCE_URL}). Filters are those of the public list."
    ),
    urls_namespace="observatory:api",  # mounted inside the observatory URLs
    docs_url=None,
)

MAX_PAGE_SIZE = 100


class CommuneOut(Schema):
    insee: str
    name: str
    latitude: float | None
    longitude: float | None


class InitiativeOut(Schema):
    slug: str
    title: str
    summary: str
    url: str
    status: str
    phase: str
    scale: str
    participation_level: str
    start_date: date | None
    end_date: date | None
    commune: CommuneOut | None
    department: str | None
    themes: list[str]
    updated_at: datetime


class LinkOut(Schema):
    title: str
    url: str


class InitiativeDetailOut(InitiativeOut):
    description: str
    subject: str
    is_qpv: bool
    target_publics: list[str]
    facilitation_formats: list[str]
    lead_organisations: list[str]
    partners: list[str]
    participant_count: int | None
    funding: str
    legal_structure: str
    strengths: str
    weaknesses: str
    lessons: str
    impact_evidence: str
    links: list[LinkOut]
    licence: str


class InitiativePage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    licence: str
    results: list[InitiativeOut]


class Filters(InputSchema):
    q: str | None = Field(None, description="Full-text search (any text).")
    theme: list[str] = Field([], description="Theme slugs (a theme includes its sub-themes).")
    department: list[str] = Field([], description="Département INSEE codes.")
    commune: list[str] = Field([], description="Commune INSEE codes.")
    scale: list[str] = Field([])
    status: list[str] = Field([])
    phase: list[str] = Field([])
    target_public: list[str] = Field([], description="Target public slugs.")
    format: list[str] = Field([], description="Facilitation format slugs.")
    level: list[str] = Field([], description="Participation levels.")
    year: list[int] = Field([], description="Start years.")
    sort: str | None = Field(None, description="relevance, date or title.")
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class Term(Schema):
    slug: str
    name: str
    name_en: str


class Vocabularies(Schema):
    themes: list[Term]
    target_publics: list[Term]
    facilitation_formats: list[Term]
    sorts: list[str]


def _summary(initiative) -> dict:
    commune = initiative.commune
    return {
        "slug": initiative.slug,
        "title": initiative.title,
        "summary": initiative.summary,
        "url": initiative.get_absolute_url(),
        "status": initiative.status,
        "phase": initiative.phase,
        "scale": initiative.scale,
        "participation_level": initiative.participation_level,
        "start_date": initiative.start_date,
        "end_date": initiative.end_date,
        "commune": None
        if commune is None
        else {
            "insee": commune.insee,
            "name": commune.name,
            "latitude": commune.latitude,
            "longitude": commune.longitude,
        },
        "department": initiative.department_id,
        "themes": [theme.slug for theme in initiative.themes.all()],
        "updated_at": initiative.updated_at,
    }


@api.get(
    "/initiatives",
    response={200: InitiativePage, 400: Message, 422: Errors, 429: Message},
    url_name="initiative_list",
    tags=["initiatives"],
)
def initiative_list(request, filters: Query[Filters]):
    """Published initiatives, filtered like the public list; a constant number of queries.
    A client that asks too often in a short while gets 429 (with Retry-After)."""
    if not throttle.hit("search", throttle.client_ip(request)):
        return Status(429, {"detail": gettext("Too many requests: wait a minute.")})
    params = request.GET.copy()
    catalogue = catalogue_from_query(params)
    count = catalogue.queryset.count()
    size = filters.page_size
    pages = max(1, math.ceil(count / size))
    page = min(filters.page, pages)
    rows = browse.catalogue_rows(catalogue)[(page - 1) * size : page * size]

    def link(number: int) -> str:
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": count,
        "page": page,
        "page_size": size,
        "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "previous": link(page - 1) if page > 1 else None,
        "licence": exports.LICENCE,
        "results": [_summary(initiative) for initiative in rows],
    }


@api.get(
    "/initiatives/{slug}",
    response={200: InitiativeDetailOut, 400: Message, 404: Message},
    url_name="initiative_detail",
    tags=["initiatives"],
)
def initiative_detail(request, slug: str):
    """One published initiative (404 when it is not published)."""
    queryset = exports.export_queryset(browse.initiative_published())
    initiative = queryset.filter(slug=slug).first()
    if initiative is None:
        return Status(404, {"detail": gettext("Not found.")})
    record = exports.initiative_record(initiative)
    return _summary(initiative) | {
        "description": initiative.description,
        "subject": initiative.subject,
        "is_qpv": initiative.is_qpv,
        "target_publics": record["targeted_participants"],
        "facilitation_formats": record["method_types"],
        "lead_organisations": record["primary_organizer"],
        "partners": record["partners"],
        "participant_count": initiative.participant_count,
        "funding": initiative.funding,
        "legal_structure": initiative.legal_structure,
        "strengths": initiative.strengths,
        "weaknesses": initiative.weaknesses,
        "lessons": initiative.lessons,
        "impact_evidence": initiative.impact_evidence,
        "links": record["links"],
        "licence": exports.LICENCE,
    }


@api.get("/vocabularies", response=Vocabularies, url_name="vocabularies", tags=["vocabularies"])
def vocabularies(request):
    """The controlled vocabularies whose slugs the filters and the write API take."""

    def terms(model):
        return list(model.objects.active().values("slug", "name", "name_en"))

    return {
        "themes": terms(Theme),
        "target_publics": terms(TargetPublic),
        "facilitation_formats": terms(FacilitationFormat),
        "sorts": [value for value, _label in SortChoices.choices],
    }


# Write API: contributions that follow the moderation rules -------------------------------


class ProposalIn(InputSchema):
    """An initiative's content, with the export's column names (see GET /vocabularies for the
    identifiers of many-valued fields). For an edit, only the fields sent are changed."""

    initiative: str | None = Field(
        None, description="Slug of the published initiative to edit; empty for a new one."
    )
    title: str | None = None
    brief_description: str | None = Field(None, description="Summary, 280 characters at most.")
    description: str | None = None
    status: str | None = None
    phase: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    city_insee: str | None = Field(None, description="Commune INSEE code.")
    scope_of_influence: str | None = None
    general_issues: list[str] | None = Field(None, description="Theme slugs.")
    specific_topics: str | None = None
    primary_organizer: list[str] | None = Field(None, description="Organisation slugs.")
    targeted_participants: list[str] | None = Field(None, description="Target public slugs.")
    method_types: list[str] | None = Field(None, description="Facilitation format slugs.")
    public_spectrum: str | None = Field(None, description="Participation level.")
    number_of_participants: int | None = Field(None, ge=0)
    funder: str | None = None
    strengths: str | None = None
    weaknesses: str | None = None
    analysis_and_lessons_learned: str | None = None
    impact_evidence: str | None = None
    submit: bool = Field(True, description="Send to the moderators (else: keep as a draft).")
    publish: bool = Field(
        False,
        description="Publish at once: only moderators, and members of a lead organisation "
        "for its initiative, may.",
    )
    message: str = Field("", max_length=300, description="Summary of the changes.")

    # A new initiative (no `initiative` slug) needs its title and summary; an edit does not.
    model_config = {
        "json_schema_extra": {
            "if": {"properties": {"initiative": {"type": "null"}}},
            "then": {
                "required": ["title", "brief_description"],
                "properties": {
                    "title": {"type": "string", "minLength": 1},
                    "brief_description": {"type": "string", "minLength": 1},
                },
            },
        }
    }


class ProposalOut(Schema):
    id: int
    state: str
    initiative: str | None
    review_url: str


CONTROL_FIELDS = {"initiative", "submit", "publish", "message"}


def _row(payload: ProposalIn) -> dict:
    """The payload as an import row (strings, many values joined as in the CSV)."""
    row = {}
    for name, value in payload.model_dump(exclude_unset=True).items():
        if name in CONTROL_FIELDS:
            continue
        if isinstance(value, list):
            value = exports.SEPARATOR.join(value)
        elif isinstance(value, date):
            value = value.isoformat()
        row[name] = "" if value is None else str(value)
    return row


def _proposal_out(proposal) -> dict:
    return {
        "id": proposal.pk,
        "state": proposal.state,
        "initiative": proposal.initiative.slug if proposal.initiative_id else None,
        "review_url": reverse("observatory:proposal_review", kwargs={"pk": proposal.pk}),
    }


@api.post(
    "/proposals",
    response={201: ProposalOut, 403: Message, **ERRORS},
    auth=django_auth,
    url_name="proposal_create",
    tags=["contributions"],
)
def proposal_create(request, payload: ProposalIn):
    """Propose a new initiative or an edit of a published one. It goes to the moderators as any
    contribution (or stays a draft with `submit: false`); `publish: true` publishes at once when
    the user may edit directly. Signed-in members only (session cookie and CSRF token)."""
    user = request.user
    initiative = None
    if payload.initiative:
        initiative = get_object_or_404(browse.initiative_published(), slug=payload.initiative)
        if not user.has_perm("observatory.propose_initiative_change", initiative):
            return Status(
                403, {"detail": gettext("You may not propose changes to this initiative.")}
            )
    elif not user.has_perm("observatory.propose_initiative"):
        return Status(403, {"detail": gettext("Only members may propose initiatives.")})
    row = _row(payload)
    if initiative is None:
        for name in ("title", "brief_description"):
            row.setdefault(name, "")
    data, errors = imports.row_to_snapshot(row, imports.Lookups([row]))
    if errors:
        return Status(
            422, {"errors": [{"field": field, "message": text} for field, text in errors]}
        )
    try:
        with transaction.atomic():
            proposal = proposal_services.proposal_create(author=user, initiative=initiative)
            proposal = proposal_services.proposal_save_step(
                proposal=proposal, step=STEP_COUNT, data=data
            )
            if payload.publish:
                if not user.has_perm("observatory.publish_own_proposal", proposal):
                    raise PermissionDenied
                proposal_services.proposal_publish_directly(
                    proposal=proposal, user=user, message=payload.message
                )
            elif payload.submit:
                proposal_services.proposal_submit(proposal=proposal, message=payload.message)
    except PermissionDenied:
        return Status(403, {"detail": gettext("You may not publish this initiative directly.")})
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        return Status(
            422,
            {
                "errors": [
                    {"field": field, "message": text}
                    for field, texts in messages.items()
                    for text in texts
                ]
            },
        )
    proposal.refresh_from_db()
    return Status(201, _proposal_out(proposal))


@api.get(
    "/proposals/{proposal_id}",
    response={200: ProposalOut, **ERRORS},
    auth=django_auth,
    url_name="proposal_detail",
    tags=["contributions"],
)
def proposal_detail(request, proposal_id: Id):
    """The state of one of your contributions (moderators see every contribution)."""
    proposal = (
        InitiativeProposal.objects.select_related("initiative").filter(pk=proposal_id).first()
    )
    if proposal is None or not request.user.has_perm("observatory.view_proposal", proposal):
        return Status(404, {"detail": gettext("Not found.")})
    return Status(200, _proposal_out(proposal))
