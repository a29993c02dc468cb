"""Synthetic directory for benchmarks: organisations, people and memberships over the real communes.

Scales: small (500 organisations, 1,250 people), medium (5,000 / 12,500), large (20,000 /
50,000). Places are drawn from the loaded communes weighted by population (an empty commune when
none are loaded); about 80 % of people are listed and half of those share their contact details.
Rows are written with bulk_create, so `search_text` is computed here as `save()` would.
"""

import datetime
import time

from django.db import connection, transaction
from django.utils.text import slugify

from terreau.core.models import Theme
from terreau.core.search import normalise
from terreau.territories.models import Commune

from .models import ActorCategory, Membership, Organisation, OrganisationKind, Person

SCALES = {"small": (500, 1_250), "medium": (5_000, 12_500), "large": (20_000, 50_000)}
BATCH = 2_000

KIND_NAMES = {
    OrganisationKind.COMMUNE: ["Ville de {place}", "Mairie de {place}"],
    OrganisationKind.EPCI: ["Communauté de communes {word}", "Communauté d'agglomération {word}"],
    OrganisationKind.ASSOCIATION: [
        "Association {word} de {place}",
        "Les Amis {word} de {place}",
        "{word} en action",
    ],
    OrganisationKind.SOCIAL_CENTRE: ["Centre social {word}", "Maison de quartier {word}"],
    OrganisationKind.CITIZEN_COLLECTIVE: ["Collectif {word}", "Collectif citoyen de {place}"],
    OrganisationKind.RESEARCH: ["Laboratoire {word}", "Institut {word} de recherche"],
    OrganisationKind.COMPANY: ["{word} Conseil", "Coopérative {word}"],
    OrganisationKind.FOUNDATION: ["Fondation {word}"],
    OrganisationKind.PUBLIC_BODY: ["Agence {word} de {place}", "Office {word}"],
    OrganisationKind.THIRD_PLACE: ["Tiers-lieu {word}", "La Fabrique {word}"],
    OrganisationKind.STATE_SERVICE: ["Direction départementale {word}"],
    OrganisationKind.DEPARTMENT: ["Service {word} du Département"],
    OrganisationKind.REGION: ["Service {word} de la Région"],
}
KIND_WEIGHTS = {
    OrganisationKind.ASSOCIATION: 40,
    OrganisationKind.COMMUNE: 15,
    OrganisationKind.SOCIAL_CENTRE: 10,
    OrganisationKind.CITIZEN_COLLECTIVE: 10,
    OrganisationKind.THIRD_PLACE: 5,
    OrganisationKind.EPCI: 3,
    OrganisationKind.RESEARCH: 3,
    OrganisationKind.COMPANY: 4,
    OrganisationKind.FOUNDATION: 2,
    OrganisationKind.PUBLIC_BODY: 4,
    OrganisationKind.STATE_SERVICE: 2,
    OrganisationKind.DEPARTMENT: 1,
    OrganisationKind.REGION: 1,
}
WORDS = [
    "Horizons", "Racines", "Passerelles", "Solidaires", "Terre d'avenir", "Les Liens",
    "Cœur de quartier", "Émergence", "Agora", "Ricochets", "Les Tisserands", "Bel Air",
    "Les Colibris", "Renouveau", "Alliance", "Pluriel", "Cité vivante", "Les Jardins",
    "Éclats", "Boussole", "Carrefour", "Trait d'union", "Sillons", "La Ruche",
]  # fmt: skip
FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Nadia", "Fatima", "Julie", "Anne",
    "Hugo", "Lucas", "Thomas", "Nicolas", "Karim", "Mehdi", "Julien", "Antoine", "Rémi",
    "Jérôme", "Sophie", "Élodie", "Aurélie", "François", "Benoît", "Yasmine", "Gaëlle", "Loïc",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Lefebvre", "Leroy", "Lefèvre", "Petit", "Durand", "Moreau",
    "Dupont", "Lambert", "Fournier", "Caron", "Delattre", "Vasseur", "Dhainaut", "Boulanger",
    "Hennebelle", "Deschamps", "Benali", "Kaci", "Nowak", "Kowalski", "Lemaire", "Carpentier",
    "Wallart", "Delannoy", "Roussel", "Debruyne", "Vandenbussche",
]  # fmt: skip
ROLES = {
    ActorCategory.ELECTED: ["Maire", "Adjointe à la démocratie participative", "Conseiller"],
    ActorCategory.PUBLIC_STAFF: ["Chargée de mission participation", "Chef de projet", "Agent"],
    ActorCategory.ASSOCIATION_STAFF: ["Directrice", "Animateur", "Coordinatrice"],
    ActorCategory.VOLUNTEER: ["Bénévole", "Président", "Trésorière"],
    ActorCategory.CITIZEN: ["Membre", "Habitante engagée"],
    ActorCategory.RESEARCHER: ["Maîtresse de conférences", "Doctorant", "Professeur"],
    ActorCategory.CONSULTANT: ["Consultante", "Facilitateur"],
    ActorCategory.OTHER: ["Membre"],
}


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _places(rng, count: int) -> list[tuple[str, str] | None]:
    """`count` (INSEE code, name) pairs drawn by population, or Nones without communes."""
    communes = list(Commune.objects.values_list("insee", "name", "population"))
    if not communes:
        return [None] * count
    weights = [max(population or 0, 50) for _, _, population in communes]
    return [(insee, name) for insee, name, _ in rng.choices(communes, weights=weights, k=count)]


