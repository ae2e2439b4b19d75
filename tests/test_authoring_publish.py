"""Publishing and versions: a broken draft is refused; publishing makes a new version that
players start from then on, records who published it, and counts a double click once;
attempts in progress finish on the version they began; published versions never change."""

import sqlite3
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from scenarios.authoring import drafts
from scenarios.authoring.drafts import draft_publish, draft_start
from scenarios.models import Choice, Message, Scenario, ScenarioVersion, Step
from tests.authoring import author, step_form, version_form
from tests.factories import build_scenario
from tests.test_play import answer, start

pytestmark = pytest.mark.django_db

PUBLISHED_MEANWHILE = (
    "Not saved: this draft was published, or a newer version of the scenario was, while its "
    "page was open. A published version never changes: start a new draft to change it."
)


def publish(client, version):
    return client.post(reverse("admin:scenarios_scenarioversion_publish", args=[version.pk]))


def notices(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_broken_draft_is_refused_publishing_with_every_error_and_nothing_changes(author_client):
    scenario = build_scenario(published=False, scenes=2)
    version = scenario.versions.get()
    Choice.objects.filter(step__key="scene-1", order=0).update(next_step=None)
    Message.objects.update(flag=None)
    response = publish(author_client, version)
    assert response.status_code == 302
    assert response.url == reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    assert notices(response) == [
        "Not published: put these right first.",
        'Choice "Ask to meet first (1)" on step "Scene 1 (scene-1)" leads nowhere: '
        "pick its next step.",
        'Step "You kept your money (safe)" cannot be reached from the start: no choice leads '
        "to it.",
        "This scenario is a scam, but no message carries a red flag: give at least one message "
        "a red-flag type, or mark the scenario as legitimate.",
    ]
    version.refresh_from_db()
    scenario.refresh_from_db()
    assert version.published_at is None and scenario.current_version is None
    page = author_client.get(response.url).content.decode()
    assert "3 errors stop this scenario from being published." in page
    assert '<button type="submit" class="button default" disabled>' in page


def test_publishing_makes_the_draft_what_players_start_and_records_who(client):
    scenario = build_scenario(published=False, scenes=1, title="Draft title")
    version = scenario.versions.get()
    user = author("dana")
    client.force_login(user)
    response = publish(client, version)
    assert response.url == reverse("admin:scenarios_scenario_change", args=[scenario.pk])
    assert notices(response) == ["Version 1 is published: players start it from now on."]
    version.refresh_from_db()
    scenario.refresh_from_db()
    assert scenario.current_version == version and version.published_by == user
    assert version.published_at is not None and version.minutes >= 1
    page = client.get(response.url).content.decode()  # shows (and so clears) the notice
    again = publish(client, version)  # a double click
    assert notices(again) == []
    assert ScenarioVersion.objects.filter(scenario=scenario).count() == 1
    assert ScenarioVersion.objects.get(pk=version.pk).published_at == version.published_at
    assert "published: players start this one" in page and "dana" in page
    client.logout()
    assert "Draft title" in client.get(reverse("catalogue")).content.decode()


def test_editing_a_published_scenario_works_on_a_new_draft_and_attempts_finish_on_their_version(
    client, author_client
):
    scenario = build_scenario(scenes=2, title="First title")
    v1 = scenario.current_version
    attempt = start(client, scenario)
    answer(client, attempt, "Ask to meet first (0)")  # the player is on scene 1 of version 1

    response = author_client.post(reverse("admin:scenarios_scenario_draft", args=[scenario.pk]))
    v2 = scenario.versions.get(number=2)
    assert response.url == reverse("admin:scenarios_scenarioversion_change", args=[v2.pk])
    again = author_client.post(reverse("admin:scenarios_scenario_draft", args=[scenario.pk]))
    assert again.url == response.url and scenario.versions.count() == 2  # one draft
    assert list(v2.steps.values_list("key", flat=True)) == list(
        v1.steps.values_list("key", flat=True)
    )
    assert Choice.objects.filter(step__version=v2, next_step__version=v2).count() == 4
    assert Choice.objects.filter(step__version=v2).exclude(next_step__version=v2).count() == 0

    rows = [
        {
            "id": str(s.pk),
            "order": str(s.order),
            "key": s.key,
            "title": s.title,
            "ending": s.ending,
            "text": s.text,
            "loss_kzt": s.loss_kzt or "",
            **({"is_start": "on"} if s.is_start else {}),
        }
        for s in v2.steps.order_by("order")
    ]
    saved = author_client.post(
        response.url, version_form(v2, rows, initial=len(rows), title="Second title")
    )
    assert saved.status_code == 302
    publish(author_client, v2)
    scenario.refresh_from_db()
    assert scenario.current_version == v2
    assert (
        v1.title == "First title" and ScenarioVersion.objects.get(pk=v1.pk).title == "First title"
    )

    answer(client, attempt, "Ask to meet first (1)")  # the attempt finishes on version 1
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.version == v1 and attempt.current_step.version == v1
    result = client.get(reverse("result", args=[attempt.id])).content.decode()
    assert "First title" in result

    newcomer = start(client.__class__(), scenario)
    assert newcomer.version == v2


def test_a_published_version_and_its_steps_cannot_be_changed(author_client):
    scenario = build_scenario(scenes=1, title="Kept")
    version = scenario.current_version
    step = version.steps.get(key="scene-0")
    page = author_client.get(reverse("admin:scenarios_scenarioversion_change", args=[version.pk]))
    html = page.content.decode()
    assert "A published version never changes: to change the scenario, start a draft." in html
    assert 'name="_save"' not in html
    for url, form in [
        (
            reverse("admin:scenarios_scenarioversion_change", args=[version.pk]),
            version_form(version, [], title="Changed"),
        ),
        (
            reverse("admin:scenarios_step_change", args=[step.pk]),
            step_form(step, [], [], title="Changed"),
        ),
        (reverse("admin:scenarios_scenarioversion_delete", args=[version.pk]), {"post": "yes"}),
        (reverse("admin:scenarios_step_delete", args=[step.pk]), {"post": "yes"}),
    ]:
        response = author_client.post(url, form, follow=True)
        version_page = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
        assert response.redirect_chain == [(version_page, 302)], url
        assert response.content.decode().count(PUBLISHED_MEANWHILE) == 1
    assert ScenarioVersion.objects.get(pk=version.pk).title == "Kept"
    assert Step.objects.get(pk=step.pk).title == "Scene 0"


def test_a_draft_published_while_its_page_was_open_refuses_the_save_with_a_message(
    author_client,
):
    """Two authors: one has the draft's step open, the other publishes the draft. The save
    that follows is refused, says why, and the published version stays as published."""
    version = build_scenario(published=False, scenes=1, title="As published").versions.get()
    step = version.steps.get(key="scene-0")
    page = author_client.get(reverse("admin:scenarios_step_change", args=[step.pk]))
    assert 'name="_save"' in page.content.decode()  # open for editing when it was loaded
    other = Client()
    other.force_login(author("dana"))
    assert publish(other, version).status_code == 302
    response = author_client.post(
        reverse("admin:scenarios_step_change", args=[step.pk]),
        step_form(step, [], [], title="Edited too late"),
    )
    assert notices(response) == [PUBLISHED_MEANWHILE]
    assert Step.objects.get(pk=step.pk).title == "Scene 0"
    page = author_client.get(response.url).content.decode()
    assert "A published version never changes: to change the scenario, start a draft." in page


def test_a_draft_overtaken_by_a_later_publication_is_refused(author_client):
    scenario = build_scenario(scenes=1)
    stale = draft_start(scenario=scenario)
    newer = build_scenario(scenes=1)  # publishes version 3 of the same scenario
    assert newer.current_version.number == 3
    response = publish(author_client, stale)
    assert notices(response) == [
        "Not published: put these right first.",
        "Version 3 was published after this draft was started; start a new draft from it instead.",
    ]
    stale.refresh_from_db()
    assert stale.published_at is None


def test_the_scenario_page_shows_every_version_and_who_published_it(client):
    scenario = build_scenario(scenes=1)
    draft = draft_start(scenario=scenario)
    client.force_login(author("erlan"))
    publish(client, draft)
    draft_start(scenario=scenario)
    html = client.get(
        reverse("admin:scenarios_scenario_change", args=[scenario.pk])
    ).content.decode()
    assert "Status: <strong>published; changes in a draft</strong>" in html
    assert "Edit the draft (version 3)" in html
    assert "published earlier" in html and "published: players start this one" in html
    assert "erlan" in html


def test_translating_copies_the_structure_into_another_language_as_a_draft(author_client):
    scenario = build_scenario(scenes=2)
    response = author_client.post(
        reverse("admin:scenarios_scenario_translate", args=[scenario.pk]), {"language": "kk"}
    )
    copy = Scenario.objects.get(slug=scenario.slug, language="kk")
    version = copy.versions.get()
    assert response.url == reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    assert copy.current_version is None and version.number == 1
    original = scenario.current_version
    shape = lambda v: [  # noqa: E731
        (
            s.key,
            s.is_start,
            s.ending,
            [m.flag_id for m in s.messages.all()],
            [(c.verdict, c.next_step.key) for c in s.choices.all()],
        )
        for s in v.steps.order_by("order")
    ]
    assert shape(version) == shape(original)
    again = author_client.post(
        reverse("admin:scenarios_scenario_translate", args=[scenario.pk]), {"language": "kk"}
    )
    assert notices(again)[-1] == '"phone-seller" exists in Kazakh already: open it there.'
    assert Scenario.objects.filter(slug=scenario.slug).count() == 2


def test_warnings_do_not_block_publishing(author_client):
    version = build_scenario(published=False, scenes=1).versions.get()
    Message.objects.filter(flag__isnull=False).update(explanation="")
    page = author_client.get(reverse("admin:scenarios_scenarioversion_change", args=[version.pk]))
    assert "No errors: the scenario can be published. Look at the warnings first." in (
        page.content.decode()
    )
    response = publish(author_client, version)
    assert notices(response) == ["Version 1 is published: players start it from now on."]
    assert Scenario.objects.get().current_version == version


def publisher_would_wait(version: ScenarioVersion) -> bool:
    """Would `draft_publish` have to wait for the version now? Asked from another
    connection without waiting: PostgreSQL refuses a NOWAIT lock of a row another
    transaction holds; SQLite refuses at once to begin a writing transaction while
    another holds the database's write lock."""
    answer: list[bool] = []

    def ask() -> None:
        try:
            if connection.vendor == "sqlite":
                probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
                try:
                    probe.execute("BEGIN IMMEDIATE")
                    probe.rollback()
                    answer.append(False)
                except sqlite3.OperationalError:
                    answer.append(True)
                finally:
                    probe.close()
                return
            try:
                with transaction.atomic():
                    Scenario.objects.select_for_update(nowait=True).get(pk=version.scenario_id)
                    ScenarioVersion.objects.select_for_update(nowait=True).get(pk=version.pk)
                answer.append(False)
            except DatabaseError:
                answer.append(True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=ask)
    thread.start()
    thread.join(timeout=30)
    return answer == [True]


@pytest.mark.django_db(transaction=True)
def test_while_a_draft_is_saved_publishing_it_waits_and_then_publishes_the_edit(monkeypatch):
    """The save holds the scenario's and the version's rows from its check to its end (the
    probe runs where the save begins editing), so publishing comes wholly before it (and
    the save is refused) or wholly after it (and publishes the edit)."""
    client = Client()
    client.force_login(author())
    version = build_scenario(published=False, scenes=1, title="Draft").versions.get()
    step = version.steps.get(key="scene-0")
    during_the_save: list[bool] = []

    def probe(_version_id: int) -> None:
        during_the_save.append(publisher_would_wait(version))

    monkeypatch.setattr(drafts, "_before_edit", [*drafts._before_edit, probe])
    response = client.post(
        reverse("admin:scenarios_step_change", args=[step.pk]),
        step_form(step, [], [], title="Edited"),
    )
    assert response.status_code == 302
    assert during_the_save == [True]
    assert not publisher_would_wait(version)  # the save is over: the rows are free
    assert draft_publish(version=version, user=None)
    assert Scenario.objects.get().current_version.steps.get(key="scene-0").title == "Edited"
