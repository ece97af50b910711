from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    """btree_gist lets exclusion constraints combine `=` on ids with `&&` on time ranges."""

    dependencies = [("activering", "0001_initial")]

    operations = [BtreeGistExtension()]
