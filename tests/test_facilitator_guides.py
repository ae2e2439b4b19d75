"""The facilitator's guide to a module: the author's words (the module's `guide`, each
scenario's `discussion` questions) on a page in the module's language, printable, and as a
PDF whose text reads back; linked from where a facilitator makes a session and from a
session's page. Who may open it is in tests/test_facilitator_access.py."""

import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from scenarios.models import Module, RedFlagType, ScenarioVersion
from tests.factories import build_module
from tests.session_factories import facilitator, new_session
from trainer.sessions.guide import guide_of, guide_words

pytestmark = pytest.mark.django_db

KAZAKH_LETTERS = set("әғқңөұүһі")
GUIDE_KK = {
    "before": "Бүгін ақша мен кодты сұрайтын хабарламаларды қарастырамыз.",
    "after": "Алаяқтар оқиғаны өзгертеді, ал айласы сол қалпы: асықтыру, құпия, код.",
    "school_lesson": [
        {"minutes": 5, "activity": "Сабақтың мақсаты; алдын ала тексеру."},
        {"minutes": 30, "activity": "Жұппен сценарийлер, әрқайсысынан кейін сұрақтар."},
        {"minutes": 10, "activity": "Соңғы тексеру; топтың есебі экранда."},
    ],
    "workplace_session": [
        {"minutes": 25, "activity": "Сценарийлер, әрқайсысына бір сұрақ."},
        {"minutes": 5, "activity": "Соңғы тексеру және жұмыста кімге хабарлау керегі."},
    ],
}
QUESTIONS = [
    ["Қай хабарламаны бірінші тексеруге болар еді?", "Неге құпия ұстауды сұрайды?"],
    ["Бұл хабарлама жалғанынан немен ерекшеленді?"],
]


@pytest.fixture
def alice():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(facilitator("alice"))
    return client


def kazakh_module() -> Module:
    module = build_module(slug="at-work", language="kk", title="Шаһардағы алаяқтық: жұмыста")
    Module.objects.filter(pk=module.pk).update(guide=GUIDE_KK)
    for entry, questions in zip(module.entries.order_by("order"), QUESTIONS, strict=True):
        ScenarioVersion.objects.filter(pk=entry.scenario.current_version_id).update(
            discussion=questions
        )
    ScenarioVersion.objects.filter(pk=module.entries.last().scenario.current_version_id).update(
        legitimate=True
    )
    return Module.objects.get(pk=module.pk)


def without_page_number(text: str) -> str:
    """A page's text without the number at its foot."""
    lines = text.strip().splitlines()
    return "\n".join(lines[:-1] if lines and lines[-1].strip().isdigit() else lines)


def words(text: str) -> str:
    """Text with every run of white space made one space: wrapped lines read as one."""
    return re.sub(r"\s+", " ", text).strip()


def test_the_guide_page_shows_the_authors_words_in_the_modules_language(alice):
    """An English-speaking facilitator reads a Kazakh module's guide: the guide itself, its
    headings too, is in Kazakh, as it will be printed for the class."""
    module = kazakh_module()
    page = alice.get(reverse("facilitator:guide", args=["at-work", "kk"]))
    assert page.status_code == 200
    html = words(page.content.decode())
    assert '<article class="guide" lang="kk">' in html
    for text in (GUIDE_KK["before"], GUIDE_KK["after"], *(q for qs in QUESTIONS for q in qs)):
        assert text in html
    with translation.override("kk"):
        expected = guide_words(guide_of(module))
        assert gettext("Facilitator’s guide") != "Facilitator’s guide"
    assert expected.school_lesson in html and "45" in expected.school_lesson
    assert expected.workplace_session in html and "30" in expected.workplace_session
    assert '<th scope="row">5 мин</th><td>Сабақтың мақсаты; алдын ала тексеру.</td>' in html
    assert expected.genuine in html  # the look-alike is named as one
    for hint in expected.report_hints:
        assert hint in html.replace("&#x27;", "'").replace("&quot;", '"')
    assert RedFlagType.objects.get().name_in("kk") in expected.red_flag_types
    assert expected.red_flag_types in html
    # The plan reads in order, and the scenarios in the module's order.
    assert html.index("Case 0") < html.index("Case 1")
    assert html.index(GUIDE_KK["school_lesson"][0]["activity"]) < html.index(
        GUIDE_KK["school_lesson"][2]["activity"]
    )


def test_the_guide_names_the_reports_sections_as_the_report_does():
    sections = ["Per kind of red flag", "Per scenario", "Red flags the group missed"]
    sections.append("Before and after: the module's check")
    with translation.override("ru"):
        hints = guide_words(guide_of(build_module(language="ru"))).report_hints
        for section in sections:
            assert gettext(section) != section
            assert any(f"«{gettext(section)}»" in hint for hint in hints), section


