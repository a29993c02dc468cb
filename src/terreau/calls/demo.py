"""Demo data of the calls: the regional council's 2013 call for practice-exchange groups
(seed 003, its texts, dates, criteria and the Est / Ouest groups) with 60 synthetic
applications and their reviews, its selection confirmed (28 people, 14 per zone, in their
zone's group: the exchange groups' demo takes its members from there); a call of the same
kind left under review with 60 applications, for staff to try the review and the selection;
a financial-aid call and a methodological-support call with one request being followed up.

The 2013 call does not say when it opened: we take 1 March 2013 (it was sent with the form,
"à retourner avant le 29 mars prochain"). Its applications came by post or e-mail, so they
are paper entries; the demo member's is one of them, linked to the account.
"""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from terreau.core.demo import (
    DEMO_MEMBER_EMAIL,
    DEMO_MODERATOR_EMAIL,
    DEMO_PASSWORD,
    DEMO_STAFF_EMAIL,
)
from terreau.directory.models import Organisation
from terreau.territories.models import Zone

from . import services
from .models import (
    Application,
    ApplicationState,
    Call,
    CallKind,
    Family,
    QuestionKind,
    SupportEntryKind,
    SupportFollowUp,
)

PARIS = ZoneInfo("Europe/Paris")
#: The texts of the 2013 call, as the seed document gives them (Markdown).
DATA = Path(__file__).parent / "data"

KINDS = [
    (
        "echange-de-pratiques",
        "Groupe d'échanges de pratiques",
        "Exchange-group membership",
        Family.EXCHANGE_GROUP,
    ),
    ("aide-financiere", "Aide financière", "Financial aid", Family.FINANCIAL_AID),
    ("appui-methodologique", "Appui méthodologique", "Methodological support", Family.SUPPORT),
    ("panel-citoyen", "Panel citoyen tiré au sort", "Citizens' panel", Family.PANEL),
]

BODY_2013 = (DATA / "call_2013_body.md").read_text(encoding="utf-8")

SELECTION_2013 = (DATA / "call_2013_selection.md").read_text(encoding="utf-8")

POSTAL_2013 = (
    "Conseil Régional Nord - Pas de Calais\n"
    "Direction du Développement Durable, de la Prospective et de l'Évaluation\n"
    "151 avenue du Président Hoover\n"
    "59555 Lille Cédex"
)

ACTORS = ["Élu·e", "Professionnel·le", "Bénévole", "Habitant·e"]
SUBJECTS = [
    "Aménagement et urbanisme",
    "Politique de la ville",
    "Environnement et climat",
    "Jeunesse",
    "Budget et finances locales",
    "Vie associative et culture",
]
PUBLICS = [
    "Tous les habitants",
    "Habitants des quartiers prioritaires",
    "Jeunes",
    "Élus et agents",
    "Associations",
]
FORMATS = [
    "Réunions publiques",
    "Ateliers participatifs",
    "Conseil citoyen ou de quartier",
    "Budget participatif",
    "Outils numériques",
    "Porte-à-porte et aller-vers",
]

QUESTIONS_2013 = [
    # (kind, label, help, choices, required, identifying)
    (
        QuestionKind.ORGANISATION,
        "Votre structure",
        "Choisissez-la dans l'annuaire ou ajoutez-la.",
        [],
        True,
        True,
    ),
    (QuestionKind.SHORT_TEXT, "Votre fonction dans la structure", "", [], True, True),
    (QuestionKind.CHOICE, "Vous êtes", "", ACTORS, True, False),
    (
        QuestionKind.LONG_TEXT,
        "L'expérience ou la pratique participative que vous portez",
        "Décrivez le dispositif : son objet, son public, son déroulement.",
        [],
        True,
        False,
    ),
    (QuestionKind.CHOICE, "Objet traité", "", SUBJECTS, True, False),
    (QuestionKind.CHOICE, "Public visé", "", PUBLICS, True, False),
    (QuestionKind.CHOICE, "Modalités d'animation principales", "", FORMATS, True, False),
    (
        QuestionKind.YES_NO,
        "Souhaitez-vous vous inscrire dans une logique de travail collectif d'analyse "
        "comparée des pratiques ?",
        "",
        [],
        True,
        False,
    ),
    (QuestionKind.LONG_TEXT, "Votre motivation à participer", "", [], True, False),
    (
        QuestionKind.YES_NO,
        "Votre structure s'engage-t-elle à vous autoriser à participer sur votre temps de "
        "travail et à y être assidu·e ?",
        "",
        [],
        True,
        False,
    ),
    (
        QuestionKind.FILE,
        "Engagement écrit de la structure (facultatif)",
        "Lettre de l'employeur (PDF, DOCX ou ODT).",
        [],
        False,
        True,
    ),
]

