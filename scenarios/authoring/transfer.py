"""Packs in and out of the admin, through the same reader, validator, importer and
exporter as the `import_scenarios` and `export_scenarios` commands."""

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import UploadedFile
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from scenarios.models import RedFlagType, Scenario
from scenarios.packs.exporter import pack_export
from scenarios.packs.importer import PackRejected
from scenarios.packs.validation import packs_problems, read_pack

from .drafts import scenario_draft

MAX_PACK_BYTES = 5 * 1024 * 1024


def uploads_read(files: Iterable[UploadedFile]) -> list[tuple[str, dict]]:
    """The uploaded pack files read and checked, as (name, pack) pairs, or PackRejected
    listing every problem by file and place."""
    parsed, problems = [], []
    for upload in files:
        if upload.size > MAX_PACK_BYTES:
            message = _("%(name)s: larger than %(limit)d MB; split it into smaller packs")
            problems.append(message % {"name": upload.name, "limit": MAX_PACK_BYTES // 2**20})
            continue
        data, found = read_pack(upload.read(), name=upload.name)
        problems += found
        if data is not None:
            parsed.append((upload.name, data))
    if problems:
        # Some file cannot be read: the others are still checked, so every problem is
        # listed at once.
        problems += packs_problems(
            parsed,
            known_flag_codes=set(RedFlagType.objects.values_list("code", flat=True)),
            known_scenarios=set(Scenario.objects.values_list("slug", "language")),
        )
        raise PackRejected(problems)
    return parsed


def selection_export(scenarios: Iterable[Scenario]) -> tuple[bytes, list[Scenario]]:
    """The published versions of the chosen scenarios as one pack file (UTF-8 JSON), and
    the chosen scenarios left out because nothing of them is published yet."""
    chosen = list(scenarios)
    published = [scenario.pk for scenario in chosen if scenario.current_version_id]
    pack = pack_export(scenario_ids=published)
    text = json.dumps(pack, ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8"), [s for s in chosen if not s.current_version_id]


@dataclass(frozen=True)
class ExportRow:
    scenario: Scenario
    published: int | None  # the number of the version the pack holds
    draft: int | None  # an open draft's number: not in the pack


def export_report_page(model_admin, request, chosen: list[Scenario]) -> TemplateResponse:
    """What the pack of the chosen scenarios will hold, said before the file is saved."""
    rows = []
    for scenario in chosen:
        draft = scenario_draft(scenario)
        current = scenario.current_version
        rows.append(
            ExportRow(
                scenario, current.number if current else None, draft.number if draft else None
            )
        )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": _("Export scenarios as a pack file"),
        "rows": rows,
        "exportable": any(row.published for row in rows),
        "action_checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/scenarios/scenario/export.html", context)
