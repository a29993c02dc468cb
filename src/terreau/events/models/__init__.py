"""Events' models, by area: the programme (event, days → slots → sessions, speakers), registration
(tariffs, options, questions, registrations), workshop assignment, and on site and after
(attendance, report-backs, outputs, printed documents).

Everything is re-exported here: import from `terreau.events.models`, not from the area modules.
"""

from .assignment import AssignmentRun, WorkshopAssignment, WorkshopChoice
from .onsite import (
    AttendanceRecord,
    EventDocument,
    EventFile,
    Half,
    WorkshopReport,
    event_document_path,
    event_file_path,
)
from .programme import (
    Audience,
    Event,
    EventDay,
    EventKind,
    EventState,
    Room,
    Session,
    SessionKind,
    SessionSpeaker,
    Slot,
    Venue,
)
from .registration import (
    Answer,
    Attendance,
    EventOption,
    PaymentStatus,
    Question,
    Registration,
    RegistrationStatus,
    RegistrationTally,
    Tariff,
    new_token,
)

__all__ = [
    "Answer",
    "AssignmentRun",
    "Attendance",
    "AttendanceRecord",
    "Audience",
    "Event",
    "EventDay",
    "EventDocument",
    "EventFile",
    "EventKind",
    "EventOption",
    "EventState",
    "Half",
    "PaymentStatus",
    "Question",
    "Registration",
    "RegistrationStatus",
    "RegistrationTally",
    "Room",
    "Session",
    "SessionKind",
    "SessionSpeaker",
    "Slot",
    "Tariff",
    "Venue",
    "WorkshopAssignment",
    "WorkshopChoice",
    "WorkshopReport",
    "event_document_path",
    "event_file_path",
    "new_token",
]
