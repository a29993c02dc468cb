"""Demo events: the three seed events with their real programmes.

The programmes follow the seed documents: the IREV regional day in Liévin (seed 001), the
network day of the Territoires participatifs in Arras (seed 002) and the national meetings of
participatory-democracy professionals in Lille (seed 004).
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from terreau.core.models import Theme
from terreau.directory.models import Organisation, OrganisationKind, Person
from terreau.directory.services import person_find_or_create
from terreau.territories.models import Commune

from ..models import (
    Audience,
    Event,
    EventDay,
    EventKind,
    EventOption,
    EventState,
    Session,
    SessionKind,
    SessionSpeaker,
    Slot,
    Tariff,
    Venue,
)

LIEVIN_SLUG = "journee-regionale-initiatives-citoyennes-lievin-2021"
ARRAS_SLUG = "journee-reseau-territoires-participatifs-arras-2023"
LILLE_SLUG = "rencontres-nationales-democratie-participative-lille-2014"

K = SessionKind


def _organisation(slug: str, name: str, kind: str, acronym: str = "") -> Organisation:
    """The directory's organisation (by slug, acronym or name), created when missing."""
    lookup = Q(slug=slug) | Q(name__iexact=name)
    if acronym:
        lookup |= Q(acronym__iexact=acronym)
    found = Organisation.objects.filter(lookup).order_by("pk").first()
    if found:
        return found
    return Organisation.objects.create(slug=slug, name=name, kind=kind, acronym=acronym)


def _person(first_name: str, last_name: str) -> Person:
    """The directory's person (its slug is "first-last"), or one found or made by name."""
    return Person.objects.filter(slug=slugify(f"{first_name} {last_name}")).first() or (
        person_find_or_create(first_name=first_name, last_name=last_name)
    )


def _themes(*names: str) -> list[Theme]:
    return list(Theme.objects.filter(slug__in=[slugify(name) for name in names]))


def _at(date: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour, minute)))


def _programme(event: Event, days: list[tuple]) -> None:
    """days: (date, start, end, slots); slots: (start, end, title, round, sessions);
    sessions: (kind, title, description, brief, speakers); speakers: (first, last, title, role)."""
    for date, day_start, day_end, slots in days:
        day = EventDay.objects.create(event=event, date=date, starts_at=day_start, ends_at=day_end)
        for start, end, title, round_number, sessions in slots:
            slot = Slot.objects.create(
                day=day, starts_at=start, ends_at=end, title=title, round_number=round_number
            )
            for position, (kind, session_title, description, brief, speakers) in enumerate(
                sessions
            ):
                session = Session.objects.create(
                    slot=slot,
                    kind=kind,
                    title=session_title,
                    description=description,
                    brief=brief,
                    position=position,
                )
                for speaker_position, (first, last, title_that_day, role) in enumerate(speakers):
                    SessionSpeaker.objects.create(
                        session=session,
                        person=_person(first, last),
                        title_that_day=title_that_day,
                        role=role,
                        position=speaker_position,
                    )


T = dt.time
SPEAKER = SessionSpeaker.Role.SPEAKER
BAVAY = (
    "Alain",
    "Bavay",
    "Vice-Président de la Communauté d'Agglomération Lens-Liévin, chargé de la cohésion sociale",
    SPEAKER,
)


