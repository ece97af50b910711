from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm: trigram indexes make search-as-you-type on client names fast (any part of a name)."""

    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [TrigramExtension()]
