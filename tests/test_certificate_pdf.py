"""The certificate's PDF renders Kazakh: the text drawn is read back out of the file."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from scenarios.models import Module
from tests.factories import build_module
from tests.test_certificates import finished_run
from trainer.certificates.services import code_grouped
from trainer.models import Certificate
from trainer.templatetags.saq import long_date

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = set("әғқңөұүһі")
NAME = "Әйгерім Құрманғалиқызы"
TITLE = "Шаһардағы алаяқтық: өзіңді қорғауды үйрен"


def pdf_of(language: str) -> tuple[Certificate, PdfReader, str]:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    module = build_module(language="kk", title=TITLE)
    run = finished_run(client, module)
    client.post(reverse("certificate", args=[run.id]), {"name": NAME})
    response = client.get(reverse("certificate_pdf", args=[run.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    certificate = Certificate.objects.get()
    filename = f"saq-certificate-{code_grouped(certificate.code)}.pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    return certificate, reader, reader.pages[0].extract_text()


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_the_pdf_renders_kazakh_text_in_an_embedded_kazakh_capable_font():
    certificate, reader, text = pdf_of("kk")
    assert set(text.lower()) >= KAZAKH_LETTERS, KAZAKH_LETTERS - set(text.lower())
    grouped = code_grouped(certificate.code)
    with translation.override("kk"):
        expected = [
            "Saq",
            gettext("Certificate"),
            gettext("This certifies that"),
            NAME,
            gettext("completed the module"),
            TITLE,
            gettext("with a score of %(score)s out of 100") % {"score": 100},
            long_date(certificate.issued_at),
            gettext("Verification code: %(code)s") % {"code": grouped},
            gettext("Check it at %(url)s") % {"url": f"http://testserver/verify/{grouped}"},
        ]
    assert lines(text) == expected
    # The interface's own Kazakh words come back too, not only what the player typed.
    assert expected[4] != "completed the module" and set(expected[4]) & KAZAKH_LETTERS
    assert "жылғы" in expected[7]
    fonts = {
        str(font.get_object()["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts and all(font.endswith("DejaVuSans") or "DejaVuSans" in font for font in fonts)


def test_the_pdf_follows_the_language_of_the_page():
    certificate, _reader, text = pdf_of("ru")
    with translation.override("ru"):
        assert gettext("completed the module") in lines(text)
        assert gettext("Certificate") != "Certificate"
    assert NAME in lines(text) and TITLE in lines(text)


def test_a_long_name_and_title_wrap_and_stay_on_one_page():
    module = build_module()
    Module.objects.filter(pk=module.pk).update(title="Very long title " * 12)
    client = Client()
    run = finished_run(client, Module.objects.get(pk=module.pk))
    client.post(reverse("certificate", args=[run.id]), {"name": "Name " * 20})
    reader = PdfReader(io.BytesIO(client.get(reverse("certificate_pdf", args=[run.id])).content))
    assert len(reader.pages) == 1
    heights = []

    def height_of(text, cm, tm, font, size):
        if text.strip():
            heights.append(tm[5])

    text = reader.pages[0].extract_text(visitor_text=height_of)
    assert "Check it at http://testserver/verify/" in text
    frame = 10 * 72 / 25.4  # the frame is drawn 10 mm from the edge; PDF counts in points
    assert (
        heights and min(heights) > frame and max(heights) < reader.pages[0].mediabox.height - frame
    )


@pytest.mark.parametrize(
    ("name", "lacking"),
    [("王小明", "王 小 明"), ("𝐀𝐢𝐠𝐞𝐫𝐢𝐦", "𝐀 𝐢 𝐠 𝐞 𝐫 𝐦"), ("Dana \U0001fae0", "\U0001fae0")],
    ids=["chinese", "mathematical-letters", "new-emoji"],
)
def test_a_name_in_letters_the_pdf_font_lacks_is_refused_naming_them(name, lacking):
    """Issue 12, item 10: never a blank or partly blank name in the PDF. The letters named
    are those missing from the font's own table, read here with fontTools."""
    from fontTools.ttLib import TTFont

    from trainer.certificates.pdf import FONTS

    cmap = TTFont(FONTS / "DejaVuSans-Bold.ttf").getBestCmap()
    missing = [ch for ch in name if not ch.isspace() and ord(ch) not in cmap]
    assert list(dict.fromkeys(missing)) == lacking.split()
    client = Client()
    run = finished_run(client, build_module())
    response = client.post(reverse("certificate", args=[run.id]), {"name": name})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"The certificate cannot print {lacking}. Write the name in Kazakh" in html
    assert not Certificate.objects.exists()


def test_a_name_the_font_has_is_printed_letter_for_letter():
    client = Client()
    run = finished_run(client, build_module())
    name = "José Łukasz-Müller Ալինա"
    client.post(reverse("certificate", args=[run.id]), {"name": name})
    assert Certificate.objects.get().name == name
    response = client.get(reverse("certificate_pdf", args=[run.id]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert name in text


def test_a_letter_the_font_lacks_in_a_name_issued_before_is_marked_never_dropped():
    """A name issued before the form refused such letters, or a module's title, still prints
    every letter: one the font lacks is drawn as the replacement mark U+FFFD."""
    client = Client()
    module = build_module(title="Онлайн 𝐀 алаяқтық")
    run = finished_run(client, module)
    client.post(reverse("certificate", args=[run.id]), {"name": "Dana"})
    Certificate.objects.update(name="王 Dana")
    response = client.get(reverse("certificate_pdf", args=[run.id]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "\ufffd Dana" in text and "Онлайн \ufffd алаяқтық" in text
