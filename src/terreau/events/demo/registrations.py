"""Demo registrations: a few hundred synthetic registrants for the seed events.

`events/demo/__init__.py` calls every module of this package's `load(stdout=None)` after
creating the seed events and their programmes, in `ORDER`; this one runs first so that the
workshop assignment and the check-in demos find registrants. 300 registrations for the Lille
national meetings (2014) with three ranked choices per round, skewed in popularity, and mixed
actor categories; 80 for the Liévin regional day (2021). Names are synthetic; employers are the
organisations and places named in the seed documents. The Lille pre-event survey mirrors the
"report of the survey of participants" that opened the 2014 meetings.
"""

import datetime as dt
import random

from django.db import transaction

from ..models import (
    Answer,
    Event,
    EventKind,
    PaymentStatus,
    Question,
    Registration,
    RegistrationStatus,
    Slot,
    WorkshopChoice,
)

ORDER = 10
SEED = 2014

FIRST_NAMES = [
    "Camille", "Claire", "Julien", "Nadia", "Thomas", "Sophie", "Karim", "Élodie", "Mathieu",
    "Aurélie", "Nicolas", "Fatima", "Pierre", "Laure", "Mehdi", "Isabelle", "Antoine", "Sarah",
    "Vincent", "Hélène", "Yannick", "Céline", "Olivier", "Amandine", "Rachid", "Marion",
    "Sébastien", "Delphine", "Hugo", "Émilie", "Benoît", "Aïcha", "François", "Justine",
    "Guillaume", "Manon", "Stéphane", "Agnès", "Romain", "Valérie",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Lefebvre", "Dubois", "Leroy", "Moreau", "Lambert", "Dupont", "Mercier",
    "Delattre", "Vandamme", "Deprez", "Lemaire", "Caron", "Wallart", "Dhaussy", "Boulanger",
    "Benali", "Duhamel", "Lecomte", "Delcourt", "Petit", "Roussel", "Vasseur", "Carpentier",
    "Flament", "Hennebert", "Masson", "Brunet", "Fontaine", "Deroo", "Ouali", "Lesage",
]  # fmt: skip

# (employer, its kind, actor category, function, weight): places and bodies of the seeds.
PROFILES = [
    (
        "Département du Nord",
        "departement",
        "public_staff",
        "Chargé·e de mission démocratie participative",
        18,
    ),
    (
        "Département du Val-de-Marne",
        "departement",
        "public_staff",
        "Chef·fe de projet participation",
        6,
    ),
    ("Ville de Lille", "commune", "public_staff", "Chargé·e de mission conseils de quartier", 12),
    ("Ville d'Amiens", "commune", "public_staff", "Responsable de la démocratie locale", 7),
    ("Ville de Raismes", "commune", "elected", "Adjoint·e à la démocratie participative", 4),
    ("Ville de Tourcoing", "commune", "public_staff", "Agent·e de développement local", 6),
    ("Ville d'Arras", "commune", "elected", "Conseiller·ère municipal·e délégué·e", 4),
    (
        "Communauté d'Agglomération de Lens-Liévin",
        "epci",
        "public_staff",
        "Chef·fe de projet politique de la ville",
        8,
    ),
    (
        "Région Hauts-de-France",
        "region",
        "public_staff",
        "Chargé·e de mission participation citoyenne",
        6,
    ),
    ("CNFPT", "public_body", "public_staff", "Conseiller·ère formation", 3),
    ("Préfecture du Nord", "state", "public_staff", "Délégué·e du préfet", 3),
    ("Université de Lille", "research", "researcher", "Chercheur·e en science politique", 6),
    (
        "Institut de la Concertation",
        "association",
        "association_staff",
        "Animateur·rice du réseau",
        4,
    ),
    (
        "Centre social La Bourgogne, Tourcoing",
        "social_centre",
        "association_staff",
        "Référent·e familles",
        5,
    ),
    (
        "Association des centres sociaux de la région de Valenciennes",
        "association",
        "association_staff",
        "Délégué·e fédéral·e",
        3,
    ),
    ("Conseil citoyen de Liévin", "collective", "citizen", "Membre du conseil citoyen", 5),
]

