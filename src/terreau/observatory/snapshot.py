"""The content of an initiative as plain JSON: what revisions store, proposals hold and the
diff compares. Scalars by attribute name, foreign keys by primary key, many-to-many fields as
sorted lists of primary keys, links as a list of {title, url}."""

import datetime

from .models import INITIATIVE_VOCABULARIES, Initiative, InitiativeLink

SCALAR_FIELDS = (
    "title",
    "summary",
    "description",
    "completeness",
    "status",
    "phase",
    "start_date",
    "end_date",
    "time_frame",
    "commune",
    "department",
    "scale",
    "is_qpv",
    "qpv_name",
    "subject",
    "participation_level",
    "openness",
    "participant_count",
    "interaction_mode",
    "has_trained_facilitators",
    "decision_method",
    "voting_method",
    "funding",
    "legal_structure",
    "staff_count",
    "volunteer_count",
    "problems_purpose",
    "background",
    "process",
    "outcomes",
    "outcomes_communication",
    "strengths",
    "weaknesses",
    "lessons",
    "impact_evidence",
    "has_formal_evaluation",
)
MANY_FIELDS = (
    "themes",
    "lead_organisations",
    "partners",
    "contacts",
    *(name for name in INITIATIVE_VOCABULARIES if name != "themes"),
)
LINKS = "links"
ALL_FIELDS = (*SCALAR_FIELDS, *MANY_FIELDS, LINKS)
DATE_FIELDS = ("start_date", "end_date")


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def initiative_snapshot(initiative: Initiative) -> dict:
    """Every editable field of the initiative (M2M read through prefetched caches if any)."""
    data = {}
    for name in SCALAR_FIELDS:
        field = Initiative._meta.get_field(name)
        data[name] = _json_value(getattr(initiative, field.attname))
    for name in MANY_FIELDS:
        data[name] = sorted(obj.pk for obj in getattr(initiative, name).all())
    data[LINKS] = [{"title": link.title, "url": link.url} for link in initiative.links.all()]
    return data


def empty_snapshot() -> dict:
    data = {}
    for name in SCALAR_FIELDS:
        field = Initiative._meta.get_field(name)
        if name == "completeness":
            data[name] = field.default
        elif field.get_internal_type() in {"CharField", "TextField"}:
            data[name] = ""
        elif name == "is_qpv":
            data[name] = False
        else:
            data[name] = None
    for name in MANY_FIELDS:
        data[name] = []
    data[LINKS] = []
    return data


def snapshot_apply(initiative: Initiative, data: dict) -> Initiative:
    """Write a snapshot onto an initiative (saving it). Unknown keys are ignored and
    references to rows deleted since the snapshot was taken are dropped."""
    for name in SCALAR_FIELDS:
        if name not in data:
            continue
        field = Initiative._meta.get_field(name)
        value = data[name]
        if name in DATE_FIELDS and isinstance(value, str):
            value = datetime.date.fromisoformat(value) if value else None
        if field.is_relation and value is not None:
            value = (
                field.related_model._default_manager.filter(pk=value)
                .values_list("pk", flat=True)
                .first()
            )
        setattr(initiative, field.attname, value)
    if initiative.commune_id:
        from terreau.territories.models import Commune

        initiative.department_id = (
            Commune.objects.filter(pk=initiative.commune_id)
            .values_list("department_id", flat=True)
            .first()
        )
    initiative.full_clean(exclude=["slug"] if not initiative.slug else None)
    initiative.save()
    for name in MANY_FIELDS:
        if name not in data:
            continue
        field = Initiative._meta.get_field(name)
        existing = field.related_model._default_manager.filter(pk__in=data[name] or [])
        getattr(initiative, name).set(existing)
    if LINKS in data:
        initiative.links.all().delete()
        InitiativeLink.objects.bulk_create(
            InitiativeLink(initiative=initiative, title=link["title"][:200], url=link["url"])
            for link in data[LINKS] or []
            if link.get("url")
        )
    return initiative


def proposal_merged_data(proposal) -> dict:
    """What publishing a proposal writes: for a new initiative, the whole draft; for an edit,
    only the fields the contributor changed from the version they started from (so an edit
    published meanwhile by someone else is not undone)."""
    data = {key: proposal.data[key] for key in ALL_FIELDS if key in proposal.data}
    if proposal.initiative_id is None:
        return data
    base = proposal.base_data or {}
    return {key: value for key, value in data.items() if base.get(key) != value}
