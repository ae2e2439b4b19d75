"""Who sees what in the admin: an author sees and changes content and nothing else; a staff
member outside the Authors group sees nothing; a superuser sees everything, players' results
read-only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from scenarios.models import CheckItem
from tests.authoring import author, staff_without_group, superuser
from tests.factories import build_module, build_scenario
from tests.test_modules import start_run
from tests.test_play import answer, start
from trainer.models import Attempt, CheckAnswer, ModuleRun, StepAnswer

pytestmark = pytest.mark.django_db

CONTENT_PAGES = [
    "admin:scenarios_scenario_changelist",
    "admin:scenarios_redflagtype_changelist",
    "admin:scenarios_module_changelist",
    "admin:scenarios_scenario_add",
    "admin:scenarios_scenario_import",
]
RESULT_MODELS = [Attempt, StepAnswer, ModuleRun, CheckAnswer]
ORGANISATIONAL_PAGES = [
    "admin:auth_user_changelist",
    "admin:auth_group_changelist",
    "admin:auth_user_add",
]


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_the_authors_group_holds_exactly_the_content_apps_permissions():
    """Made by a migration. Any future role (a facilitator, say) whose models live outside the
    content app is therefore out of an author's reach: authors get only content permissions."""
    group = Group.objects.get(name="Authors")
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    content = set(
        Permission.objects.filter(content_type__app_label="scenarios").values_list(
            "content_type__app_label", "codename"
        )
    )
    assert held == content
    assert {"change_scenario", "change_step", "change_redflagtype", "add_message"} <= {
        codename for _app, codename in held
    }
    assert not any(app != "scenarios" for app, _codename in held)


def test_an_author_sees_and_changes_content(client):
    scenario = build_scenario()
    client.force_login(author())
    for name in CONTENT_PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
    page = client.get(reverse("admin:scenarios_scenario_change", args=[scenario.pk]))
    assert "Graph check" in page.content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    assert "Scenarios" in index and "Red-flag types" in index
    assert "Attempts" not in index and "Users" not in index and "Groups" not in index


@pytest.mark.parametrize("model", RESULT_MODELS, ids=lambda m: m.__name__)
def test_an_author_is_refused_players_results(client, model):
    scenario = build_scenario()
    attempt = start(client, scenario)
    client.force_login(author())
    assert client.get(changelist(model)).status_code == 403
    if model is Attempt:
        url = reverse("admin:trainer_attempt_change", args=[attempt.pk])
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ORGANISATIONAL_PAGES)
def test_an_author_is_refused_users_and_groups(client, name):
    client.force_login(author())
    assert client.get(reverse(name)).status_code == 403


def test_a_staff_member_outside_the_authors_group_sees_nothing(client):
    scenario = build_scenario()
    client.force_login(staff_without_group())
    index = client.get(reverse("admin:index")).content.decode()
    assert "You don’t have permission to view or edit anything." in index
    for name in CONTENT_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    page = reverse("admin:scenarios_scenario_change", args=[scenario.pk])
    assert client.get(page).status_code == 403
    assert client.get(reverse("authoring_stats", args=[scenario.pk])).status_code == 403
    draft = client.post(reverse("admin:scenarios_scenario_draft", args=[scenario.pk]))
    assert draft.status_code == 403
    assert scenario.versions.count() == 1
    for model in RESULT_MODELS:
        assert client.get(changelist(model)).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    scenario = build_scenario()
    for url in [
        reverse("admin:scenarios_scenario_changelist"),
        reverse("authoring_stats", args=[scenario.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url
    response = client.post(reverse("authoring_preview", args=[scenario.current_version_id]))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_superuser_sees_everything_and_players_results_read_only(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    client.force_login(superuser())
    index = client.get(reverse("admin:index")).content.decode()
    assert "Attempts" in index and "Users" in index and "Scenarios" in index
    for model in RESULT_MODELS:
        assert client.get(changelist(model)).status_code == 200
    page = client.get(reverse("admin:trainer_attempt_change", args=[attempt.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # nothing to change
    assert client.get(reverse("admin:trainer_attempt_add")).status_code == 403
    response = client.post(
        reverse("admin:trainer_attempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Attempt.objects.filter(pk=attempt.pk).exists()


def test_a_superuser_reads_an_answers_marks_and_a_runs_drawn_items(client):
    scenario = build_scenario()
    attempt = start(client, scenario)
    answer(client, attempt, "Ask to meet first (0)", ["Send 50% to my card now (0)"])
    run = ModuleRun.objects.get(pk=start_run(client, build_module()).pk)
    client.force_login(superuser())
    stored = StepAnswer.objects.get(attempt=attempt)
    page = client.get(reverse("admin:trainer_stepanswer_change", args=[stored.pk]))
    html = page.content.decode()
    assert "m0-flag" in html and "m0-hello" not in html  # the marked message, by its key
    assert 'name="_save"' not in html and "marks-0-DELETE" not in html
    html = client.get(reverse("admin:trainer_modulerun_change", args=[run.pk])).content.decode()
    for item in CheckItem.objects.filter(pk__in=run.items_drawn("before")):
        assert f">{item.key}<" in html


def test_a_staff_member_given_result_permissions_still_does_not_see_results(client):
    """Results are for superusers: even a permission granted by hand does not open them."""
    user = staff_without_group()
    user.user_permissions.add(Permission.objects.get(codename="view_attempt"))
    client.force_login(user)
    assert client.get(changelist(Attempt)).status_code == 403


def test_a_facilitator_persona_gets_no_authoring_and_an_author_no_facilitating(client):
    """A facilitator's permissions belong to the training app, never the content app, and the
    Authors group holds the content app's only: the two roles never overlap."""
    facilitator = staff_without_group("facilitator")
    facilitator.user_permissions.add(*Permission.objects.filter(content_type__app_label="trainer"))
    scenario = build_scenario()
    client.force_login(facilitator)
    for name in CONTENT_PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    response = client.post(reverse("admin:scenarios_scenario_draft", args=[scenario.pk]))
    assert response.status_code == 403
    assert scenario.versions.count() == 1
    authors = Group.objects.get(name="Authors")
    assert not authors.permissions.filter(content_type__app_label="trainer").exists()


def test_a_player_with_an_account_but_no_staff_status_is_sent_to_log_in(client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("player", password="x-long-password-1"))
    response = client.get(reverse("admin:scenarios_scenario_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url
