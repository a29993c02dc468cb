"""Forms of the programme area: agenda filters and the staff area's event editing."""

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.core.models import Theme
from terreau.directory.models import Organisation
from terreau.observatory.models import Initiative, PublicationState
from terreau.territories.models import Commune, Department

from ..models import (
    Event,
    EventDay,
    EventKind,
    EventOption,
    Question,
    Room,
    Session,
    SessionSpeaker,
    Slot,
    Tariff,
    Venue,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class AgendaFilterForm(core_forms.Form):
    PERIODS = [
        ("upcoming", _("Upcoming")),
        ("past", _("Past")),
        ("all", _("All")),
    ]
    period = forms.ChoiceField(label=_("When"), choices=PERIODS, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *EventKind.choices], required=False
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.active().filter(parent__isnull=True),
        to_field_name="slug",
        empty_label=_("All themes"),
        required=False,
    )
    department = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Department.objects.all(),
        empty_label=_("All départements"),
        required=False,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date comes before the start date."))
        return data


class OrganisationsField(forms.CharField):
    """Organisations typed one per line, by name, acronym or slug (the directory is large)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, multiple: bool = True, **kwargs):
        self.multiple = multiple
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Organisation):
            return value.name
        if isinstance(value, list | tuple):
            return "\n".join(v.name if isinstance(v, Organisation) else str(v) for v in value)
        if isinstance(value, int):
            organisation = Organisation.objects.filter(pk=value).first()
            return organisation.name if organisation else ""
        return value

    def clean(self, value):
        value = super().clean(value)
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        if not self.multiple and len(lines) > 1:
            raise forms.ValidationError(_("Give one organisation only."))
        found, unknown = [], []
        for line in lines:
            organisation = (
                Organisation.objects.filter(
                    Q(slug=line) | Q(name__iexact=line) | Q(acronym__iexact=line)
                )
                .order_by("pk")
                .first()
            )
            if organisation is None:
                unknown.append(line)
            else:
                found.append(organisation)
        if unknown:
            raise forms.ValidationError(
                _("Not in the directory: %(names)s.") % {"names": ", ".join(unknown)}
            )
        if self.multiple:
            return found
        return found[0] if found else None


class InitiativesField(forms.CharField):
    """Published initiatives of the observatory, one per line, by title or slug."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(v.title if isinstance(v, Initiative) else str(v) for v in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        lines = [line.strip() for line in (value or "").splitlines() if line.strip()]
        published = Initiative.objects.filter(state=PublicationState.PUBLISHED)
        found, unknown = [], []
        for line in lines:
            initiative = (
                published.filter(Q(slug=line) | Q(title__iexact=line)).order_by("pk").first()
            )
            if initiative is None:
                unknown.append(line)
            elif initiative not in found:
                found.append(initiative)
        if unknown:
            raise forms.ValidationError(
                _("Not a published initiative of the observatory: %(names)s.")
                % {"names": ", ".join(unknown)}
            )
        return found


