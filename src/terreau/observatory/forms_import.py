"""Forms of the staff import (upload, confirmation)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from terreau.core import forms as core_forms

ALLOWED_EXTENSIONS = (".csv", ".xlsx")


class ImportUploadForm(core_forms.Form):
    file = forms.FileField(
        label=_("File to import"),
        help_text=_("CSV (UTF-8) or XLSX, with the columns of the CSV export."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise ValidationError(_("Choose a CSV or XLSX file."), code="type")
        limit = settings.TERREAU_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("This file is too large (%(limit)s at most).") % {"limit": filesizeformat(limit)},
                code="size",
            )
        return upload


class ImportConfirmForm(core_forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=80)
