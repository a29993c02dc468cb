"""Views of the directory: public lists and pages, a member's own profile."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from terreau.core.forms import apply_service_errors
from terreau.core.views import FilteredListView

from . import selectors, services
from .filters import OrganisationFilter, PersonFilter
from .forms import MembershipFormSet, PersonProfileForm
from .models import Membership, Organisation, Person


class OrganisationListView(FilteredListView):
    template_name = "directory/organisation_list.html"
    filter_class = OrganisationFilter


class PersonListView(FilteredListView):
    template_name = "directory/person_list.html"
    filter_class = PersonFilter


class OrganisationDetailView(TemplateView):
    template_name = "directory/organisation_detail.html"

    def get_context_data(self, **kwargs):
        try:
            organisation = selectors.organisation_detail(
                slug=self.kwargs["slug"], user=self.request.user
            )
        except Organisation.DoesNotExist:
            raise Http404
        return super().get_context_data(organisation=organisation, **kwargs)


class PersonDetailView(TemplateView):
    template_name = "directory/person_detail.html"

    def get_context_data(self, **kwargs):
        try:
            person = selectors.person_detail(slug=self.kwargs["slug"], user=self.request.user)
        except Person.DoesNotExist:
            raise Http404
        user = self.request.user
        return super().get_context_data(
            person=person,
            show_contact=user.has_perm("directory.view_person_contact", person),
            can_edit=user.has_perm("directory.change_person", person),
            **kwargs,
        )


class ProfileEditView(LoginRequiredMixin, View):
    """A member edits their own directory profile; staff may edit anyone's (`slug`)."""

    template_name = "directory/person_form.html"

    def get_person(self) -> Person | None:
        slug = self.kwargs.get("slug")
        if slug is None:
            return selectors.person_for_user(user=self.request.user)
        person = get_object_or_404(Person, slug=slug)
        if not self.request.user.has_perm("directory.change_person", person):
            raise Http404  # as for a slug that does not exist: slugs come from names
        return person

    def forms(self, person, data=None):
        memberships = (
            Membership.objects.filter(person=person).select_related("organisation")
            if person
            else Membership.objects.none()
        )
        initial = None
        if person is None:
            user = self.request.user
            initial = {
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
            }
        form = PersonProfileForm(data, instance=person, initial=initial)
        formset = MembershipFormSet(data, queryset=memberships, prefix="memberships")
        return form, formset

    def render(self, person, form, formset):
        context = {"person": person, "form": form, "formset": formset}
        return render(self.request, self.template_name, context)

    def get(self, request, *args, **kwargs):
        person = self.get_person()
        return self.render(person, *self.forms(person))

    def post(self, request, *args, **kwargs):
        person = self.get_person()
        form, formset = self.forms(person, request.POST)
        if form.is_valid() and formset.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "themes"}
            themes = form.cleaned_data["themes"]
            try:
                if person is None:
                    saved = services.person_profile_save(
                        user=request.user, fields=fields, themes=themes, memberships=formset.rows()
                    )
                else:
                    saved = services.person_edit(
                        person=person, fields=fields, themes=themes, memberships=formset.rows()
                    )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect(saved)
        return self.render(person, form, formset)


class OrganisationSuggestionsView(View):
    """<option> elements for an organisation field's datalist (htmx)."""

    def get(self, request):
        query = request.GET.get("q") or next(
            (
                value
                for key, value in request.GET.items()
                # An organisation field, or the search box of the contribution form's picker.
                if key.endswith(("organisation", "organisations_add"))
            ),
            "",
        )
        organisations = selectors.organisation_suggestions(query=query[:200], user=request.user)
        return render(
            request,
            "directory/organisation_suggestions.html",
            {"organisations": organisations},
        )
