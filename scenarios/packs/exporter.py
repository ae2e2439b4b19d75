"""Writing published scenarios back out as a pack (docs/scenario-pack.md).

The pack is written in one canonical form: keys in the documented order and
optional fields left out when empty or at their default. The importer puts an
incoming scenario in the same form (`normalise_scenario`) to tell whether it
differs from the published version.
"""

from collections.abc import Collection, Iterable

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from scenarios.message_kinds import FLAGS_FIELDS, KINDS, TEXT, WHOLE
from scenarios.models import (
    ANY_LANGUAGE,
    DEFAULT_AUDIENCE,
    DEFAULT_CHECK_SIZE,
    DEFAULT_PASS_MARK,
    AsksFor,
    CheckItem,
    Choice,
    Message,
    Module,
    ModuleScenario,
    RedFlagType,
    Scenario,
    ScenarioVersion,
    Step,
)

PACK_FORMAT = "saq-pack"
# Version 2 adds kinds of message, a step's channel and what the player says (version 1
# packs still import: docs/scenario-pack.md).
PACK_VERSION = 2
DEFAULT_DIFFICULTY = 1


def _put(target: dict, key: str, value: object, default: object = "") -> None:
    """Set an optional field only when it says something."""
    if value is not None and value != default:
        target[key] = value


def normalise_scenario(scenario: dict) -> dict:
    """A pack scenario in canonical form: documented key order, no empty or default fields."""
    out = {key: scenario[key] for key in ("slug", "language", "title")}
    _put(out, "summary", scenario.get("summary", ""))
    out["channel"] = scenario["channel"]
    out["legitimate"] = scenario["legitimate"]
    _put(out, "difficulty", scenario.get("difficulty", DEFAULT_DIFFICULTY), DEFAULT_DIFFICULTY)
    _put(out, "based_on", scenario.get("based_on", ""))
    _put(out, "basis", scenario.get("basis", ""))
    _put(out, "sources", list(scenario.get("sources", ())), [])
    _put(out, "minutes", scenario.get("minutes"), None)
    _put(out, "discussion", list(scenario.get("discussion", ())), [])
    out["start"] = scenario["start"]
    out["steps"] = [_normalise_step(step) for step in scenario["steps"]]
    return out


def _normalise_step(step: dict) -> dict:
    if step.get("ending"):
        out = {key: step[key] for key in ("key", "ending", "title", "text")}
        _put(out, "loss_kzt", step.get("loss_kzt"), None)
        return out
    out = {"key": step["key"]}
    _put(out, "title", step.get("title", ""))
    _put(out, "channel", step.get("channel", ""))
    sender = step.get("sender") or {}
    if sender.get("name"):
        out["sender"] = {"name": sender["name"]}
        _put(out["sender"], "handle", sender.get("handle", ""))
        out["sender"]["verified"] = bool(sender.get("verified", False))
    out["messages"] = [_normalise_message(message) for message in step["messages"]]
    out["choices"] = []
    for choice in step["choices"]:
        item = {"text": choice["text"], "verdict": choice["verdict"]}
        _put(item, "feedback", choice.get("feedback", ""))
        _put(item, "says", choice.get("says", ""))
        item["next"] = choice["next"]
        out["choices"].append(item)
    return out


def _normalise_message(message: dict) -> dict:
    """Key, kind (left out for text), words, the kind's fields in its documented order,
    then the flag, where it sits (left out for the words) and its explanation."""
    kind = message.get("kind", TEXT)
    item = {"key": message["key"]}
    _put(item, "kind", kind, TEXT)
    _put(item, "text", message.get("text", ""))
    spec = KINDS.get(kind)
    for name in spec.fields if spec else ():
        _put(item, name, message.get(name), False if name in FLAGS_FIELDS else "")
    _put(item, "flag", message.get("flag"), None)
    _put(item, "flag_part", message.get("flag_part") or WHOLE, WHOLE)
    _put(item, "explanation", message.get("explanation", ""))
    return item


def with_content(versions: QuerySet[ScenarioVersion]) -> QuerySet[ScenarioVersion]:
    """Versions with everything `version_as_pack` reads, in four queries whatever their number."""
    return versions.select_related("scenario").prefetch_related(
        Prefetch(
            "steps",
            queryset=Step.objects.order_by("order").prefetch_related(
                Prefetch("messages", queryset=Message.objects.select_related("flag")),
                Prefetch("choices", queryset=Choice.objects.select_related("next_step")),
            ),
        )
    )


def version_as_pack(version: ScenarioVersion) -> dict:
    """One scenario version as a pack scenario (loaded through `with_content`)."""
    steps = list(version.steps.all())
    start = next((step for step in steps if step.is_start), steps[0] if steps else None)
    scenario = {
        "slug": version.scenario.slug,
        "language": version.scenario.language,
        "title": version.title,
        "summary": version.summary,
        "channel": version.channel,
        "legitimate": version.legitimate,
        "difficulty": version.difficulty,
        "based_on": version.based_on,
        "basis": version.basis,
        "sources": version.sources,
        "minutes": version.minutes_given,
        "discussion": version.discussion,
        "start": start.key if start else "",
        "steps": [_step_as_pack(step) for step in steps],
    }
    return normalise_scenario(scenario)


