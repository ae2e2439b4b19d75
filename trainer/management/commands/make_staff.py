"""Make a staff account an author or a facilitator in one line:

    manage.py make_staff --author aigerim
    manage.py make_staff --facilitator dana --organisation "School 12"

An account that does not exist yet is made (asked for a password at a terminal; elsewhere
made without one, to be set with `manage.py changepassword`). An organisation named that
does not exist yet is made too. Running it again changes nothing.
"""

import sys
from getpass import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from trainer.models import Membership, Organisation, Role

AUTHORS_GROUP = "Authors"  # made by scenarios/migrations/0003_authors_group.py


class Command(BaseCommand):
    help = "Make a staff account an author, or a facilitator in an organisation."

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--author", metavar="NAME", help="user name of the author")
        who.add_argument("--facilitator", metavar="NAME", help="user name of the facilitator")
        parser.add_argument("--organisation", metavar="ORG", help="its name (or slug)")
        parser.add_argument("--no-input", action="store_true", help="ask for no password")

    def handle(self, *args, author, facilitator, organisation, no_input, **options):
        if facilitator and not organisation:
            raise CommandError(
                "A facilitator runs sessions for an organisation: add --organisation ORG."
            )
        if author and organisation:
            raise CommandError("An author belongs to no organisation: leave out --organisation.")
        name = author or facilitator
        password = None
        User = get_user_model()
        if not User.objects.filter(username=name).exists() and not no_input and self._tty():
            password = self._ask_password(User(username=name))
        with transaction.atomic():
            account, made = User.objects.get_or_create(username=name)
            if made and password:
                account.set_password(password)
            elif made:
                account.set_unusable_password()
            account.is_staff = True
            account.save()
            if author:
                account.groups.add(Group.objects.get(name=AUTHORS_GROUP))
                self.stdout.write(f"{name} is an author: they write scenarios at /admin/.")
            else:
                place = self._organisation(organisation)
                Membership.objects.get_or_create(
                    user=account, organisation=place, defaults={"role": Role.FACILITATOR}
                )
                self.stdout.write(
                    f"{name} is a facilitator of {place.name}: they log in at /accounts/login/."
                )
        if made and not password:
            self.stdout.write(f"Set their password with: manage.py changepassword {name}")

    def _tty(self) -> bool:
        return sys.stdin.isatty()

    def _ask_password(self, account) -> str:
        while True:
            password = getpass(f"Password for {account.username}: ")
            if password != getpass("Again: "):
                self.stderr.write("The two do not match.")
                continue
            try:
                validate_password(password, account)
            except ValidationError as weak:
                self.stderr.write(" ".join(weak.messages))
                continue
            return password

    def _organisation(self, typed: str) -> Organisation:
        found = Organisation.objects.filter(name=typed).first()
        found = found or Organisation.objects.filter(slug=typed).first()
        if found is None:
            slug = slugify(typed) or "organisation"
            found = Organisation.objects.create(name=typed, slug=slug)
            self.stdout.write(f"Made the organisation {typed}.")
        return found
