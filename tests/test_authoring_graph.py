"""The graph check in plain words: each rule found, errors apart from warnings, and the same
rules as the pack validator (one implementation over one shape)."""

import pytest

from scenarios.authoring.graph import ERROR, WARNING, version_check
from scenarios.models import Choice, Ending, Message, Step, Verdict
from scenarios.story_graph import StepShape, graph_findings
from tests.factories import build_scenario

pytestmark = pytest.mark.django_db


def draft(**options):
    scenario = build_scenario(published=False, **options)
    return scenario.versions.get()


def texts(check, level):
    return [finding.text for finding in check.findings if finding.level == level]


def test_a_sound_draft_passes_with_no_finding():
    check = version_check(draft(scenes=2))
    assert check.passed and check.findings == ()


def test_an_unreachable_step_is_an_error_naming_the_step():
    version = draft(scenes=2)
    Step.objects.create(
        version=version,
        key="detour",
        order=9,
        title="A detour",
        ending="safe",
        text="You walked away.",
    )
    check = version_check(version)
    assert not check.passed
    assert texts(check, ERROR) == [
        'Step "A detour (detour)" cannot be reached from the start: no choice leads to it.'
    ]
    assert check.errors[0].step_id == Step.objects.get(key="detour").pk


def test_a_step_from_which_no_ending_can_be_reached_is_an_error():
    version = draft(scenes=2)
    loop = Step.objects.create(version=version, key="loop", order=9, title="Round and round")
    Message.objects.create(step=loop, key="loop-m", text="Again?")
    Choice.objects.create(step=loop, text="Again", verdict=Verdict.RISKY, next_step=loop)
    Choice.objects.filter(step__key="scene-1", order=0).update(next_step=loop)
    check = version_check(version)
    assert (
        'Every choice on step "Round and round (loop)" leads back to the same step: a player '
        "there is stuck. Pick another next step." in texts(check, ERROR)
    )


def test_a_circle_of_steps_with_no_way_out_is_an_error_on_each():
    version = draft(scenes=2)
    Choice.objects.filter(step__key="scene-1").delete()
    scene_0, scene_1 = Step.objects.filter(key__in=["scene-0", "scene-1"]).order_by("key")
    Choice.objects.create(step=scene_1, text="Back", verdict=Verdict.RISKY, next_step=scene_0)
    Choice.objects.filter(step=scene_0, order=1).update(next_step=scene_1)
    check = version_check(version)
    stuck = [text for text in texts(check, ERROR) if text.startswith("No ending")]
    assert stuck == [
        'No ending can be reached from step "Scene 0 (scene-0)": a player there is stuck.',
        'No ending can be reached from step "Scene 1 (scene-1)": a player there is stuck.',
    ]


def test_every_problem_is_listed_at_once_not_in_rounds():
    """A choice leading nowhere, a step whose only choice loops to itself and steps no
    choice leads to: all named in one check, so one round of fixes is enough."""
    version = draft(scenes=3)
    Choice.objects.filter(step__key="scene-0", order=1).update(next_step=None)
    scene_1 = Step.objects.get(key="scene-1")
    Choice.objects.filter(step=scene_1, order=1).delete()
    Choice.objects.filter(step=scene_1, order=0).update(next_step=scene_1)
    check = version_check(version)
    assert texts(check, ERROR) == [
        'Choice "Transfer 75 000 tenge (0)" on step "Scene 0 (scene-0)" leads nowhere: '
        "pick its next step.",
        'Step "Scene 2 (scene-2)" cannot be reached from the start: no choice leads to it.',
        'Step "The money is gone (scammed)" cannot be reached from the start: no choice '
        "leads to it.",
        'Step "You kept your money (safe)" cannot be reached from the start: no choice leads '
        "to it.",
        'Every choice on step "Scene 1 (scene-1)" leads back to the same step: a player '
        "there is stuck. Pick another next step.",
    ]


def test_a_step_whose_only_way_on_is_a_broken_choice_is_not_called_stuck_as_well():
    version = draft(scenes=2)
    Choice.objects.filter(step__key="scene-1").update(next_step=None)
    found = texts(version_check(version), ERROR)
    assert len([text for text in found if "leads nowhere" in text]) == 2
    assert not [text for text in found if text.startswith("No ending")]


def test_a_choice_pointing_nowhere_is_an_error_and_its_step_is_named():
    version = draft(scenes=2)
    Choice.objects.filter(step__key="scene-0", order=1).update(next_step=None)
    check = version_check(version)
    assert texts(check, ERROR) == [
        'Choice "Transfer 75 000 tenge (0)" on step "Scene 0 (scene-0)" leads nowhere: '
        "pick its next step."
    ]


def test_a_choice_into_another_version_points_nowhere_too():
    version = draft(scenes=2)
    elsewhere = build_scenario(slug="other").current_version.steps.first()
    Choice.objects.filter(step__key="scene-0", step__version=version, order=1).update(
        next_step=elsewhere
    )
    assert "leads nowhere" in version_check(version).errors[0].text


def test_a_scam_with_no_red_flag_is_an_error_but_a_legitimate_one_is_fine():
    version = draft(scenes=2)
    Message.objects.update(flag=None, explanation="")
    check = version_check(version)
    assert texts(check, ERROR) == [
        "This scenario is a scam, but no message carries a red flag: give at least one message "
        "a red-flag type, or mark the scenario as legitimate."
    ]
    version.legitimate = True
    version.save()
    assert version_check(version).passed