def _step_as_pack(step: Step) -> dict:
    if step.ending:
        fields = ("key", "ending", "title", "text", "loss_kzt")
        return {field: getattr(step, field) for field in fields}
    sender = {
        "name": step.sender_name,
        "handle": step.sender_handle,
        "verified": step.sender_verified,
    }
    messages = [
        {
            "key": message.key,
            "kind": message.kind,
            "text": message.text,
            **message.details,
            "flag": message.flag.code if message.flag else None,
            "flag_part": message.flag_part,
            "explanation": message.explanation,
        }
        for message in step.messages.all()
    ]
    choices = [
        {
            "text": choice.text,
            "verdict": choice.verdict,
            "feedback": choice.feedback,
            "says": choice.says,
            "next": choice.next_step.key,
        }
        for choice in step.choices.all()
    ]
    return {
        "key": step.key,
        "title": step.title,
        "channel": step.channel,
        "sender": sender,
        "messages": messages,
        "choices": choices,
    }


def localised_as_pack(texts: dict[str, str]) -> str | dict[str, str]:
    """A red-flag type's name or advice as a pack writes it.

    Only the any-language text: a plain string. Otherwise an object of the
    site's languages, where the any-language text (if there is one) stands in
    for each language that has none of its own.
    """
    languages = [code for code, _name in settings.LANGUAGES]
    own = {code: texts[code] for code in languages if texts.get(code)}
    fallback = texts.get(ANY_LANGUAGE, "")
    if not own:
        return fallback
    if fallback:
        return {code: own.get(code, fallback) for code in languages}
    return own


def _red_flag_type_as_pack(flag_type: RedFlagType) -> dict:
    out = {"code": flag_type.code, "name": localised_as_pack(flag_type.name) or flag_type.code}
    _put(out, "advice", localised_as_pack(flag_type.advice))
    _put(out, "asks_for", flag_type.asks_for, AsksFor.NOTHING)
    return out


def _module_as_pack(module: Module) -> dict:
    out = {"slug": module.slug, "language": module.language, "title": module.title}
    _put(out, "summary", module.summary)
    # Left out at the default, so a pack of such modules reads as it did before pass marks.
    _put(out, "pass_mark", module.pass_mark, DEFAULT_PASS_MARK)
    _put(out, "audience", module.audience, DEFAULT_AUDIENCE)
    out["scenarios"] = [entry.scenario.slug for entry in module.entries.all()]
    _put(out, "check_size", module.check_size, DEFAULT_CHECK_SIZE)
    items = []
    for check_item in module.check_items.all():
        item = {"key": check_item.key, "channel": check_item.channel}
        _put(item, "sender", check_item.sender)
        item |= {"text": check_item.text, "legitimate": check_item.legitimate}
        _put(item, "flag", check_item.flag.code if check_item.flag else None, None)
        _put(item, "form", check_item.form)
        items.append(item)
    _put(out, "check_items", items, [])
    _put(out, "guide", module.guide, {})
    return out


def _flag_codes(scenarios: Iterable[dict], modules: Iterable[dict]) -> set[str]:
    codes = {
        message["flag"]
        for scenario in scenarios
        for step in scenario["steps"]
        for message in step.get("messages", ())
        if "flag" in message
    }
    codes |= {
        item["flag"]
        for module in modules
        for item in module.get("check_items", ())
        if "flag" in item
    }
    return codes


def pack_export(
    *,
    slug: str | None = None,
    language: str | None = None,
    scenario_ids: Collection[int] | None = None,
) -> dict:
    """The published version of every matching scenario as one pack.

    With the red-flag types those scenarios (and the modules) use; modules only
    when neither a slug nor a selection of scenarios is given, filtered by language
    like the scenarios.
    """
    scenarios = Scenario.objects.published()
    only_some = bool(slug) or scenario_ids is not None
    modules = Module.objects.none() if only_some else Module.objects.all()
    if slug:
        scenarios = scenarios.filter(slug=slug)
    if scenario_ids is not None:
        scenarios = scenarios.filter(pk__in=list(scenario_ids))
    if language:
        scenarios = scenarios.filter(language=language)
        modules = modules.filter(language=language)
    versions = with_content(
        ScenarioVersion.objects.filter(pk__in=scenarios.values("current_version"))
    ).order_by("scenario__slug", "scenario__language")
    scenario_packs = [version_as_pack(version) for version in versions]
    module_packs = [
        _module_as_pack(module)
        for module in modules.prefetch_related(
            Prefetch("entries", queryset=ModuleScenario.objects.select_related("scenario")),
            Prefetch("check_items", queryset=CheckItem.objects.in_pool().select_related("flag")),
        )
    ]
    flag_types = RedFlagType.objects.filter(code__in=_flag_codes(scenario_packs, module_packs))
    pack: dict = {"format": PACK_FORMAT, "version": PACK_VERSION}
    _put(pack, "red_flag_types", [_red_flag_type_as_pack(flag) for flag in flag_types], [])
    pack["scenarios"] = scenario_packs
    _put(pack, "modules", module_packs, [])
    return pack