class EventForm(core_forms.ModelForm):
    organisers = OrganisationsField(
        label=_("Organisers"), help_text=_("One per line: name, acronym or slug.")
    )
    partners = OrganisationsField(
        label=_("Partners"), help_text=_("One per line: name, acronym or slug.")
    )
    certificate_issuer = OrganisationsField(
        label=_("Certificate issued by"), multiple=False, widget=forms.TextInput
    )
    initiatives = InitiativesField(
        label=_("Initiatives presented"),
        help_text=_("One per line: the title or the address name (slug) of the initiative."),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "summary",
            "description",
            "objectives",
            "practical_info",
            "themes",
            "organisers",
            "partners",
            "audience",
            "invitation_code",
            "venue",
            "online_url",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "requires_approval",
            "has_waiting_list",
            "has_certificate",
            "certificate_issuer",
            "pays_by_administrative_order",
            "payment_terms",
            "initiatives",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "registration_opens_at": DATETIME,
            "registration_closes_at": DATETIME,
            "summary": forms.TextInput,
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end comes before the start."))
        opens, closes = data.get("registration_opens_at"), data.get("registration_closes_at")
        if opens and closes and closes < opens:
            self.add_error("registration_closes_at", _("Registration closes before it opens."))
        return data


class DuplicateEventForm(core_forms.Form):
    starts_on = forms.DateField(label=_("New first day"), widget=DATE)
    title = forms.CharField(label=_("New title"), max_length=255, required=False)


class CancelEventForm(core_forms.Form):
    message = forms.CharField(
        label=_("Message to registrants"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Sent by e-mail to everyone registered, with the cancellation notice."),
    )


class VenueForm(core_forms.ModelForm):
    commune_insee = forms.CharField(
        label=_("Commune (INSEE code)"),
        max_length=5,
        required=False,
        help_text=_("E.g. 59350 for Lille."),
    )

    class Meta:
        model = Venue
        fields = ["name", "address", "access", "latitude", "longitude"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.commune_id:
            self.initial["commune_insee"] = self.instance.commune_id

    def clean_commune_insee(self):
        code = self.cleaned_data["commune_insee"].strip()
        if not code:
            return None
        commune = Commune.objects.filter(insee=code).first()
        if commune is None:
            raise forms.ValidationError(_("No commune has this INSEE code."))
        return commune

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["commune"] = data.pop("commune_insee")
        return data


class EventPartForm(core_forms.ModelForm):
    """Base of the staff forms for an event's parts: choices limited to that event."""

    def __init__(self, *args, event: Event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)
        if "day" in self.fields:
            self.fields["day"].queryset = EventDay.objects.filter(event=event)
        if "slot" in self.fields:
            self.fields["slot"].queryset = Slot.objects.filter(day__event=event).select_related(
                "day"
            )
        if "room" in self.fields:
            self.fields["room"].queryset = Room.objects.filter(venue_id=event.venue_id)
        if "session" in self.fields:
            self.fields["session"].queryset = Session.objects.filter(
                slot__day__event=event
            ).select_related("slot__day")
        if "position" in self.fields:
            self.fields["position"].required = False

    def clean_position(self):
        position = self.cleaned_data["position"]
        return (self.instance.position or 0) if position is None else position

    def service_fields(self) -> dict:
        return dict(self.cleaned_data)


class DayForm(EventPartForm):
    class Meta:
        model = EventDay
        fields = ["date", "starts_at", "ends_at"]
        widgets = {"date": DATE, "starts_at": TIME, "ends_at": TIME}


class SlotForm(EventPartForm):
    class Meta:
        model = Slot
        fields = ["day", "starts_at", "ends_at", "title", "round_number"]
        widgets = {"starts_at": TIME, "ends_at": TIME}


class SessionForm(EventPartForm):
    initiatives = InitiativesField(
        label=_("Initiatives presented"),
        help_text=_("One per line: the title or the address name (slug) of the initiative."),
    )

    class Meta:
        model = Session
        fields = [
            "slot",
            "kind",
            "title",
            "description",
            "brief",
            "room",
            "capacity",
            "position",
            "initiatives",
        ]


class SpeakerForm(EventPartForm):
    """A speaker by name: found in the directory, or added to it."""

    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    class Meta:
        model = SessionSpeaker
        fields = ["session", "role", "title_that_day", "position"]

    field_order = ["session", "first_name", "last_name", "role", "title_that_day", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["first_name"] = self.instance.person.first_name
            self.initial["last_name"] = self.instance.person.last_name


class RoomForm(EventPartForm):
    class Meta:
        model = Room
        fields = ["name", "capacity"]


class TariffForm(EventPartForm):
    class Meta:
        model = Tariff
        fields = ["label", "amount", "includes"]


class OptionForm(EventPartForm):
    class Meta:
        model = EventOption
        fields = ["kind", "label", "day", "capacity"]


class QuestionForm(EventPartForm):
    class Meta:
        model = Question
        fields = ["label", "kind", "choices", "is_required", "position"]

    def clean(self):
        data = super().clean()
        choices = [c for c in (data.get("choices") or "").splitlines() if c.strip()]
        if data.get("kind") in {Question.Kind.CHOICE, Question.Kind.MULTIPLE} and len(choices) < 2:
            self.add_error("choices", _("Give at least two choices, one per line."))
        return data


PART_FORMS = {
    "day": DayForm,
    "slot": SlotForm,
    "session": SessionForm,
    "speaker": SpeakerForm,
    "room": RoomForm,
    "tariff": TariffForm,
    "option": OptionForm,
    "question": QuestionForm,
}


def default_duplicate_date(event: Event) -> dt.date:
    """Last year's event comes back a year later, on the same weekday."""
    start = timezone.localtime(event.starts_at).date()
    return start + dt.timedelta(weeks=52)
