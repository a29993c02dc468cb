"""Demo organisations and people named in the seed documents, placed in their communes.

Seed people are public figures quoted in public documents: they are listed, without any contact
detail. Other apps' demo modules look these rows up by slug, which is stable:

Organisations: `irev`, `cerdd`, `territoires-participatifs`, `conseil-regional`,
`conseil-regional-dd`, `espace-de-cooperation`, `departement-du-nord`,
`departement-du-nord-democratie-participative`, `departement-du-val-de-marne`,
`institut-de-la-concertation`, `cnfpt`, `centre-socio-culturel-etouvie`, `collectif-bw-friches`,
`centres-sociaux-valenciennes`, `ville-de-raismes`, `ville-d-amiens`,
`ville-de-sailly-lez-lannoy`, `hermitage`, `ca-lens-lievin`, `centre-social-la-bourgogne`,
`universite-de-lille`, `universite-des-compagnons`, `saprophytes`, `transition-hauts-de-france`,
`la-27e-region`, `democratie-ouverte`, `rives-en-reves`, `fabriques-d-initiatives-locales`,
`ferme-de-moyembrie`.

People: `alain-bavay`, `sophie-mollet`, `fanny-meilhac`, `christelle-briatte`, `harold-george`,
`remi-lefebvre`, `jean-karinthe`, `martha-bozek`, `rabah-ghomrane`.

Communes are looked up by INSEE code; when the territories were not loaded, the commune stays
empty. Organisations outside the region (national bodies, Val-de-Marne) have no commune.
"""

from terreau.core.models import Theme
from terreau.territories.models import Commune

from . import services
from .models import ActorCategory, Membership, Organisation, Person
from .models import OrganisationKind as Kind

LILLE = "59350"

