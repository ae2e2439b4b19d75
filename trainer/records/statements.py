"""xAPI 1.0.3 statements (IEEE 9274.1.1) of a session player's progress, as plain dicts.

Pure: no database. Who: an Agent with an account on this site whose name is an opaque id
per session player (`actor_name`: nothing personal, not even the nickname). What: the
ADL verbs launched, answered, completed, passed and failed. On what: a module, a scenario,
a step of a scenario or an item of a module's check (cmi.interaction activities of type
"choice"). Context: the session as the registration and as a grouping activity, the
module as the parent of its scenarios and check items, the scenario as the parent of its
steps. Each statement's id is drawn when it is made and stays with it in the outbox, so a
store that receives it twice keeps it once.

Identifiers of activities and extensions are IRIs under the site's address
(settings.SITE_URL), e.g. https://saq.example.kz/xapi/scenarios/multiply-money/kk.
"""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.utils import translation
from django.utils.translation import pgettext

from scenarios.content import ChoiceView, MessageView, Spot, StepView, VersionContent

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
VERBS = ("launched", "answered", "completed", "passed", "failed")
INTERACTION = ADL_ACTIVITIES + "cmi.interaction"


@dataclass(frozen=True)
class Where:
    """What every statement of one player in one session shares."""

    site: str  # the site's address, no trailing slash: the account's homePage
    session_id: uuid.UUID
    session_title: str
    language: str  # the session's
    actor_name: str
    module: "ModuleRef | None" = None


@dataclass(frozen=True)
class ModuleRef:
    slug: str
    language: str
    title: str
    pass_mark: int


def actor_name(session_id: uuid.UUID, player_key: str) -> str:
    """An opaque id for the player in this session: the same for every statement of theirs,
    different in every session, and telling the store nothing about the browser or the
    person (a hash of a random key it never sees)."""
    digest = hashlib.sha256(f"saq.records.actor:{session_id}:{player_key}".encode())
    return digest.hexdigest()[:32]


def extension(where: Where, name: str) -> str:
    return f"{where.site}/xapi/extensions/{name}"


def _verb(name: str) -> dict:
    return {"id": ADL_VERBS + name, "display": {"en-US": name}}


def _activity(activity_id: str, kind: str, name: str, language: str, **more) -> dict:
    definition = {"type": kind, "name": {language: name or activity_id}, **more}
    return {"objectType": "Activity", "id": activity_id, "definition": definition}


def session_activity(where: Where) -> dict:
    return _activity(
        f"{where.site}/xapi/sessions/{where.session_id}",
        ADL_ACTIVITIES + "meeting",
        where.session_title,
        where.language,
    )


def module_activity(where: Where) -> dict:
    module = where.module
    return _activity(
        f"{where.site}/xapi/modules/{module.slug}/{module.language}",
        ADL_ACTIVITIES + "module",
        module.title,
        module.language,
    )


def scenario_activity(where: Where, content: VersionContent) -> dict:
    return _activity(
        f"{where.site}/xapi/scenarios/{content.slug}/{content.language}",
        ADL_ACTIVITIES + "simulation",
        content.title,
        content.language,
    )


def _choice_id(choice: ChoiceView) -> str:
    return f"choice-{choice.id}"


def step_activity(where: Where, content: VersionContent, step: StepView) -> dict:
    """A step as a choice interaction: its choices, the safe ones as correct responses."""
    language = content.language
    more = {
        "interactionType": "choice",
        "choices": [
            {"id": _choice_id(choice), "description": {language: choice.text}}
            for choice in step.choices
        ],
    }
    safe = [_choice_id(choice) for choice in step.choices if choice.verdict == "safe"]
    if safe:
        more["correctResponsesPattern"] = safe
    return _activity(
        f"{scenario_activity(where, content)['id']}/steps/{step.key}",
        INTERACTION,
        step.title or content.title,
        language,
        **more,
    )


def check_item_activity(where: Where, item) -> dict:
    """An item of the module's check: a message to call a scam or not."""
    language = where.module.language
    with translation.override(language):
        choices = [
            {"id": "scam", "description": {language: pgettext("check answer", "Scam")}},
            {"id": "genuine", "description": {language: pgettext("check answer", "Not a scam")}},
        ]
    return _activity(
        f"{module_activity(where)['id']}/check-items/{item.id}",
        INTERACTION,
        item.text,
        language,
        interactionType="choice",
        choices=choices,
        correctResponsesPattern=["genuine" if item.legitimate else "scam"],
    )


def statement(
    where: Where,
    verb: str,
    activity: dict,
    at: datetime,
    *,
    result: dict | None = None,
    parent: dict | None = None,
    context_extensions: dict | None = None,
) -> dict:
    """One statement, its id drawn now. The session groups every statement; the module
    groups those whose parent is one of its scenarios (a step's answer)."""
    grouping = [session_activity(where)]
    if where.module is not None and parent is not None:
        module = module_activity(where)
        if parent["id"] != module["id"]:
            grouping.append(module)
    context_activities = {"grouping": grouping}
    if parent is not None:
        context_activities["parent"] = [parent]
    context = {
        "registration": str(where.session_id),
        "platform": "Saq",
        "language": where.language,
        "contextActivities": context_activities,
    }
    if context_extensions:
        context["extensions"] = context_extensions
    made = {
        "id": str(uuid.uuid4()),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": where.site, "name": where.actor_name},
        },
        "verb": _verb(verb),
        "object": activity,
        "context": context,
        "timestamp": at.isoformat(),
    }
    if result is not None:
        made["result"] = result
    return made


def score_result(score: int, passed: bool, **extensions) -> dict:
    """A finished scenario's or module's result: Saq's 0-100 score, scaled for xAPI."""
    result = {
        "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
        "success": passed,
        "completion": True,
    }
    if extensions:
        result["extensions"] = extensions
    return result


def marks_extension(step: StepView, marked: set[int], marked_parts: set[int] = frozenset()) -> dict:
    """What the player marked on a step against its red flags: every spot scoring counts
    (a message's words, or its part: a link, a sender, a payment request, an attachment)
    with its red-flag type (null for an innocent one) and whether it was marked, and the
    tally of hits, misses and false alarms (scoring rule 1 in trainer/scoring.py)."""
    messages = [
        _mark(message, spot, message.id in (marked_parts if spot.on_part else marked))
        for message in step.messages
        for spot in message.spots
    ]
    return {
        "messages": messages,
        "hits": sum(1 for m in messages if m["red_flag"] and m["marked"]),
        "misses": sum(1 for m in messages if m["red_flag"] and not m["marked"]),
        "false_alarms": sum(1 for m in messages if not m["red_flag"] and m["marked"]),
    }


def _mark(message: MessageView, spot: Spot, marked: bool) -> dict:
    mark = {"message": message.key, "red_flag": spot.flag or None, "marked": marked}
    if spot.on_part:
        mark["part"] = message.part
    return mark
