"""A module's facilitator's guide as a PDF: A4, as many pages as it needs, wholly in the
module's language (its headings too), so that it can be printed for a class as it is.

Drawn like the certificate (trainer/certificates/pdf.py) by fpdf2 with DejaVu Sans from
trainer/certificates/fonts/: the fonts built into PDF readers have no Kazakh letters."""

from django.utils import translation
from fpdf import FPDF

from trainer.certificates.pdf import BRAND, FONT, FONTS, INK, MUTED
from trainer.sessions.guide import Guide, GuideWords, guide_words

LINE = 5.5  # mm: the height of a line of body text
MINUTES_COLUMN = 22  # mm: the width of a plan's "5 min" column


class _GuideDocument(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 9)
        self.set_text_color(*MUTED)
        self.cell(0, 6, str(self.page_no()), align="C")


def guide_pdf(guide: Guide) -> bytes:
    module = guide.module
    with translation.override(module.language):
        words = guide_words(guide)
    pdf = _GuideDocument(format="A4")
    pdf.set_title(f"{words.title}: {module.title}")
    pdf.set_author("Saq")
    pdf.set_creator("Saq")
    pdf.set_lang(module.language)
    pdf.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    _draw(pdf, guide, words)
    return bytes(pdf.output())


def _draw(pdf: FPDF, guide: Guide, words: GuideWords) -> None:
    def text(value: str, *, size: float = 11, style: str = "", colour=INK, gap: float = 2) -> None:
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.5, value, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def heading(value: str) -> None:
        pdf.ln(3)
        text(value, size=14, style="B", colour=BRAND, gap=2)

    def bullet(value: str) -> None:
        text(f"•  {value}", gap=1)

    def plan(title: str, rows: tuple[tuple[str, str], ...]) -> None:
        heading(title)
        for minutes, activity in rows:
            pdf.set_font(FONT, "B", 11)
            pdf.set_text_color(*INK)
            pdf.cell(MINUTES_COLUMN, LINE, minutes)
            pdf.set_font(FONT, "", 11)
            pdf.multi_cell(0, LINE, activity, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)

    module = guide.module
    text("Saq", size=12, style="B", colour=BRAND, gap=1)
    text(words.title, size=22, style="B", gap=1)
    text(module.title, size=16, style="B", gap=2)
    if module.summary:
        text(module.summary, colour=MUTED)
    text(words.facts, size=10, colour=MUTED)
    if not guide.written:
        text(words.not_written)
    if guide.before:
        heading(words.before)
        text(guide.before)
    if words.school_rows:
        plan(words.school_lesson, words.school_rows)
    if words.workplace_rows:
        plan(words.workplace_session, words.workplace_rows)
    heading(words.questions)
    for talk in guide.scenarios:
        title = f"{talk.number}. {talk.title}"
        text(f"{title} ({words.genuine})" if talk.legitimate else title, size=12, style="B", gap=1)
        for question in talk.questions:
            bullet(question)
        if not talk.questions:
            text(words.no_questions, colour=MUTED)
        pdf.ln(1)
    if guide.after:
        heading(words.after)
        text(guide.after)
    heading(words.report)
    for hint in words.report_hints:
        bullet(hint)
    if words.red_flag_types:
        text(words.red_flag_types, gap=1)
