"""The admin page that imports uploaded pack files (the list's "Import packs" button).

An upload that would set aside a draft with unpublished edits is not imported: the page
names the drafts and asks; the packs wait in the author's session for the answer."""

import secrets

from django import forms
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from scenarios.packs.importer import DraftsInTheWay, PackRejected, pack_import

from .transfer import uploads_read


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
        help_text=_("One or more .json files in the saq-pack format."),
        widget=MultipleFileInput(attrs={"accept": ".json,application/json"}),
    )


# The packs waiting for the author to confirm that drafts may be set aside, in the
# author's session under a key of their own: the upload is not asked for twice.
PENDING = "scenarios.pending_import"


def import_view(model_admin, request):
    problems, report, drafts = [], None, []
    posted = request.method == "POST"
    form = PackUploadForm()
    if posted and "confirm" in request.POST:
        packs = _pending(request)
        if packs is None:
            problems = [_("The packs waiting for your answer are gone: upload them again.")]
        else:
            try:
                report = pack_import(packs=packs, by=request.user, set_aside_drafts=True)
            except PackRejected as rejected:  # the database changed while the author read
                problems = rejected.problems
    elif posted:
        form = PackUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                packs = uploads_read(form.cleaned_data["packs"])
                report = pack_import(packs=packs, by=request.user)
            except PackRejected as rejected:
                problems = rejected.problems
            except DraftsInTheWay as waiting:
                drafts = waiting.describe()
                token = secrets.token_urlsafe(16)
                request.session[PENDING] = {"token": token, "packs": packs}
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Import scenario packs"),
        "form": form,
        "problems": problems,
        "report": report,
        "drafts": drafts,
        "pending_token": request.session.get(PENDING, {}).get("token") if drafts else "",
        "media": model_admin.media + form.media,
    }
    return TemplateResponse(request, "admin/scenarios/scenario/import.html", context)


def _pending(request) -> list[tuple[str, dict]] | None:
    """The packs the confirmation names, taken out of the session (answered once)."""
    pending = request.session.get(PENDING)
    if not pending or pending.get("token") != request.POST.get("confirm"):
        return None
    del request.session[PENDING]
    return [(name, pack) for name, pack in pending["packs"]]
