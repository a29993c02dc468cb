"""Demo resources: the seed documents themselves, as the network's library holds them.

Each seed is a document of the network: the IREV's news item announcing the first cooperative
worksite (seed 000, 29 September 2015), the programme of the IREV regional day in Liévin
(seed 001), the Cerdd's account of the Territoires participatifs day in Arras (seed 002, page
dated 11 May 2023), the regional council's call for applications to the practice-exchange
groups (seed 003, 2013) and the invitation and programme of the Lille national meetings (seed
004). Bodies are the seeds' own text (web-page chrome and personal contact details left out),
in `data/demo/`. Dates are only those the documents carry; the others stay empty.

Runs after the observatory's and the events' demo parts (INSTALLED_APPS order): initiatives,
events and organisations are looked up by slug, and a missing one is skipped.
"""

import datetime as dt
from pathlib import Path

from django.utils.text import slugify

from terreau.core.models import Theme
from terreau.directory.models import Organisation
from terreau.events.demo import ARRAS_SLUG, LIEVIN_SLUG, LILLE_SLUG, PRESENTED_INITIATIVES
from terreau.events.models import Event
from terreau.observatory.models import Initiative

from . import services
from .models import NewsKind, Resource, ResourceKind, ResourceState

DOCUMENTS_DIR = Path(__file__).resolve().parent / "data" / "demo"
CHANTIER_INITIATIVES = [
    "lexpression-en-assemblee-populaire-a-etouvie",
    "les-habitants-dans-le-projet-urbain-de-fives",
    "comment-developper-le-pouvoir-dagir-les-centres-sociaux-du-valenciennois",
]

# slug, body file, kind, title, summary, date, themes (French names), organisation slugs,
# initiative slugs, event slugs, external link
DOCUMENTS = [
    {
        "slug": "regard-sur-des-initiatives-citoyennes-2015",
        "body": "000-regard-sur-des-initiatives-citoyennes-2015.md",
        "kind": ResourceKind.NEWS,
        "title": "Regard sur des initiatives citoyennes permettant de favoriser l'implication "
        "de tous dans le débat public",
        "summary": "L'Espace de coopération entre acteurs et chercheurs en démocratie "
        "participative ouvre son premier chantier (octobre 2015 – janvier 2016) : trois "
        "soirées pour discuter trois initiatives citoyennes, à Etouvie (Amiens), à Fives "
        "(Lille) et dans le Valenciennois.",
        "published_on": dt.date(2015, 9, 29),
        "themes": ["Participation citoyenne", "Pouvoir d'agir", "Initiatives citoyennes"],
        "organisations": ["irev", "espace-de-cooperation"],
        "initiatives": CHANTIER_INITIATIVES,
        "events": [],
        "external_url": "https://www.irev.fr/actualites-0/regard-sur-des-initiatives-citoyennes-"
        "permettant-de-favoriser-limplication-de-tous-dans",
    },
    {
        "slug": "programme-journee-regionale-initiatives-citoyennes-lievin-2021",
        "body": "001-programme-journee-regionale-lievin-2021.md",
        "kind": ResourceKind.PROGRAMME,
        "title": "Journée régionale « Initiatives citoyennes : de l'émergence au développement "
        "du territoire » : programme",
        "summary": "Programme prévisionnel de la journée régionale de l'IREV du 30 septembre "
        "2021 à Liévin, qui met en débat son appel à l'expérimentation de nouvelles pratiques "
        "consacré aux initiatives citoyennes : une table ronde et quatre ateliers d'échange et "
        "de contribution.",
        "published_on": None,
        "themes": [
            "Initiatives citoyennes",
            "Politique de la ville",
            "Quartiers prioritaires",
            "Plateformes participatives",
        ],
        "organisations": ["irev"],
        "initiatives": PRESENTED_INITIATIVES[LIEVIN_SLUG],
        "events": [LIEVIN_SLUG],
        "external_url": "",
    },
    {
        "slug": "retour-journee-territoires-participatifs-arras-2023",
        "body": "002-retour-journee-territoires-participatifs-arras-2023.md",
        "kind": ResourceKind.REPORT,
        "title": "Retour sur la deuxième journée régionale du réseau des Territoires participatifs",
        "summary": "Le 13 avril 2023 à Arras, 35 membres du réseau régional des Territoires "
        "participatifs ont partagé actualités et expériences, débattu des coopérations au "
        "service des transitions et travaillé six besoins en ateliers de co-développement.",
        # The page's only date: "mis à jour le 11 mai 2023".
        "published_on": dt.date(2023, 5, 11),
        "themes": [
            "Participation citoyenne",
            "Transition écologique",
            "Tiers-lieux",
            "Communs",
        ],
        "organisations": ["cerdd"],
        "initiatives": PRESENTED_INITIATIVES[ARRAS_SLUG],
        "events": [ARRAS_SLUG],
        "external_url": "",
    },
    {
        "slug": "appel-a-candidatures-echanges-de-pratiques-2013",
        "body": "003-appel-a-candidatures-echanges-de-pratiques-2013.md",
        "kind": ResourceKind.CALL,
        "title": "Dispositif d'échanges de pratiques de démocratie participative : appel à "
        "candidatures",
        "summary": "Le Conseil régional Nord-Pas de Calais appelle des acteurs de la démocratie "
        "participative à former deux groupes d'échanges de pratiques (Est et Ouest), de 12 à 15 "
        "membres, réunis une journée par mois de mai 2013 à avril 2014.",
        "published_on": None,
        "themes": ["Participation citoyenne", "Culture professionnelle de la participation"],
        "organisations": ["conseil-regional", "conseil-regional-dd"],
        "initiatives": ["dispositif-dechanges-de-pratiques-de-democratie-participative"],
        "events": [],
        "external_url": "",
    },
    {
        "slug": "programme-rencontres-nationales-lille-2014",
        "body": "004-programme-rencontres-nationales-lille-2014.md",
        "kind": ResourceKind.PROGRAMME,
        "title": "Rencontres nationales des professionnels de la démocratie participative "
        "(Lille, 18 et 19 novembre 2014) : invitation et programme",
        "summary": "Invitation et programme des deuxièmes Rencontres nationales des "
        "professionnels de la démocratie participative, accueillies par le Département du "
        "Nord avec l'Institut de la Concertation et le CNFPT à la Halle aux Sucres de Lille.",
        "published_on": None,
        "themes": [
            "Culture professionnelle de la participation",
            "Concertation",
            "Conseils citoyens",
            "Garants et chartes de la participation",
            "Évaluation de la participation",
            "Finances locales",
            "Ressources humaines",
            "Numérique",
        ],
        "organisations": ["departement-du-nord", "institut-de-la-concertation", "cnfpt"],
        "initiatives": PRESENTED_INITIATIVES[LILLE_SLUG],
        "events": [LILLE_SLUG],
        "external_url": "",
    },
]

