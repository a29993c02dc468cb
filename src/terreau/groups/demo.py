"""Demo data from seed 003: the two 2013–2014 exchange groups, Est and Ouest, with their
members, a year of monthly meetings from 17 May 2013 (the first at the regional council's
seat in Lille, then across each zone), attendance with some absences, the minutes of the
first meetings, a citizens' meeting and a production.

Members come from the 2013 call's selection, which the calls' demo confirms and splits into
its Est and Ouest groups (the call group of the same zone, 14 people each, no welcome
e-mail); without the calls module they are synthetic people of the demo directory.
Facilitators and one member have demo accounts (README's password).
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from terreau.core.demo import DEMO_MEMBER_EMAIL, DEMO_PASSWORD, DEMO_STAFF_EMAIL
from terreau.directory.models import ActorCategory, Membership, Organisation, Person
from terreau.directory.services import membership_create, person_create
from terreau.events.models import Venue
from terreau.events.services.onsite import attendance_check_in
from terreau.territories.models import Commune, Zone

from . import services
from .models import ExchangeGroup, Excuse, MemberRole, ProductionKind

START = dt.date(2013, 5, 1)
END = dt.date(2014, 4, 30)
FIRST = dt.date(2013, 5, 17)

DESCRIPTION = (
    "Un des deux groupes du dispositif d'échanges de pratiques de démocratie participative "
    "du Conseil régional Nord-Pas de Calais (appel à candidatures de 2013). De mai 2013 à "
    "avril 2014, 12 à 15 acteurs — professionnel·les, élu·es, bénévoles, d'associations, de "
    "collectivités, d'organismes publics ou d'entreprises — se retrouvent une journée par "
    "mois (9h30-16h30), chaque fois dans un lieu différent du territoire.\n\n"
    "Les objectifs : **alimenter et questionner** les pratiques des participant·es, **se "
    "qualifier mutuellement**, **décloisonner les catégories d'acteurs et les cultures**, "
    "**faire réseau**, **réfléchir collectivement** à des questions d'éducation politique et "
    "d'éducation populaire, **enrichir la politique régionale**.\n\n"
    "Il s'agit bien d'un groupe d'échanges de pratiques et non d'une formation : le groupe "
    "produit des éléments sur ses travaux, qui pourront constituer une contribution au 3e "
    "Forum régional Démocratie participative de mai 2014."
)
CHARTER = (
    "En rejoignant le groupe d'échanges, je m'engage :\n\n"
    "- à y participer **en mon nom propre**, avec l'accord de ma structure pour y consacrer "
    "mon temps de travail ;\n"
    "- à être **présent·e à l'ensemble des rencontres** de l'année, et à prévenir "
    "l'animateur·rice avant une rencontre si je ne peux pas venir ;\n"
    "- à partager mes expériences, mes réussites comme mes difficultés, et à écouter celles "
    "des autres sans jugement ;\n"
    "- à respecter la confidentialité de ce qui se dit dans le groupe, sauf ce que le groupe "
    "décide de publier ;\n"
    "- à contribuer aux productions du groupe."
)
THEMES = (
    "Le sens de la participation : pourquoi associer les habitant·es ?\n"
    "Mobiliser les publics éloignés de la participation\n"
    "Les postures de l'animateur·rice et de l'élu·e\n"
    "Rendre compte : que deviennent les avis des habitant·es ?\n"
    "Évaluer une démarche participative\n"
    "Éducation populaire et éducation politique"
)

# Venues across each zone after the first meeting at the regional council (name, commune).
VENUES = {
    "est": [
        ("Centre social La Bourgogne", "Tourcoing"),
        ("Mairie de Raismes", "Raismes"),
        ("Maison des associations", "Roubaix"),
        ("Centres sociaux de Valenciennes", "Valenciennes"),
        ("Mairie de Sailly-lez-Lannoy", "Sailly-lez-Lannoy"),
        ("Hôtel de ville", "Douai"),
        ("Maison de l'intercommunalité", "Cambrai"),
        ("Espace Gérard Philipe", "Maubeuge"),
        ("Université de Lille, campus cité scientifique", "Villeneuve-d'Ascq"),
        ("Salle des fêtes", "Hénin-Beaumont"),
        ("Maison du Parc naturel régional", "Avesnes-sur-Helpe"),
    ],
    "ouest": [
        ("Cerdd, base du 11/19", "Loos-en-Gohelle"),
        ("Communauté d'agglomération de Lens-Liévin", "Liévin"),
        ("Maison des sociétés", "Arras"),
        ("Centre culturel", "Béthune"),
        ("Maison de l'habitant", "Saint-Omer"),
        ("Maison de quartier du Chemin Vert", "Boulogne-sur-Mer"),
        ("Maison pour tous", "Calais"),
        ("Halle aux sucres", "Dunkerque"),
        ("Théâtre municipal", "Montreuil"),
        ("Salle polyvalente", "Saint-Pol-sur-Ternoise"),
        ("Centre socioculturel", "Hazebrouck"),
    ],
}

# Synthetic members: first name, last name, actor category, function, organisation slug.
MEMBERS = {
    "est": [
        ("Claire", "Vandamme", "public_staff", "Chargée de démocratie locale", "ville-de-raismes"),
        ("Mehdi", "Belkacem", "association_staff", "Animateur", "centre-social-la-bourgogne"),
        (
            "Sylvie",
            "Delannoy",
            "elected",
            "Adjointe à la vie des quartiers",
            "ville-de-sailly-lez-lannoy",
        ),
        ("Thomas", "Lemaire", "association_staff", "Coordinateur", "centres-sociaux-valenciennes"),
        (
            "Aurélie",
            "Dufour",
            "public_staff",
            "Chargée de mission participation",
            "departement-du-nord",
        ),
        ("Karim", "Haddad", "volunteer", "Membre du conseil de quartier", ""),
        (
            "Isabelle",
            "Caron",
            "researcher",
            "Doctorante en science politique",
            "universite-de-lille",
        ),
        ("Julien", "Masson", "association_staff", "Architecte", "saprophytes"),
        (
            "Nathalie",
            "Duhamel",
            "citizen",
            "Habitante, collectif de quartier",
            "collectif-bw-friches",
        ),
        ("Pierre", "Wattiez", "elected", "Conseiller municipal délégué", ""),
        ("Leïla", "Mansouri", "public_staff", "Agente de développement local", ""),
        ("François", "Leroy", "association_staff", "Directeur", "irev"),
        ("Émilie", "Deschamps", "volunteer", "Bénévole, association de locataires", ""),
    ],
    "ouest": [
        ("Sandrine", "Lefort", "public_staff", "Chargée de concertation", "ca-lens-lievin"),
        ("Bruno", "Delattre", "elected", "Maire adjoint", ""),
        ("Caroline", "Fournier", "association_staff", "Animatrice", "cerdd"),
        ("Yacine", "Bensaïd", "association_staff", "Coordinateur", "universite-des-compagnons"),
        ("Martine", "Houzé", "volunteer", "Présidente d'association", ""),
        ("Olivier", "Verhaeghe", "public_staff", "Chef de projet politique de la ville", ""),
        ("Hélène", "Bocquet", "citizen", "Membre d'un conseil citoyen", ""),
        ("David", "Lenglet", "association_staff", "Éducateur populaire", ""),
        ("Agnès", "Pruvost", "public_staff", "Chargée de mission jeunesse", ""),
        ("Samir", "Ould-Ali", "volunteer", "Bénévole, centre social", ""),
        ("Laurence", "Merlin", "elected", "Conseillère communautaire", ""),
        ("Vincent", "Bouchez", "consultant", "Consultant en concertation", ""),
    ],
}
FACILITATORS = {
    "est": ("Anne", "Vasseur", "animation.est@terreau.localhost"),
    "ouest": ("Marc", "Dumont", "animation.ouest@terreau.localhost"),
}
# Meetings a member missed (meeting numbers), with an excuse or not.
ABSENT = {"est": {5: [3, 4], 8: [3]}, "ouest": {2: [2], 7: [3, 4], 9: [2]}}
EXCUSED = {"est": {3: [2], 11: [4]}, "ouest": {4: [3]}}
MINUTES = {
    1: (
        "Interconnaissance et attentes",
        "## Accueil\n\nAccueil par le chargé de mission démocratie participative du Conseil "
        "régional, présentation du dispositif et de ses objectifs.\n\n## Tour de table\n\n"
        "Chacun·e présente sa structure, sa démarche participative et ce qu'il ou elle attend "
        "du groupe : *sortir de l'isolement*, *prendre du recul*, *découvrir d'autres façons "
        "de faire*.\n\n## Suite\n\nLe groupe choisit les thèmes de l'année et adopte sa "
        "charte.",
    ),
    2: (
        "Le sens de la participation",
        "## Pourquoi associer les habitant·es ?\n\nÉchanges à partir de deux expériences "
        "présentées par des membres du groupe. Trois tensions repérées : l'information ou la "
        "décision, le temps de l'institution et celui des habitant·es, la représentativité.\n\n"
        "## À retenir\n\n- dire dès le départ ce qui est négociable et ce qui ne l'est pas ;\n"
        "- rendre compte de ce que deviennent les avis.",
    ),
    3: (
        "Mobiliser les publics éloignés",
        "## Aller vers\n\nPorte-à-porte, permanences en pied d'immeuble, ateliers "
        "itinérants : les membres comparent leurs manières d'aller vers les personnes qui ne "
        "viennent jamais aux réunions publiques.",
    ),
}
EXPERIENCES = {
    "est": {2: ["Conseils de quartier de Raismes"], 3: ["Ateliers itinérants de la Bourgogne"]},
    "ouest": {2: ["Concertation sur le plan climat de Lens-Liévin"], 3: []},
}


def _write(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _commune(name: str):
    return Commune.objects.filter(name=name, department__in=("59", "62")).first()


def _venue(name: str, commune_name: str, address: str = "") -> Venue:
    commune = _commune(commune_name)
    venue, _created = Venue.objects.get_or_create(
        name=name, defaults={"address": address, "commune": commune}
    )
    return venue


def _account(email: str, first_name: str, last_name: str):
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


def _person(first_name, last_name, category, title, email, *, user=None, organisation=None):
    person = Person.objects.filter(email=email).first()
    if person is None:
        person = person_create(
            first_name=first_name,
            last_name=last_name,
            title=title,
            actor_category=category or ActorCategory.OTHER,
            email=email,
            phone="03 20 00 00 00",
        )
    if user is not None and person.user_id is None:
        person.user = user
        person.save(update_fields=["user"])
    if (
        organisation is not None
        and not Membership.objects.filter(person=person, organisation=organisation).exists()
    ):
        membership_create(person=person, organisation=organisation, role=title)
    return person


def _email(first_name: str, last_name: str) -> str:
    from django.utils.text import slugify

    return f"{slugify(first_name)}.{slugify(last_name)}@exemple.org"


try:
    from terreau.calls.models import ApplicationState, CallGroup
except ImportError:  # a site without the calls module
    ApplicationState = CallGroup = None


def _selected_call_group(side: str):
    """The demo call's group of this zone once its selection is confirmed and formed."""
    if CallGroup is None:
        return None
    return (
        CallGroup.objects.filter(
            zone__slug=side,
            exchange_group__isnull=True,
            members__application__state=ApplicationState.SELECTED,
        )
        .select_related("call", "zone")
        .order_by("-call__closes_at")
        .first()
    )


