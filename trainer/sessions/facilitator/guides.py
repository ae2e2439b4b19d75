"""The facilitator's guides: one per module and language, to read, print (static/css/print.css)
or download as a PDF. A guide is the module author's, not an organisation's: every
facilitator may read every guide, and nobody else."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from scenarios.models import Module
from trainer.sessions.facilitator.access import facilitator_required
from trainer.sessions.facilitator.views import language_asked
from trainer.sessions.forms import LanguagePickForm
from trainer.sessions.guide import guide_of, guide_words
from trainer.sessions.guide_pdf import guide_pdf


@require_safe
@facilitator_required
def guide_list(request: HttpRequest) -> HttpResponse:
    language = language_asked(request.GET.get("language"))
    modules = Module.objects.published().filter(language=language).order_by("audience", "title")
    language_form = LanguagePickForm(
        label=_("Language of the guides"), language=language, submit=_("Show its guides")
    )
    context = {"modules": modules, "language": language, "language_form": language_form}
    return render(request, "facilitator/guides.html", context)


def _module(slug: str, language: str) -> Module:
    if language not in dict(settings.LANGUAGES):
        raise Http404
    return get_object_or_404(Module, slug=slug, language=language)


@require_safe
@facilitator_required
def guide_page(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    module = _module(slug, language)
    others = Module.objects.filter(slug=slug).exclude(language=language).order_by("language")
    guide = guide_of(module)
    with translation.override(module.language):
        words = guide_words(guide)
    context = {
        "guide": guide,
        "words": words,
        "module": module,
        "other_languages": [(other.language, other.get_language_display()) for other in others],
    }
    return render(request, "facilitator/guide.html", context)


@require_safe
@facilitator_required
def guide_download(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    module = _module(slug, language)
    response = HttpResponse(guide_pdf(guide_of(module)), content_type="application/pdf")
    filename = f"saq-guide-{module.slug}-{module.language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
