"""Demo of the day and after: check-ins at the Lille national meetings (2014) and the report-backs
of the four workshops of the Liévin regional day (2021), so that the archive shows outputs.

Run by `events/demo/__init__.py` after the seed events and the synthetic registrations exist. The
report-backs are short syntheses written from each workshop's brief in the seed programme
(seed 001); they say so, and invent no quotation or result.
"""

from django.db import transaction

from ..models import (
    AttendanceRecord,
    Event,
    Half,
    Registration,
    RegistrationStatus,
    Session,
    SessionKind,
    WorkshopReport,
)

ORDER = 40
LIEVIN_SLUG = "journee-regionale-initiatives-citoyennes-lievin-2021"
LILLE_SLUG = "rencontres-nationales-democratie-participative-lille-2014"

SOURCE_NOTE = (
    "*Synthèse de démonstration rédigée à partir de la consigne de l'atelier dans le programme "
    "de la journée du 30 septembre 2021 ; ce n'est pas le compte rendu de l'atelier.*"
)

# Workshop title (its beginning) → recommendations drawn from its brief.
LIEVIN_REPORTS = {
    "L'émergence": (
        "- Reconnaître les lieux qui existent déjà (centres sociaux, équipements culturels, "
        "services publics) comme des espaces d'accueil des envies d'agir, et le faire savoir.\n"
        "- Accueillir l'idée avant d'exiger un projet : une posture d'écoute, des compétences et "
        "des méthodes d'accompagnement à développer chez les professionnel·les.\n"
        "- Accepter des temporalités plus longues que celles des dispositifs.\n"
        "- Construire l'« alliance » entre citoyens et institutions dès l'émergence, pas "
        "seulement au moment du financement."
    ),
    "La consolidation": (
        "- Alléger les procédures, les appels à projets et les critères d'instruction qui "
        "peuvent entraver les envies d'agir des habitant·es.\n"
        "- Proposer des cadres de soutien plus souples à côté de l'appel à projets.\n"
        "- Clarifier le rôle et la responsabilité de chaque institution (collectivités, "
        "associations, fondations).\n"
        "- Repérer et faire connaître les « pas de côté » qui ont facilité des projets citoyens."
    ),
    "La concrétisation": (
        "- Ne pas faire de la création d'une structure juridique une condition du soutien.\n"
        "- Faire connaître l'hébergement d'un collectif par une structure existante, à "
        "l'instar du portage salarial.\n"
        "- Regarder les formes coopératives quand l'initiative devient une activité "
        "économique.\n"
        "- Vérifier que le portage choisi garde une gouvernance collective et démocratique."
    ),
    "L'outil numérique": (
        "- Partir des fonctions attendues et de l'animation avant de choisir une plateforme.\n"
        "- Prévoir une modération et une animation humaines des outils en ligne.\n"
        "- Associer le numérique à des temps en présence pour ne laisser personne de côté.\n"
        "- Dire ce que deviennent les contributions en ligne."
    ),
}

# Lille, 18–19 November 2014: (day index, half) of the check-ins of the first registrants.
LILLE_CHECK_INS = [
    [(0, Half.AFTERNOON), (1, Half.MORNING), (1, Half.AFTERNOON)],
    [(0, Half.AFTERNOON), (1, Half.MORNING)],
    [(1, Half.MORNING), (1, Half.AFTERNOON)],
]
LILLE_CHECKED_IN = 24


def load_lievin_reports(stdout=None) -> int:
    event = Event.objects.filter(slug=LIEVIN_SLUG).first()
    if event is None:
        return 0
    workshops = Session.objects.filter(
        slot__day__event=event, kind=SessionKind.EXCHANGE_WORKSHOP
    ).order_by("position", "pk")
    written = 0
    for session in workshops:
        for prefix, recommendations in LIEVIN_REPORTS.items():
            if session.title.startswith(prefix):
                WorkshopReport.objects.update_or_create(
                    session=session,
                    defaults={
                        "recommendations": recommendations,
                        "notes": (f"Consigne : {session.brief}\n\n" if session.brief else "")
                        + SOURCE_NOTE,
                        "is_published": True,
                        "published_at": event.ends_at,
                    },
                )
                written += 1
    return written


def load_lille_check_ins(stdout=None) -> int:
    event = Event.objects.filter(slug=LILLE_SLUG).first()
    if event is None:
        return 0
    days = list(event.days.order_by("date"))
    if len(days) < 2:
        return 0
    registrations = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED
    ).order_by("pk")[:LILLE_CHECKED_IN]
    records = []
    for index, registration in enumerate(registrations):
        for day_index, half in LILLE_CHECK_INS[index % len(LILLE_CHECK_INS)]:
            records.append(
                AttendanceRecord(registration=registration, day=days[day_index], half=half)
            )
    AttendanceRecord.objects.bulk_create(records, ignore_conflicts=True)
    ids = [registration.pk for registration in registrations]
    Registration.objects.filter(pk__in=ids, checked_in_at__isnull=True).update(
        checked_in_at=event.starts_at, attendance="attended"
    )
    return len(ids)


def load(stdout=None) -> None:
    with transaction.atomic():
        reports = load_lievin_reports(stdout)
        checked_in = load_lille_check_ins(stdout)
    if stdout:
        stdout.write(
            f"Events on site: {reports} workshop report-backs (Liévin 2021), "
            f"{checked_in} check-ins (Lille 2014)."
        )
