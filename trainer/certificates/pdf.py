"""A certificate as a PDF: one A4 page, landscape, in the language of the page asked from.

fpdf2 draws it in pure Python with DejaVu Sans, shipped in trainer/fonts/ (its licence is
beside it): the fonts built into PDF readers have no Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү,
һ, і), so the font travels inside the file, cut down to the letters it uses.
"""

from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _
from fontTools.ttLib import TTFont
from fpdf import FPDF

from trainer.certificates.services import code_grouped
from trainer.models import Certificate
from trainer.templatetags.saq import long_date

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"
INK = (27, 31, 36)
MUTED = (74, 83, 96)
BRAND = (11, 92, 138)
BOTTOM_MARGIN = 14  # mm: the text stays inside the frame drawn 10 mm from the edge


FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# Drawn for a letter the font lacks: a visible mark, never a blank.
MISSING = "\ufffd"


@cache
def _drawable(style: str = "B") -> frozenset[int]:
    """The characters the font of this style (the name's is bold) has a glyph for."""
    with TTFont(FONTS / FONT_FILES[style], lazy=True) as font:
        return frozenset(font.getBestCmap())


def letters_the_font_lacks(text: str, style: str = "B") -> str:
    """The characters of `text` the certificate's font cannot draw, each once, in order: a
    PDF would show them blank (Chinese, emoji, mathematical letters...)."""
    drawable = _drawable(style)
    return "".join(dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) not in drawable))


def _visible(text: str, style: str) -> str:
    """The text with each letter the font lacks drawn as MISSING: the form refuses such
    names, but a module's title, or a name issued before it did, may still hold one."""
    lacking = letters_the_font_lacks(text, style)
    return text.translate({ord(ch): MISSING for ch in lacking}) if lacking else text


def certificate_pdf(certificate: Certificate, *, verify_url: str, language: str) -> bytes:
    with translation.override(language):
        # A long name or title wraps; when the page overflows, it is drawn again smaller.
        for scale in (1.0, 0.85, 0.7, 0.55):
            pdf = _draw(certificate, verify_url, language, scale)
            if pdf.get_y() <= pdf.h - BOTTOM_MARGIN:
                break
        return bytes(pdf.output())


def _draw(certificate: Certificate, verify_url: str, language: str, scale: float) -> FPDF:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(_("Certificate") + f" {code_grouped(certificate.code)}")
    pdf.set_author("Saq")
    pdf.set_creator("Saq")
    pdf.set_lang(language)
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_margins(25, 22, 25)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    _frame(pdf)

    def line(text: str, *, size: float, style: str = "", colour=INK, gap: float = 0) -> None:
        """A centred paragraph; a long one wraps onto further lines."""
        pdf.set_font(FONT, style, size * scale)
        pdf.set_text_color(*colour)
        text = _visible(text, style)
        pdf.multi_cell(0, size * scale * 0.5, text, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap * scale)

    line("Saq", size=16, style="B", colour=BRAND, gap=10)
    line(_("Certificate"), size=34, style="B", gap=8)
    line(_("This certifies that"), size=14, colour=MUTED, gap=4)
    line(certificate.name, size=26, style="B", gap=6)
    line(_("completed the module"), size=14, colour=MUTED, gap=4)
    line(certificate.module_title, size=20, style="B", gap=6)
    line(_("with a score of %(score)s out of 100") % {"score": certificate.score}, size=14, gap=2)
    if certificate.organisation_name:
        organisation = certificate.organisation_name
        line(_("in a session run by %(organisation)s") % {"organisation": organisation}, size=14)
    line(long_date(certificate.issued_at), size=14, gap=14)
    code = _("Verification code: %(code)s") % {"code": code_grouped(certificate.code)}
    line(code, size=12, style="B", gap=2)
    line(_("Check it at %(url)s") % {"url": verify_url}, size=10, colour=MUTED)
    return pdf


def _frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*BRAND)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
