"""Services: cases, presentations, sections (locking, revisions, restore), comments,
suggestions, report status and return, themes, syntheses, consent, edition requests."""

import pytest
from django.core.exceptions import ValidationError

from terreau.observatory.models import Initiative
from terreau.worksites import services
from terreau.worksites.models import (
    Comment,
    Edition,
    ReportStatus,
    SectionRevision,
    Suggestion,
)
from tests.directory.factories import OrganisationFactory
from tests.events.factories import EventFactory, RegistrationFactory

from .factories import case_create, worksite_create

pytestmark = pytest.mark.django_db


def test_a_case_creates_its_missing_initiative_report_and_three_sections():
    worksite = worksite_create()
    organisation = OrganisationFactory()
    case = services.case_create(
        worksite=worksite, title="Une expérience inédite", lead_organisation=organisation
    )
    initiative = Initiative.objects.get(pk=case.initiative_id)
    assert initiative.title == "Une expérience inédite"
    assert list(initiative.lead_organisations.all()) == [organisation]
    assert case.report.sections.count() == 3


def test_a_case_with_a_start_gets_an_evening_workshop_event():
    from django.utils import timezone

    worksite = worksite_create()
    start = timezone.now().replace(hour=19, minute=0, second=0, microsecond=0)
    case = services.case_create(
        worksite=worksite,
        title="Atelier",
        lead_organisation=OrganisationFactory(),
        workshop_starts_at=start,
    )
    assert case.workshop.kind == "evening_workshop"
    assert (case.workshop.ends_at - case.workshop.starts_at).seconds == 9000
    assert case.initiative in case.workshop.initiatives.all()


def test_the_presentation_is_sent_to_every_live_registrant(world, mailoutbox):
    RegistrationFactory(event=world.case.workshop, status="cancelled")
    count = services.case_presentation_send(case=world.case)
    assert count == 3 and len(mailoutbox) == 3
    assert "Un quartier" in mailoutbox[0].body
    world.case.refresh_from_db()
    assert world.case.presentation_sent_at is not None


def test_a_large_presentation_send_goes_through_the_task(
    world, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "INLINE_EMAIL_MAX", 2)
    with django_capture_on_commit_callbacks(execute=True):
        services.case_presentation_send(case=world.case)
    assert len(mailoutbox) == 3


def test_a_presentation_without_registrants_is_refused():
    worksite = worksite_create()
    case = case_create(worksite, registrants=0)
    with pytest.raises(ValidationError) as error:
        services.case_presentation_send(case=case)
    assert "workshop" in error.value.message_dict


def test_two_saves_from_the_same_version_the_second_is_refused_with_three_texts(world):
    section = world.section
    base = section.version
    services.section_save(section=section, body="Version A", base_version=base, by=world.committee)
    with pytest.raises(services.SectionConflict) as conflict:
        services.section_save(
            section=section, body="Version B", base_version=base, by=world.participant
        )
    assert conflict.value.base.startswith("Le cas montre")
    assert conflict.value.theirs == "Version A"
    assert conflict.value.yours == "Version B"
    section.refresh_from_db()
    assert section.body == "Version A" and section.version == base + 1


def test_every_save_is_a_revision_and_restore_makes_a_new_one(world):
    section = world.section
    first_body = section.body
    services.section_save(
        section=section, body="Deuxième", base_version=section.version, by=world.committee
    )
    revision = SectionRevision.objects.get(section=section, version=1)
    services.section_restore(section=section, revision=revision, by=world.participant)
    section.refresh_from_db()
    assert section.body == first_body and section.version == 3
    latest = section.revisions.first()
    assert latest.version == 3 and latest.author == world.participant
    assert "1" in latest.note
    assert section.revisions.count() == 3


def test_a_validated_report_cannot_be_edited(world):
    services.report_set_status(report=world.report, status=ReportStatus.IN_REVIEW)
    services.report_set_status(
        report=world.report, status=ReportStatus.VALIDATED, by=world.committee
    )
    with pytest.raises(ValidationError) as error:
        services.section_save(section=world.section, body="x", base_version=world.section.version)
    assert (
        "validated" in str(error.value.message_dict["body"]).lower()
        or error.value.message_dict["body"]
    )


def test_status_transitions_are_checked(world):
    with pytest.raises(ValidationError):
        services.report_set_status(report=world.report, status=ReportStatus.VALIDATED)
    report = services.report_set_status(report=world.report, status=ReportStatus.IN_REVIEW)
    report = services.report_set_status(
        report=report, status=ReportStatus.VALIDATED, by=world.committee
    )
    assert report.validated_by == world.committee
    report = services.report_set_status(report=report, status=ReportStatus.DRAFT)
    assert report.validated_at is None


