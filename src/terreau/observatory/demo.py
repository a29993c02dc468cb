"""Demo data from the seed documents: the observatory's vocabularies, the initiatives the seeds
name (with only what the seeds say about them), a few method sheets, revisions and one
contribution waiting in the moderation queue.

Organisations and people come from the directory's demo (looked up by slug; a missing one is
skipped) and themes from core's taxonomy (looked up by French name).
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from terreau.core.demo import DEMO_MEMBER_EMAIL, DEMO_MODERATOR_EMAIL, DEMO_STAFF_EMAIL
from terreau.core.models import Theme
from terreau.directory.models import Organisation, Person
from terreau.territories.models import Department

from . import models
from .models import PublicationState
from .services import proposals as proposal_services
from .services.revisions import initiative_save_revision
from .snapshot import empty_snapshot

# (model, [(French name, English name)]) — Participedia's lists in the seeds' vocabulary.
VOCABULARIES = [
    (
        models.TargetPublic,
        [
            ("Habitants", "Residents"),
            ("Habitants des quartiers prioritaires", "Residents of priority neighbourhoods"),
            ("Publics éloignés du débat public", "People far from public debate"),
            ("Jeunes", "Young people"),
            ("Élus", "Elected officials"),
            ("Agents territoriaux", "Local public-service staff"),
            ("Acteurs associatifs", "Association workers and volunteers"),
            ("Collectifs citoyens", "Citizen collectives"),
            ("Chercheurs", "Researchers"),
        ],
    ),
    (
        models.FacilitationFormat,
        [
            ("Assemblée populaire", "Popular assembly"),
            ("Atelier", "Workshop"),
            ("Porte-à-porte", "Door-to-door"),
            ("Budget participatif", "Participatory budget"),
            ("Conseil citoyen", "Citizens' council"),
            ("Jury citoyen", "Citizens' jury"),
            ("Plateforme en ligne", "Online platform"),
            ("Théâtre forum", "Forum theatre"),
            ("Atelier de co-développement", "Co-development workshop"),
            ("Soirée de mise en discussion", "Evening discussion workshop"),
            ("Table ronde", "Round table"),
            ("Groupe d'échanges de pratiques", "Practice-exchange group"),
            ("Instance de concertation permanente", "Standing consultation body"),
            ("Lieu ouvert (tiers-lieu)", "Open place (third place)"),
        ],
    ),
    (
        models.RecruitmentMethod,
        [
            ("Volontariat", "Volunteers"),
            ("Tirage au sort", "Random selection (sortition)"),
            ("Tirage au sort stratifié", "Stratified random selection"),
            ("Invitation ciblée", "Targeted invitation"),
            ("Appel à candidatures", "Call for applications"),
            ("Aller-vers (rencontre dans l'espace public)", "Outreach in public spaces"),
            ("Désignation", "Appointment"),
            ("Élection", "Election"),
        ],
    ),
    (
        models.Purpose,
        [
            ("Renforcer le pouvoir d'agir des habitants", "Empower residents"),
            ("Éclairer la décision publique", "Inform public decisions"),
            ("Co-produire un projet ou un service", "Co-produce a project or a service"),
            ("Faire émerger et soutenir des initiatives", "Bring forth and support initiatives"),
            ("Échanger et capitaliser les pratiques", "Exchange and capitalise practices"),
            ("Transformer la culture administrative", "Change the administrative culture"),
        ],
    ),
    (
        models.Approach,
        [
            ("Plaidoyer", "Advocacy"),
            ("Développement de la société civile", "Civil society building"),
            ("Co-gouvernance", "Co-governance"),
            ("Co-production", "Co-production"),
            ("Consultation", "Consultation"),
            ("Décision directe", "Direct decision-making"),
            ("Éducation populaire", "Popular education"),
            ("Recherche-action", "Action research"),
        ],
    ),
    (
        models.ChangeType,
        [
            ("Évolution des politiques publiques", "Changes in public policy"),
            ("Évolution des pratiques administratives", "Changes in administrative practice"),
            ("Pouvoir d'agir renforcé", "Increased capacity to act"),
            ("Nouveaux liens et réseaux", "New relationships and networks"),
            ("Transformation d'un lieu", "Transformation of a place"),
            ("Connaissances partagées", "Shared knowledge"),
        ],
    ),
    (
        models.OrganiserType,
        [
            ("Commune", "Municipality"),
            ("Département", "Département"),
            ("Région", "Region"),
            ("Intercommunalité", "Intercommunal body"),
            ("Association", "Association"),
            ("Centre social", "Social centre"),
            ("Collectif citoyen", "Citizen collective"),
            ("Université, recherche", "University, research"),
            ("Organisme public", "Public body"),
            ("Tiers-lieu", "Third place"),
        ],
    ),
]

CHANTIER = (
    "Présentée et discutée lors d'un atelier en soirée (19 h – 21 h 30) du premier chantier "
    "coopératif de l'Espace de coopération entre acteurs et chercheurs en démocratie "
    "participative (octobre 2015 – janvier 2016), sur le thème « initiatives citoyennes "
    "permettant de favoriser l'implication de tous dans le débat public ». Élus et agents "
    "territoriaux, militants associatifs et citoyens, universitaires y croisent leurs regards ; "
    "un compte rendu coproduit propose une description analytique du cas, un diagnostic des "
    "forces et faiblesses et des hypothèses utiles à d'autres territoires."
)
CHANTIER_PROBLEMS = (
    "Comme les deux autres expériences retenues pour le chantier, elle mobilise des habitants "
    "de l'espace public local, animée par une énergie citoyenne ou soutenue par des équipes de "
    "professionnels de l'action sociale et culturelle, avec le projet de **donner du pouvoir "
    "d'agir aux habitants**."
)
PANORAMA = (
    "Projet local mis en ligne sur le panorama des initiatives du Cerdd, annoncé lors de la "
    "deuxième journée régionale du réseau des Territoires participatifs (Arras, 13 avril 2023)."
)
CERDD_LINK = {"title": "Panorama des initiatives du Cerdd", "url": "https://www.cerdd.org"}
IREV_LINK = {
    "title": "IREV – Regard sur des initiatives citoyennes (29 septembre 2015)",
    "url": "https://www.irev.fr/actualites-0/regard-sur-des-initiatives-citoyennes-permettant-"
    "de-favoriser-limplication-de-tous-dans",
}

# Each initiative: snapshot fields, plus "_org" (lead organisations' slugs), "_partners",
# "_contacts" (people's slugs), "_department" (code when no lead organisation has a commune),
# and vocabulary terms by French name under the M2M field's name.
INITIATIVES = [
    {
        "title": "L'expression en assemblée populaire à Etouvie",
        "summary": "Le centre socio-culturel du quartier d'Etouvie, à Amiens, donne la parole "
        "aux habitants en assemblée populaire. Expérience discutée au chantier coopératif du "
        "13 octobre 2015.",
        "description": CHANTIER,
        "problems_purpose": CHANTIER_PROBLEMS,
        "scale": "neighbourhood",
        "subject": "L'expression des habitants d'un quartier dans le débat public",
        "themes": ["Pouvoir d'agir", "Centres sociaux", "Participation citoyenne"],
        "facilitation_formats": ["Assemblée populaire"],
        "target_publics": ["Habitants", "Publics éloignés du débat public"],
        "purposes": ["Renforcer le pouvoir d'agir des habitants"],
        "methods": ["assemblee-populaire"],
        "organiser_types": ["Centre social"],
        "_org": ["centre-socio-culturel-etouvie"],
        "_partners": ["espace-de-cooperation"],
        "links": [IREV_LINK],
    },
    {
        "title": "Les habitants dans le projet urbain de Fives",
        "summary": "Le collectif BW friches associe les habitants du quartier de Fives, à "
        "Lille, au projet urbain. Expérience discutée au chantier coopératif du 5 novembre "
        "2015.",
        "description": CHANTIER,
        "problems_purpose": CHANTIER_PROBLEMS,
        "scale": "neighbourhood",
        "subject": "La place des habitants dans un projet urbain sur une friche",
        "themes": ["Urbanisme et projet urbain", "Friches", "Pouvoir d'agir"],
        "facilitation_formats": ["Atelier"],
        "target_publics": ["Habitants"],
        "purposes": ["Renforcer le pouvoir d'agir des habitants"],
        "organiser_types": ["Collectif citoyen"],
        "legal_structure": "informal",
        "_org": ["collectif-bw-friches"],
        "_partners": ["espace-de-cooperation"],
        "links": [IREV_LINK],
    },
    {
        "title": "Comment développer le pouvoir d'agir ? Les centres sociaux du Valenciennois",
        "summary": "L'Association des centres sociaux de la région de Valenciennes travaille "
        "le développement du pouvoir d'agir des habitants. Expérience discutée au chantier "
        "coopératif du 1er décembre 2015.",
        "description": CHANTIER,
        "problems_purpose": CHANTIER_PROBLEMS,
        "scale": "intercommunal",
        "subject": "Le développement du pouvoir d'agir des habitants par les centres sociaux",
        "themes": ["Pouvoir d'agir", "Centres sociaux"],
        "target_publics": ["Habitants"],
        "purposes": ["Renforcer le pouvoir d'agir des habitants"],
        "approaches": ["Éducation populaire"],
        "organiser_types": ["Association", "Centre social"],
        "legal_structure": "association",
        "_org": ["centres-sociaux-valenciennes"],
        "_partners": ["espace-de-cooperation"],
        "links": [IREV_LINK],
    },
    {
        "title": "Raismes 2032 : co-construire les projets avec les habitants",
        "summary": "Dans le cadre du projet municipal Raismes 2032, la ville met en place une "
        "série d'actions pour co-construire ses projets avec les habitants et changer sa "
        "culture administrative.",
        "description": "Présentée par Fanny Meilhac, directrice de la communication de la ville "
        "de Raismes, lors de la deuxième journée régionale du réseau des Territoires "
        "participatifs (Arras, 13 avril 2023). Une série d'actions a été mise en place pour "
        "**co-construire les projets avec les habitant·es**.",
        "problems_purpose": "Stimuler la créativité sur le territoire, et **accompagner le "
        "changement vers une nouvelle culture administrative de la participation citoyenne**.",
        "lessons": "L'importance d'une ambition politique forte pour mobiliser des moyens et "
        "des compétences, et transformer progressivement les organisations de travail afin "
        "qu'elles accueillent pleinement les processus participatifs.",
        "status": "active",
        "scale": "commune",
        "participation_level": "co_construction",
        "subject": "Le projet municipal à l'horizon 2032",
        "themes": ["Participation citoyenne", "Culture professionnelle de la participation"],
        "target_publics": ["Habitants", "Agents territoriaux"],
        "purposes": [
            "Co-produire un projet ou un service",
            "Transformer la culture administrative",
        ],
        "approaches": ["Co-production"],
        "change_types": ["Évolution des pratiques administratives"],
        "organiser_types": ["Commune"],
        "legal_structure": "public",
        "_org": ["ville-de-raismes"],
        "_contacts": ["fanny-meilhac"],
    },
    {
        "title": "L'Hermitage, tiers-lieu rural",
        "summary": "Un tiers-lieu rural où préparer ensemble le rapport aux communs (l'eau, la "
        "forêt, l'alimentation) et donner aux jeunes des perspectives d'engagement collectif.",
        "description": "Jean Karinthe, cofondateur de l'Hermitage, a dialogué avec Martha "
        "Bozek, adjointe au maire de Sailly-lez-Lannoy, sur les coopérations entre "
        "institutions, acteurs associatifs et citoyens au service des transitions (journée "
        "régionale des Territoires participatifs, Arras, 13 avril 2023).",
        "problems_purpose": "« On a besoin d'espaces pour préparer ensemble ce que va être la "
        "notion de rapport au commun dans un contexte de dégradation de ces communs : l'eau, "
        "la forêt, l'alimentation… Il faut donner des perspectives aux jeunes pour s'engager "
        "collectivement dans des lieux avec des élu·es locaux·ales qui se sont préparé·es à "
        "s'organiser collectivement ! » (Jean Karinthe)",
        "themes": ["Tiers-lieux", "Communs", "Transition écologique"],
        "facilitation_formats": ["Lieu ouvert (tiers-lieu)"],
        "target_publics": ["Jeunes", "Élus", "Habitants"],
        "organiser_types": ["Tiers-lieu"],
        "_org": ["hermitage"],
        "_contacts": ["jean-karinthe"],
        "_department": "02",
    },
    {
        "title": "L'écolieu Rives en Rêves",
        "summary": "Un écolieu du Pas-de-Calais présenté dans le panorama des initiatives "
        "locales du Cerdd.",
        "description": PANORAMA,
        "themes": ["Transition écologique", "Tiers-lieux"],
        "facilitation_formats": ["Lieu ouvert (tiers-lieu)"],
        "_org": ["rives-en-reves"],
        "_department": "62",
        "links": [CERDD_LINK],
    },
    {
        "title": "Les Fabriques d'initiatives locales de Dunkerque",
        "summary": "À Dunkerque, des fabriques pour faire émerger et accompagner les "
        "initiatives locales, présentées dans le panorama des initiatives du Cerdd.",
        "description": PANORAMA,
        "scale": "commune",
        "themes": ["Initiatives citoyennes", "Développement local"],
        "purposes": ["Faire émerger et soutenir des initiatives"],
        "_org": ["fabriques-d-initiatives-locales"],
        "_department": "59",
        "links": [CERDD_LINK],
    },
    {
        "title": "La ferme de Moyembrie",
        "summary": "Une ferme de l'Aisne présentée dans le panorama des initiatives locales du "
        "Cerdd.",
        "description": PANORAMA,
        "themes": ["Développement local", "Économie sociale et solidaire"],
        "_org": ["ferme-de-moyembrie"],
        "_department": "02",
        "links": [CERDD_LINK],
    },
    {
        "title": "Les Ateliers citoyens départementaux du Nord",
        "summary": "Depuis le lancement de sa politique de démocratie participative en 2011, "
        "le Département du Nord réunit des habitants dans des Ateliers citoyens "
        "départementaux.",
        "description": "Avec les Conseils cantonaux de concertation, les Ateliers citoyens "
        "départementaux font du Département du Nord « un acteur significatif de la "
        "participation ». En interne, la Mission Démocratie Participative accompagne les "
        "services de la collectivité (12 000 agents) et anime un réseau de référents. Le "
        "Département a accueilli à Lille, les 18 et 19 novembre 2014, les deuxièmes "
        "Rencontres nationales des professionnels de la démocratie participative.",
        "start_date": "2011-01-01",
        "time_frame": "repeated",
        "status": "active",
        "scale": "department",
        "participation_level": "consultation",
        "themes": ["Participation citoyenne", "Concertation"],
        "facilitation_formats": ["Atelier"],
        "target_publics": ["Habitants"],
        "purposes": ["Éclairer la décision publique"],
        "organiser_types": ["Département"],
        "legal_structure": "public",
        "_org": ["departement-du-nord"],
        "_partners": ["departement-du-nord-democratie-participative"],
        "_department": "59",
    },
    {
        "title": "Les Conseils cantonaux de concertation du Nord",
        "summary": "Des instances de concertation à l'échelle des cantons, mises en place par "
        "le Département du Nord dans sa politique de démocratie participative lancée en 2011.",
        "description": "Avec les Ateliers citoyens départementaux, les Conseils cantonaux de "
        "concertation font du Département du Nord « un acteur significatif de la "
        "participation ».",
        "start_date": "2011-01-01",
        "time_frame": "ongoing",
        "status": "active",
        "scale": "department",
        "participation_level": "concertation",
        "themes": ["Participation citoyenne", "Concertation"],
        "facilitation_formats": ["Instance de concertation permanente"],
        "target_publics": ["Habitants", "Acteurs associatifs"],
        "purposes": ["Éclairer la décision publique"],
        "approaches": ["Consultation"],
        "organiser_types": ["Département"],
        "legal_structure": "public",
        "_org": ["departement-du-nord"],
        "_partners": ["departement-du-nord-democratie-participative"],
        "_department": "59",
    },
    {
        "title": "Le centre social La Bourgogne et les initiatives d'habitants",
        "summary": "À Tourcoing, le centre social La Bourgogne – Pont de Neuville témoigne de "
        "l'accueil des initiatives citoyennes dans les quartiers.",
        "description": "Harold George, directeur du centre social, a participé à la table "
        "ronde « Initiatives citoyennes entre intentions et réalités » de la journée régionale "
        "de l'IREV (Liévin, 30 septembre 2021), consacrée à l'émergence, la consolidation et "
        "la concrétisation des initiatives citoyennes dans les quartiers de la politique de "
        "la ville.",
        "problems_purpose": "Avant de devenir projet, l'initiative citoyenne est une envie "
        "d'agir, une idée, une proposition qui cherche un terreau fertile pour se développer ; "
        "les centres sociaux font partie des lieux prêts à l'accueillir.",
        "scale": "neighbourhood",
        "is_qpv": True,
        "themes": ["Centres sociaux", "Initiatives citoyennes", "Quartiers prioritaires"],
        "target_publics": ["Habitants des quartiers prioritaires"],
        "purposes": ["Faire émerger et soutenir des initiatives"],
        "organiser_types": ["Centre social"],
        "_org": ["centre-social-la-bourgogne"],
        "_contacts": ["harold-george"],
    },
    {
        "title": "Initiatives citoyennes : de l'émergence au développement du territoire",
        "summary": "Une démarche collective de l'IREV (juin 2020 – mars 2021) sur la "
        "mobilisation des habitants et la prise d'initiative dans les QPV, publiée comme un "
        "appel à l'expérimentation de nouvelles pratiques.",
        "description": "Fruit d'une démarche collective menée entre juin 2020 et mars 2021, "
        "l'analyse identifie les enjeux de la mobilisation des habitants et de la prise "
        "d'initiative dans les quartiers de la politique de la ville et les territoires "
        "urbains fragiles. Elle s'appuie sur **4 initiatives régionales** et a été mise en "
        "débat lors d'une journée régionale le 30 septembre 2021 à Liévin (Aréna Stade "
        "couvert).",
        "process": "Table ronde « Initiatives citoyennes entre intentions et réalités », puis "
        "quatre ateliers d'échange et de contribution : l'émergence (quels espaces d'accueil "
        "et quel accompagnement ?) ; la consolidation (quels moyens humains, financiers et de "
        "gouvernance ?) ; la concrétisation (comment faire vivre les initiatives dans la "
        "durée, quel portage juridique ?) ; l'outil numérique au service de l'initiative "
        "citoyenne.",
        "lessons": "La construction d'une « alliance » entre citoyens et institutions pour "
        "faire projet repose sur des pratiques d'accompagnement qui restent à développer. Les "
        "procédures, appels à projets et règles de financement peuvent entraver les envies "
        "d'agir ; d'autres cadres, plus souples, existent ou sont expérimentés.",
        "start_date": "2020-06-01",
        "end_date": "2021-09-30",
        "status": "ended",
        "phase": "consolidation",
        "scale": "region",
        "is_qpv": True,
        "themes": ["Initiatives citoyennes", "Politique de la ville", "Quartiers prioritaires"],
        "facilitation_formats": ["Table ronde", "Atelier"],
        "target_publics": ["Élus", "Agents territoriaux", "Acteurs associatifs"],
        "purposes": ["Faire émerger et soutenir des initiatives"],
        "approaches": ["Recherche-action"],
        "change_types": ["Connaissances partagées"],
        "organiser_types": ["Association"],
        "_org": ["irev"],
        "_partners": ["ca-lens-lievin", "ville-de-raismes", "ville-d-amiens"],
        "_contacts": ["alain-bavay", "sophie-mollet", "christelle-briatte", "remi-lefebvre"],
        "_department": "62",
    },
    {
        "title": "Dispositif d'échanges de pratiques de démocratie participative",
        "summary": "Deux groupes de 12 à 15 acteurs de la démocratie participative (Est et "
        "Ouest du Nord-Pas de Calais) se réunissent une journée par mois pendant un an pour "
        "échanger leurs pratiques.",
        "description": "Volet de la plate-forme de ressources et d'appui de la Région "
        "Nord-Pas de Calais, qui a adopté en novembre 2011 une politique de démocratie "
        "participative. Chaque groupe est animé par un professionnel de la participation "
        "mandaté par le Conseil régional ; deux « rencontres citoyennes » mettent les "
        "réflexions en débat avec d'autres publics.",
        "problems_purpose": "Alimenter et questionner les pratiques des participants ; se "
        "qualifier mutuellement ; décloisonner les catégories d'acteurs et les cultures ; "
        "faire réseau ; réfléchir collectivement à des questions d'éducation politique et "
        "d'éducation populaire ; enrichir la politique régionale.",
        "process": "Rencontres mensuelles d'une journée (9 h 30 – 16 h 30), itinérantes, de "
        "mai 2013 à avril 2014 ; première journée le 17 mai au siège du Conseil régional. "
        "Sélection sur candidature (date limite : 29 mars) selon la structure, le candidat et "
        "la diversité des démarches (objet traité, public visé, modalités d'animation).",
        "start_date": "2013-05-17",
        "end_date": "2014-04-30",
        "status": "ended",
        "time_frame": "repeated",
        "scale": "region",
        "participant_count": 30,
        "openness": "limited",
        "themes": ["Culture professionnelle de la participation", "Participation citoyenne"],
        "facilitation_formats": ["Groupe d'échanges de pratiques"],
        "methods": ["groupe-dechanges-de-pratiques"],
        "recruitment_methods": ["Appel à candidatures"],
        "target_publics": ["Élus", "Agents territoriaux", "Acteurs associatifs"],
        "purposes": ["Échanger et capitaliser les pratiques"],
        "organiser_types": ["Région"],
        "funder_types": ["Région"],
        "legal_structure": "public",
        "_org": ["conseil-regional-dd"],
        "_contacts": ["rabah-ghomrane"],
        "_department": "59",
    },
]

METHODS = [
    {
        "slug": "assemblee-populaire",
        "title": "Assemblée populaire",
        "summary": "Une assemblée ouverte où les habitants d'un quartier prennent la parole "
        "sur ce qui les concerne, et décident de ce qu'ils veulent porter ensemble.",
        "when_to_use": "Pour faire émerger la parole d'habitants peu présents dans les "
        "espaces de débat public, dans un lieu qui leur est familier (centre social, salle "
        "de quartier, espace public).",
        "steps": "1. Inviter largement, y compris par l'aller-vers.\n2. Accueillir et "
        "poser les règles de parole.\n3. Recueillir les sujets apportés par les "
        "participants.\n4. Débattre, sujet par sujet.\n5. Conclure sur ce que l'assemblée "
        "veut porter, et par qui.\n6. Rendre compte de la suite donnée.",
        "duration": "2 heures environ",
        "group_size": "De 15 à 100 personnes",
        "materials": "Une salle accessible, un micro, un tableau pour noter les sujets.",
        "pitfalls": "Laisser la parole aux habitués ; ne pas dire ce qui sera fait de la "
        "parole recueillie.",
        "formats": ["Assemblée populaire"],
        "themes": ["Pouvoir d'agir", "Éducation populaire"],
    },
    {
        "slug": "atelier-de-co-developpement",
        "title": "Atelier de co-développement",
        "summary": "Un groupe de pairs aide l'un des siens à avancer sur une question concrète "
        "de sa pratique, par des questions et des pistes plutôt que des conseils tout faits.",
        "when_to_use": "Quand des praticiens ont des besoins concrets : « comment renforcer le "
        "dialogue entre un collectif citoyen et une mairie ? », « comment relancer un système "
        "d'échange local qui s'endort ? ». Les membres du réseau des Territoires "
        "participatifs y ont travaillé six besoins le 13 avril 2023.",
        "steps": "1. Un participant expose sa situation.\n2. Le groupe pose des questions de "
        "clarification.\n3. Le participant reformule sa demande.\n4. Le groupe propose des "
        "pistes, sans débattre.\n5. Le participant dit ce qu'il retient et ce qu'il va "
        "faire.\n6. Chacun partage ce qu'il apprend pour lui-même.",
        "duration": "1 h 30 par situation",
        "group_size": "De 5 à 8 personnes",
        "pitfalls": "Passer trop vite aux solutions ; laisser un expert monopoliser les pistes.",
        "formats": ["Atelier de co-développement"],
        "themes": ["Culture professionnelle de la participation"],
    },
    {
        "slug": "porte-a-porte",
        "title": "Porte-à-porte",
        "summary": "Aller à la rencontre des habitants chez eux pour les informer, recueillir "
        "leur avis et les inviter à participer.",
        "when_to_use": "Pour mobiliser les publics qui ne viennent pas aux réunions : « comment "
        "mobiliser les publics ? » est l'une des questions des Rencontres nationales de 2014.",
        "steps": "1. Préparer un message court et un support à laisser.\n2. Former les "
        "binômes.\n3. Choisir les horaires où les habitants sont chez eux.\n4. Noter les "
        "avis et les contacts (avec leur accord).\n5. Revenir dire ce qui a été fait.",
        "duration": "Une demi-journée par secteur",
        "group_size": "Des binômes",
        "materials": "Badges, tracts, fiches de recueil.",
        "pitfalls": "Ne pas revenir ; recueillir des données personnelles sans consentement.",
        "formats": ["Porte-à-porte"],
        "themes": ["Participation citoyenne", "Quartiers prioritaires"],
    },
    {
        "slug": "coup-de-zoom",
        "title": "Coup de zoom",
        "summary": "Un temps court pour faire le point sur un sujet émergent, polémique ou "
        "technique avec des invités (chercheurs, associations…).",
        "when_to_use": "Dans une rencontre de praticiens, en parallèle des ateliers d'échange, "
        "comme aux Rencontres nationales de la démocratie participative (Lille, 2014) : « vers "
        "un droit à participer ? », « les chartes de la participation et autres dispositifs de "
        "garantie ».",
        "steps": "1. Choisir un sujet et un ou deux invités.\n2. Exposé court des invités.\n"
        "3. Questions et débat avec la salle.\n4. Synthèse pour la restitution.",
        "duration": "1 h 30 à 2 heures",
        "group_size": "De 20 à 60 personnes",
        "formats": ["Table ronde"],
        "themes": ["Culture professionnelle de la participation"],
    },
    {
        "slug": "atelier-dechange",
        "title": "Atelier d'échange entre praticiens",
        "summary": "Des praticiens volontaires présentent et analysent eux-mêmes leurs "
        "expériences, positives ou négatives, leurs méthodes et leurs questions.",
        "when_to_use": "Pour partager entre pairs, en confiance, sur une question concrète : "
        "comment animer les espaces permanents pour les rendre vivants, inclusifs, productifs "
        "? comment mettre en concertation le budget ?",
        "steps": "1. Un ou deux participants présentent leur pratique.\n2. Questions du "
        "groupe.\n3. Analyse croisée.\n4. Ce que chacun retient, pour la restitution.",
        "duration": "1 h 30 à 2 heures",
        "group_size": "De 10 à 25 personnes",
        "formats": ["Atelier"],
        "themes": ["Culture professionnelle de la participation"],
    },
    {
        "slug": "groupe-dechanges-de-pratiques",
        "title": "Groupe d'échanges de pratiques",
        "summary": "Un groupe stable de 12 à 15 acteurs qui se réunit une journée par mois "
        "pendant un an pour analyser ensemble leurs pratiques de participation.",
        "when_to_use": "Pour faire monter en compétences des acteurs d'horizons différents "
        "(élus, professionnels, bénévoles) et faire réseau, comme le dispositif de la Région "
        "Nord-Pas de Calais en 2013-2014.",
        "steps": "1. Appel à candidatures et sélection pour la diversité.\n2. Une rencontre par "
        "mois, itinérante, de 9 h 30 à 16 h 30, sur un ou plusieurs thèmes.\n3. Deux "
        "rencontres citoyennes dans l'année.\n4. Une production du groupe, diffusée.",
        "duration": "12 mois",
        "group_size": "12 à 15 personnes",
        "pitfalls": "Des absences répétées : l'engagement à être présent à toutes les "
        "rencontres fait partie de la candidature.",
        "formats": ["Groupe d'échanges de pratiques"],
        "themes": ["Culture professionnelle de la participation", "Formation"],
    },
]

# A second revision on two initiatives, so that the history shows a diff.
EDITS = [
    (
        "Raismes 2032 : co-construire les projets avec les habitants",
        {"time_frame": "ongoing", "phase": "consolidation"},
        "Ajout de la phase et de la temporalité",
    ),
    (
        "Les habitants dans le projet urbain de Fives",
        {"start_date": "2015-11-05", "status": "active"},
        "Date de présentation au chantier coopératif",
    ),
]


def _write(stdout, text):
    if stdout:
        stdout.write(text)


def load_vocabularies() -> None:
    for model, terms in VOCABULARIES:
        for position, (name, name_en) in enumerate(terms):
            model.objects.update_or_create(
                slug=slugify(name)[:160],
                defaults={"name": name, "name_en": name_en, "position": position},
            )


def _vocabulary_ids(model, names) -> list[int]:
    return sorted(model.objects.filter(name__in=names).values_list("pk", flat=True))


def _slug_ids(model, slugs) -> list[int]:
    ids = []
    for slug in slugs:
        found = model.objects.filter(slug=slug).first()
        if found:
            ids.append(found.pk)
    return ids


def load_methods(author) -> None:
    for item in METHODS:
        item = dict(item)
        formats, themes = item.pop("formats"), item.pop("themes")
        method, _ = models.Method.objects.update_or_create(
            slug=item.pop("slug"),
            defaults={**item, "state": PublicationState.PUBLISHED, "created_by": author},
        )
        method.facilitation_formats.set(_vocabulary_ids(models.FacilitationFormat, formats))
        method.themes.set(_vocabulary_ids(Theme, themes))


def initiative_data(item: dict) -> dict:
    """Turn a demo entry into a snapshot (names and slugs resolved to ids)."""
    data = empty_snapshot()
    vocabulary_models = {
        name: models.vocabulary_model(name)
        for name in models.INITIATIVE_VOCABULARIES
        if name != "methods"  # named by their slugs
    }
    for key, value in item.items():
        if key in vocabulary_models:
            data[key] = _vocabulary_ids(vocabulary_models[key], value)
        elif key == "methods":
            data[key] = _slug_ids(models.Method, value)
        elif not key.startswith("_"):
            data[key] = value
    leads = _slug_ids(Organisation, item.get("_org", []))
    data["lead_organisations"] = leads
    data["partners"] = _slug_ids(Organisation, item.get("_partners", []))
    data["contacts"] = _slug_ids(Person, item.get("_contacts", []))
    commune = (
        Organisation.objects.filter(pk__in=leads, commune__isnull=False)
        .values_list("commune_id", flat=True)
        .first()
    )
    if commune and item.get("scale") not in {"department", "region"}:
        data["commune"] = commune
    elif item.get("_department"):
        data["department"] = (
            Department.objects.filter(pk=item["_department"]).values_list("pk", flat=True).first()
        )
    return data


def load_initiatives(*, publisher, editor) -> int:
    count = 0
    for item in INITIATIVES:
        if models.Initiative.objects.filter(title=item["title"]).exists():
            continue
        initiative_save_revision(
            data=initiative_data(item),
            author=publisher,
            publisher=publisher,
            message="Fiche créée à partir des documents du réseau",
        )
        count += 1
    for title, changes, message in EDITS:
        initiative = models.Initiative.objects.filter(title=title).first()
        if initiative and initiative.revisions.count() == 1:
            initiative_save_revision(
                initiative=initiative,
                data=changes,
                author=editor,
                publisher=publisher,
                message=message,
            )
    return count


def load_pending_proposal(author) -> None:
    """A member's proposal waiting for a moderator (submitted without sending e-mails)."""
    title = "La coopération entre élus et citoyens à Sailly-lez-Lannoy"
    if models.InitiativeProposal.objects.filter(data__title=title).exists():
        return
    proposal = proposal_services.proposal_create(author=author)
    data = initiative_data(
        {
            "title": title,
            "summary": "Une commune du Nord qui mise sur la confiance et la transparence pour "
            "coopérer avec ses habitants sur les transitions.",
            "description": "Martha Bozek, adjointe au maire de Sailly-lez-Lannoy, a témoigné "
            "lors de la journée régionale des Territoires participatifs (Arras, 13 avril "
            "2023).",
            "lessons": "« Il y a un départ important à la coopération : c'est la confiance, la "
            "transparence. Le discours des élu·es doit être très clair dès le début ! La "
            "communication est aussi essentielle : il faut montrer tout ce que l'on fait en "
            "termes de participation citoyenne, le moindre geste, même ce qui semble "
            "anodin. » (Martha Bozek)",
            "scale": "commune",
            "themes": ["Transition écologique", "Participation citoyenne"],
            "target_publics": ["Habitants", "Élus"],
            "organiser_types": ["Commune"],
            "_org": ["ville-de-sailly-lez-lannoy"],
            "_contacts": ["martha-bozek"],
        }
    )
    proposal_services.proposal_save_step(proposal=proposal, step=5, data=data)
    models.InitiativeProposal.objects.filter(pk=proposal.pk).update(
        state=models.ProposalState.SUBMITTED,
        message="Témoignage de la journée d'Arras",
        submitted_at=datetime.datetime.now(datetime.UTC),
    )
    models.ProposalComment.objects.create(
        proposal=proposal,
        author=author,
        action=models.ProposalComment.Action.SUBMITTED,
        body="Témoignage de la journée d'Arras",
    )


def load(stdout=None) -> None:
    User = get_user_model()
    moderator = (
        User.objects.filter(email=DEMO_MODERATOR_EMAIL).first()
        or User.objects.filter(email=DEMO_STAFF_EMAIL).first()
    )
    member = User.objects.filter(email=DEMO_MEMBER_EMAIL).first() or moderator
    load_vocabularies()
    load_methods(moderator)
    count = load_initiatives(publisher=moderator, editor=member)
    if member:
        load_pending_proposal(member)
    _write(
        stdout,
        f"Observatory: {count} initiatives, {len(METHODS)} methods, 1 contribution to review.\n",
    )