# The publications the Arras day's account (seed 002) and the Liévin day's page (seed 001) name:
# titles, publishers and months as the seeds give them; no text of theirs is in the seeds.
PUBLICATIONS = [
    {
        "slug": "oser-la-participation-le-pouvoir-dagir-au-service-du-bien-commun",
        "kind": ResourceKind.INTERVIEW,
        "title": "Oser la participation ! Le pouvoir d'agir au service du bien commun",
        "summary": "Interview du collectif des Saprophytes, publiée par le Cerdd, qui s'interroge "
        "sur le pouvoir d'agir des citoyens.",
        "themes": ["Participation citoyenne", "Pouvoir d'agir"],
        "organisations": ["cerdd", "saprophytes"],
    },
    {
        "slug": "le-petit-manuel-de-survie-pour-les-elues-en-transitions",
        "kind": ResourceKind.GUIDE,
        "title": "Le petit manuel de survie pour les élu·es en transitions",
        "summary": "Manuel édité par La 27e Région en décembre 2022, présenté à la journée "
        "régionale des Territoires participatifs à Arras.",
        "themes": ["Transition écologique", "Participation citoyenne"],
        "organisations": ["la-27e-region"],
    },
    {
        "slug": "initiatives-citoyennes-de-lemergence-au-developpement-du-territoire",
        "kind": ResourceKind.PUBLICATION,
        "title": "Initiatives citoyennes : de l'émergence au développement du territoire — "
        "Retour de terrain et appel à l'expérimentation de nouvelles pratiques",
        "summary": "Appel publié par l'IREV en juin 2021, fruit d'une démarche collective menée "
        "de juin 2020 à mars 2021 sur quatre initiatives régionales : les enjeux de la "
        "mobilisation des habitants et de la prise d'initiative dans les quartiers de la "
        "politique de la ville.",
        "themes": ["Initiatives citoyennes", "Politique de la ville", "Quartiers prioritaires"],
        "organisations": ["irev"],
    },
]

