"""scenarios.content.flag_types reads the red-flag types afresh, in plain SQL: it gives what
the ORM gives, names and advice per language as the model's JSON fields read them."""

import pytest

from scenarios.content import FlagType, flag_types
from scenarios.models import RedFlagType

pytestmark = pytest.mark.django_db


def orm(codes=None) -> dict[str, FlagType]:
    rows = (
        RedFlagType.objects.all() if codes is None else RedFlagType.objects.filter(code__in=codes)
    )
    return {row.code: FlagType(row.code, row.name, row.advice, row.asks_for) for row in rows}


def test_the_types_read_are_the_orms_and_an_edit_shows_at_once():
    RedFlagType.objects.create(
        code="prepayment",
        name={"en": "Prepayment", "ru": "Предоплата", "kk": "Алдын ала төлем"},
        advice={"en": "Pay on delivery.", "ru": "Платите при получении."},
    )
    RedFlagType.objects.create(code="pressure", name={"en": "Pressure"}, advice={})
    for codes in (None, {"prepayment"}, {"prepayment", "pressure", "no-such-code"}, set()):
        assert flag_types(codes) == orm(codes)
    assert flag_types({"prepayment"})["prepayment"].name_in("ru") == "Предоплата"
    assert flag_types({"pressure"})["pressure"].advice_in("en") == ""
    RedFlagType.objects.filter(code="pressure").update(name={"en": "Hurry"})
    assert flag_types({"pressure"})["pressure"].name_in("en") == "Hurry"