def _date(rng, start_year: int = 2008) -> datetime.date:
    return datetime.date(2008, 1, 1) + datetime.timedelta(
        days=rng.randrange((datetime.date(2026, 6, 30) - datetime.date(start_year, 1, 1)).days)
    )


def _analyze(*models) -> None:
    """Refresh the planner's statistics after a bulk load: without them SQLite may drive the
    list pages' membership query from the wrong index."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@transaction.atomic
def generate(*, scale: str, rng, stdout=None) -> dict[str, int]:
    organisation_count, person_count = SCALES[scale]
    started = time.perf_counter()
    first_index = Organisation.objects.count() + Person.objects.count()
    themes = list(Theme.objects.values_list("pk", flat=True))

    kinds = list(KIND_WEIGHTS)
    kind_weights = list(KIND_WEIGHTS.values())
    organisations = []
    for index, place in enumerate(_places(rng, organisation_count), start=first_index):
        kind = rng.choices(kinds, weights=kind_weights)[0]
        place_name = place[1] if place else "Hauts-de-France"
        name = rng.choice(KIND_NAMES[kind]).format(word=rng.choice(WORDS), place=place_name)
        organisations.append(
            Organisation(
                name=name,
                slug=f"{slugify(name)[:200]}-{index}",
                kind=kind,
                commune_id=place[0] if place else None,
                description=f"Structure fictive générée pour les essais de charge ({scale}).",
                is_published=rng.random() < 0.97,
                search_text=normalise(name, "", place[1] if place else ""),
            )
        )
    # PostgreSQL and SQLite (3.35+) return the new primary keys from bulk_create.
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    organisation_ids = [organisation.pk for organisation in organisations]
    if themes:
        links = [
            Organisation.themes.through(organisation_id=pk, theme_id=theme)
            for pk in organisation_ids
            for theme in rng.sample(themes, k=min(len(themes), rng.randint(0, 3)))
        ]
        Organisation.themes.through.objects.bulk_create(links, batch_size=BATCH)

    categories = list(ActorCategory)
    people = []
    for index, place in enumerate(_places(rng, person_count), start=first_index):
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        category = rng.choice(categories)
        is_listed = rng.random() < 0.8
        title = rng.choice(ROLES[category])
        people.append(
            Person(
                first_name=first_name,
                last_name=last_name,
                slug=f"{slugify(first_name + ' ' + last_name)}-{index}",
                title=title,
                actor_category=category,
                commune_id=place[0] if place else None,
                email=f"{slugify(first_name)}.{slugify(last_name)}.{index}@example.org",
                phone=f"03 20 {index % 100:02d} {(index // 100) % 100:02d} {rng.randrange(100):02d}"
                if rng.random() < 0.5
                else "",
                is_listed=is_listed,
                contact_consent=is_listed and rng.random() < 0.5,
                search_text=normalise(first_name, last_name, title),
            )
        )
    Person.objects.bulk_create(people, batch_size=BATCH)
    people_rows = [(person.pk, person.actor_category) for person in people]
    if themes:
        links = [
            Person.themes.through(person_id=pk, theme_id=theme)
            for pk, _ in people_rows
            for theme in rng.sample(themes, k=min(len(themes), rng.randint(0, 2)))
        ]
        Person.themes.through.objects.bulk_create(links, batch_size=BATCH)

    memberships = []
    for pk, category in people_rows:
        for organisation_id in rng.sample(organisation_ids, k=rng.choice((1, 1, 1, 2, 2, 3))):
            start = _date(rng) if rng.random() < 0.7 else None
            end = None
            if start and rng.random() < 0.3:
                end = start + datetime.timedelta(days=rng.randrange(60, 2_000))
            memberships.append(
                Membership(
                    person_id=pk,
                    organisation_id=organisation_id,
                    role=rng.choice(ROLES[category]),
                    start_date=start,
                    end_date=end,
                )
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    _analyze(Organisation, Person, Membership, Organisation.themes.through, Person.themes.through)
    counts = {
        "organisations": len(organisations),
        "people": len(people),
        "memberships": len(memberships),
    }
    _write(
        stdout,
        f"Directory: {counts['organisations']:,} organisations, {counts['people']:,} people, "
        f"{counts['memberships']:,} memberships in {time.perf_counter() - started:.1f} s.\n",
    )
    return counts
