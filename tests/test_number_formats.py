"""Money, percentages and decimals read naturally in Kazakh, Russian and English."""

import pytest
from django.template import Context, Template
from django.utils import translation

from trainer.templatetags.saq import decimal, percent, tenge

NBSP = "\u00a0"
LANGUAGES = ["kk", "ru", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (150000, f"150{NBSP}000{NBSP}₸"),
        (980000, f"980{NBSP}000{NBSP}₸"),
        (3000000, f"3{NBSP}000{NBSP}000{NBSP}₸"),
        (999, f"999{NBSP}₸"),
        (0, f"0{NBSP}₸"),
    ],
)
def test_tenge_is_grouped_by_no_break_spaces_in_every_language(language, amount, shown):
    with translation.override(language):
        assert tenge(amount) == shown
        assert Template("{% load saq %}{{ amount|tenge }}").render(Context({"amount": amount})) == (
            shown
        )


def test_no_amount_shows_nothing():
    assert tenge(None) == ""


@pytest.mark.parametrize(
    ("language", "fraction", "places", "shown"),
    [
        ("en", 0.835, 0, "84%"),
        ("kk", 0.835, 0, "84%"),
        ("ru", 0.835, 0, f"84{NBSP}%"),
        ("en", 0.8355, 1, "83.6%"),
        ("kk", 0.8355, 1, "83,6%"),
        ("ru", 0.8355, 1, f"83,6{NBSP}%"),
        ("kk", 1, 0, "100%"),
        ("en", 0, 0, "0%"),
    ],
)
def test_percent_takes_the_languages_decimal_separator_and_sign(language, fraction, places, shown):
    with translation.override(language):
        assert percent(fraction, places) == shown


@pytest.mark.parametrize("fraction", [0.285, 0.125, 0.005])
def test_percent_rounds_half_up_from_the_written_value(fraction):
    """0.285 is 28.499999... in binary; a reader expects 29%, as for 0.125 -> 13% and
    0.005 -> 1% (Python's round() would give 28%, 12% and 0%)."""
    with translation.override("en"):
        assert percent(fraction) == {0.285: "29%", 0.125: "13%", 0.005: "1%"}[fraction]


def test_percent_of_nothing_is_a_dash():
    assert percent(None) == "—"


@pytest.mark.parametrize(
    ("language", "value", "places", "shown"),
    [
        ("en", 1.234, 2, "1.23"),
        ("kk", 1.234, 2, "1,23"),
        ("ru", 1.234, 2, "1,23"),
        ("kk", -0.305, 2, "-0,31"),
        ("ru", -0.001, 2, "0,00"),
        ("en", 2.5, 1, "2.5"),
        ("kk", 1234.5, 1, "1234,5"),
    ],
)
def test_decimal_takes_the_languages_separator(language, value, places, shown):
    with translation.override(language):
        assert decimal(value, places) == shown
        template = Template("{% load saq %}{{ value|decimal:places }}")
        assert template.render(Context({"value": value, "places": places})) == shown


@pytest.mark.parametrize(("language", "shown"), [("kk", "0,5"), ("ru", "0,5"), ("en", "0.5")])
def test_a_plain_decimal_in_a_template_takes_the_languages_separator(language, shown):
    """Kazakh has number formats of its own (trainer/formats/kk), not Django's English ones."""
    with translation.override(language):
        assert Template("{{ value }}").render(Context({"value": 0.5})) == shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_plain_whole_numbers_are_never_grouped_so_ids_in_forms_stay_whole(language):
    with translation.override(language):
        assert Template("{{ value }}").render(Context({"value": 123456})) == "123456"