def _load_group(side: str, staff, seat: Venue, stdout) -> ExchangeGroup:
    zone = Zone.objects.filter(slug=side).first()
    label = "Est" if side == "est" else "Ouest"
    group = services.group_create(
        name=f"Groupe d'échanges {label} 2013-2014",
        slug=f"groupe-echanges-{side}-2013-2014",
        zone=zone,
        starts_on=START,
        ends_on=END,
        description=DESCRIPTION,
        charter=CHARTER,
        themes_planned=THEMES,
    )
    first_name, last_name, email = FACILITATORS[side]
    facilitator_user = _account(email, first_name, last_name)
    facilitator = _person(
        first_name,
        last_name,
        ActorCategory.CONSULTANT,
        "Professionnelle de la participation, animatrice mandatée par le Conseil régional"
        if side == "est"
        else "Professionnel de la participation, animateur mandaté par le Conseil régional",
        email,
        user=facilitator_user,
    )
    services.membership_add(
        group=group, person=facilitator, role=MemberRole.FACILITATOR, joined_on=START
    )
    organisations = Organisation.objects.in_bulk(
        [row[4] for row in MEMBERS[side] if row[4]], field_name="slug"
    )
    memberships = []
    people = list(MEMBERS[side])
    call_group = _selected_call_group(side)
    member_selected = False
    if call_group is not None:
        _group, memberships = services.members_from_call_selection(
            call=call_group.call, call_group=call_group, group=group, joined_on=START, notify=False
        )
        for membership in memberships:
            if membership.person.email == DEMO_MEMBER_EMAIL:
                continue  # the demo member has yet to accept the charter
            membership.charter_accepted_at = timezone.make_aware(dt.datetime(2013, 5, 17, 10))
            membership.save(update_fields=["charter_accepted_at"])
        people = []
        member_selected = call_group.call.applications.filter(
            state=ApplicationState.SELECTED, applicant_email__iexact=DEMO_MEMBER_EMAIL
        ).exists()
    if side == "est" and not member_selected:
        # The demo member's account takes part in the Est group.
        people.append(("Nadia", "Membre", "public_staff", "Agente de développement social", ""))
    for first, last, category, title, org_slug in people:
        is_demo = (first, last) == ("Nadia", "Membre")
        email = DEMO_MEMBER_EMAIL if is_demo else _email(first, last)
        user = get_user_model().objects.filter(email=DEMO_MEMBER_EMAIL).first() if is_demo else None
        person = _person(
            first,
            last,
            category,
            title,
            email,
            user=user,
            organisation=organisations.get(org_slug),
        )
        membership = services.membership_add(
            group=group, person=person, joined_on=START, notify=False
        )
        if not is_demo:
            services.charter_accept(membership=membership, accepted=True)
            membership.charter_accepted_at = timezone.make_aware(dt.datetime(2013, 5, 17, 10))
            membership.save(update_fields=["charter_accepted_at"])
        memberships.append(membership)
    venues = [_venue(name, commune) for name, commune in VENUES[side]]
    meetings = services.meetings_plan_year(
        group=group, first=FIRST, venues=venues, first_venue=seat, notify=False
    )
    _attendance(side, meetings, memberships, facilitator_user)
    for number, (theme, body) in MINUTES.items():
        meeting = meetings[number - 1]
        minutes = services.minutes_save(
            meeting=meeting,
            body=body,
            themes_worked=theme,
            new_experiences=EXPERIENCES[side].get(number, []),
            by=facilitator_user,
        )
        services.minutes_publish(
            minutes=minutes, by=facilitator_user, is_public=number == 1, notify=False
        )
    _write(
        stdout,
        f"Groups: {group.name}, {len(memberships)} members, {len(meetings)} meetings.\n",
    )
    return group


