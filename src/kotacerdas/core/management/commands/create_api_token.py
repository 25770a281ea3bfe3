"""kotacerdas manage create_api_token USERNAME: print a new API token for that user."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kotacerdas.core.models import ApiToken, User


class Command(BaseCommand):
    help = (
        "Create an API token for a user and print it (it is shown only once).\n\n"
        "Example: kotacerdas manage create_api_token admin --name 'dashboard script'"
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="a label to recognise the token by")
        parser.add_argument("--read-only", action="store_true", help="the token may read but not write")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user named {options['username']!r}")
        _token, raw = ApiToken.issue(user, name=options["name"], read_only=options["read_only"])
        self.stdout.write(raw)
