"""Personal data pages: download my data (JSON, or a page to read), delete my account, and the
removal of a directory entry without account through a signed link."""

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View

from . import services
from .forms import AccountDeleteForm, RemovalRequestForm


@login_required
def export_page(request):
    return render(
        request,
        "privacy/export.html",
        {"data": services.personal_data_readable(user=request.user)},
    )


@login_required
def export_json(request):
    response = HttpResponse(
        services.personal_data_json(user=request.user), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-terreau.json"'
    return response


@method_decorator(login_required, name="dispatch")
class AccountDeleteView(View):
    template_name = "privacy/account_delete.html"

    def get(self, request):
        return render(request, self.template_name, {"form": AccountDeleteForm(user=request.user)})

    def post(self, request):
        form = AccountDeleteForm(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        user = request.user
        logout(request)
        services.account_delete(user=user, remove_content=form.cleaned_data["content"] == "remove")
        return render(request, "privacy/account_deleted.html")


class RemovalRequestView(View):
    template_name = "privacy/removal_request.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RemovalRequestForm()})

    def post(self, request):
        form = RemovalRequestForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.removal_request(email=form.cleaned_data["email"])
        return render(request, "privacy/removal_sent.html")


class RemovalConfirmView(View):
    def get(self, request, token):
        if services.removal_person(token) is None:
            return render(request, "privacy/removal_invalid.html", status=404)
        return render(request, "privacy/removal_confirm.html")

    def post(self, request, token):
        person = services.removal_person(token)
        if person is None:
            return render(request, "privacy/removal_invalid.html", status=404)
        services.directory_person_remove(person=person)
        return redirect("privacy:removal_done")


def removal_done(request):
    return render(request, "privacy/removal_done.html")
