"""The admin page that imports uploaded pack files (the list's "Import packs" button)."""

from django import forms
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from scenarios.packs.importer import PackRejected

from .transfer import uploads_import


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePackField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultiplePackField, self).clean(item, initial) for item in files]


class PackUploadForm(forms.Form):
    packs = MultiplePackField(
        label=_("Pack files"),
        help_text=_(
            "One or more .json files in the saq-pack format, or .zip files holding one with "
            "its pictures."
        ),
        widget=MultipleFileInput(attrs={"accept": ".json,.zip,application/json,application/zip"}),
    )


def import_view(model_admin, request):
    problems, report = [], None
    posted = request.method == "POST"
    form = PackUploadForm(request.POST, request.FILES) if posted else PackUploadForm()
    if posted and form.is_valid():
        try:
            report = uploads_import(form.cleaned_data["packs"])
        except PackRejected as rejected:
            problems = rejected.problems
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Import scenario packs"),
        "form": form,
        "problems": problems,
        "report": report,
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/scenarios/scenario/import.html", context)