def test_a_flag_without_explanation_is_a_warning_that_does_not_block():
    version = draft(scenes=1)
    Message.objects.filter(flag__isnull=False).update(explanation="  ")
    check = version_check(version)
    assert check.passed
    assert texts(check, WARNING) == [
        'A red flag on step "Scene 0 (scene-0)" has no explanation: players will not learn why '
        '"Send 50% to my card now (0)" was suspicious.'
    ]


def test_an_ending_without_text_or_title_is_an_error():
    version = draft(scenes=1)
    Step.objects.filter(key="safe").update(text="", title="")
    check = version_check(version)
    assert texts(check, ERROR) == [
        'Ending "safe" has no title: give it one.',
        'Ending "safe" has no text: say what happened to the player.',
    ]


def test_start_scenes_without_messages_or_choices_and_repeated_message_keys():
    version = draft(scenes=2)
    Step.objects.filter(key="scene-1").update(is_start=True)
    check = version_check(version)
    assert texts(check, ERROR) == [
        'More than one step is marked as the start ("Scene 0 (scene-0)", "Scene 1 (scene-1)"): '
        "keep one."
    ]
    Step.objects.update(is_start=False)
    assert texts(version_check(version), ERROR)[0] == (
        "No step is marked as the start: mark the step players begin on."
    )
    Step.objects.filter(key="scene-0").update(is_start=True)
    Message.objects.filter(step__key="scene-1").delete()
    Choice.objects.filter(step__key="scene-1").delete()
    Message.objects.filter(key="m0-photo").update(key="m0-hello")
    errors = texts(version_check(version), ERROR)
    assert 'Step "Scene 1 (scene-1)" has no messages: add what the player reads.' in errors
    assert 'Step "Scene 1 (scene-1)" has no choices: add one, or make the step an ending.' in errors
    assert (
        'The message key "m0-hello" is used twice: on "Scene 0 (scene-0)" and "Scene 0 (scene-0)".'
        in errors
    )


def test_an_empty_draft_is_told_to_add_its_first_step():
    version = draft(scenes=1)
    Step.objects.filter(version=version).delete()
    assert texts(version_check(version), ERROR) == [
        "The scenario has no steps yet: add the first step."
    ]


def test_errors_come_before_warnings():
    version = draft(scenes=2)
    Message.objects.filter(key="m0-flag").update(explanation="")
    Step.objects.filter(key="scammed").update(text="")
    levels = [finding.level for finding in version_check(version).findings]
    assert levels == [ERROR, WARNING]


def test_one_graph_rule_set_serves_packs_and_the_admin():
    """The shape both describe a story in: unreachable steps and dead ends are found by
    index, broken links too, and a broken link does not stop the walk."""
    steps = [
        StepShape("a", False, ("b", "c"), ("pressure", None)),
        StepShape("b", False, ("b",), (None,)),
        StepShape("c", True),
        StepShape("d", True),
    ]
    found = graph_findings(steps, start="a", legitimate=False)
    assert found.walked and found.unreachable == (3,) and found.dead_ends == (1,)
    assert not found.scam_without_flag
    broken = graph_findings(
        [StepShape("a", False, ("nowhere", None)), StepShape("c", True)],
        start="a",
        legitimate=False,
    )
    assert broken.broken == ((0, 0), (0, 1)) and broken.scam_without_flag
    assert broken.unreachable == (1,) and broken.dead_ends == ()  # a broken choice: a way out


def test_the_pack_validator_and_the_admin_name_the_same_unreachable_step():
    from scenarios.packs.validation import pack_problems

    version = draft(scenes=1)
    Step.objects.create(
        version=version, key="detour", order=9, ending=Ending.SAFE, title="D", text="x"
    )
    pack = {
        "format": "saq-pack",
        "version": 1,
        "scenarios": [
            {
                "slug": "s",
                "language": "en",
                "title": "T",
                "channel": "sms",
                "legitimate": True,
                "start": "a",
                "steps": [
                    {
                        "key": "a",
                        "messages": [{"key": "m", "text": "t"}],
                        "choices": [{"text": "go", "verdict": "safe", "next": "z"}],
                    },
                    {"key": "z", "ending": "safe", "title": "Z", "text": "z"},
                    {"key": "detour", "ending": "safe", "title": "D", "text": "x"},
                ],
            }
        ],
    }
    assert pack_problems(pack, known_flag_codes=set(), known_scenarios=set()) == [
        'scenarios[0].steps[2] ("detour"): cannot be reached from start "a"'
    ]
    assert "detour" in version_check(version).errors[0].text


@pytest.mark.parametrize(
    ("language", "heading", "finding"),
    [
        ("ru", "Проверка графа", "никуда не ведёт: выберите для него следующий шаг."),
        ("kk", "Граф тексерісі", "таңдауы ешқайда апармайды: келесі қадамын таңдаңыз."),
    ],
)
def test_an_author_reads_the_check_in_their_language(author_client, language, heading, finding):
    from django.urls import reverse

    version = draft(scenes=1)
    Choice.objects.filter(step__version=version, order=0).update(next_step=None)
    url = reverse("admin:scenarios_scenarioversion_change", args=[version.pk])
    html = author_client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert heading in html and finding in html