SCALE = [[0, "insuffisant"], [1, "moyen"], [2, "bien"], [3, "très bien"]]
CRITERIA_2013 = [
    (
        "La structure",
        "Type de structure (diversité recherchée)",
        "Collectivité locale, association…",
        1,
    ),
    (
        "La structure",
        "Engagement de la structure",
        "Autoriser le candidat à participer sur son temps de travail et à être assidu.",
        1,
    ),
    (
        "Le candidat",
        "Expérience, pratique portée",
        "Être détenteur d'une expérience, porter une pratique.",
        2,
    ),
    (
        "Le candidat",
        "Travail collectif d'analyse comparée",
        "Souhaiter s'inscrire dans une logique de travail collectif d'analyse comparée des "
        "pratiques.",
        1,
    ),
    ("Le candidat", "Motivation à participer", "", 2),
    (
        "La démarche participative",
        "Diversité de l'expérience",
        "Objet traité, public visé, modalités d'animation.",
        1,
    ),
]

FIRST_NAMES = [
    "Anne",
    "Bruno",
    "Chloé",
    "David",
    "Élise",
    "Farid",
    "Gaëlle",
    "Hugo",
    "Inès",
    "Julien",
    "Karima",
    "Laurent",
    "Manon",
    "Nicolas",
    "Océane",
    "Pierre",
    "Rachida",
    "Sébastien",
    "Thérèse",
    "Valentin",
    "Yasmina",
    "Zoé",
    "Amandine",
    "Bernard",
    "Céline",
    "Damien",
    "Émilie",
    "Fabrice",
    "Hélène",
    "Karim",
]
LAST_NAMES = [
    "Lefebvre",
    "Dubois",
    "Lambert",
    "Martin",
    "Delattre",
    "Bouchez",
    "Carpentier",
    "Vasseur",
    "Dufour",
    "Leroy",
    "Caron",
    "Bertin",
    "Deprez",
    "Hennebelle",
    "Lemaire",
    "Morel",
    "Roussel",
    "Wattel",
    "Boulanger",
    "Leclercq",
    "Dumont",
    "Benali",
    "Hadj",
    "Cordier",
    "Flament",
    "Sergeant",
    "Mahieu",
    "Vandenbussche",
    "Descamps",
    "Ledoux",
]
EXPERIENCES = [
    "Un conseil de quartier qui prépare chaque année le programme des travaux de proximité.",
    "Des ateliers d'urbanisme avec les habitants pour la rénovation d'une cité minière.",
    "Un budget participatif communal, de l'appel à idées au vote des habitants.",
    "Un conseil municipal des jeunes qui mène ses propres projets.",
    "Une démarche d'aller-vers dans un quartier prioritaire avant le contrat de ville.",
    "Un forum ouvert sur l'avenir d'une friche industrielle.",
    "Une plateforme numérique de concertation sur le plan climat.",
    "Un collectif d'habitants qui anime un jardin partagé et des débats.",
]
MOTIVATIONS = [
    "Sortir de l'isolement et confronter ma pratique à celle d'autres acteurs.",
    "Prendre du recul sur nos méthodes et apprendre des expériences voisines.",
    "Construire un réseau régional et partager nos outils.",
    "Questionner le sens de la participation dans ma collectivité.",
]


def _user(email: str, first_name: str, last_name: str):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _kinds() -> dict[str, CallKind]:
    kinds = {}
    for position, (slug, name, name_en, family) in enumerate(KINDS):
        kinds[slug], _created = CallKind.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "name_en": name_en, "family": family, "position": position},
        )
    return kinds


def _paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


TITLE_2013 = "Dispositif d'échanges de pratiques de démocratie participative"
TITLE_TRIAL = "Groupes d'échanges de pratiques — appel de démonstration"
#: The 2013 call's selection as the demo confirms it: 28 people, 14 per zone (two groups of
#: 12 to 15), by merit.
SEATS_2013 = 28
PER_ZONE_2013 = 14
#: When the 2013 results went out ("à la mi-avril").
RESULTS_2013 = (2013, 4, 15, 10, 0)


