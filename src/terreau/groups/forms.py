"""Forms of the exchange groups: they parse and check the shape; services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms
from terreau.events.models import Venue

from .models import AttendanceStatus, ExchangeGroup, MemberRole, Production


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class VenueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, venue):
        commune = f" ({venue.commune.name})" if venue.commune_id else ""
        return f"{venue.name}{commune}"


class VenueMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, venue):
        commune = f" ({venue.commune.name})" if venue.commune_id else ""
        return f"{venue.name}{commune}"


def venue_queryset():
    return Venue.objects.select_related("commune").order_by("name")


class MemberAddForm(core_forms.Form):
    email = forms.EmailField(label=_("E-mail of the person in the directory"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput(), required=False)


class CharterForm(core_forms.Form):
    accepted = forms.BooleanField(
        label=_("I have read the charter and I accept it"), required=False
    )


class CalendarForm(core_forms.Form):
    first = forms.DateField(label=_("First meeting"), widget=DateInput())
    until = forms.DateField(
        label=_("Last possible date"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the end of the group's period."),
    )
    starts_at = forms.TimeField(label=_("Starts"), widget=TimeInput(), initial="09:30")
    ends_at = forms.TimeField(label=_("Ends"), widget=TimeInput(), initial="16:30")
    first_venue = VenueChoiceField(
        label=_("Venue of the first meeting"), queryset=Venue.objects.none(), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Members' organisations to meet at"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    venues = VenueMultipleChoiceField(
        label=_("Other venues"),
        queryset=Venue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations, venues, **kwargs):
        super().__init__(*args, **kwargs)
        from terreau.directory.models import Organisation

        self.fields["organisations"].queryset = Organisation.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).select_related("commune")
        self.fields["organisations"].label_from_instance = lambda o: f"{o.name} — {o.address}"
        venue_ids = [v.pk for v in venues]
        self.fields["venues"].queryset = venue_queryset().filter(pk__in=venue_ids)
        self.fields["first_venue"].queryset = venue_queryset().filter(pk__in=venue_ids)


class MeetingForm(core_forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts"), widget=TimeInput(), initial="09:30")
    ends_at = forms.TimeField(label=_("Ends"), widget=TimeInput(), initial="16:30")
    venue = VenueChoiceField(label=_("Venue"), queryset=Venue.objects.none(), required=False)
    themes_worked = forms.CharField(
        label=_("Themes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("One per line."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venue_queryset()


class ExcuseForm(core_forms.Form):
    reason = forms.CharField(
        label=_("Reason (seen by the facilitators)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=500,
    )


class AttendanceForm(core_forms.Form):
    """One status per member expected at the meeting."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [("", _("Not recorded")), *AttendanceStatus.choices]
        for row in rows:
            self.fields[f"m{row.membership.pk}"] = forms.ChoiceField(
                label=str(row.membership.person), choices=choices, required=False
            )
            self.initial[f"m{row.membership.pk}"] = row.status

    def row_fields(self):
        return [(row, self[f"m{row.membership.pk}"]) for row in self.rows]


class MinutesForm(core_forms.Form):
    body = forms.CharField(
        label=_("Minutes"),
        widget=forms.Textarea(attrs={"rows": 18}),
        required=False,
        max_length=100_000,
        help_text=_("Markdown: **bold**, *italics*, lists with “-”, headings with “##”."),
    )
    themes_worked = forms.CharField(
        label=_("Themes worked"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("One per line."),
    )
    experiences = forms.CharField(
        label=_("Experiences presented"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
        help_text=_(
            "One title per line: an initiative of the observatory with this title is linked, "
            "or created as a draft for the moderators to complete."
        ),
    )

    def experience_titles(self) -> list[str]:
        lines = self.cleaned_data.get("experiences", "").splitlines()
        return list(dict.fromkeys(line.strip()[:200] for line in lines if line.strip()))[:30]


class PublishForm(core_forms.Form):
    is_public = forms.BooleanField(
        label=_("Also publish them on the group's public page"), required=False
    )


class AttachmentForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    file = forms.FileField(label=_("File (PDF, DOCX, ODT or an image)"))


class ProductionForm(core_forms.ModelForm):
    class Meta:
        model = Production
        fields = ["kind", "title", "summary", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class CitizensMeetingForm(core_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Starts"), widget=TimeInput(), initial="18:30")
    ends_at = forms.TimeField(label=_("Ends"), widget=TimeInput(), initial="21:00")
    venue = VenueChoiceField(label=_("Venue"), queryset=Venue.objects.none(), required=False)
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venue_queryset()


class MeetingCancelForm(core_forms.Form):
    reason = forms.CharField(
        label=_("Message to the members (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class CallSelectionForm(core_forms.Form):
    """Members from a call's selection: where from, and (for a new group) what the group is.
    Empty fields of a new group take the call's values (its group's name and zone, the year
    from its first meeting)."""

    source = forms.ChoiceField(label=_("Selected applicants of"), choices=())
    name = forms.CharField(label=_("Name of the group"), max_length=200, required=False)
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=None, required=False)
    starts_on = forms.DateField(label=_("Period start"), widget=DateInput(), required=False)
    ends_on = forms.DateField(label=_("Period end"), widget=DateInput(), required=False)
    charter = forms.CharField(
        label=_("Charter"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20_000,
        help_text=_("Markdown. Each member accepts it on joining."),
    )
    joined_on = forms.DateField(
        label=_("Members from"),
        widget=DateInput(),
        required=False,
        help_text=_("Empty: the start of the group's period, or today once it has started."),
    )

    NEW_GROUP_FIELDS = ("name", "zone", "starts_on", "ends_on", "charter")

    def __init__(self, *args, sources, for_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        from terreau.territories.models import Zone

        self.fields["source"].choices = sources
        self.fields["zone"].queryset = Zone.objects.order_by("name")
        if for_group is not None:
            for name in self.NEW_GROUP_FIELDS:
                del self.fields[name]

    def group_fields(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.NEW_GROUP_FIELDS
            if name in self.cleaned_data and self.cleaned_data[name] not in (None, "")
        }


class GroupForm(core_forms.ModelForm):
    """What the group is and what its public page shows (staff create; staff and its
    facilitators change)."""

    class Meta:
        model = ExchangeGroup
        fields = [
            "name",
            "zone",
            "starts_on",
            "ends_on",
            "description",
            "themes_planned",
            "charter",
            "shows_members",
            "shows_calendar",
        ]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 5}),
            "themes_planned": forms.Textarea(attrs={"rows": 4}),
            "charter": forms.Textarea(attrs={"rows": 6}),
        }
