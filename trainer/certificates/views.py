"""A run's certificate (the player's own: its page to print and its PDF) and /verify/,
where anyone checks a code and sees exactly what was certified, and nothing else."""

import unicodedata
import uuid

from crispy_forms.layout import Field
from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from trainer.certificates.pdf import certificate_pdf, letters_the_font_lacks
from trainer.certificates.services import (
    NAME_MAX_LENGTH,
    CertificateRefused,
    certificate_issue,
    certificate_of_run,
    certificate_refusal,
    code_grouped,
    code_read,
    run_nickname,
)
from trainer.certificates.verify_throttle import (
    verify_guess_begin,
    verify_guess_was_right,
    verify_guess_was_wrong,
    verify_wait,
)
from trainer.models import Certificate, ModuleRun
from trainer.runs.views import key_or_404, own_progress, see_other
from trainer.web.addresses import client_address, sent_from_elsewhere
from trainer.web.form_layout import Submit, form_helper
from trainer.web.guesses import browser_of
from trainer.web.player import with_player_key


class CertificateNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name on the certificate"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": gettext_lazy("Type the name to show on the certificate.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Field("name", autocomplete="name"),
            Submit(_("Issue my certificate")),
            css_class="certificate-form js-once",
            # The server's message says what is wrong in the page's language.
            novalidate=True,
        )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Type the name to show on the certificate."))
        if any(unicodedata.category(char).startswith("C") for char in name):
            raise forms.ValidationError(_("The name has a character that cannot be printed."))
        missing = letters_the_font_lacks(name)
        if missing:
            # Refused rather than printed blank: the PDF must show every letter of the name.
            message = _(
                "The certificate cannot print %(letters)s. Write the name in Kazakh, Russian "
                "or Latin letters."
            )
            raise forms.ValidationError(message % {"letters": " ".join(missing)})
        return name


class VerifyForm(forms.Form):
    """A code to look up: sent with GET, so its address can be shared."""

    code = forms.CharField(
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *, typed: str, another: bool):
        super().__init__(initial={"code": typed}, auto_id="%s")
        label = _("Check another code") if another else _("Verification code")
        self.fields["code"].label = label
        self.helper = form_helper(
            "code",
            Submit(_("Check")),
            method="get",
            css_class="verify-form",
            form_action=reverse("verify"),
            hide_required_marks=True,
        )


@never_cache
@require_http_methods(["GET", "POST"])
def certificate(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """The run's certificate to print; before it is issued, the form that asks for a name."""
    progress = own_progress(request, run_id)
    issued = certificate_of_run(run_id)
    if issued is None:
        refusal = certificate_refusal(progress)
        if refusal:
            messages.info(request, refusal)
            return redirect("module_run", run_id=run_id)
    data = request.POST if request.method == "POST" else None
    form = CertificateNameForm(data, initial={"name": run_nickname(progress.run)})
    if request.method == "POST" and (issued is not None or form.is_valid()):
        if issued is None:
            name = form.cleaned_data["name"]
            try:
                certificate_issue(run_id=run_id, player_key=key_or_404(request), name=name)
            except CertificateRefused as refused:
                messages.error(request, str(refused))
                return redirect("module_run", run_id=run_id)
        return see_other("certificate", run_id=run_id)  # issued once, whatever is sent again
    context = {"module": progress.module, "run": progress.run, "certificate": issued}
    if issued:
        context["verify_url"] = _verify_url(request, issued)
    else:
        context["form"] = form
    return render(request, "certificates/certificate.html", context)


@never_cache
@require_safe
def certificate_download(request: HttpRequest, run_id: uuid.UUID) -> HttpResponse:
    """The run's certificate as a PDF, in the language of the page."""
    try:
        ModuleRun.objects.filter(player_key=key_or_404(request)).get(pk=run_id)
    except ModuleRun.DoesNotExist:
        raise Http404 from None
    issued = certificate_of_run(run_id)
    if issued is None:
        raise Http404
    pdf = certificate_pdf(
        issued, verify_url=_verify_url(request, issued), language=translation.get_language()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"saq-certificate-{code_grouped(issued.code)}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _verify_url(request: HttpRequest, issued: Certificate) -> str:
    return request.build_absolute_uri(reverse("verify_code", args=[code_grouped(issued.code)]))


@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    """A form to type a code; a code typed in it is looked up at its own address."""
    typed = request.GET.get("code", "").strip()
    if not typed:
        return _verify_page(request, {})
    code = code_read(typed)
    if code is None:
        return _verify_page(request, {"typed": typed, "malformed": True}, status=400)
    return redirect("verify_code", code=code_grouped(code))


@never_cache
@require_safe
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """What the certificate with this code certifies. Codes that match nothing count
    against the browser and the client's address; past a limit, every look-up waits
    (trainer/certificates/verify_throttle.py). A link followed from another site's page is
    not looked up: the page offers the code in its form, to be checked with one press."""
    stored = code_read(code)
    if stored is None:  # cannot be a code, so no guess: it is not counted
        return _verify_page(request, {"typed": code, "malformed": True}, status=400)
    if sent_from_elsewhere(request):
        return _verify_page(request, {"typed": code_grouped(stored), "from_elsewhere": True})
    address, browser, now = client_address(request), browser_of(request), timezone.now()
    guess = verify_guess_begin(address, browser, now)
    if guess is None:
        wait = verify_wait(address, browser, now)
        minutes = max(1, round(wait.total_seconds() / 60))
        return _verify_page(request, {"typed": code, "wait_minutes": minutes}, status=429)
    found = Certificate.objects.select_related("module").filter(code=stored).first()
    if found is None:
        verify_guess_was_wrong(guess)
        return _verify_page(request, {"typed": code_grouped(stored), "unknown": True}, status=404)
    verify_guess_was_right(guess)
    return _verify_page(request, {"certificate": found, "code": code_grouped(stored)})


def _verify_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    typed = "" if "certificate" in context else context.get("typed", "")
    context["form"] = VerifyForm(typed=typed, another="certificate" in context)
    response = render(request, "certificates/verify.html", context, status=status)
    with_player_key(request, response)  # so a browser's guesses are counted as its own
    response["X-Robots-Tag"] = "noindex"  # a certificate is shown to whoever has its code
    return response