def test_a_comment_follows_its_passage_and_says_when_it_is_gone(world):
    section = world.section
    comment = services.comment_add(
        section=section, body="Qui ?", quote="parole collective", by=world.participant
    )
    assert section.body[comment.start : comment.end] == "parole collective"
    services.section_save(
        section=section,
        body="Un ajout au début. " + section.body,
        base_version=section.version,
        by=world.committee,
    )
    comment.refresh_from_db()
    assert section.body[comment.start : comment.end] == "parole collective"
    assert not comment.is_passage_gone
    services.section_save(section=section, body="Tout a changé.", base_version=section.version)
    comment.refresh_from_db()
    assert comment.is_passage_gone and comment.quote == "parole collective"
    services.section_save(
        section=section, body="La parole collective revient.", base_version=section.version
    )
    comment.refresh_from_db()
    assert not comment.is_passage_gone


def test_a_comment_on_a_passage_that_is_not_there_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.comment_add(section=world.section, body="?", quote="absent", by=world.participant)
    assert "quote" in error.value.message_dict
    assert not Comment.objects.exists()


def test_replies_thread_under_their_comment_and_resolve(world):
    comment = services.comment_add(section=world.section, body="Une remarque", by=world.participant)
    reply = services.comment_add(
        section=world.section, body="Réponse", parent=comment, by=world.committee
    )
    assert reply.parent == comment
    with pytest.raises(ValidationError):
        services.comment_add(section=world.section, body="x", parent=reply, by=world.committee)
    services.comment_resolve(comment=comment, by=world.committee)
    comment.refresh_from_db()
    assert comment.is_resolved and comment.resolved_by == world.committee


def test_an_accepted_suggestion_replaces_its_passage_as_a_new_revision(world):
    suggestion = services.suggestion_add(
        section=world.section,
        quote="dans la durée",
        replacement="avec le temps",
        by=world.participant,
    )
    services.suggestion_accept(suggestion=suggestion, by=world.committee)
    world.section.refresh_from_db()
    assert "avec le temps" in world.section.body
    assert world.section.revisions.first().note
    with pytest.raises(ValidationError):
        services.suggestion_accept(suggestion=suggestion, by=world.committee)


def test_a_suggestion_whose_passage_is_gone_stays_pending(world):
    suggestion = services.suggestion_add(
        section=world.section, quote="dans la durée", replacement="vite", by=world.participant
    )
    services.section_save(
        section=world.section, body="Autre texte", base_version=world.section.version
    )
    with pytest.raises(ValidationError):
        services.suggestion_accept(suggestion=suggestion, by=world.committee)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.PENDING
    services.suggestion_reject(suggestion=suggestion, by=world.committee)
    suggestion.refresh_from_db()
    assert suggestion.status == Suggestion.Status.REJECTED


def test_return_to_participants_sends_the_validated_report_to_attendees(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    RegistrationFactory(event=world.case.workshop, attendance="no_show")
    with pytest.raises(ValidationError):
        services.report_return(report=world.report)
    services.report_set_status(report=world.report, status=ReportStatus.IN_REVIEW)
    report = services.report_set_status(report=world.report, status=ReportStatus.VALIDATED)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.report_return(report=report)
    assert count == 3 and len(mailoutbox) == 3
    assert "parole collective" in mailoutbox[0].body
    world.report.refresh_from_db()
    assert world.report.returned_at is not None


def test_theme_tags_need_a_passage_of_the_section(world):
    theme = services.theme_create(worksite=world.worksite, name="Aller vers")
    with pytest.raises(ValidationError):
        services.theme_create(worksite=world.worksite, name="aller vers")
    tag = services.theme_tag_add(
        theme=theme, section=world.section, quote="parole collective", by=world.committee
    )
    assert tag.theme == theme
    with pytest.raises(ValidationError):
        services.theme_tag_add(
            theme=theme, section=world.section, quote="absent", by=world.committee
        )


def test_synthesis_is_recorded_per_group(world):
    theme = services.theme_create(worksite=world.worksite, name="Élus")
    synthesis = services.synthesis_save(
        worksite=world.worksite, group_name="Groupe 1", theme=theme, body="Deux pistes."
    )
    assert synthesis.pk and world.worksite.syntheses.count() == 1
    with pytest.raises(ValidationError):
        services.synthesis_save(worksite=world.worksite, group_name="", body="x")


def test_consent_can_be_withdrawn(world):
    participant = world.worksite.participants.get(person__user=world.participant)
    services.participant_set_consent(participant=participant, consents=False)
    participant.refresh_from_db()
    assert not participant.consents_to_listing and participant.consent_changed_at


def test_no_edition_without_a_validated_report(world):
    with pytest.raises(ValidationError) as error:
        services.edition_request(worksite=world.worksite)
    assert "reports" in error.value.message_dict
    assert not Edition.objects.exists()


def test_text_with_a_nul_byte_is_refused(world):
    with pytest.raises(ValidationError):
        services.section_save(
            section=world.section, body="a\x00b", base_version=world.section.version
        )


def test_a_workshop_of_another_worksite_is_reused_not_copied():
    worksite = worksite_create()
    event = EventFactory(kind="evening_workshop")
    case = services.case_create(
        worksite=worksite, title="X", lead_organisation=OrganisationFactory(), workshop=event
    )
    assert case.workshop == event
