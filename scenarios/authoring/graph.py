"""The graph check an author sees on every scenario page, in plain words.

Errors block publishing; warnings don't. The graph rules themselves (what can be
reached, what leads nowhere, a scam needs a red flag) are the ones the pack validator
uses, from `scenarios.story_graph`; this module adds what only a database version can
get wrong (no start, two starts, a scene without messages) and words it all for authors.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from scenarios.models import ScenarioVersion
from scenarios.story_graph import graph_findings

from .story import Story, StoryStep, story_load

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR or WARNING
    text: str
    step_id: int | None = None  # the step to open to put it right


@dataclass(frozen=True)
class GraphCheck:
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.level == WARNING]

    @property
    def passed(self) -> bool:
        return not self.errors


def version_check(version: ScenarioVersion) -> GraphCheck:
    return story_check(story_load(version))


def story_check(story: Story) -> GraphCheck:
    found: list[Finding] = []
    if not story.steps:
        found.append(Finding(ERROR, _("The scenario has no steps yet: add the first step.")))
        return GraphCheck(tuple(found))
    found += _start_findings(story)
    found += _step_findings(story)
    findings = graph_findings(story.shapes(), start=story.start_key, legitimate=story.legitimate)
    for i, k in findings.broken:
        step = story.steps[i]
        message = _('Choice "%(choice)s" on step "%(step)s" leads nowhere: pick its next step.')
        found.append(
            Finding(ERROR, message % {"choice": step.choices[k].text, "step": step.name}, step.id)
        )
    for i in findings.unreachable:
        step = story.steps[i]
        message = _('Step "%(step)s" cannot be reached from the start: no choice leads to it.')
        found.append(Finding(ERROR, message % {"step": step.name}, step.id))
    for i in findings.dead_ends:
        step = story.steps[i]
        if not step.is_ending and not step.choices:
            continue  # already named: it has no choices at all
        if all(choice.next_key == step.key for choice in step.choices):
            message = _(
                'Every choice on step "%(step)s" leads back to the same step: a player there '
                "is stuck. Pick another next step."
            )
        else:
            message = _('No ending can be reached from step "%(step)s": a player there is stuck.')
        found.append(Finding(ERROR, message % {"step": step.name}, step.id))
    if findings.scam_without_flag:
        message = _(
            "This scenario is a scam, but no message carries a red flag: give at least one "
            "message a red-flag type, or mark the scenario as legitimate."
        )
        found.append(Finding(ERROR, message))
    found += _explanation_warnings(story)
    # Errors first, then warnings, each in the order of the steps.
    return GraphCheck(tuple(sorted(found, key=lambda finding: finding.level != ERROR)))


def _start_findings(story: Story) -> list[Finding]:
    if not story.starts:
        message = _("No step is marked as the start: mark the step players begin on.")
        return [Finding(ERROR, message)]
    if len(story.starts) > 1:
        names = ", ".join(f'"{step.name}"' for step in story.starts)
        message = _("More than one step is marked as the start (%(steps)s): keep one.")
        return [Finding(ERROR, message % {"steps": names}, story.starts[1].id)]
    if story.starts[0].is_ending:
        message = _('The start "%(step)s" is an ending: players would have nothing to do.')
        return [Finding(ERROR, message % {"step": story.starts[0].name}, story.starts[0].id)]
    return []


def _step_findings(story: Story) -> list[Finding]:
    found = []
    message_keys: dict[str, StoryStep] = {}
    for step in story.steps:
        values = {"step": step.name}
        if step.is_ending:
            if not step.title.strip():
                message = _('Ending "%(step)s" has no title: give it one.')
                found.append(Finding(ERROR, message % values, step.id))
            if not step.text.strip():
                message = _('Ending "%(step)s" has no text: say what happened to the player.')
                found.append(Finding(ERROR, message % values, step.id))
            if step.messages or step.choices:
                message = _(
                    'Ending "%(step)s" still has messages or choices: players never see them.'
                )
                found.append(Finding(WARNING, message % values, step.id))
            continue
        if not step.messages:
            message = _('Step "%(step)s" has no messages: add what the player reads.')
            found.append(Finding(ERROR, message % values, step.id))
        if not step.choices:
            message = _('Step "%(step)s" has no choices: add one, or make the step an ending.')
            found.append(Finding(ERROR, message % values, step.id))
        for item in step.messages:
            if item.key in message_keys:
                message = _(
                    'The message key "%(key)s" is used twice: on "%(first)s" and "%(step)s".'
                )
                first = message_keys[item.key].name
                found.append(
                    Finding(ERROR, message % {"key": item.key, "first": first, **values}, step.id)
                )
            message_keys.setdefault(item.key, step)
    return found


def _explanation_warnings(story: Story) -> list[Finding]:
    message = _(
        'A red flag on step "%(step)s" has no explanation: players will not learn why '
        '"%(message)s" was suspicious.'
    )
    return [
        Finding(WARNING, message % {"step": step.name, "message": _short(item.text)}, step.id)
        for step in story.steps
        if not step.is_ending
        for item in step.messages
        if item.flag and not item.explanation.strip()
    ]


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
