"""`manage.py export_scenarios [--slug SLUG] [--language LANG] > PACK.json`."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

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

    def handle(self, *args, slug: str | None, language: str | None, **options):
        pack = pack_export(slug=slug, language=language)
        self.stdout.write(json.dumps(pack, ensure_ascii=False, indent=2))