def load_lievin() -> Event:
    """Seed 001: IREV regional day on citizen initiatives, Liévin, 30 September 2021."""
    irev = _organisation(
        "irev",
        "IREV — Centre de ressources Politique de la ville des Hauts-de-France",
        OrganisationKind.ASSOCIATION,
        "IREV",
    )
    venue, _ = Venue.objects.get_or_create(
        name="Aréna Stade couvert",
        defaults={
            "address": "Chemin des Manufactures",
            "commune": Commune.objects.filter(insee="62510").first(),
            "access": "Chemin des Manufactures - 62800 Liévin.",
        },
    )
    date = dt.date(2021, 9, 30)
    event = Event.objects.create(
        slug=LIEVIN_SLUG,
        title="Initiatives citoyennes : de l'émergence au développement du territoire",
        kind=EventKind.REGIONAL_DAY,
        state=EventState.PUBLISHED,
        summary=(
            "Journée régionale de l'IREV pour mettre en débat les conclusions de l'appel à "
            "l'expérimentation de nouvelles pratiques consacré aux initiatives citoyennes."
        ),
        description=(
            "L'IREV, centre de ressources Politique de la ville des Hauts-de-France, a publié en "
            "juin 2021 un appel à l'expérimentation de nouvelles pratiques consacré aux "
            "initiatives citoyennes. Fruit d'une démarche collective menée entre juin 2020 et "
            "mars 2021, l'analyse a pour objet d'identifier les enjeux de la mobilisation des "
            "habitants et de la prise d'initiative dans les Quartiers de la Politique de la Ville "
            "(QPV) et plus largement dans les territoires urbains fragiles.\n\n"
            "Le texte s'appuie sur l'analyse de 4 initiatives régionales."
        ),
        objectives=(
            "- Présenter les résultats de l'appel à l'expérimentation de nouvelles pratiques ;\n"
            "- proposer des actions innovantes et des territoires moteurs d'initiatives "
            "citoyennes qui contribuent au développement local ;\n"
            "- ouvrir le débat avec l'ensemble des acteurs de la région agissant dans le champ de "
            "l'intérêt général, du développement social et de l'économie sociale et solidaire."
        ),
        practical_info=(
            "Les conditions d'accès sont gratuites, passe sanitaire, respect des gestes "
            "barrières et port du masque obligatoires."
        ),
        audience=Audience.OPEN,
        venue=venue,
        starts_at=_at(date, 9),
        ends_at=_at(date, 17),
    )
    event.organisers.set([irev])
    event.themes.set(_themes("Initiatives citoyennes", "Politique de la ville", "Pouvoir d'agir"))
    workshop_brief = "Donner des pistes et des préconisations."
    _programme(
        event,
        [
            (
                date,
                T(9),
                T(17),
                [
                    (T(9), T(9, 30), "", None, [(K.WELCOME, "Accueil du public", "", "", [])]),
                    (
                        T(9, 30),
                        T(9, 50),
                        "",
                        None,
                        [(K.OPENING, "Mot d'introduction", "", "", [BAVAY])],
                    ),
                    (
                        T(9, 50),
                        T(11),
                        "",
                        None,
                        [
                            (
                                K.TALK,
                                "Initiatives citoyennes : Pour un appel à l'expérimentation de "
                                "nouvelles pratiques",
                                "Enjeux, constats, retour d'expérience et recommandation des "
                                "porteurs de projets et membres du groupe de travail régional.",
                                "",
                                [],
                            )
                        ],
                    ),
                    (
                        T(11),
                        T(12, 15),
                        "",
                        None,
                        [
                            (
                                K.ROUND_TABLE,
                                "Table ronde : Initiatives citoyennes entre intentions et réalités",
                                "La table ronde permettra à des élus, responsables politiques de "
                                "la ville et acteurs de terrain de réaliser un diagnostic de la "
                                "situation sur leur territoire sur le sujet tout en présentant "
                                "leurs actions et intentions pour améliorer la prise en compte "
                                "des initiatives citoyennes sur leur territoire ou dans leur "
                                "domaine d'intervention.",
                                "",
                                [
                                    BAVAY,
                                    (
                                        "Sophie",
                                        "Mollet",
                                        "responsable cohésion sociale, Communauté "
                                        "d'Agglomération Lens-Liévin",
                                        SPEAKER,
                                    ),
                                    (
                                        "Fanny",
                                        "Meilhac",
                                        "directrice de la Communication, Ville de Raismes",
                                        SPEAKER,
                                    ),
                                    (
                                        "Christelle",
                                        "Briatte",
                                        "mission vie associative et solidarités de proximité, "
                                        "Ville d'Amiens",
                                        SPEAKER,
                                    ),
                                    (
                                        "Harold",
                                        "George",
                                        "directeur du Centre social La Bourgogne Pont de "
                                        "Neuville à Tourcoing",
                                        SPEAKER,
                                    ),
                                ],
                            )
                        ],
                    ),
                    (
                        T(12, 15),
                        T(12, 30),
                        "",
                        None,
                        [
                            (
                                K.TALK,
                                "Conclusion à mi-parcours",
                                "",
                                "",
                                [
                                    (
                                        "Rémi",
                                        "Lefebvre",
                                        "Professeur de sciences politiques à l'Université de Lille",
                                        SPEAKER,
                                    )
                                ],
                            )
                        ],
                    ),
                    (T(12, 30), T(14, 30), "", None, [(K.MEAL, "Pause déjeuner", "", "", [])]),
                    (
                        T(14, 30),
                        T(16, 30),
                        "Ateliers d'échange et de contribution",
                        1,
                        [
                            (
                                K.EXCHANGE_WORKSHOP,
                                "L'émergence : quels espaces d'accueil et quel accompagnement "
                                "des initiatives citoyennes ?",
                                "Avant de devenir projet, l'initiative citoyenne est une envie "
                                "d'agir, une idée, une proposition qui cherche un terreau "
                                "fertile pour se développer. La construction d'une « alliance » "
                                "entre citoyens et institutions pour faire projet repose sur des "
                                "pratiques d'accompagnement qui restent à développer. Quelles "
                                "expériences fertiles d'accueil et d'accompagnement "
                                "d'initiatives citoyennes et quelles recommandations en la "
                                "matière ?",
                                "Partager des expériences fertiles et formuler des "
                                "recommandations.",
                                [],
                            ),
                            (
                                K.EXCHANGE_WORKSHOP,
                                "La consolidation : quels moyens humains, financiers et de "
                                "gouvernance pour soutenir les initiatives ?",
                                "Quel rôle et quelle responsabilité des institutions "
                                "(collectivités, associations, fondations, etc.) dans "
                                "l'encouragement et le soutien aux initiatives ? Quelles "
                                "expériences facilitantes, quels « pas de côté » favorisent la "
                                "mise en place de projets citoyens ?",
                                "Formuler des préconisations pour le soutien des initiatives.",
                                [],
                            ),
                            (
                                K.EXCHANGE_WORKSHOP,
                                "La concrétisation : Comment faire vivre les initiatives dans la "
                                "durée ?",
                                "Une fois formalisée, transformée en plan d'action, budgétée, "
                                "etc. se pose invariablement la question du portage juridique et "
                                "administratif de l'initiative. Faut-il nécessairement qu'un "
                                "collectif se transforme en structure juridique ? Peut-il être "
                                "hébergé par une autre structure ? L'association est-elle "
                                "toujours la bonne réponse ? Qu'en est-il des coopératives ?",
                                workshop_brief,
                                [],
                            ),
                            (
                                K.EXCHANGE_WORKSHOP,
                                "L'outil numérique toujours au service de l'initiative citoyenne ?",
                                "Les outils numériques (plateformes collaboratives, "
                                "d'intelligence collective, etc.) ont trouvé leur place et "
                                "s'invitent comme de puissants leviers de participation "
                                "citoyenne. Quelles expériences en matière d'expérimentation de "
                                "plateformes numériques participatives, quelles fonctions pour "
                                "ces outils et quelle animation ?",
                                "Poser des recommandations et conditions pour que ces outils "
                                "numériques soient véritablement au service de la participation "
                                "citoyenne.",
                                [],
                            ),
                        ],
                    ),
                    (
                        T(16, 30),
                        T(17),
                        "",
                        None,
                        [(K.REPORT_BACK, "Restitution finale", "", "", [])],
                    ),
                ],
            )
        ],
    )
    return event