# slug, name, acronym, kind, INSEE code, parent slug, website, address, themes, description
ORGANISATIONS = [
    (
        "irev",
        "IREV – Institut régional de la ville",
        "IREV",
        Kind.ASSOCIATION,
        LILLE,
        None,
        "https://www.irev.fr",
        "",
        ["politique-de-la-ville", "participation-citoyenne", "initiatives-citoyennes"],
        "Centre de ressources Politique de la ville des Hauts-de-France. En juin 2021, l'IREV "
        "publie « Initiatives citoyennes : de l'émergence au développement du territoire », un "
        "appel à l'expérimentation de nouvelles pratiques, et le met en débat lors d'une journée "
        "régionale à Liévin le 30 septembre 2021.",
    ),
    (
        "cerdd",
        "Cerdd – Centre ressource du développement durable",
        "Cerdd",
        Kind.PUBLIC_BODY,
        "62528",
        None,
        "https://www.cerdd.org",
        "",
        ["transition-ecologique", "participation-citoyenne", "developpement-local"],
        "Centre ressource régional du développement durable et du climat. Il anime le réseau "
        "régional des Territoires participatifs et publie un panorama des initiatives locales.",
    ),
    (
        "territoires-participatifs",
        "Réseau régional des Territoires participatifs",
        "",
        Kind.PUBLIC_BODY,
        None,
        "cerdd",
        "",
        "",
        ["participation-citoyenne", "transition-ecologique"],
        "Réseau régional animé par le Cerdd : élu·es, agent·es et citoyen·nes qui partagent des "
        "expériences de participation citoyenne et de coopération au service des transitions. "
        "Deuxième journée régionale le 13 avril 2023 à Arras.",
    ),
    (
        "conseil-regional",
        "Conseil régional Hauts-de-France (ex-Nord-Pas de Calais)",
        "",
        Kind.REGION,
        LILLE,
        None,
        "",
        "151 avenue du Président Hoover, 59555 Lille Cedex",
        ["participation-citoyenne", "formation"],
        "Le Conseil régional Nord-Pas de Calais a adopté en novembre 2011 une politique de "
        "démocratie participative, composante du développement durable régional. Il propose une "
        "plate-forme de ressources et d'appui en six volets : observatoire des pratiques, échange "
        "de pratiques, recherche-action, appui méthodologique, formation et aide financière.",
    ),
    (
        "conseil-regional-dd",
        "Direction du Développement Durable, de la Prospective et de l'Évaluation",
        "",
        Kind.REGION,
        LILLE,
        "conseil-regional",
        "",
        "151 avenue du Président Hoover, 59555 Lille Cedex",
        ["participation-citoyenne"],
        "Direction du Conseil régional qui a lancé en 2013 le dispositif d'échanges de pratiques "
        "de démocratie participative.",
    ),
    (
        "espace-de-cooperation",
        "Espace de coopération entre acteurs et chercheurs en démocratie participative",
        "",
        Kind.PUBLIC_BODY,
        None,
        "conseil-regional",
        "",
        "",
        ["participation-citoyenne", "initiatives-citoyennes"],
        "Créé à l'initiative de la Région Nord-Pas de Calais, il réunit élus, agents "
        "territoriaux, acteurs associatifs salariés et bénévoles, membres de collectifs citoyens "
        "et universitaires. Premier chantier coopératif d'octobre 2015 à janvier 2016.",
    ),
    (
        "departement-du-nord",
        "Département du Nord",
        "",
        Kind.DEPARTMENT,
        LILLE,
        None,
        "",
        "",
        ["participation-citoyenne", "concertation"],
        "Depuis 2011, le Département du Nord mène une politique de démocratie participative "
        "(Ateliers citoyens départementaux, Conseils cantonaux de concertation). Il a accueilli "
        "à Lille les deuxièmes Rencontres nationales des professionnels de la démocratie "
        "participative, les 18 et 19 novembre 2014.",
    ),
    (
        "departement-du-nord-democratie-participative",
        "Mission Démocratie Participative du Département du Nord",
        "",
        Kind.DEPARTMENT,
        LILLE,
        "departement-du-nord",
        "",
        "",
        ["participation-citoyenne", "culture-professionnelle-de-la-participation"],
        "Accompagnement méthodologique des services de la collectivité (12 000 agents) et "
        "animation d'un réseau de référents internes.",
    ),
    (
        "departement-du-val-de-marne",
        "Département du Val-de-Marne",
        "CG94",
        Kind.DEPARTMENT,
        None,
        None,
        "",
        "",
        ["participation-citoyenne"],
        "A organisé en 2011 à Créteil les premières Rencontres nationales de la démocratie "
        "participative (hors région).",
    ),
    (
        "institut-de-la-concertation",
        "Institut de la Concertation",
        "",
        Kind.ASSOCIATION,
        None,
        None,
        "https://www.institutdelaconcertation.org",
        "",
        ["concertation", "garants-et-chartes-de-la-participation"],
        "Réseau national de praticiens de la concertation, ouvert à tous ceux qui se posent la "
        "question de l'amélioration et de la diffusion des pratiques de concertation. Plus de "
        "600 membres : consultants, agents territoriaux, associatifs, chercheurs.",
    ),
    (
        "cnfpt",
        "Centre national de la fonction publique territoriale",
        "CNFPT",
        Kind.PUBLIC_BODY,
        None,
        None,
        "",
        "",
        ["formation", "culture-professionnelle-de-la-participation"],
        "Accompagne les politiques publiques des collectivités et la professionnalisation des "
        "agents ; délivre les attestations de formation des Rencontres nationales de 2014.",
    ),
    (
        "centre-socio-culturel-etouvie",
        "Centre socio-culturel d'Etouvie",
        "",
        Kind.SOCIAL_CENTRE,
        "80021",
        None,
        "",
        "",
        ["centres-sociaux", "pouvoir-dagir"],
        "Centre socio-culturel du quartier d'Etouvie à Amiens, porteur de l'expérience "
        "« l'expression en assemblée populaire ».",
    ),
    (
        "collectif-bw-friches",
        "Collectif BW friches",
        "",
        Kind.CITIZEN_COLLECTIVE,
        LILLE,
        None,
        "",
        "",
        ["friches", "urbanisme-et-projet-urbain"],
        "Collectif du quartier de Fives à Lille, porteur de l'expérience « les habitants dans le "
        "projet urbain ».",
    ),
    (
        "centres-sociaux-valenciennes",
        "Association des centres sociaux de la région de Valenciennes",
        "",
        Kind.ASSOCIATION,
        "59606",
        None,
        "",
        "",
        ["centres-sociaux", "pouvoir-dagir"],
        "Porteuse de l'expérience « comment développer le pouvoir d'agir ? ».",
    ),
    (
        "ville-de-raismes",
        "Ville de Raismes",
        "",
        Kind.COMMUNE,
        "59491",
        None,
        "",
        "",
        ["participation-citoyenne"],
        "Projet municipal Raismes 2032 : une série d'actions pour co-construire les projets avec "
        "les habitant·es et accompagner une nouvelle culture administrative de la participation.",
    ),
    (
        "ville-d-amiens",
        "Ville d'Amiens",
        "",
        Kind.COMMUNE,
        "80021",
        None,
        "",
        "",
        ["initiatives-citoyennes"],
        "",
    ),
    (
        "ville-de-sailly-lez-lannoy",
        "Ville de Sailly-lez-Lannoy",
        "",
        Kind.COMMUNE,
        "59522",
        None,
        "",
        "",
        ["transition-ecologique", "participation-citoyenne"],
        "",
    ),
    (
        "hermitage",
        "L'Hermitage",
        "",
        Kind.THIRD_PLACE,
        "60032",
        None,
        "",
        "",
        ["tiers-lieux", "communs"],
        "Tiers-lieu rural aux confins de l'Aisne et de l'Oise.",
    ),
    (
        "ca-lens-lievin",
        "Communauté d'Agglomération de Lens-Liévin",
        "CALL",
        Kind.EPCI,
        "62498",
        None,
        "",
        "",
        ["politique-de-la-ville", "initiatives-citoyennes"],
        "",
    ),
    (
        "centre-social-la-bourgogne",
        "Centre social La Bourgogne Pont de Neuville",
        "",
        Kind.SOCIAL_CENTRE,
        "59599",
        None,
        "",
        "",
        ["centres-sociaux", "initiatives-citoyennes"],
        "",
    ),
    (
        "universite-de-lille",
        "Université de Lille",
        "",
        Kind.RESEARCH,
        LILLE,
        None,
        "",
        "",
        ["participation-citoyenne"],
        "",
    ),
    (
        "universite-des-compagnons",
        "Université des Compagnons Hauts-de-France",
        "",
        Kind.ASSOCIATION,
        "62041",
        None,
        "",
        "",
        ["formation"],
        "A accueilli le 13 avril 2023 à Arras la deuxième journée régionale du réseau des "
        "Territoires participatifs.",
    ),
    (
        "saprophytes",
        "Collectif des Saprophytes",
        "",
        Kind.CITIZEN_COLLECTIVE,
        LILLE,
        None,
        "",
        "",
        ["pouvoir-dagir", "urbanisme-et-projet-urbain"],
        "« Oser la participation ! Le pouvoir d'agir au service du bien commun » : entretien "
        "publié par le Cerdd.",
    ),
    (
        "transition-hauts-de-france",
        "Réseau Transition Hauts-de-France",
        "",
        Kind.ASSOCIATION,
        None,
        None,
        "",
        "",
        ["transition-ecologique"],
        "Accompagne collectivités et collectifs citoyens dans leurs démarches de transition.",
    ),
    (
        "la-27e-region",
        "La 27e Région",
        "",
        Kind.ASSOCIATION,
        None,
        None,
        "",
        "",
        ["transition-ecologique", "culture-professionnelle-de-la-participation"],
        "A édité en décembre 2022 « Le petit manuel de survie pour les élu·es en transitions ».",
    ),
    (
        "democratie-ouverte",
        "Démocratie Ouverte",
        "",
        Kind.ASSOCIATION,
        None,
        None,
        "",
        "",
        ["participation-citoyenne", "numerique"],
        "Son espace ressource aide à trouver des innovations démocratiques sur les territoires.",
    ),
    (
        "rives-en-reves",
        "Rives en Rêves",
        "",
        Kind.THIRD_PLACE,
        None,
        None,
        "",
        "",
        ["transition-ecologique", "tiers-lieux"],
        "Écolieu du Pas-de-Calais présenté dans le panorama des initiatives du Cerdd.",
    ),
    (
        "fabriques-d-initiatives-locales",
        "Fabriques d'initiatives locales de Dunkerque",
        "",
        Kind.PUBLIC_BODY,
        "59183",
        None,
        "",
        "",
        ["initiatives-citoyennes", "developpement-local"],
        "Présentées dans le panorama des initiatives du Cerdd.",
    ),
    (
        "ferme-de-moyembrie",
        "Ferme de Moyembrie",
        "",
        Kind.ASSOCIATION,
        "02217",
        None,
        "",
        "",
        ["economie-sociale-et-solidaire", "transition-ecologique"],
        "Ferme de l'Aisne présentée dans le panorama des initiatives du Cerdd.",
    ),
]