# The seeds' attachments, rebuilt (demo_files): resource slug → (title, file name, builder).
NEWS_KINDS = {"regard-sur-des-initiatives-citoyennes-2015": NewsKind.REGIONAL}


def _ids(model, field: str, values) -> list[int]:
    return list(model.objects.filter(**{f"{field}__in": list(values)}).values_list("pk", flat=True))


def load_document(item: dict) -> Resource | None:
    """Create one seed document as a published resource; None when it is already there."""
    if Resource.objects.filter(slug=item["slug"]).exists():
        return None
    return services.resource_create(
        slug=item["slug"],
        title=item["title"],
        kind=item["kind"],
        summary=item["summary"],
        body=(DOCUMENTS_DIR / item["body"]).read_text(encoding="utf-8").strip(),
        published_on=item["published_on"],
        external_url=item["external_url"],
        state=ResourceState.PUBLISHED,
        themes=_ids(Theme, "slug", (slugify(name) for name in item["themes"])),
        organisations=_ids(Organisation, "slug", item["organisations"]),
        initiatives=_ids(Initiative, "slug", item["initiatives"]),
        events=_ids(Event, "slug", item["events"]),
    )


# Co-development: the needs worked at the Arras day (seed 002). The account names six and
# quotes four ("…"): the four it quotes, each taken to the co-development session of the same
# title in the day's programme (events demo).
ARRAS_NEEDS = [
    (
        "Comment renforcer le dialogue entre un collectif citoyen d'une commune et une mairie ?",
        ["Participation citoyenne", "Initiatives citoyennes"],
    ),
    (
        "Comment amener l'envie de concerter sur un projet de ZAC ?",
        ["Concertation", "Participation citoyenne"],
    ),
    (
        "Comment relancer un système d'échange local qui s'endort petit à petit ?",
        ["Initiatives citoyennes", "Communs"],
    ),
    (
        "Comment convaincre des élu·es que la participation sur un Plan Climat n'est pas qu'une "
        "obligation réglementaire ?",
        ["Transition écologique", "Participation citoyenne"],
    ),
]
NEWSLETTER_SUBSCRIBERS = [
    # (address, state): demo accounts' addresses, and one that never confirmed.
    ("membre@terreau.localhost", "confirmed"),
    ("moderation@terreau.localhost", "confirmed"),
    ("abonnee@terreau.localhost", "confirmed"),
    ("en-attente@terreau.localhost", "pending"),
]


def _attachments() -> dict:
    from . import demo_files as files

    body = {item["slug"]: item["body"] for item in DOCUMENTS}

    def markdown(slug, title):
        text = (DOCUMENTS_DIR / body[slug]).read_text(encoding="utf-8")
        return lambda: files.pdf_from_markdown(text, title=title)

    return {
        "regard-sur-des-initiatives-citoyennes-2015": [
            (
                "Invitation Chantier coopératif",
                "invitation_chantier_cooperatif.pdf",
                lambda: files.pdf_from_html(files.WORKSITE_INVITATION, title="Invitation"),
            ),
            (
                "Bulletin d'inscription au chantier coopératif",
                "bulletin_dinscription_chantier_cooperatif.docx",
                lambda: files.docx(*files.WORKSITE_FORM),
            ),
        ],
        "programme-journee-regionale-initiatives-citoyennes-lievin-2021": [
            (
                "Programme prévisionnel de la journée régionale",
                "programme_journee_regionale_lievin_2021.pdf",
                markdown(
                    "programme-journee-regionale-initiatives-citoyennes-lievin-2021",
                    "Initiatives citoyennes : de l'émergence au développement du territoire",
                ),
            )
        ],
        "appel-a-candidatures-echanges-de-pratiques-2013": [
            (
                "Appel à candidatures",
                "appel_a_candidatures_echanges_de_pratiques_2013.pdf",
                markdown(
                    "appel-a-candidatures-echanges-de-pratiques-2013",
                    "Dispositif d'échanges de pratiques de démocratie participative",
                ),
            ),
            (
                "Formulaire de candidature",
                "formulaire_de_candidature_2013.docx",
                lambda: files.docx(*files.CALL_FORM),
            ),
        ],
    }


def load_publications() -> int:
    created = 0
    for item in PUBLICATIONS:
        if Resource.objects.filter(slug=item["slug"]).exists():
            continue
        services.resource_create(
            slug=item["slug"],
            title=item["title"],
            kind=item["kind"],
            summary=item["summary"],
            state=ResourceState.PUBLISHED,
            themes=_ids(Theme, "slug", (slugify(name) for name in item["themes"])),
            organisations=_ids(Organisation, "slug", item["organisations"]),
        )
        created += 1
    return created


