from django.db import migrations

ROLES = ("klantmanager", "teamleider", "beheerder")


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    """The three roles as groups. Their permissions are kept in sync after every migrate by
    activering.roles.sync_role_permissions (a permission only exists once its app migrated)."""

    dependencies = [
        ("activering", "0002_btree_gist"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
