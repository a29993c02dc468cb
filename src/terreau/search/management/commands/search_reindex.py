"""`terreau search_reindex [KIND…]`: rebuild the site-wide search index."""

from django.core.management.base import BaseCommand, CommandError

from terreau.search.indexing import reindex
from terreau.search.registry import kind_by_key, search_kinds


class Command(BaseCommand):
    help = "Rebuild the site-wide search index (every indexed kind, or those named)."

    def add_arguments(self, parser):
        parser.add_argument("kinds", nargs="*")

    def handle(self, *args, kinds, **options):
        chosen = [kind_by_key(key) for key in kinds] if kinds else list(search_kinds())
        if None in chosen:
            raise CommandError(f"Unknown kind; known: {[k.key for k in search_kinds()]}")
        for kind in chosen:
            if kind.is_indexed:
                self.stdout.write(f"{kind.key}: {reindex(kind)} documents")
