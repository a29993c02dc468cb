"""Who may do what with events: staff manage them, everyone sees published ones, registrants
change their own registration (reached through their signed personal link) while it is live.

Every check of this kind lives here, and views, services and templates ask these rules rather
than re-deriving them (see docs/events.md for the list).
"""

import rules

from terreau.accounts.rules import is_staff


@rules.predicate
def is_published(user, event) -> bool:
    return event is not None and event.state != "draft"


# A cancelled event stays visible (with its cancellation notice); drafts are staff-only.
rules.add_perm("events.view_event", is_published | is_staff)
rules.add_perm("events.manage_event", is_staff)


# On site and after: check-in, printed documents, attendance, certificates, outputs.


@rules.predicate
def is_session_reporter(user, session) -> bool:
    """One of the session's facilitators or reporters, signed in with their own account."""
    if session is None or not (user and user.is_authenticated):
        return False
    from terreau.events.selectors.onsite import session_can_report

    return session_can_report(user=user, session=session)


@rules.predicate
def is_door_delegate(user, event) -> bool:
    """Someone another app lets run the door of its event (a group's facilitator at its
    meetings: see `terreau.events.audiences`)."""
    from terreau.events.audiences import is_door_delegate as delegate

    return delegate(user, event)


rules.add_perm("events.check_in_registrants", is_staff | is_door_delegate)
rules.add_perm("events.register_walk_ins", is_staff)
rules.add_perm("events.print_badges", is_staff)
rules.add_perm("events.print_sign_in_sheets", is_staff | is_door_delegate)


@rules.predicate
def may_print_document(user, document) -> bool:
    """A prepared document (badges, sign-in sheet) is for those who may print it at its event."""
    if document is None:
        return False
    perm = "events.print_badges" if document.kind == "badges" else "events.print_sign_in_sheets"
    return user.has_perm(perm, document.event)


rules.add_perm("events.download_event_document", may_print_document)
rules.add_perm("events.close_attendance", is_staff)
rules.add_perm("events.send_certificates", is_staff)
rules.add_perm("events.manage_event_files", is_staff)
rules.add_perm("events.write_workshop_report", is_staff | is_session_reporter)
# Registration.
# Staff see and change registrations (table, export, e-mails, questions, survey results).
rules.add_perm("events.manage_registrations", is_staff)

# Registrants reach their own registration through their signed personal link, not an account:
# these rules say what the registration itself allows, whoever holds the link.


@rules.predicate
def registration_is_live(user, registration) -> bool:
    return registration is not None and registration.status != "cancelled"


@rules.predicate
def event_has_not_started(user, registration) -> bool:
    from terreau.events.selectors.onsite import event_has_started

    return not event_has_started(event=registration.event)


@rules.predicate
def event_has_not_ended(user, registration) -> bool:
    """Until the event ends: cancelling a registration, answering the survey."""
    from terreau.events.selectors.onsite import event_has_ended

    return not event_has_ended(event=registration.event)


rules.add_perm("events.change_registration", registration_is_live & event_has_not_started)
rules.add_perm("events.cancel_registration", registration_is_live & event_has_not_ended)
rules.add_perm("events.answer_survey", registration_is_live & event_has_not_ended)
