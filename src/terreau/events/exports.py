"""The events app's CSV exports: the staff's registrations file, one column per question."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from terreau.core.csv import csv_lines

from .models import (
    Answer,
    Attendance,
    Event,
    EventOption,
    PaymentStatus,
    Question,
    Registration,
    RegistrationStatus,
    Tariff,
    WorkshopAssignment,
    WorkshopChoice,
)
from .selectors.registration import Round, event_rounds, registration_table

CHUNK_SIZE = 2000

# The registration's own fields, in the file's order (`options` is read from its own stream).
FIELDS = (
    "last_name",
    "first_name",
    "email",
    "phone",
    "employer",
    "employer_kind",
    "job_title",
    "actor_category",
    "status",
    "attendance",
    "checked_in_at",
    "tariff_id",
    "payment_status",
    "invoice_number",
    "order_reference",
    "dietary_needs",
    "accessibility_needs",
    "is_listed",
    "created_at",
)


def registration_csv_rows(event: Event, queryset: QuerySet | None = None) -> Iterator[str]:
    """Stream the CSV lines of an event's registrations (all, or those of `queryset`), with
    one column per round and per question, through the site's one CSV writer
    (terreau.core.csv: cells neutralised against formulas).

    A constant number of queries whatever the size: the registrations, then their answers,
    options, choices and assignments as four streams ordered by registration, merged here.
    """
    queryset = (queryset if queryset is not None else registration_table(event)).order_by("pk")
    layout = _Layout.of(event)
    return csv_lines(layout.header(), _lines(queryset, layout))


@dataclass
class _Layout:
    """What the file's columns are made of: the event's rounds and questions, and the labels
    that stand for stored values."""

    rounds: list[Round]
    questions: list[Question]
    options: dict[int, str]
    tariffs: dict[int, str]
    sessions: dict[int, str]
    session_slot: dict[int, int]
    labels: dict[str, dict]

    @classmethod
    def of(cls, event: Event) -> _Layout:
        rounds = event_rounds(event)
        field = Registration._meta.get_field
        return cls(
            rounds=rounds,
            questions=list(event.questions.order_by("purpose", "position", "pk")),
            options={o.pk: o.label for o in EventOption.objects.filter(event=event)},
            tariffs={t.pk: t.label for t in Tariff.objects.filter(event=event)},
            sessions={s.pk: s.title for r in rounds for s in r.sessions},
            session_slot={s.pk: r.slot.pk for r in rounds for s in r.sessions},
            labels={
                "status": dict(RegistrationStatus.choices),
                "attendance": dict(Attendance.choices),
                "payment_status": dict(PaymentStatus.choices),
                "actor_category": dict(field("actor_category").choices),
                "employer_kind": dict(field("employer_kind").choices),
            },
        )

    def header(self) -> list[str]:
        header = [
            _("Last name"),
            _("First name"),
            _("E-mail"),
            _("Phone"),
            _("Employer"),
            _("Employer's kind"),
            _("Function"),
            _("Actor category"),
            _("Status"),
            _("Attendance"),
            _("Checked in"),
            _("Tariff"),
            _("Payment"),
            _("Invoice number"),
            _("Order reference"),
            _("Options"),
            _("Dietary needs"),
            _("Accessibility needs"),
            _("On the public list"),
            _("Registered"),
        ]
        for r in self.rounds:
            header.append(_("Round %(number)s: choices") % {"number": r.slot.round_number})
            header.append(_("Round %(number)s: workshop") % {"number": r.slot.round_number})
        return header + [q.label for q in self.questions]


def _lines(queryset: QuerySet, layout: _Layout) -> Iterator[list]:
    """One list of cell values per registration."""
    related = _RelatedRows(queryset.values("pk"))
    for values in queryset.values("pk", *FIELDS).iterator(chunk_size=CHUNK_SIZE):
        yield _line(values, related.of(values["pk"]), layout)


def _line(values: dict, related: dict[str, list], layout: _Layout) -> list:
    labels = layout.labels
    by_question = {qid: value for _rid, qid, value in related["answers"]}
    ranked: dict[int, list[str]] = {}
    for _rid, sid, rank in related["choices"]:
        ranked.setdefault(layout.session_slot.get(sid), []).append(
            f"{rank}. {layout.sessions.get(sid)}"
        )
    placed = {slot_id: layout.sessions.get(sid) for _rid, slot_id, sid in related["assignments"]}
    line = [
        values["last_name"],
        values["first_name"],
        values["email"],
        values["phone"],
        values["employer"],
        labels["employer_kind"].get(values["employer_kind"], ""),
        values["job_title"],
        labels["actor_category"].get(values["actor_category"], ""),
        labels["status"].get(values["status"], values["status"]),
        labels["attendance"].get(values["attendance"], values["attendance"]),
        _local_time(values["checked_in_at"]),
        layout.tariffs.get(values["tariff_id"], ""),
        labels["payment_status"].get(values["payment_status"], values["payment_status"]),
        values["invoice_number"],
        values["order_reference"],
        "; ".join(layout.options.get(oid, "") for _rid, oid in related["options"]),
        values["dietary_needs"],
        values["accessibility_needs"],
        _("Yes") if values["is_listed"] else _("No"),
        _local_time(values["created_at"]),
    ]
    for r in layout.rounds:
        line.append(" / ".join(ranked.get(r.slot.pk, [])))
        line.append(placed.get(r.slot.pk) or "")
    return line + [Answer.text(by_question.get(q.pk), separator="; ") for q in layout.questions]


class _RelatedRows:
    """The answers, options, choices and assignments of the registrations, each read as one
    stream ordered by registration and advanced as the registrations go by (in `pk` order)."""

    def __init__(self, ids: QuerySet):
        self.streams = {
            "answers": Answer.objects.filter(registration__in=ids)
            .order_by("registration_id")
            .values_list("registration_id", "question_id", "value"),
            "options": Registration.options.through.objects.filter(registration__in=ids)
            .order_by("registration_id", "eventoption_id")
            .values_list("registration_id", "eventoption_id"),
            "choices": WorkshopChoice.objects.filter(registration__in=ids)
            .order_by("registration_id", "rank")
            .values_list("registration_id", "session_id", "rank"),
            "assignments": WorkshopAssignment.objects.filter(registration__in=ids)
            .order_by("registration_id")
            .values_list("registration_id", "slot_id", "session_id"),
        }
        self.groups = {
            name: groupby(rows.iterator(chunk_size=CHUNK_SIZE), key=lambda row: row[0])
            for name, rows in self.streams.items()
        }
        self.pending: dict[str, tuple] = {name: (None, []) for name in self.streams}

    def of(self, pk: int) -> dict[str, list]:
        return {name: self._advance(name, pk) for name in self.streams}

    def _advance(self, name: str, pk: int) -> list:
        current = self.pending[name]
        while current[0] is None or current[0] < pk:
            registration_id, rows = next(self.groups[name], (float("inf"), iter(())))
            current = (registration_id, list(rows))
        self.pending[name] = current
        return current[1] if current[0] == pk else []


def _local_time(moment) -> str:
    if not moment:
        return ""
    return moment.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")