SURVEY = [
    (
        "Dans votre collectivité, qui porte la participation citoyenne ?",
        Question.Kind.CHOICE,
        [
            "Un service dédié",
            "Un·e élu·e délégué·e",
            "Une mission transversale",
            "Personne en particulier",
        ],
        [5, 3, 3, 2],
    ),
    (
        "Quels dispositifs animez-vous ?",
        Question.Kind.MULTIPLE,
        [
            "Conseils de quartier",
            "Conseils citoyens",
            "Budget participatif",
            "Ateliers citoyens",
            "Conseils de jeunes",
            "Comités d'usagers",
        ],
        [6, 5, 2, 3, 3, 2],
    ),
    (
        "Votre collectivité s'est-elle dotée d'une charte de la participation ?",
        Question.Kind.YES_NO,
        [],
        [],
    ),
    (
        "Quelle est votre principale difficulté aujourd'hui ?",
        Question.Kind.TEXT,
        [
            "Mobiliser au-delà des habitués",
            "Articuler la participation et la décision",
            "Faire vivre les conseils de quartier dans la durée",
            "Discuter des sujets qui fâchent",
            "Rendre compte aux habitants de ce que devient leur parole",
        ],
        [],
    ),
]


def _choices_for_round(rng: random.Random, sessions: list, weights: list[float]) -> list:
    """Three distinct sessions drawn without replacement by popularity."""
    pool = list(zip(sessions, weights, strict=True))
    picked = []
    for _rank in range(min(3, len(pool))):
        total = sum(w for _, w in pool)
        x = rng.uniform(0, total)
        for index, (session, weight) in enumerate(pool):
            x -= weight
            if x <= 0 or index == len(pool) - 1:
                picked.append(session)
                pool.pop(index)
                break
    return picked


def _load_for(event: Event, count: int, rng: random.Random) -> int:
    if event.registrations.exists():
        return 0
    rounds = [
        list(slot.sessions.order_by("position", "pk"))
        for slot in Slot.objects.filter(day__event=event, round_number__isnull=False).order_by(
            "day__date", "starts_at"
        )
    ]
    # Popularity skewed from about 30 % of first choices down to a few per cent.
    popularity = []
    for sessions in rounds:
        weights = [0.8**i for i in range(len(sessions))]
        rng.shuffle(weights)
        popularity.append(weights)
    tariff = event.tariffs.order_by("-amount").first()
    options = list(event.options.all())
    profiles = [p for p in PROFILES for _ in range(p[4])]
    opened = event.starts_at - dt.timedelta(days=75)
    confirmed = 0
    registrations = []
    used = set()
    for n in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        employer, kind, category, job, _weight = rng.choice(profiles)
        email = f"{first}.{last}".lower().replace(" ", "")
        email = (
            email.translate(str.maketrans("éèêëïîôöàâçü·", "eeeeiiooaacu-")) + f".{n}@exemple.org"
        )
        if email in used:
            continue
        used.add(email)
        seated = event.capacity is None or confirmed < event.capacity
        status = RegistrationStatus.CONFIRMED if seated else RegistrationStatus.WAITLISTED
        if seated and rng.random() < 0.04:
            status = RegistrationStatus.CANCELLED
        confirmed += status == RegistrationStatus.CONFIRMED
        paying = tariff is not None and tariff.amount > 0
        payment = PaymentStatus.EXEMPT
        if paying:
            payment = rng.choices(
                [PaymentStatus.PAID, PaymentStatus.UNPAID, PaymentStatus.EXEMPT], [60, 35, 5]
            )[0]
        registrations.append(
            Registration(
                event=event,
                first_name=first,
                last_name=last,
                email=email,
                employer=employer,
                employer_kind=kind,
                job_title=job,
                actor_category=category,
                status=status,
                tariff=tariff,
                payment_status=payment,
                invoice_number=f"F{event.starts_at.year}-{n + 1:04d}" if paying else "",
                order_reference=f"BC-{rng.randint(1000, 9999)}"
                if payment == PaymentStatus.PAID
                else "",
                dietary_needs=rng.choices(
                    ["", "Végétarien", "Sans porc", "Sans gluten"], [85, 9, 4, 2]
                )[0],
                accessibility_needs="Accès en fauteuil roulant" if rng.random() < 0.02 else "",
                consent=True,
                is_listed=rng.random() < 0.45,
                cancelled_at=event.starts_at - dt.timedelta(days=3)
                if status == RegistrationStatus.CANCELLED
                else None,
            )
        )
    Registration.objects.bulk_create(registrations)
    created = list(event.registrations.order_by("pk"))
    # Registration dates spread over the weeks before the event, in sign-up order.
    for index, registration in enumerate(created):
        registration.created_at = opened + dt.timedelta(hours=index * 1200 / max(1, len(created)))
    Registration.objects.bulk_update(created, ["created_at"])

    choices, chosen_options = [], []
    through = Registration.options.through
    for registration in created:
        for sessions, weights in zip(rounds, popularity, strict=True):
            for rank, session in enumerate(_choices_for_round(rng, sessions, weights), start=1):
                choices.append(
                    WorkshopChoice(registration=registration, session=session, rank=rank)
                )
        for option in options:
            if rng.random() < (0.9 if option.kind == "meal" else 0.7):
                chosen_options.append(through(registration=registration, eventoption=option))
    WorkshopChoice.objects.bulk_create(choices)
    through.objects.bulk_create(chosen_options)
    return len(created)