def load_arras() -> Event:
    """Seed 002: second day of the regional network of Territoires participatifs, Arras,
    13 April 2023 (the account gives no times: the slots follow its morning/afternoon)."""
    cerdd = _organisation(
        "cerdd",
        "Cerdd — Centre ressource du développement durable",
        OrganisationKind.ASSOCIATION,
        "Cerdd",
    )
    network = _organisation(
        "territoires-participatifs",
        "Réseau régional des Territoires participatifs",
        OrganisationKind.ASSOCIATION,
    )
    transition = _organisation(
        "transition-hauts-de-france",
        "Réseau Transition Hauts-de-France",
        OrganisationKind.ASSOCIATION,
    )
    venue, _ = Venue.objects.get_or_create(
        name="Université des Compagnons Hauts-de-France",
        defaults={"commune": Commune.objects.filter(insee="62041").first()},
    )
    date = dt.date(2023, 4, 13)
    event = Event.objects.create(
        slug=ARRAS_SLUG,
        title="Deuxième journée régionale du réseau des Territoires participatifs",
        kind=EventKind.NETWORK_MEETING,
        state=EventState.PUBLISHED,
        summary=(
            "Partager et découvrir des expériences inspirantes de participation citoyenne et de "
            "coopérations au service des transitions."
        ),
        description=(
            "35 participant·es, membres du réseau régional des Territoires participatifs, se "
            "sont réuni·es à Arras pour une journée d'échanges, de présentation de projets, de "
            "débat et d'entraide.\n\n"
            "Le thème de la journée : **comment renforcer les coopérations entre institutions, "
            "acteurs associatifs et citoyens au service des transitions ?**"
        ),
        objectives=(
            "- Partager les actualités de la participation citoyenne en Hauts-de-France et "
            "ailleurs ;\n"
            "- découvrir l'expérience de la ville de Raismes en matière de démocratie "
            "participative ;\n"
            "- s'entraider sur des besoins concrets grâce au co-développement."
        ),
        audience=Audience.GROUP_MEMBERS,
        venue=venue,
        starts_at=_at(date, 9, 30),
        ends_at=_at(date, 16, 30),
    )
    event.organisers.set([cerdd, network])
    event.partners.set([transition])
    event.themes.set(_themes("Transition écologique", "Participation citoyenne"))
    news = (
        "Actualités du Cerdd : l'interview du collectif des Saprophytes « Oser la participation ! "
        "Le pouvoir d'agir au service du bien commun » ; de nouveaux projets sur le panorama des "
        "initiatives (l'écolieu de Rives en Rêves, les Fabriques d'initiatives locales de "
        "Dunkerque, la ferme de Moyembrie) ; un nouvel annuaire des acteurs du réseau.\n"
        "Actualités des partenaires : la démarche d'accompagnement du réseau Transition "
        "Hauts-de-France ; le petit manuel de survie pour les élu·es en transitions de La 27e "
        "Région ; le nouvel espace ressource de Démocratie Ouverte ; les actions de l'IREV pour "
        "la participation citoyenne dans les nouveaux contrats de ville."
    )
    needs = [
        "Comment renforcer le dialogue entre un collectif citoyen d'une commune et une mairie ?",
        "Comment amener l'envie de concerter sur un projet de ZAC ?",
        "Comment relancer un système d'échange local qui s'endort petit à petit ?",
        "Comment convaincre des élu·es que la participation sur un Plan Climat n'est pas qu'une "
        "obligation réglementaire ?",
    ]
    codev_brief = "Aider la personne qui porte le besoin à trouver ses pistes d'action."
    _programme(
        event,
        [
            (
                date,
                T(9, 30),
                T(16, 30),
                [
                    (
                        T(9, 30),
                        T(10, 30),
                        "",
                        None,
                        [
                            (
                                K.PLENARY,
                                "Des actualités et expériences de participation inspirantes",
                                news,
                                "",
                                [],
                            )
                        ],
                    ),
                    (
                        T(10, 30),
                        T(11, 15),
                        "",
                        None,
                        [
                            (
                                K.TALK,
                                "L'expérience de la ville de Raismes : Raismes 2032",
                                "Comment une série d'actions a été mise en place pour "
                                "co-construire les projets avec les habitant·es et accompagner "
                                "le changement vers une nouvelle culture administrative de la "
                                "participation citoyenne.",
                                "",
                                [
                                    (
                                        "Fanny",
                                        "Meilhac",
                                        "directrice de la communication, Ville de Raismes",
                                        SPEAKER,
                                    )
                                ],
                            )
                        ],
                    ),
                    (
                        T(11, 15),
                        T(12, 30),
                        "",
                        None,
                        [
                            (
                                K.ROUND_TABLE,
                                "La coopération pour préparer un avenir durable et résilient "
                                "des territoires",
                                "Dialogue co-animé par le Cerdd et le réseau Transition "
                                "Hauts-de-France, prolongé en ateliers avec les participant·es.",
                                "Identifier les idées et intuitions à travailler pour stimuler "
                                "les coopérations.",
                                [
                                    (
                                        "Jean",
                                        "Karinthe",
                                        "cofondateur de l'Hermitage, tiers-lieu rural de l'Aisne",
                                        SPEAKER,
                                    ),
                                    (
                                        "Martha",
                                        "Bozek",
                                        "adjointe au maire de Sailly-lez-Lannoy (Nord)",
                                        SPEAKER,
                                    ),
                                ],
                            )
                        ],
                    ),
                    (T(12, 30), T(14), "", None, [(K.MEAL, "Déjeuner", "", "", [])]),
                    (
                        T(14),
                        T(16, 30),
                        "Un après-midi placé sous le signe du co-développement",
                        1,
                        [(K.CODEVELOPMENT, need, "", codev_brief, []) for need in needs],
                    ),
                ],
            )
        ],
    )
    return event