# slug, first name, last name, actor category, [(organisation slug, role)]
PEOPLE = [
    (
        "alain-bavay",
        "Alain",
        "Bavay",
        ActorCategory.ELECTED,
        [("ca-lens-lievin", "Vice-président chargé de la cohésion sociale")],
    ),
    (
        "sophie-mollet",
        "Sophie",
        "Mollet",
        ActorCategory.PUBLIC_STAFF,
        [("ca-lens-lievin", "Responsable cohésion sociale")],
    ),
    (
        "fanny-meilhac",
        "Fanny",
        "Meilhac",
        ActorCategory.PUBLIC_STAFF,
        [("ville-de-raismes", "Directrice de la communication")],
    ),
    (
        "christelle-briatte",
        "Christelle",
        "Briatte",
        ActorCategory.PUBLIC_STAFF,
        [("ville-d-amiens", "Mission vie associative et solidarités de proximité")],
    ),
    (
        "harold-george",
        "Harold",
        "George",
        ActorCategory.ASSOCIATION_STAFF,
        [("centre-social-la-bourgogne", "Directeur")],
    ),
    (
        "remi-lefebvre",
        "Rémi",
        "Lefebvre",
        ActorCategory.RESEARCHER,
        [("universite-de-lille", "Professeur de sciences politiques")],
    ),
    (
        "jean-karinthe",
        "Jean",
        "Karinthe",
        ActorCategory.ASSOCIATION_STAFF,
        [("hermitage", "Cofondateur")],
    ),
    (
        "martha-bozek",
        "Martha",
        "Bozek",
        ActorCategory.ELECTED,
        [("ville-de-sailly-lez-lannoy", "Adjointe au maire")],
    ),
    (
        "rabah-ghomrane",
        "Rabah",
        "Ghomrane",
        ActorCategory.PUBLIC_STAFF,
        [("conseil-regional-dd", "Chargé de mission démocratie participative")],
    ),
]


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def load(stdout=None) -> None:
    communes = Commune.objects.in_bulk([row[4] for row in ORGANISATIONS if row[4]], field_name="pk")
    themes = Theme.objects.in_bulk(
        {slug for row in ORGANISATIONS for slug in row[8]}, field_name="slug"
    )
    organisations: dict[str, Organisation] = {}
    for (
        slug,
        name,
        acronym,
        kind,
        insee,
        parent,
        website,
        address,
        theme_slugs,
        text,
    ) in ORGANISATIONS:
        fields = {
            "name": name,
            "acronym": acronym,
            "kind": kind,
            "commune": communes.get(insee) if insee else None,
            "parent": organisations.get(parent) if parent else None,
            "website": website,
            "address": address,
            "description": text,
        }
        chosen = [themes[theme] for theme in theme_slugs if theme in themes]
        existing = Organisation.objects.filter(slug=slug).first()
        if existing is None:
            organisations[slug] = services.organisation_create(slug=slug, themes=chosen, **fields)
        else:
            organisations[slug] = services.organisation_update(
                organisation=existing, themes=chosen, **fields
            )
    for slug, first_name, last_name, category, memberships in PEOPLE:
        title = "; ".join(role for _, role in memberships)
        person = Person.objects.filter(slug=slug).first()
        fields = {"title": title, "actor_category": category, "is_listed": True}
        if person is None:
            person = services.person_create(
                first_name=first_name, last_name=last_name, slug=slug, **fields
            )
        else:
            person = services.person_update(person=person, **fields)
        for organisation_slug, role in memberships:
            organisation = organisations[organisation_slug]
            if not Membership.objects.filter(person=person, organisation=organisation).exists():
                services.membership_create(person=person, organisation=organisation, role=role)
    _write(stdout, f"Directory: {len(ORGANISATIONS)} organisations, {len(PEOPLE)} people.\n")