def load_2013_call(*, kind: CallKind, staff, reviewers, member) -> Call:
    return _load_exchange_call(
        kind=kind,
        staff=staff,
        reviewers=reviewers,
        member=member,
        fields={
            "title": TITLE_2013,
            "summary": (
                "Appel à candidatures du Conseil régional Nord-Pas de Calais : deux groupes "
                "d'échanges de pratiques (zones Est et Ouest) de 12 à 15 acteurs chacun, "
                "de mai 2013 à avril 2014."
            ),
            "opens_at": _paris(2013, 3, 1, 9, 0),
            "closes_at": _paris(2013, 3, 29, 23, 59),
            "notification_on": dt.date(2013, 4, 15),
            "notification_label": "à la mi-avril",
            "first_meeting_at": _paris(2013, 5, 17, 9, 30),
            "first_meeting_place": (
                "siège du Conseil régional, 151 avenue du Président Hoover, Lille"
            ),
        },
        submitted_from=_paris(2013, 3, 4, 10, 0),
    )


def load_trial_call(*, kind: CallKind, staff, reviewers) -> Call:
    """The same kind of call, closed a few days ago and left under review with 60 applications,
    for staff to try the review and the selection (the 2013 call's is confirmed)."""
    now = timezone.localtime()
    closed = (now - dt.timedelta(days=5)).replace(hour=23, minute=59, second=0, microsecond=0)
    first_meeting = (now + dt.timedelta(days=60)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    return _load_exchange_call(
        kind=kind,
        staff=staff,
        reviewers=reviewers,
        member=None,
        fields={
            "title": TITLE_TRIAL,
            "summary": (
                "Appel de démonstration, sur le modèle de celui de 2013 : deux groupes "
                "d'échanges de pratiques (zones Est et Ouest) de 12 à 15 acteurs. Les "
                "candidatures sont à examiner, la sélection à faire."
            ),
            "opens_at": closed - dt.timedelta(days=35),
            "closes_at": closed,
            "notification_on": (now + dt.timedelta(days=20)).date(),
            "first_meeting_at": first_meeting,
            "first_meeting_place": (
                "siège du Conseil régional, 151 avenue du Président Hoover, Lille"
            ),
        },
        submitted_from=closed - dt.timedelta(days=30),
        seeds=(2026, 26),
        email_prefix="candidature-demo",
    )


def _load_exchange_call(
    *,
    kind: CallKind,
    staff,
    reviewers,
    member,
    fields: dict,
    submitted_from: dt.datetime,
    seeds: tuple[int, int] = (2013, 17),
    email_prefix: str = "candidat",
) -> Call:
    """A call for the two exchange groups with the 2013 texts, form, criteria and groups, 60
    paper applications submitted from `submitted_from` and their reviews (some missing);
    `seeds` draw the applications and the reviews."""
    zones = {zone.slug: zone for zone in Zone.objects.filter(slug__in=["est", "ouest"])}
    call = services.call_create(
        fields={
            "kind": kind,
            "body": BODY_2013,
            "selection_text": SELECTION_2013,
            **fields,
            "contact_name": "Rabah Ghomrane",
            "contact_title": "Chargé de mission démocratie participative",
            "contact_email": "rabah.ghomrane@nordpasdecals.fr",
            "contact_phone": "03 28 82 70 06",
            "postal_address": POSTAL_2013,
            "places": 30,
            "reviewers_per_application": 2,
        },
        zones=list(zones.values()),
        reviewers=reviewers,
    )
    questions = []
    for position, (qkind, label, help_text, choices, required, identifying) in enumerate(
        QUESTIONS_2013
    ):
        questions.append(
            services.question_save(
                call=call,
                fields={
                    "position": position,
                    "kind": qkind,
                    "label": label,
                    "help_text": help_text,
                    "choices": "\n".join(choices),
                    "is_required": required,
                    "is_identifying": identifying,
                },
            )
        )
    criteria = [
        services.criterion_save(
            call=call,
            fields={
                "position": position,
                "family": family,
                "name": name,
                "description": description,
                "weight": Decimal(weight),
                "is_required": True,
                "score_values": SCALE,
            },
        )
        for position, (family, name, description, weight) in enumerate(CRITERIA_2013)
    ]
    for position, slug in enumerate(["est", "ouest"]):
        if slug in zones:
            services.call_group_save(
                call=call,
                fields={
                    "name": zones[slug].name,
                    "zone": zones[slug],
                    "min_size": 12,
                    "max_size": 15,
                    "position": position,
                },
            )
    phase = services.review_phase_save(
        call=call, fields={"name": "Examen des candidatures", "may_review": True, "position": 0}
    )
    services.review_phase_activate(phase=phase)
    services.call_publish(call=call)
    _applications(
        call=call,
        questions=questions,
        zones=zones,
        staff=staff,
        member=member,
        submitted_from=submitted_from,
        seed=seeds[0],
        email_prefix=email_prefix,
    )
    services.reviewers_assign_balanced(call=call)
    _reviews(call=call, criteria=criteria, seed=seeds[1])
    return call


def confirm_2013_selection(*, call: Call, staff) -> None:
    """The 2013 selection as the demo keeps it: 28 selected by merit, 14 per zone, confirmed,
    then split into the Est and Ouest groups (each applicant in their zone's). No outcome
    e-mail: the results went out in April 2013 (and the addresses are made up)."""
    from .models import SelectionMethod, SelectionRun

    quotas = [
        {"feature": "zone", "value": group.zone.name, "min": PER_ZONE_2013, "max": PER_ZONE_2013}
        for group in call.groups.select_related("zone").exclude(zone=None)
    ]
    run = services.selection_run(
        call=call, by=staff, method=SelectionMethod.MERIT, seats=SEATS_2013, quotas=quotas
    )
    services.selection_confirm(run=run, by=staff, notify=False)
    services.groups_form(call=call, features=["organisation_kind"])
    results = _paris(*RESULTS_2013)
    SelectionRun.objects.filter(pk=run.pk).update(created_at=results, confirmed_at=results)
    Call.objects.filter(pk=call.pk).update(results_sent_at=results)
    call.applications.exclude(decided_at=None).update(decided_at=results)


def _applications(
    *, call, questions, zones, staff, member, submitted_from, seed, email_prefix
) -> None:
    rng = random.Random(seed)
    organisations = list(Organisation.objects.filter(is_published=True).order_by("pk"))
    by_label = {question.label: question for question in questions}
    zone_list = [zones[slug] for slug in ("est", "ouest") if slug in zones]
    for number in range(60):
        first, last = (
            FIRST_NAMES[number % len(FIRST_NAMES)],
            LAST_NAMES[(number * 7) % len(LAST_NAMES)],
        )
        # Self-selection, as real pools show: more professionals and more of the Est.
        actor = rng.choices(ACTORS, weights=[2, 5, 2, 1])[0]
        answers = {
            by_label["Votre fonction dans la structure"].pk: {
                "Élu·e": "Adjoint·e à la démocratie locale",
                "Professionnel·le": "Chargé·e de mission participation",
                "Bénévole": "Membre du bureau",
                "Habitant·e": "Habitant·e engagé·e",
            }[actor],
            by_label["Vous êtes"].pk: actor,
            by_label["L'expérience ou la pratique participative que vous portez"].pk: rng.choice(
                EXPERIENCES
            ),
            by_label["Objet traité"].pk: rng.choice(SUBJECTS),
            by_label["Public visé"].pk: rng.choice(PUBLICS),
            by_label["Modalités d'animation principales"].pk: rng.choice(FORMATS),
            questions[7].pk: rng.random() < 0.9,
            by_label["Votre motivation à participer"].pk: rng.choice(MOTIVATIONS),
            questions[9].pk: rng.random() < 0.85,
        }
        if organisations:
            answers[questions[0].pk] = organisations[rng.randrange(len(organisations))]
        zone = rng.choices(zone_list, weights=[3, 2][: len(zone_list)])[0] if zone_list else None
        email = f"{email_prefix}{number + 1:02d}@exemple.org"
        name = f"{first} {last}"
        if number == 0 and member is not None:
            email, name = (
                member.email,
                f"{member.first_name} {member.last_name}".strip() or member.email,
            )
        application = services.application_paper_create(
            call=call, by=staff, name=name, email=email, answers=answers, zone=zone
        )
        submitted = submitted_from + dt.timedelta(hours=rng.randrange(0, 24 * 24))
        Application.objects.filter(pk=application.pk).update(
            submitted_at=submitted, applicant=member if number == 0 else None
        )
        application.log.update(at=submitted)


def _reviews(*, call, criteria, seed: int) -> None:
    rng = random.Random(seed)
    quality = {}
    applications = call.applications.prefetch_related("reviewer_assignments__reviewer")
    for application in applications:
        # Each application has a "true" quality; reviewers scatter around it, so some disagree.
        quality[application.pk] = rng.uniform(0.6, 2.8)
        for index, assignment in enumerate(application.reviewer_assignments.all()):
            if application.pk % 11 == 0 and index == 1:
                continue  # a review still to write
            spread = 1.4 if application.pk % 9 == 0 else 0.5
            scores = {
                criterion.pk: max(
                    0, min(3, round(quality[application.pk] + rng.uniform(-spread, spread)))
                )
                for criterion in criteria
            }
            services.review_create(
                application=application,
                reviewer=assignment.reviewer,
                scores=scores,
                comment=rng.choice(
                    [
                        "Expérience solide, bonne motivation.",
                        "Candidature intéressante, structure peu engagée.",
                        "Pratique originale qui apporterait de la diversité au groupe.",
                        "",
                    ]
                ),
            )


def load_aid_call(*, kind: CallKind, staff, reviewers) -> Call:
    now = timezone.now()
    call = services.call_create(
        fields={
            "kind": kind,
            "title": "Aide financière aux démarches de démocratie participative",
            "summary": (
                "Le dispositif d'aide financière de la plate-forme de ressources et d'appui : "
                "soutenir la mise en place de démarches de démocratie participative."
            ),
            "body": (
                "La plate-forme de ressources et d'appui comporte **un dispositif d'aide "
                "financière pour soutenir la mise en place de démarches de démocratie "
                "participative**.\n\nLes structures du territoire (associations, collectivités, "
                "collectifs d'habitants) peuvent demander une aide plafonnée à 5 000 € par projet."
            ),
            "selection_text": (
                "Les projets sont retenus selon leur note et dans la limite de l'enveloppe."
            ),
            "opens_at": now - dt.timedelta(days=20),
            "closes_at": (now + dt.timedelta(days=40)).replace(
                hour=12, minute=0, second=0, microsecond=0
            ),
            "notification_on": (now + dt.timedelta(days=60)).date(),
            "contact_name": "Rabah Ghomrane",
            "contact_email": "rabah.ghomrane@nordpasdecals.fr",
            "budget_envelope": Decimal("30000"),
            "grant_ceiling": Decimal("5000"),
            "reviewers_per_application": 2,
        },
        reviewers=reviewers,
    )
    fields = [
        (QuestionKind.ORGANISATION, "Structure porteuse", True),
        (QuestionKind.SHORT_TEXT, "Titre du projet", True),
        (QuestionKind.LONG_TEXT, "Description de la démarche participative", True),
        (QuestionKind.AMOUNT, "Montant demandé (€)", True),
        (QuestionKind.DATE, "Date de démarrage prévue", False),
        (QuestionKind.FILE, "Budget prévisionnel", False),
    ]
    questions = [
        services.question_save(
            call=call,
            fields={"position": position, "kind": qkind, "label": label, "is_required": required},
        )
        for position, (qkind, label, required) in enumerate(fields)
    ]
    services.criterion_save(
        call=call,
        fields={"name": "Qualité de la démarche", "weight": Decimal(1), "score_values": SCALE},
    )
    services.call_publish(call=call)
    organisations = list(Organisation.objects.filter(is_published=True).order_by("-pk")[:6])
    projects = [
        ("Budget participatif des jeunes", "3500"),
        ("Conseil citoyen itinérant", "4200"),
        ("Ateliers de concertation sur la friche", "5000"),
        ("Plateforme numérique de quartier", "2800"),
        ("Marches exploratoires", "1900"),
        ("Forum des associations", "4600"),
    ]
    for number, ((title, amount), organisation) in enumerate(
        zip(projects, organisations, strict=False)
    ):
        services.application_paper_create(
            call=call,
            by=staff,
            name=f"Porteur·se {organisation.name}",
            email=f"aide{number + 1}@exemple.org",
            answers={
                questions[0].pk: organisation,
                questions[1].pk: title,
                questions[2].pk: "Une démarche ouverte à tous les habitants, en trois temps.",
                questions[3].pk: Decimal(amount),
            },
        )
    return call


def load_support_call(*, kind: CallKind, staff) -> Call:
    now = timezone.now()
    call = services.call_create(
        fields={
            "kind": kind,
            "title": "Demande d'appui méthodologique",
            "summary": (
                "Le dispositif d'appui méthodologique de la plate-forme : aide au montage de "
                "projets participatifs et à l'utilisation d'outils numériques."
            ),
            "body": (
                "**Un dispositif d'appui méthodologique** : aider au montage de projets "
                "participatifs à l'utilisation d'outils numériques dans des démarches "
                "participatives. Décrivez votre projet : un·e conseiller·e vous répond."
            ),
            "opens_at": now - dt.timedelta(days=90),
            "closes_at": (now + dt.timedelta(days=275)).replace(
                hour=18, minute=0, second=0, microsecond=0
            ),
            "contact_name": "Rabah Ghomrane",
            "contact_email": "rabah.ghomrane@nordpasdecals.fr",
        }
    )
    organisation_q = services.question_save(
        call=call,
        fields={"kind": QuestionKind.ORGANISATION, "label": "Votre structure", "is_required": True},
    )
    need_q = services.question_save(
        call=call,
        fields={
            "kind": QuestionKind.LONG_TEXT,
            "label": "Votre projet et votre besoin d'appui",
            "is_required": True,
            "position": 1,
        },
    )
    services.call_publish(call=call)
    organisation = Organisation.objects.filter(is_published=True).order_by("pk").first()
    request = services.application_paper_create(
        call=call,
        by=staff,
        name="Claire Vasseur",
        email="claire.vasseur@exemple.org",
        answers={
            organisation_q.pk: organisation,
            need_q.pk: (
                "Nous voulons relancer notre conseil de quartier qui s'essouffle et ouvrir une "
                "consultation en ligne : par où commencer ?"
            ),
        },
    )
    Application.objects.filter(pk=request.pk).update(
        state=ApplicationState.SELECTED, decided_at=now
    )
    follow_up = SupportFollowUp.objects.create(application=request)
    services.support_update(follow_up=follow_up, adviser=staff)
    services.support_log_add(
        follow_up=follow_up,
        by=staff,
        on=(now - dt.timedelta(days=30)).date(),
        kind=SupportEntryKind.MEETING,
        text="Premier entretien téléphonique : diagnostic du conseil de quartier.",
    )
    services.support_log_add(
        follow_up=follow_up,
        by=staff,
        on=(now - dt.timedelta(days=12)).date(),
        kind=SupportEntryKind.TOOL,
        text=(
            "Fiches méthode proposées : forum ouvert, marche exploratoire ; comparatif de "
            "plateformes libres."
        ),
    )
    return call


def load(stdout=None) -> None:
    User = get_user_model()
    staff = User.objects.get(email=DEMO_STAFF_EMAIL)
    moderator = User.objects.filter(email=DEMO_MODERATOR_EMAIL).first()
    member = User.objects.filter(email=DEMO_MEMBER_EMAIL).first()
    reviewers = [
        staff,
        *([moderator] if moderator else []),
        _user("evaluation1@terreau.localhost", "Sylvie", "Évaluatrice"),
        _user("evaluation2@terreau.localhost", "Thomas", "Évaluateur"),
    ]
    kinds = _kinds()
    if not Call.objects.filter(title=TITLE_2013).exists():
        call = load_2013_call(
            kind=kinds["echange-de-pratiques"], staff=staff, reviewers=reviewers, member=member
        )
        confirm_2013_selection(call=call, staff=staff)
        load_aid_call(kind=kinds["aide-financiere"], staff=staff, reviewers=reviewers)
        load_support_call(kind=kinds["appui-methodologique"], staff=staff)
        if stdout:
            stdout.write(
                f"Calls: “{call.title}” (2013) with {call.applications.count()} applications, "
                f"{SEATS_2013} selected ({PER_ZONE_2013} per zone) and their groups; a "
                "financial-aid call; a support request.\n"
            )
    if not Call.objects.filter(title=TITLE_TRIAL).exists():
        trial = load_trial_call(
            kind=kinds["echange-de-pratiques"], staff=staff, reviewers=reviewers
        )
        if stdout:
            stdout.write(
                f"Calls: “{trial.title}” under review with {trial.applications.count()} "
                "applications, for trying the review and the selection.\n"
            )
