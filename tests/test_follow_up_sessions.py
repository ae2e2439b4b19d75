"""A facilitator makes a follow-up to one of their organisation's sessions: new scenarios
or a module, shown against the red-flag types the earlier session covered; playing the
same scenarios again is warned about, not refused."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import build_scenario
from tests.follow_up_factories import join_follow_up, pool_module, shown_return_code
from tests.forms import page_token
from tests.session_factories import (
    facilitator,
    join,
    new_session,
    organisation,
    personas,
    play,
    start_scenario,
)
from trainer.models import SessionPlayer, TrainingSession
from trainer.sessions.follow_up import follow_up_report
from trainer.sessions.services import session_create, session_delete

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    client = Client()
    client.force_login(facilitator("alice"))
    return client


@pytest.fixture
def earlier():
    """Class 9B played a phone seller (prepayment) and a boss in a hurry (urgency)."""
    phone = build_scenario(slug="phone-seller", title="A bargain phone", flag="prepayment")
    boss = build_scenario(slug="boss-hurry", title="The boss in a hurry", flag="urgency")
    return new_session(scenarios=[phone, boss], title="Class 9B")


def make_follow_up(client: Client, earlier: TrainingSession, data: dict, once: str = ""):
    """Send the follow-up form, as loaded now (or as loaded when `once` was read from it)."""
    url = reverse("facilitator:follow_up_new", args=[earlier.id])
    form = {"language": "en", "title": "Class 9B, later", **data}
    return client.post(url, {**form, "once": once or page_token(client, url)}, follow=True)


def test_the_form_shows_what_the_earlier_session_covered_and_marks_each_choice(alice, earlier):
    build_scenario(slug="shop", title="A cheap shop", flag="prepayment")
    build_scenario(slug="lottery", title="You won a car", flag="prize")
    pool_module("refresher", [earlier.entries.get(number=1).scenario], {"p": "urgency"})
    html = " ".join(
        alice.get(reverse("facilitator:follow_up_new", args=[earlier.id])).content.decode().split()
    )
    assert "A follow-up to “Class 9B”" in html
    assert 'value="Class 9B: follow-up"' in html  # the title, ready to change
    covered = html.split('<ul class="flag-types">')[1].split("</ul>")[0]
    assert "Demand to pay in advance" in covered and "Pressure and urgency" in covered
    assert "prize" not in covered
    shop = html.split("A cheap shop · 3 minutes</label>")[1].split("</div>")[0]
    assert '✓ <span class="visually-hidden">covered before:</span> Demand to pay' in shop
    assert "Played in the earlier session." not in shop
    lottery = html.split("You won a car · 3 minutes</label>")[1].split("</div>")[0]
    assert '<span class="flag-type">prize</span>' in lottery  # not covered: no ✓
    phone = html.split("A bargain phone · 3 minutes</label>")[1].split("</div>")[0]
    assert "Played in the earlier session." in phone
    modules = html.split('<ul class="offers"')[1].split("</ul>")[0]
    assert "Module refresher" in modules
    assert "Has 1 scenario the group played in the earlier session." in modules


def test_a_follow_up_with_new_scenarios_is_made_in_the_same_organisation(alice, earlier):
    shop = build_scenario(slug="shop", title="A cheap shop", flag="prepayment")
    response = make_follow_up(alice, earlier, {"scenarios": [shop.id]})
    follow_up = TrainingSession.objects.get(title="Class 9B, later")
    assert follow_up.follow_up_of == earlier
    assert follow_up.organisation == earlier.organisation
    assert [e.scenario for e in follow_up.entries.all()] == [shop]
    html = response.content.decode()
    assert "A follow-up to “Class 9B”." in html and follow_up.code in html
    assert "played in “Class 9B”" not in html  # nothing to warn about
    assert reverse("facilitator:follow_up_report", args=[follow_up.id]) in html


def test_playing_the_same_scenarios_again_is_warned_about_not_refused(alice, earlier):
    phone = earlier.entries.get(number=1).scenario
    shop = build_scenario(slug="shop", title="A cheap shop")
    response = make_follow_up(alice, earlier, {"scenarios": [shop.id, phone.id]})
    html = response.content.decode()
    assert (
        "This follow-up has scenarios the group played in “Class 9B”: “A bargain phone”. "
        "Players who remember them may do better for that reason alone." in html
    )
    assert TrainingSession.objects.filter(follow_up_of=earlier).count() == 1


def test_a_follow_up_from_a_module(alice, earlier):
    shop = build_scenario(slug="shop", title="A cheap shop")
    module = pool_module("refresher", [shop], {"p": "prepayment", "g": None})
    make_follow_up(alice, earlier, {"module": module.id})
    follow_up = TrainingSession.objects.get(follow_up_of=earlier)
    assert follow_up.module == module and follow_up.entries.get().scenario == shop


def test_a_double_clicked_make_makes_one_follow_up(alice, earlier):
    shop = build_scenario(slug="shop", title="A cheap shop")
    once = page_token(alice, reverse("facilitator:follow_up_new", args=[earlier.id]))
    first = make_follow_up(alice, earlier, {"scenarios": [shop.id]}, once)
    again = make_follow_up(alice, earlier, {"scenarios": [shop.id]}, once)
    assert TrainingSession.objects.filter(follow_up_of=earlier).count() == 1
    assert again.redirect_chain == first.redirect_chain  # the same answer
    # The form loaded again and sent, even with the same title and scenarios, is another.
    make_follow_up(alice, earlier, {"scenarios": [shop.id]})
    assert TrainingSession.objects.filter(follow_up_of=earlier).count() == 2


def test_nothing_chosen_says_so_and_makes_nothing(alice, earlier):
    html = make_follow_up(alice, earlier, {}).content.decode()
    assert "Choose a module, or at least one scenario." in html
    assert not TrainingSession.objects.filter(follow_up_of=earlier).exists()


def test_no_follow_up_to_another_organisations_session():
    people = personas()
    theirs = new_session(org=people["company"], title="Company 2 session")
    bob, alice = Client(), Client()
    bob.force_login(people["bob"])
    alice.force_login(people["alice"])
    shop = build_scenario(slug="shop", title="A cheap shop")
    response = make_follow_up(alice, theirs, {"scenarios": [shop.id]}, once="o" * 22)
    assert response.status_code == 404
    assert not TrainingSession.objects.filter(follow_up_of=theirs).exists()
    with pytest.raises(ValueError, match="organisation of the session it follows"):
        session_create(
            organisation=people["school"],
            created_by=people["alice"],
            title="Sneaky",
            language="en",
            scenarios=[shop],
            follow_up_of=theirs,
        )


def test_a_session_that_follows_nothing_has_no_follow_up_report(alice, earlier):
    url = reverse("facilitator:follow_up_report", args=[earlier.id])
    assert alice.get(url).status_code == 404


def test_the_list_of_sessions_names_what_a_follow_up_follows(alice, earlier):
    follow_up = new_session(title="Class 9B, later")
    follow_up.follow_up_of = earlier
    follow_up.save(update_fields=["follow_up_of"])
    html = " ".join(alice.get(reverse("facilitator:home")).content.decode().split())
    assert "<dt>Follows up</dt><dd>Class 9B</dd>" in html
    assert reverse("facilitator:follow_up_report", args=[follow_up.id]) in html


def test_without_checks_a_few_red_flags_are_too_few_to_tell(alice, earlier):
    """No module: the overall reading would come from the types. Айгүл caught everything
    before; in the follow-up she catches every prepayment flag but misses the urgency
    one. One player's few red flags are too few to read (scoring rule 9): no reading."""
    player = Client()
    join(player, earlier, "Айгүл")
    play(player, start_scenario(player, earlier, 1))
    play(player, start_scenario(player, earlier, 2))
    code = " ".join(shown_return_code(player, earlier))
    shop = build_scenario(slug="shop", title="A cheap shop", scenes=2, flag="prepayment")
    call = build_scenario(slug="call", title="A call", scenes=1, flag="urgency")
    follow_up = new_session(scenarios=[shop, call], title="Class 9B, later")
    follow_up.follow_up_of = earlier
    follow_up.save(update_fields=["follow_up_of"])
    again = Client()
    join_follow_up(again, follow_up, "Aigul", code)
    play(again, start_scenario(again, follow_up, 1))
    play(again, start_scenario(again, follow_up, 2), mark_flags=None)
    report = follow_up_report(follow_up, earlier)
    assert report.group.change is None
    assert [(t.code, t.reading) for t in report.group.types] == [
        ("prepayment", "too_few"),
        ("urgency", "too_few"),
    ]
    assert report.group.reading is None
    html = " ".join(
        alice.get(reverse("facilitator:follow_up_report", args=[follow_up.id]))
        .content.decode()
        .split()
    )
    assert "No check to compare" in html
    assert "No reading yet: too few linked players" in html
    assert html.count("Too few to tell") == 2
    assert "Faded" not in html


def test_deleting_the_earlier_session_leaves_the_follow_up_without_its_link(earlier):
    player = Client()
    join(player, earlier, "Айгүл")
    play(player, start_scenario(player, earlier, 1))
    play(player, start_scenario(player, earlier, 2))
    code = " ".join(shown_return_code(player, earlier))
    follow_up = session_create(
        organisation=organisation(),
        created_by=None,
        title="Later",
        language="en",
        scenarios=[build_scenario(slug="shop")],
        follow_up_of=earlier,
    )
    join_follow_up(Client(), follow_up, "Aigul", code)
    session_delete(session=earlier)
    follow_up.refresh_from_db()
    assert follow_up.follow_up_of is None
    assert SessionPlayer.objects.get(session=follow_up).returning_from is None