def _attendance(side, meetings, memberships, by) -> None:
    """Meetings so far: members checked in at the door (events' check-in), some excused,
    some absent; attendance then taken from the check-in."""
    members = [m for m in memberships if m.charter_accepted_at is not None]
    for meeting in meetings:
        if meeting.event.starts_at > timezone.now():
            continue
        absent = {members[i].pk for i in ABSENT[side].get(meeting.number, [])}
        excused = {members[i].pk for i in EXCUSED[side].get(meeting.number, [])}
        for membership in excused:
            Excuse.objects.get_or_create(
                meeting=meeting,
                membership_id=membership,
                defaults={"reason": "Réunion de service ce jour-là."},
            )
        day = meeting.event.days.get()
        registrations = {
            r.person_id: r for r in meeting.event.registrations.select_related("person")
        }
        for membership in memberships:
            if membership.pk in absent or membership.pk in excused:
                continue
            registration = registrations.get(membership.person_id)
            if registration is None:
                continue
            for half in ("am", "pm"):
                attendance_check_in(registration=registration, day=day, half=half, by=by)
        services.attendance_from_checkin(meeting=meeting, by=by)


def load(stdout=None) -> None:
    if ExchangeGroup.objects.filter(slug="groupe-echanges-est-2013-2014").exists():
        _write(stdout, "Groups: already loaded.\n")
        return
    staff = get_user_model().objects.filter(email=DEMO_STAFF_EMAIL).first()
    seat = Venue.objects.filter(address__icontains="Hoover").first() or _venue(
        "Conseil régional Nord-Pas de Calais — siège",
        "Lille",
        "151 avenue du Président Hoover, 59555 Lille Cedex",
    )
    est = _load_group("est", staff, seat, stdout)
    ouest = _load_group("ouest", staff, seat, stdout)
    services.citizens_meeting_create(
        group=est,
        title="Rencontre citoyenne : la participation, pour quoi faire ?",
        date=dt.date(2013, 11, 28),
        venue=_venue("Maison de quartier Wazemmes", "Lille"),
        summary=(
            "Le groupe d'échanges Est met en débat ses réflexions avec d'autres publics : "
            "habitant·es, élu·es, associations."
        ),
        description=(
            "Première des deux rencontres citoyennes de l'année : le groupe présente ce "
            "qu'il a appris de ses échanges et en débat avec la salle."
        ),
    )
    facilitator = get_user_model().objects.get(email=FACILITATORS["est"][2])
    production = services.production_save(
        group=est,
        title="Contribution du groupe Est au 3e Forum régional Démocratie participative",
        kind=ProductionKind.FORUM_CONTRIBUTION,
        summary=(
            "Ce que le groupe d'échanges Est retient de son année : le sens de la participation, "
            "aller vers les publics éloignés, rendre compte."
        ),
        body=(
            "## Ce que nous avons appris\n\n- dire ce qui est négociable ;\n- aller vers ;\n"
            "- rendre compte de ce que deviennent les avis."
        ),
        by=facilitator,
    )
    services.production_publish(production=production, by=facilitator)
    services.production_save(
        group=ouest,
        title="Synthèse des échanges du groupe Ouest",
        kind=ProductionKind.SYNTHESIS,
        summary="Brouillon de la synthèse de l'année du groupe Ouest.",
        by=get_user_model().objects.get(email=FACILITATORS["ouest"][2]),
    )
    _write(stdout, "Groups: one citizens' meeting, two productions.\n")
