"""Packs in and out of the admin, through the same reader, validator, importer and
exporter as the `import_scenarios` and `export_scenarios` commands."""

import json
from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from scenarios.models import RedFlagType, Scenario
from scenarios.packs.archive import is_zip, pack_as_zip, pack_image_names, read_pack_zip
from scenarios.packs.exporter import pack_export
from scenarios.packs.importer import ImportReport, PackRejected, pack_import
from scenarios.packs.validation import packs_problems, read_pack

MAX_PACK_BYTES = 20 * 1024 * 1024  # a zip pack holds its pictures too


def uploads_import(files: Iterable[UploadedFile]) -> ImportReport:
    """Import uploaded pack files all together, or raise PackRejected listing every problem
    by file and place; then nothing is changed."""
    parsed, problems, beside = [], [], {}
    for upload in files:
        if upload.size > MAX_PACK_BYTES:
            message = _("%(name)s: larger than %(limit)d MB; split it into smaller packs")
            problems.append(message % {"name": upload.name, "limit": MAX_PACK_BYTES // 2**20})
            continue
        raw = upload.read()
        if is_zip(raw):
            data, beside[upload.name], found = read_pack_zip(raw, name=upload.name)
        else:
            data, found = read_pack(raw, name=upload.name)
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
    return pack_import(packs=parsed, files=beside)


def selection_export(scenarios: Iterable[Scenario]) -> tuple[bytes, str, list[Scenario]]:
    """The published versions of the chosen scenarios as one pack file (UTF-8 JSON, or a zip
    with the pictures when they show any), its file name, and the chosen scenarios left out
    because nothing of them is published yet."""
    chosen = list(scenarios)
    published = [scenario.pk for scenario in chosen if scenario.current_version_id]
    pack = pack_export(scenario_ids=published)
    left_out = [s for s in chosen if not s.current_version_id]
    if pack_image_names(pack):
        return pack_as_zip(pack, "saq-scenarios.json"), "saq-scenarios.zip", left_out
    text = json.dumps(pack, ensure_ascii=False, indent=2) + "\n"
    return text.encode("utf-8"), "saq-scenarios.json", left_out
