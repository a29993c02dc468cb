"""Synthetic initiatives for benchmarks: plausible French descriptions over the real communes
(more in populous ones), with themes, vocabularies and lead organisations from the directory's
data set. Bulk inserts: the large scale (20,000 initiatives) takes well under a minute."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from terreau.core.demo import load_themes
from terreau.core.models import Theme
from terreau.directory.models import Organisation
from terreau.territories.models import Commune

from .demo import load_vocabularies
from .models import (
    FacilitationFormat,
    Initiative,
    ParticipationLevel,
    Phase,
    PublicationState,
    Scale,
    Status,
    TargetPublic,
)

SIZES = {"small": 200, "medium": 2_000, "large": 20_000}
BATCH = 2_000

SUBJECTS = [
    ("la rénovation du quartier", "rénovation urbaine"),
    ("le plan climat", "climat"),
    ("les jardins partagés", "jardins partagés"),
    ("le budget de la commune", "finances locales"),
    ("la place des jeunes", "jeunesse"),
    ("une friche industrielle", "friche"),
    ("un tiers-lieu", "tiers-lieu"),
    ("les mobilités du quotidien", "mobilité"),
    ("l'accès aux droits", "accès aux droits"),
    ("la vie associative", "vie associative"),
    ("l'école et les familles", "éducation"),
    ("la santé des habitants", "santé"),
]
OPENINGS = [
    "Les habitants se réunissent chaque mois pour débattre de {subject}.",
    "La commune a ouvert une démarche participative sur {subject}.",
    "Un collectif citoyen s'est formé autour de {subject}.",
    "Le centre social accompagne les habitants qui veulent agir sur {subject}.",
    "Des élus, des agents et des habitants co-construisent un projet sur {subject}.",
]
MIDDLES = [
    "Les ateliers alternent temps en petits groupes et restitution en plénière.",
    "Une animatrice formée veille à ce que chacun puisse prendre la parole.",
    "Les propositions retenues sont présentées au conseil municipal.",
    "Des permanences dans la rue permettent d'aller vers ceux qui ne viennent jamais.",
    "Les participants ont visité d'autres expériences de la région.",
    "Le financement vient de la politique de la ville et d'une fondation.",
]
LESSONS = [
    "Prendre le temps de l'interconnaissance avant de décider.",
    "Rendre compte régulièrement de ce que deviennent les propositions.",
    "Associer les élus dès le début évite les déceptions.",
    "Les horaires en soirée excluent les parents de jeunes enfants.",
    "La convivialité compte autant que la méthode.",
]


def _vocabulary(model) -> list[int]:
    return list(model.objects.filter(is_active=True).values_list("pk", flat=True))


def generate(*, scale: str, rng, stdout=None) -> int:
    """Create SIZES[scale] initiatives (95% published). Returns how many were created."""
    count = SIZES[scale]
    communes = list(
        Commune.objects.filter(latitude__isnull=False).values_list(
            "insee", "department_id", "name", "population"
        )
    )
    if not communes:
        if stdout:
            stdout.write("Observatory: no communes with coordinates, no initiatives generated.")
        return 0
    if not Theme.objects.exists():
        load_themes()
    if not FacilitationFormat.objects.exists():
        load_vocabularies()
    themes = list(Theme.objects.values_list("pk", flat=True))
    formats = _vocabulary(FacilitationFormat)
    format_names = dict(FacilitationFormat.objects.values_list("pk", "name"))
    publics = _vocabulary(TargetPublic)
    organisations = list(Organisation.objects.values_list("pk", flat=True)[:50_000])
    weights = [max(population or 0, 100) ** 0.5 for *_rest, population in communes]
    start = Initiative.objects.count()
    now = timezone.now()
    statuses, phases, scales, levels = (
        [value for value, _label in choices]
        for choices in (Status.choices, Phase.choices, Scale.choices, ParticipationLevel.choices)
    )
    through_themes = Initiative.themes.through
    through_formats = Initiative.facilitation_formats.through
    through_publics = Initiative.target_publics.through
    through_leads = Initiative.lead_organisations.through
    created = 0
    with transaction.atomic():
        while created < count:
            size = min(BATCH, count - created)
            rows, links = [], []
            for offset in range(size):
                number = start + created + offset
                insee, department, commune_name, _population = rng.choices(communes, weights)[0]
                main_format = rng.choice(formats)
                subject, topic = rng.choice(SUBJECTS)
                title = f"{format_names[main_format]} sur {topic} à {commune_name}"
                started = datetime.date(rng.randint(2005, 2026), rng.randint(1, 12), 1)
                status = rng.choice(statuses)
                ended = (
                    started + datetime.timedelta(days=rng.randint(30, 1500))
                    if status == Status.ENDED
                    else None
                )
                body = " ".join(
                    [rng.choice(OPENINGS).format(subject=subject), *rng.sample(MIDDLES, 3)]
                )
                rows.append(
                    Initiative(
                        title=title,
                        slug=f"{slugify(title)[:190]}-{number}",
                        summary=rng.choice(OPENINGS).format(subject=subject),
                        description=body,
                        lessons=" ".join(rng.sample(LESSONS, 2)),
                        state=PublicationState.PUBLISHED
                        if rng.random() < 0.95
                        else PublicationState.DRAFT,
                        status=status,
                        phase=rng.choice(phases),
                        start_date=started,
                        end_date=ended,
                        commune_id=insee,
                        department_id=department,
                        scale=rng.choice(scales),
                        is_qpv=rng.random() < 0.3,
                        subject=subject,
                        participation_level=rng.choice(levels),
                        participant_count=rng.randint(5, 800),
                        published_at=now,
                    )
                )
                links.append(
                    (
                        rng.sample(themes, min(len(themes), rng.randint(1, 3))),
                        {main_format, *rng.sample(formats, rng.randint(0, 1))},
                        rng.sample(publics, min(len(publics), rng.randint(1, 2))),
                        rng.sample(organisations, 1) if organisations else [],
                    )
                )
            initiatives = Initiative.objects.bulk_create(rows)
            theme_rows, format_rows, public_rows, lead_rows = [], [], [], []
            for initiative, (theme_ids, format_ids, public_ids, lead_ids) in zip(
                initiatives, links, strict=True
            ):
                theme_rows += [
                    through_themes(initiative_id=initiative.pk, theme_id=pk) for pk in theme_ids
                ]
                format_rows += [
                    through_formats(initiative_id=initiative.pk, facilitationformat_id=pk)
                    for pk in format_ids
                ]
                public_rows += [
                    through_publics(initiative_id=initiative.pk, targetpublic_id=pk)
                    for pk in public_ids
                ]
                lead_rows += [
                    through_leads(initiative_id=initiative.pk, organisation_id=pk)
                    for pk in lead_ids
                ]
            through_themes.objects.bulk_create(theme_rows)
            through_formats.objects.bulk_create(format_rows)
            through_publics.objects.bulk_create(public_rows)
            through_leads.objects.bulk_create(lead_rows)
            created += size
    if stdout:
        stdout.write(f"Observatory: {created} initiatives generated.")
    return created
