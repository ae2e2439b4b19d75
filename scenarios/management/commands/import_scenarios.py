"""`manage.py import_scenarios PACK.json [...]`: import scenario packs, all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scenarios.packs.importer import DraftsInTheWay, PackRejected, pack_import
from scenarios.packs.validation import read_pack


class Command(BaseCommand):
    # A property: argparse needs a str, and the text is translated when the command runs.
    @property
    def help(self) -> str:
        return _(
            "Import scenario packs (JSON files in the saq-pack format). Every pack is checked "
            "first; if any has a problem, nothing is imported."
        )

    def add_arguments(self, parser):
        parser.add_argument("packs", nargs="+", metavar="PACK.json", help=_("pack files"))
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help=_("the user the new versions are recorded as published by"),
        )
        parser.add_argument(
            "--replace-drafts",
            action="store_true",
            help=_(
                "publish the packs' versions even over drafts with unpublished edits (the "
                "drafts are kept, but can no longer be edited or published)"
            ),
        )

    def handle(self, *args, packs: list[str], by: str | None, replace_drafts: bool, **options):
        user = None
        if by:
            user = get_user_model().objects.filter(username=by).first()
            if user is None:
                raise CommandError(_('No user "%(name)s": nothing was imported.') % {"name": by})
        parsed, problems = [], []
        for name in packs:
            try:
                raw = Path(name).read_bytes()
            except OSError as error:
                problems.append(
                    _("%(name)s: cannot be read (%(reason)s)")
                    % {"name": name, "reason": error.strerror or error}
                )
                continue
            data, found = read_pack(raw, name=name)
            problems += found
            parsed.append((name, data))
        if not problems:
            try:
                report = pack_import(packs=parsed, by=user, set_aside_drafts=replace_drafts)
            except PackRejected as rejected:
                problems = rejected.problems
            except DraftsInTheWay as drafts:
                for line in drafts.describe():
                    self.stderr.write(line)
                raise CommandError(
                    _(
                        "Nothing was imported. Publish or delete these drafts first, or run "
                        "again with --replace-drafts to set them aside."
                    )
                ) from None
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            message = ngettext(
                "%(count)d problem; nothing was imported.",
                "%(count)d problems; nothing was imported.",
                len(problems),
            )
            raise CommandError(message % {"count": len(problems)})

        for warning in report.warnings:
            self.stderr.write(_("Warning: %(warning)s") % {"warning": warning})
        for outcome in report.scenarios:
            line = _("%(slug)s (%(language)s): %(outcome)s") % {
                "slug": outcome.slug,
                "language": outcome.language,
                "outcome": outcome.describe(),
            }
            self.stdout.write(line)
        summary = _(
            "Red-flag types: %(flags_created)d created, %(flags_updated)d updated. "
            "Modules: %(modules_created)d created, %(modules_updated)d updated."
        )
        self.stdout.write(
            summary
            % {
                "flags_created": report.red_flag_types_created,
                "flags_updated": report.red_flag_types_updated,
                "modules_created": report.modules_created,
                "modules_updated": report.modules_updated,
            }
        )
