"""Forms of the workshop assignment's staff page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms

from ..models import AssignmentRun, Session


class AssignmentRunForm(core_forms.Form):
    method = forms.ChoiceField(
        label=_("Method"),
        choices=AssignmentRun.Method.choices,
        initial=AssignmentRun.Method.OPTIMAL,
        widget=forms.RadioSelect,
    )
    spread_categories = forms.BooleanField(
        label=_("Spread actor categories across workshops"),
        required=False,
        help_text=_(
            "Elected officials, staff, associations, residents and researchers mixed in every "
            "workshop, at a small cost in choices."
        ),
    )


class AssignmentSearchForm(core_forms.Form):
    q = forms.CharField(label=_("Find a participant"), max_length=100, required=False)


class AssignmentMoveForm(core_forms.Form):
    session = forms.ModelChoiceField(
        label=_("Workshop"), queryset=Session.objects.none(), empty_label=None
    )
    pin = forms.BooleanField(
        label=_("Pin: keep this placement when the assignment runs again"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        field.queryset = Session.objects.filter(slot__in=[slot.pk for slot, _label in slots])
        # Grouped by round: "Round 2 · Wednesday 19 November 09:00" → its workshops.
        field.choices = [
            (label, [(session.pk, session.title) for session in slot.sessions.all()])
            for slot, label in slots
        ]