def test_a_module_without_a_guide_still_lists_its_scenarios_and_the_report(alice):
    build_module()
    html = alice.get(reverse("facilitator:guide", args=["basics", "en"])).content.decode()
    assert "has not written a guide yet" in html
    assert "Case 0" in html and "No questions are written for this scenario." in html
    assert "Per kind of red flag" in html
    assert "A school lesson of" not in html


def test_an_unknown_module_or_language_is_404(alice):
    build_module()
    assert alice.get(reverse("facilitator:guide", args=["nothing", "en"])).status_code == 404
    assert alice.get(reverse("facilitator:guide", args=["basics", "kk"])).status_code == 404
    assert alice.get(reverse("facilitator:guide", args=["basics", "xx"])).status_code == 404
    assert alice.get(reverse("facilitator:guide_pdf", args=["basics", "xx"])).status_code == 404


def test_the_pdf_reads_back_in_kazakh_with_every_part_of_the_guide(alice):
    module = kazakh_module()
    response = alice.get(reverse("facilitator:guide_pdf", args=["at-work", "kk"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="saq-guide-at-work-kk.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = words(" ".join(without_page_number(page.extract_text()) for page in reader.pages))
    assert set(text.lower()) >= KAZAKH_LETTERS
    with translation.override("kk"):
        expected = guide_words(guide_of(module))
    parts = [expected.title, module.title, expected.facts, expected.before, GUIDE_KK["before"]]
    parts += [expected.school_lesson, expected.workplace_session, expected.questions]
    parts += [q for qs in QUESTIONS for q in qs]
    parts += [expected.after, GUIDE_KK["after"], expected.report, *expected.report_hints]
    parts += [expected.red_flag_types]
    parts += [f"{minutes} {activity}" for minutes, activity in expected.school_rows]
    for part in parts:
        assert words(part) in text, part
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVuSans" in font for font in fonts)


def test_a_long_guide_runs_onto_more_pages_and_numbers_them(alice):
    module = kazakh_module()
    long = dict(GUIDE_KK, before="Ұзақ мәтін. " * 400)
    Module.objects.filter(pk=module.pk).update(guide=long)
    response = alice.get(reverse("facilitator:guide_pdf", args=["at-work", "kk"]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert page.extract_text().strip().splitlines()[-1].strip() == str(number)


def test_the_guides_list_shows_the_modules_of_a_language_with_their_guides(alice):
    build_module(slug="basics", language="ru", title="Основы")
    build_module(slug="at-work", language="kk", title="Шаһардағы алаяқтық: жұмыста")
    html = alice.get(reverse("facilitator:guides") + "?language=ru").content.decode()
    assert "Основы" in html and "Жұмыстағы" not in html
    assert reverse("facilitator:guide", args=["basics", "ru"]) in html
    assert reverse("facilitator:guide_pdf", args=["basics", "ru"]) in html


def test_the_new_session_page_and_a_sessions_page_link_to_the_guides(alice):
    page = alice.get(reverse("facilitator:session_new") + "?language=kk").content.decode()
    assert f'href="{reverse("facilitator:guides")}?language=kk"' in page
    module = build_module()
    scenarios = [entry.scenario for entry in module.entries.order_by("order")]
    from trainer.models import Membership

    org = Membership.objects.get(user__username="alice").organisation
    with_module = new_session(org=org, scenarios=scenarios, module=module, title="With module")
    page = alice.get(reverse("facilitator:session", args=[with_module.id])).content.decode()
    assert f'href="{reverse("facilitator:guide", args=["basics", "en"])}"' in page
    by_hand = new_session(org=org, scenarios=scenarios[:1], title="Picked by hand")
    page = alice.get(reverse("facilitator:session", args=[by_hand.id])).content.decode()
    assert f'href="{reverse("facilitator:guides")}?language=en"' in page


def cost(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["guide", "guide_pdf"])
def test_a_guide_costs_the_same_for_two_scenarios_and_for_nine(alice, name):
    counts = []
    for slug, size in (("small", 2), ("large", 9)):
        build_module(slug=slug, scenarios=size, scenes=3)
        counts.append(cost(alice, reverse(f"facilitator:{name}", args=[slug, "en"])))
    assert counts[0] == counts[1], counts


def test_the_guides_list_costs_the_same_for_one_module_and_for_three(alice):
    counts = []
    for modules in (1, 3):
        Module.objects.all().delete()
        for i in range(modules):
            build_module(slug=f"m{modules}-{i}")
        counts.append(cost(alice, reverse("facilitator:guides") + "?language=en"))
    assert counts[0] == counts[1], counts