SPOTLIGHT_BRIEF = "Faire le point sur un sujet émergent, polémique ou technique avec des invités."
WORKSHOP_BRIEF = "Partager expériences, méthodes et questionnements entre praticiens."


def _spot(title: str) -> tuple:
    return (K.SPOTLIGHT, title, "", SPOTLIGHT_BRIEF, [])


def _workshop(title: str) -> tuple:
    return (K.EXCHANGE_WORKSHOP, title, "", WORKSHOP_BRIEF, [])


def load_lille() -> Event:
    """Seed 004: national meetings of participatory-democracy professionals, Lille,
    18–19 November 2014."""
    nord = _organisation("departement-du-nord", "Département du Nord", OrganisationKind.DEPARTMENT)
    institut = _organisation(
        "institut-de-la-concertation", "Institut de la Concertation", OrganisationKind.ASSOCIATION
    )
    cnfpt = _organisation(
        "cnfpt",
        "Centre national de la fonction publique territoriale",
        OrganisationKind.PUBLIC_BODY,
        "CNFPT",
    )
    venue, _ = Venue.objects.get_or_create(
        name="Halle aux Sucres",
        defaults={
            "address": "Avenue du Peuple-belge",
            "commune": Commune.objects.filter(insee="59350").first(),
            "access": "Quartier du Vieux-Lille.",
        },
    )
    day1, day2 = dt.date(2014, 11, 18), dt.date(2014, 11, 19)
    event = Event.objects.create(
        slug=LILLE_SLUG,
        title="Rencontres nationales des professionnels de la démocratie participative",
        kind=EventKind.NATIONAL_MEETINGS,
        state=EventState.PUBLISHED,
        summary=(
            "Deuxième édition des Rencontres : deux jours d'échanges entre pairs, accueillis par "
            "le Département du Nord avec l'Institut de la Concertation et le CNFPT."
        ),
        description=(
            "Les premières Rencontres Nationales de la Démocratie Participative, organisées par "
            "le Département du Val de Marne en 2011, ont rassemblé pendant deux journées plus de "
            "deux cents professionnels des collectivités territoriales.\n\n"
            "Afin de poursuivre ce partage des pratiques et de favoriser les échanges entre "
            "collectivités, le Département du Nord accueille en novembre 2014 la deuxième "
            "édition des Rencontres, en partenariat avec l'Institut de la Concertation et le "
            "CNFPT.\n\n"
            "Deux jours denses, créatifs et bien sûr conviviaux, dans la grande tradition "
            "nordiste !\n\n"
            "**L'esprit des rencontres**\n\n"
            "- **Des ateliers d'échange** pour partager des expériences positives ou négatives, "
            "des méthodes et des questionnements, entre praticiens. Ce sont les participants "
            "volontaires eux-mêmes qui sont invités à présenter et analyser leurs pratiques.\n"
            "- **Des « coups de zoom »** pour faire le point sur un sujet émergent, polémique ou "
            "technique avec des invités (chercheurs, associations, etc.)\n"
            "- **Du temps informel et convivial !** Parce que la réussite d'une Rencontre tient "
            "justement aux rencontres non organisées, des espaces d'échanges informels, des temps "
            "de pause sont ménagés. Les repas et la soirée festive ont lieu sur place."
        ),
        objectives=(
            "Ces Rencontres sont à destination exclusive des professionnels de la fonction "
            "publique territoriale et nationale, pour permettre un échange entre pairs en toute "
            "confiance. Elles visent à :\n\n"
            "- favoriser le partage d'expériences, d'outils et de réflexions en matière de "
            "pilotage et d'animation des concertations, des instances ou des démarches "
            "participatives ;\n"
            "- créer les conditions de l'émergence d'une culture professionnelle partagée ;\n"
            "- proposer des moments d'échanges, de débats, de co-apprentissage et de "
            "constitution d'une communauté professionnelle autour de questionnements concrets : "
            "comment mobiliser les publics ? Comment mieux articuler participation et décision ? "
            "Comment animer des espaces permanents pour les rendre vivants, inclusifs, "
            "productifs ? Comment discuter des sujets qui fâchent ? Pourquoi et comment se doter "
            "de chartes, de garants, etc. ?"
        ),
        practical_info=(
            "Les repas et la soirée festive ont lieu sur place. Acheminement et hébergement ne "
            "sont pas compris.\nContact : contact-jeparticipe@cg59.fr"
        ),
        audience=Audience.PROFESSIONALS,
        venue=venue,
        starts_at=_at(day1, 13),
        ends_at=_at(day2, 16),
        has_certificate=True,
        certificate_issuer=cnfpt,
        pays_by_administrative_order=True,
        payment_terms="Les modalités de règlement vous seront communiquées ultérieurement.",
    )
    event.organisers.set([nord])
    event.partners.set([institut, cnfpt])
    event.themes.set(
        _themes(
            "Culture professionnelle de la participation", "Participation citoyenne", "Concertation"
        )
    )
    Tariff.objects.create(
        event=event,
        label="Tarif par participant·e",
        amount=75,
        includes=(
            "l'accès aux deux journées, les pauses-café, la soirée du mardi 18 novembre et le "
            "déjeuner du mercredi 19 novembre (hors acheminement et hébergement)"
        ),
    )
    round_2_and_3 = [
        "Comment mettre en concertation le budget et les finances ?",
        "La prise en compte des pratiques professionnelles autour de la participation par les "
        "ressources humaines",
        "Comment mobiliser et rendre attractives nos concertations ? Quelle information et "
        "formation ?",
    ]
    round_title = "Ateliers d'échange et coups de zoom"
    _programme(
        event,
        [
            (
                day1,
                T(13),
                T(23),
                [
                    (T(13), T(14), "", None, [(K.WELCOME, "Accueil café", "", "", [])]),
                    (
                        T(14),
                        T(14, 30),
                        "",
                        None,
                        [(K.OPENING, "Ouverture officielle des Rencontres", "", "", [])],
                    ),
                    (
                        T(14, 30),
                        T(16),
                        "",
                        None,
                        [
                            (
                                K.PLENARY,
                                "« Etat des lieux de la participation citoyenne et la démocratie "
                                "participative aujourd'hui, dans les collectivités ... et "
                                "ailleurs »",
                                "Restitution de l'enquête menée auprès des participants\n"
                                "Croisement des regards des praticiens et des chercheurs\n"
                                "Enrichissement collectif avec les participants",
                                "",
                                [],
                            )
                        ],
                    ),
                    (T(16), T(16, 30), "", None, [(K.BREAK, "Pause", "", "", [])]),
                    (
                        T(16, 30),
                        T(18, 15),
                        round_title,
                        1,
                        [
                            _spot(
                                "Les démarches citoyennes / le pouvoir d'agir / le mouvement des "
                                "indignés : quelle rencontre entre demande sociale et offre de "
                                "participation ?"
                            ),
                            _workshop(
                                "Les conseils citoyens et la co-élaboration de la politique de "
                                "la ville"
                            ),
                            _workshop(
                                "Comment animer les espaces permanents pour les rendre vivants, "
                                "inclusifs, productifs?"
                            ),
                            _workshop(
                                "L'évaluation des effets de la participation : comment prendre "
                                "en compte la parole citoyenne dans la décision ?"
                            ),
                            _workshop("La démocratie 2.0 ? Numérique et participation citoyenne"),
                        ],
                    ),
                    (
                        T(18, 15),
                        None,
                        "",
                        None,
                        [(K.CLOSING, "Clôture des travaux de la première journée", "", "", [])],
                    ),
                    (
                        T(20),
                        None,
                        "",
                        None,
                        [(K.EVENING, "Dîner sur place et soirée festive", "", "", [])],
                    ),
                ],
            ),
            (
                day2,
                T(9),
                T(16),
                [
                    (
                        T(9),
                        T(10, 30),
                        round_title,
                        2,
                        [
                            _spot(
                                "L'évolution institutionnelle et juridique de la concertation: "
                                "vers un droit à participer ?"
                            ),
                            _spot(
                                "Les chartes de la participation et autres dispositifs de garantie"
                            ),
                            *[_workshop(title) for title in round_2_and_3],
                        ],
                    ),
                    (T(10, 30), T(11), "", None, [(K.BREAK, "Pause", "", "", [])]),
                    (
                        T(11),
                        T(13),
                        round_title,
                        3,
                        [
                            _spot(
                                "Proximité, gouvernance, démocratie locale, pouvoir d'agir... de "
                                "quoi parle-t-on ?"
                            ),
                            *[_workshop(title) for title in round_2_and_3],
                        ],
                    ),
                    (T(13), T(14), "", None, [(K.MEAL, "Déjeuner", "", "", [])]),
                    (
                        T(14),
                        T(15),
                        "",
                        None,
                        [(K.REPORT_BACK, "Restitution des ateliers", "", "", [])],
                    ),
                    (
                        T(15),
                        T(16),
                        "",
                        None,
                        [
                            (
                                K.CLOSING,
                                "Plénière de clôture participative",
                                "« Quelles perspectives ? Quelles envies collectives à court "
                                "terme ? »",
                                "",
                                [],
                            )
                        ],
                    ),
                ],
            ),
        ],
    )
    days = {day.date: day for day in event.days.all()}
    EventOption.objects.create(
        event=event,
        kind=EventOption.Kind.EVENING,
        label="Dîner sur place et soirée festive du mardi 18 novembre",
        day=days[day1],
    )
    EventOption.objects.create(
        event=event,
        kind=EventOption.Kind.MEAL,
        label="Déjeuner du mercredi 19 novembre",
        day=days[day2],
    )
    return event