def load_files() -> int:
    """Attach the rebuilt files and extract their text and covers now (the demo has no worker
    running yet)."""
    from django.core.files.base import ContentFile

    from .services import resources as resource_services

    count = 0
    for slug, news_kind in NEWS_KINDS.items():
        Resource.objects.filter(slug=slug).update(news_kind=news_kind)
    for slug, files in _attachments().items():
        resource = Resource.objects.filter(slug=slug).first()
        if resource is None or resource.attachments.exists():
            continue
        for position, (title, name, build) in enumerate(files):
            attachment = resource_services.ResourceAttachment(
                resource=resource, title=title, position=position
            )
            attachment.file.save(name, ContentFile(build()), save=False)
            attachment.save()
            resource_services.attachment_extract(attachment=attachment)
            count += 1
    return count


def load_needs() -> int:
    from terreau.events.models import Session, SessionKind

    from .models import Need, NeedState
    from .services import codevelopment

    created = 0
    for title, themes in ARRAS_NEEDS:
        if Need.objects.filter(title=title).exists():
            continue
        need = codevelopment.need_create(
            author=None,
            author_name="Membre du réseau des Territoires participatifs",
            title=title,
            description="Besoin apporté à l'atelier de co-développement de la deuxième journée "
            "régionale du réseau des Territoires participatifs (Arras, 13 avril 2023).",
            themes=_ids(Theme, "slug", (slugify(name) for name in themes)),
        )
        session = Session.objects.filter(
            kind=SessionKind.CODEVELOPMENT, title=title, slot__day__event__slug=ARRAS_SLUG
        ).first()
        if session is not None:
            codevelopment.need_schedule(need=need, session=session)
        else:
            need.state = NeedState.OPEN
        created += 1
    return created


def load_newsletter() -> None:
    from .models import Issue, Subscriber
    from .selectors.newsletter import newsletter_candidates
    from .services import newsletter

    for address, state in NEWSLETTER_SUBSCRIBERS:
        Subscriber.objects.get_or_create(email=address, defaults={"state": state})
    if Issue.objects.exists():
        return
    # The seeds' dated documents, newest first, as staff would pick them.
    items = [
        item
        for item in newsletter_candidates(now=None, limit=30, since=None)
        if item["source"].startswith("resource:")
    ]
    newsletter.issue_create(
        subject="La lettre du réseau : retour sur la journée d'Arras",
        introduction="Le meilleur de l'information régionale sur la participation citoyenne : "
        "retour sur la deuxième journée régionale du réseau des Territoires participatifs, et "
        "les documents du réseau.",
        items=items,
    )


def link_resources() -> int:
    """The seeds' documents on the pages they belong to: the 2013 call and its application form
    on the call and its two exchange groups, the worksite's invitation on the worksite. The
    calls, groups and worksites demos load after this one: `load` runs this once they are
    committed (and it can run again: links are added once)."""
    from terreau.calls.models import Call
    from terreau.groups.models import ExchangeGroup
    from terreau.worksites.models import Worksite

    links = 0
    call_2013 = Resource.objects.filter(slug="appel-a-candidatures-echanges-de-pratiques-2013")
    for resource in call_2013:
        calls = Call.objects.filter(
            title="Dispositif d'échanges de pratiques de démocratie participative"
        )
        groups = ExchangeGroup.objects.filter(slug__endswith="-2013-2014")
        resource.calls.add(*calls)
        resource.groups.add(*groups)
        links += len(calls) + len(groups)
    for resource in Resource.objects.filter(slug="regard-sur-des-initiatives-citoyennes-2015"):
        worksites = Worksite.objects.filter(slug="initiatives-citoyennes-debat-public-2015")
        resource.worksites.add(*worksites)
        links += len(worksites)
    return links


def load(stdout=None) -> None:
    from django.db import transaction

    transaction.on_commit(link_resources)
    created = [resource for item in DOCUMENTS if (resource := load_document(item))]
    publications = load_publications()
    files = load_files()
    needs = load_needs()
    load_newsletter()
    if stdout:
        stdout.write(
            f"Library: {len(created)} resources from the seed documents, {publications} "
            f"publications, {files} attached files, {needs} co-development needs, a newsletter "
            "issue ready to send.\n"
        )
