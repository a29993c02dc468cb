"""Demo data: the first cooperative worksite of the Espace de coopération (seed 000,
October 2015 – January 2016), its three cases and evening workshops, the pooling day, report
drafts clearly marked as demonstration content, and a first edition of the publication."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from terreau.core.demo import DEMO_MEMBER_EMAIL, DEMO_MODERATOR_EMAIL
from terreau.core.slugs import slug_unique
from terreau.directory.models import ActorCategory, Organisation, Person
from terreau.events.models import (
    Attendance,
    Event,
    EventKind,
    Registration,
    RegistrationStatus,
    Venue,
)
from terreau.events.services.programme import event_create, event_publish
from terreau.observatory.models import Initiative
from terreau.territories.models import Commune

from . import services
from .models import Edition, ReportStatus, Worksite

SLUG = "initiatives-citoyennes-debat-public-2015"
QUESTION = (
    "Initiatives citoyennes permettant de favoriser l'implication de tous dans le débat public"
)
DEMO = (
    "*Contenu de démonstration : ce texte illustre l'outil, il ne rapporte pas les débats réels.*"
)

SUMMARY = (
    "L'Espace de coopération entre acteurs et chercheurs en démocratie participative organise "
    "son premier chantier d'octobre 2015 à janvier 2016. Créé à l'initiative de la Région Nord "
    "Pas-de-Calais, il réunit élus, agents territoriaux, acteurs associatifs salariés et "
    "bénévoles, membres de collectifs citoyens et universitaires.\n\n"
    "Trois initiatives citoyennes ont été choisies. Avec leurs organisateurs, les membres du "
    "comité de pilotage préparent une présentation du contexte dans lequel elles se sont "
    "développées, des choix qui ont conduit à leur installation, des manières de faire, "
    "notamment pour rencontrer la population, les organisations, les élus de leur territoire. "
    "Au cours de trois soirées (19 h – 21 h 30), ces initiatives sont présentées et discutées "
    "en croisant les regards des participants : élus et agents territoriaux, militants "
    "associatifs et citoyens, universitaires. Un compte rendu est coproduit et retourné à "
    "chacun ; une journée de mutualisation conclut le chantier, et une publication finale "
    "reprend les présentations, les débats et les conclusions."
)
OBJECTIVES = (
    "- faire progresser dans la région la **coopération entre acteurs**, et leurs pratiques, "
    "sur des questions de participation du public ;\n"
    "- favoriser le **dialogue entre universitaires et praticiens**, permettre un croisement "
    "et un enrichissement réciproque de leurs savoirs scientifiques, techniques et citoyens ;\n"
    "- **diffuser les acquis** des chantiers coopératifs pour qu'ils servent au plus grand "
    "nombre."
)

# (title, lead organisation slug, initiative title, date, commune INSEE, venue)
CASES = [
    (
        "L'expression en assemblée populaire",
        "centre-socio-culturel-etouvie",
        "L'expression en assemblée populaire à Etouvie",
        dt.date(2015, 10, 13),
        "80021",
        "Centre socio-culturel d'Etouvie",
    ),
    (
        "Les habitants dans le projet urbain",
        "collectif-bw-friches",
        "Les habitants dans le projet urbain de Fives",
        dt.date(2015, 11, 5),
        "59350",
        "Quartier de Fives (Lille)",
    ),
    (
        "Comment développer le pouvoir d'agir ?",
        "centres-sociaux-valenciennes",
        "Comment développer le pouvoir d'agir ? Les centres sociaux du Valenciennois",
        dt.date(2015, 12, 1),
        "59606",
        "Association des centres sociaux de la région de Valenciennes",
    ),
]

PRESENTATION = {
    "context": "{demo}\n\nL'expérience « {title} » est portée par {org}. Elle mobilise des "
    "habitants de l'espace public local, avec le projet de donner du pouvoir d'agir aux "
    "habitants.",
    "choices": "{demo}\n\nLes choix qui ont conduit à son installation : partir des "
    "préoccupations exprimées par les habitants ; se donner un lieu et un rythme réguliers.",
    "ways_of_working": "{demo}\n\n- des rencontres ouvertes à tous ;\n- une animation qui "
    "laisse la parole aux habitants ;\n- un retour systématique sur ce qui a été dit.",
    "meeting_population": "{demo}\n\nAller au-devant des habitants là où ils sont : pied "
    "d'immeuble, marché, sortie d'école.",
    "territory": "{demo}\n\nLes organisations et les élus du territoire sont invités à "
    "écouter et à répondre, sans prendre la parole les premiers.",
}

SECTIONS = [
    "{demo}\n\n## Description analytique\n\nLe cas « {title} » montre qu'une parole "
    "collective se construit dans la durée. Les participants ont décrit les étapes de "
    "l'expérience : mobiliser, faire parler, porter la parole auprès des institutions.",
    "{demo}\n\n**Forces** : une présence régulière dans le quartier ; des professionnels "
    "qui se mettent en retrait.\n\n**Faiblesses** : la difficulté à obtenir des réponses "
    "des institutions ; l'essoufflement des bénévoles.",
    "{demo}\n\nHypothèse : la parole des groupes les plus éloignés des espaces de débat "
    "public produit du changement quand un tiers garantit qu'elle sera entendue.",
]

THEMES = [
    ("Aller vers les publics éloignés", 0, "la parole collective se construit dans la durée"),
    ("La place des professionnels", 1, "des professionnels qui se mettent en retrait"),
    ("Le dialogue avec les élus", 1, "la difficulté à obtenir des réponses des institutions"),
]

# (category, how many) of the demonstration registrants of each workshop.
REGISTRANTS = [
    (ActorCategory.ELECTED, 3),
    (ActorCategory.PUBLIC_STAFF, 4),
    (ActorCategory.ASSOCIATION_STAFF, 4),
    (ActorCategory.VOLUNTEER, 3),
    (ActorCategory.CITIZEN, 5),
    (ActorCategory.RESEARCHER, 2),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _person_for(user, title: str, category: str) -> Person:
    person = Person.objects.filter(user=user).first()
    if person is None:
        person = Person.objects.create(
            user=user,
            first_name=user.first_name,
            last_name=user.last_name,
            slug=slug_unique(
                model=Person, text=f"{user.first_name} {user.last_name}", fallback="p"
            ),
            title=title,
            actor_category=category,
        )
    return person


def _demo_person(first: str, last: str, title: str, category: str) -> Person:
    return Person.objects.filter(first_name=first, last_name=last).first() or Person.objects.create(
        first_name=first,
        last_name=last,
        slug=slug_unique(model=Person, text=f"{first} {last}", fallback="p"),
        title=title,
        actor_category=category,
    )


def _organisation(slug: str, name: str) -> Organisation:
    return Organisation.objects.filter(slug=slug).first() or Organisation.objects.create(
        slug=slug, name=name, kind="association"
    )


def _workshop(title: str, day: dt.date, insee: str, venue_name: str, initiative, lead) -> Event:
    commune = Commune.objects.filter(insee=insee).first()
    venue = Venue.objects.filter(name=venue_name).first() or Venue.objects.create(
        name=venue_name, commune=commune
    )
    event = event_create(
        fields={
            "title": f"Atelier du chantier coopératif : {title.rstrip(' ?')}",
            "kind": EventKind.EVENING_WORKSHOP,
            "starts_at": _at(day, 19),
            "ends_at": _at(day, 21, 30),
            "venue": venue,
            "summary": "Soirée de mise en discussion d'une expérience, en croisant les regards "
            "des élus, agents, militants associatifs, citoyens et universitaires.",
            "partners": [lead],
            "initiatives": [initiative],
        }
    )
    event_publish(event=event)
    return event


def _registrants(event: Event, number: int) -> None:
    rows = []
    index = 0
    for category, count in REGISTRANTS:
        for _n in range(count):
            index += 1
            rows.append(
                Registration(
                    event=event,
                    first_name="Participant·e",
                    last_name=f"de démonstration {number}-{index}",
                    email=f"atelier{number}-{index}@example.org",
                    actor_category=category,
                    status=RegistrationStatus.CONFIRMED,
                    attendance=Attendance.ATTENDED,
                    consent=True,
                )
            )
    Registration.objects.bulk_create(rows)


def load(stdout=None) -> None:
    if Worksite.objects.filter(slug=SLUG).exists():
        return
    User = get_user_model()
    convener = _organisation(
        "espace-de-cooperation",
        "Espace de coopération entre acteurs et chercheurs en démocratie participative",
    )
    region = Organisation.objects.filter(slug="conseil-regional").first()
    worksite = services.worksite_create(
        question=QUESTION,
        slug=SLUG,
        starts_on=dt.date(2015, 10, 1),
        ends_on=dt.date(2016, 1, 31),
        summary=SUMMARY,
        objectives=OBJECTIVES,
        status="publishing",
        convener=convener,
        partners=[region] if region else [],
        target_mix={
            "elected": 20,
            "public_staff": 20,
            "association_staff": 15,
            "volunteer": 10,
            "citizen": 20,
            "researcher": 15,
        },
    )
    moderator = User.objects.filter(email=DEMO_MODERATOR_EMAIL).first()
    member = User.objects.filter(email=DEMO_MEMBER_EMAIL).first()
    coordinator = (
        _person_for(
            moderator, "Coordination du chantier (démonstration)", ActorCategory.PUBLIC_STAFF
        )
        if moderator
        else None
    )
    organiser = (
        _person_for(member, "Animatrice (démonstration)", ActorCategory.ASSOCIATION_STAFF)
        if member
        else None
    )
    researcher = _demo_person(
        "Claire",
        "Exemple",
        "Chercheuse (personne fictive de démonstration)",
        ActorCategory.RESEARCHER,
    )
    elected = _demo_person(
        "Paul", "Exemple", "Élu local (personne fictive de démonstration)", ActorCategory.ELECTED
    )
    if coordinator:
        services.committee_member_add(worksite=worksite, person=coordinator, role="coordinator")
    services.committee_member_add(worksite=worksite, person=researcher, role="researcher")
    services.committee_member_add(worksite=worksite, person=elected, role="member")
    for person in filter(None, [coordinator, organiser, researcher]):
        participant = services.participant_add(worksite=worksite, person=person)
        services.participant_set_consent(participant=participant, consents=True)

    reports = []
    for number, (title, org_slug, initiative_title, day, insee, venue) in enumerate(CASES, 1):
        lead = _organisation(org_slug, venue)
        initiative = Initiative.objects.filter(title=initiative_title).first()
        workshop = _workshop(
            title, day, insee, venue, initiative or _stub(initiative_title, lead), lead
        )
        case = services.case_create(
            worksite=worksite,
            title=title,
            lead_organisation=lead,
            initiative=workshop.initiatives.first(),
            presenters=[organiser] if organiser and number == 1 else [],
            workshop=workshop,
        )
        services.case_presentation_update(
            case=case,
            fields={
                key: text.format(demo=DEMO, title=title, org=lead.name)
                for key, text in PRESENTATION.items()
            },
        )
        _registrants(workshop, number)
        for section, text in zip(case.report.sections.all(), SECTIONS, strict=False):
            services.section_save(
                section=section,
                body=text.format(demo=DEMO, title=title),
                base_version=section.version,
                by=moderator,
            )
        reports.append(case.report)

    first = reports[0].sections.first()
    if member:
        services.comment_add(
            section=first,
            body="Exemple de commentaire : préciser qui a pris la parole lors de la soirée.",
            quote="une parole collective se construit dans la durée",
            by=member,
        )
        services.suggestion_add(
            section=first,
            quote="les étapes de l'expérience",
            replacement="les trois étapes de l'expérience",
            by=member,
        )
    for report in reports:
        services.report_set_status(report=report, status=ReportStatus.IN_REVIEW, by=moderator)
        services.report_set_status(report=report, status=ReportStatus.VALIDATED, by=moderator)

    themes = []
    for name, section_index, quote in THEMES:
        theme = services.theme_create(worksite=worksite, name=name)
        themes.append(theme)
        for report in reports:
            section = list(report.sections.all())[section_index]
            if quote in section.body:
                services.theme_tag_add(theme=theme, section=section, quote=quote, by=moderator)

    pooling = event_create(
        fields={
            "title": "Journée de mutualisation du chantier coopératif",
            "kind": EventKind.POOLING_DAY,
            "starts_at": _at(dt.date(2016, 1, 26), 9, 30),
            "ends_at": _at(dt.date(2016, 1, 26), 16, 30),
            "summary": "Groupes d'échanges sur les thèmes transversaux dégagés par le comité "
            "de pilotage et les porteurs de projets (date de démonstration).",
            "initiatives": [r.case.initiative for r in reports],
        }
    )
    event_publish(event=pooling)
    worksite.pooling_day = pooling
    worksite.save(update_fields=["pooling_day"])
    for index, theme in enumerate(themes, 1):
        services.synthesis_save(
            worksite=worksite,
            group_name=f"Groupe d'échanges {index}",
            theme=theme,
            body=f"{DEMO}\n\nLe groupe a croisé les trois expériences sur le thème « "
            f"{theme.name} » et retenu deux pistes pour d'autres territoires.",
            by=moderator,
        )

    publication = services.publication_get(worksite=worksite)
    publication.title = "Regards sur des initiatives citoyennes"
    publication.subtitle = QUESTION
    publication.credits = (
        f"{DEMO}\n\nChantier coopératif de l'Espace de coopération entre acteurs et "
        "chercheurs en démocratie participative, créé à l'initiative de la Région Nord - "
        "Pas de Calais."
    )
    publication.save()
    from .publication import edition_build

    edition = Edition.objects.create(publication=publication, number=1, requested_by=moderator)
    edition = edition_build(edition=edition)
    if stdout:
        stdout.write(
            f"Worksites: 1 worksite, {len(reports)} cases, edition 1 {edition.status} "
            f"({edition.pdf_pages} PDF pages).\n"
        )


def _stub(title: str, lead: Organisation) -> Initiative:
    initiative = Initiative.objects.create(
        title=title,
        slug=slug_unique(model=Initiative, text=title, fallback="initiative"),
        summary="Expérience discutée au chantier coopératif de 2015–2016.",
    )
    initiative.lead_organisations.add(lead)
    return initiative