def _load_survey(event: Event, rng: random.Random) -> None:
    if event.questions.filter(purpose=Question.Purpose.SURVEY).exists():
        return
    questions = [
        Question.objects.create(
            event=event,
            purpose=Question.Purpose.SURVEY,
            label=label,
            kind=kind,
            choices="\n".join(choices) if kind != Question.Kind.TEXT else "",
            position=position,
        )
        for position, (label, kind, choices, _weights) in enumerate(SURVEY, start=1)
    ]
    answers = []
    for registration in event.registrations.filter(status=RegistrationStatus.CONFIRMED):
        if rng.random() > 0.6:
            continue
        for question, (_label, kind, choices, weights) in zip(questions, SURVEY, strict=True):
            if kind == Question.Kind.CHOICE:
                value = rng.choices(choices, weights)[0]
            elif kind == Question.Kind.MULTIPLE:
                value = [c for c, w in zip(choices, weights, strict=True) if rng.random() < w / 8]
                if not value:
                    continue
            elif kind == Question.Kind.YES_NO:
                value = rng.random() < 0.35
            else:
                if rng.random() < 0.5:
                    continue
                value = rng.choice(choices)
            answers.append(Answer(registration=registration, question=question, value=value))
    Answer.objects.bulk_create(answers)


def load(stdout=None) -> None:
    rng = random.Random(SEED)
    counts = []
    with transaction.atomic():
        lille = Event.objects.filter(kind=EventKind.NATIONAL_MEETINGS, starts_at__year=2014).first()
        if lille is not None:
            counts.append(("Lille 2014", _load_for(lille, 300, rng)))
            _load_survey(lille, rng)
        lievin = Event.objects.filter(
            kind=EventKind.REGIONAL_DAY, starts_at__date=dt.date(2021, 9, 30)
        ).first()
        if lievin is not None:
            counts.append(("Liévin 2021", _load_for(lievin, 80, rng)))
    if stdout and counts:
        stdout.write(
            "Events: synthetic registrations "
            + ", ".join(f"{name}: {n}" for name, n in counts)
            + "."
        )
