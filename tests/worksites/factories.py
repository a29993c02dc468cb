"""Factories and a small world for the worksites tests: a worksite with one case (its
workshop and registrants) and a user per role."""

import datetime as dt
from dataclasses import dataclass

from terreau.events.models import EventKind
from terreau.worksites import services
from terreau.worksites.models import Case, Worksite
from tests.directory.factories import OrganisationFactory, PersonFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import UserFactory
from tests.observatory.factories import InitiativeFactory


def worksite_create(**fields) -> Worksite:
    defaults = {
        "question": "Initiatives citoyennes et débat public",
        "starts_on": dt.date(2015, 10, 1),
        "ends_on": dt.date(2016, 1, 31),
        "target_mix": {"elected": 25, "citizen": 25, "researcher": 25, "public_staff": 25},
        "convener": OrganisationFactory(name="Espace de coopération"),
    }
    return services.worksite_create(**{**defaults, **fields})


def case_create(
    worksite: Worksite, *, title: str = "", presenters=(), registrants: int = 3
) -> Case:
    workshop = EventFactory(kind=EventKind.EVENING_WORKSHOP)
    for index in range(registrants):
        RegistrationFactory(
            event=workshop, actor_category=["elected", "citizen", "researcher"][index % 3]
        )
    case = services.case_create(
        worksite=worksite,
        title=title or f"Cas {worksite.cases.count() + 1}",
        lead_organisation=OrganisationFactory(),
        initiative=InitiativeFactory(),
        presenters=presenters,
        workshop=workshop,
    )
    services.case_presentation_update(
        case=case, fields={"context": "Un quartier ; des habitants.", "choices": "Partir d'eux."}
    )
    return case


def user_with_person(**fields):
    user = UserFactory(**fields)
    person = PersonFactory(user=user, first_name=user.first_name, last_name=user.last_name)
    return user, person


@dataclass
class World:
    worksite: Worksite
    case: Case
    committee: object
    organiser: object
    participant: object
    outsider: object

    @property
    def report(self):
        return self.case.report

    @property
    def section(self):
        return self.case.report.sections.order_by("position").first()


def world_create() -> World:
    committee, committee_person = user_with_person()
    organiser, organiser_person = user_with_person()
    participant, participant_person = user_with_person()
    outsider, _person = user_with_person()
    worksite = worksite_create()
    services.committee_member_add(worksite=worksite, person=committee_person, role="chair")
    services.participant_add(worksite=worksite, person=participant_person, consents_to_listing=True)
    case = case_create(
        worksite, title="L'expression en assemblée populaire", presenters=[organiser_person]
    )
    section = case.report.sections.order_by("position").first()
    services.section_save(
        section=section,
        body="Le cas montre qu'une parole collective se construit dans la durée.",
        base_version=0,
        by=committee,
    )
    return World(worksite, case, committee, organiser, participant, outsider)