# The observatory's seed initiatives each event presented (by the seeds' own account).
PRESENTED_INITIATIVES = {
    LIEVIN_SLUG: [
        "initiatives-citoyennes-de-lemergence-au-developpement-du-territoire",
        "raismes-2032-co-construire-les-projets-avec-les-habitants",
        "le-centre-social-la-bourgogne-et-les-initiatives-dhabitants",
    ],
    ARRAS_SLUG: [
        "raismes-2032-co-construire-les-projets-avec-les-habitants",
        "lecolieu-rives-en-reves",
        "les-fabriques-dinitiatives-locales-de-dunkerque",
        "la-ferme-de-moyembrie",
        "lhermitage-tiers-lieu-rural",
    ],
    LILLE_SLUG: [
        "les-ateliers-citoyens-departementaux-du-nord",
        "les-conseils-cantonaux-de-concertation-du-nord",
    ],
}


# (event, the start of a session's title) → the initiatives that session presented.
PRESENTED_IN_SESSIONS = {
    (ARRAS_SLUG, "L'expérience de la ville de Raismes"): [
        "raismes-2032-co-construire-les-projets-avec-les-habitants"
    ],
    (ARRAS_SLUG, "La coopération pour préparer un avenir durable"): ["lhermitage-tiers-lieu-rural"],
    (LILLE_SLUG, "Comment animer les espaces permanents"): [
        "les-conseils-cantonaux-de-concertation-du-nord"
    ],
    (LILLE_SLUG, "L'évaluation des effets de la participation"): [
        "les-ateliers-citoyens-departementaux-du-nord"
    ],
}


def link_presented_initiatives() -> None:
    """Link each seed event, and some of its sessions, to the initiatives it presented (those
    the observatory has)."""
    from terreau.observatory.models import Initiative

    for event_slug, initiative_slugs in PRESENTED_INITIATIVES.items():
        event = Event.objects.filter(slug=event_slug).first()
        if event is not None:
            event.initiatives.add(*Initiative.objects.filter(slug__in=initiative_slugs))
    for (event_slug, title), initiative_slugs in PRESENTED_IN_SESSIONS.items():
        session = Session.objects.filter(
            slot__day__event__slug=event_slug, title__startswith=title
        ).first()
        if session is not None:
            session.initiatives.add(*Initiative.objects.filter(slug__in=initiative_slugs))
