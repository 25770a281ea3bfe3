"""Preload a JSON-LD @context from a local file, so that brokers without internet can use its URL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kotacerdas.context.errors import NgsiError
from kotacerdas.context.models import JsonLdContext
from kotacerdas.context.services import save_context


class Command(BaseCommand):
    help = "Keep the @context in FILE under URL: requests that name URL never fetch it from the network."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="the URL clients use, e.g. https://example.org/context.jsonld")
        parser.add_argument("file", type=Path, help="a local copy of that document")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        try:
            save_context(options["url"], document, JsonLdContext.Kind.CACHED)
        except NgsiError as exc:
            raise CommandError(f"{path}: {exc.detail}") from exc
        self.stdout.write(self.style.SUCCESS(f"{options['url']} now answers from {path}"))
