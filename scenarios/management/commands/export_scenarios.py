"""`manage.py export_scenarios [--slug SLUG] [--language LANG] > PACK.json`, or
`--output PACK.zip`: a pack whose messages show pictures is a zip holding them."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from scenarios.packs.archive import pack_as_zip, pack_image_names
from scenarios.packs.exporter import pack_export


class Command(BaseCommand):
    # A property: argparse needs a str, and the text is translated when the command runs.
    @property
    def help(self) -> str:
        return _("Write the published scenarios as a scenario pack (JSON) to standard output.")

    def add_arguments(self, parser):
        parser.add_argument("--slug", help=_("only the scenario with this slug (and no modules)"))
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help=_("only scenarios and modules in this language"),
        )
        parser.add_argument(
            "--output",
            metavar="PACK.zip",
            help=_("write to this file: a zip with the pictures when the pack has any"),
        )

    def handle(self, *args, slug: str | None, language: str | None, output: str | None, **options):
        pack = pack_export(slug=slug, language=language)
        if pack_image_names(pack):
            if not output:
                raise CommandError(
                    _("The pack has pictures: give --output PACK.zip to write it as a zip.")
                )
            Path(output).write_bytes(pack_as_zip(pack))
        elif output:
            Path(output).write_text(json.dumps(pack, ensure_ascii=False, indent=2) + "\n")
        else:
            self.stdout.write(json.dumps(pack, ensure_ascii=False, indent=2))
