"""Staff import of initiatives from a CSV or XLSX file: upload, preview with per-row errors,
then confirm (everything or nothing)."""

import re
import secrets
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from .. import imports
from ..forms_import import ImportConfirmForm, ImportUploadForm

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}\.(csv|xlsx)$")
FOLDER = "imports"
PREVIEW_ROWS = 200


def _stored_path(token: str) -> str:
    return str(PurePosixPath(FOLDER) / token)


class InitiativeImportView(PermissionRequiredMixin, View):
    permission_required = "observatory.import_initiatives"
    template_name = "observatory/initiative_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": ImportUploadForm()})

    def post(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        upload = form.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower()
        try:
            rows = imports.import_read(upload, upload.name)
        except ValidationError as error:
            form.add_error("file", error)
            return render(request, self.template_name, {"form": form})
        plan = imports.import_check(rows)
        token = ""
        if plan.is_valid:
            upload.seek(0)
            token = f"{secrets.token_urlsafe(24)}.{extension}"
            default_storage.save(_stored_path(token), ContentFile(upload.read()))
        return render(
            request,
            self.template_name,
            {
                "form": ImportUploadForm(),
                "plan": plan,
                "file_name": upload.name,
                "preview_rows": plan.rows[:PREVIEW_ROWS],
                "counts": {
                    action: plan.count(action) for action in ("create", "update", "unchanged")
                },
                "confirm_form": ImportConfirmForm(initial={"token": token}) if token else None,
            },
        )


class InitiativeImportConfirmView(PermissionRequiredMixin, View):
    permission_required = "observatory.import_initiatives"

    def post(self, request):
        form = ImportConfirmForm(request.POST)
        token = form.data.get("token", "")
        if not form.is_valid() or not TOKEN_RE.match(token):
            messages.error(request, _("This import has expired: upload the file again."))
            return redirect("observatory:initiative_import")
        path = _stored_path(token)
        if not default_storage.exists(path):
            messages.error(request, _("This import has expired: upload the file again."))
            return redirect("observatory:initiative_import")
        try:
            with default_storage.open(path, "rb") as stored:
                plan = imports.import_check(imports.import_read(stored, token))
            counts = imports.initiative_import(plan=plan, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("observatory:initiative_import")
        finally:
            default_storage.delete(path)
        messages.success(
            request,
            _("Import done: %(create)s created, %(update)s updated, %(unchanged)s unchanged.")
            % counts,
        )
        return redirect("observatory:initiative_list")
