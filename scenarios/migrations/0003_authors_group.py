"""The Authors group: every permission of the content app (scenarios), and nothing else.

Authors see and change content; they never see players' results, sessions or
organisations, whose models live in the trainer app. A model added to this app later
needs a migration that gives its permissions to the group too (a test checks that the
group holds exactly this app's permissions).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHORS = "Authors"


def add_authors_group(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create this app's
    # now, so the group can be given them on a fresh database too.
    config = apps.get_app_config("scenarios")
    stub = getattr(config, "models_module", None) is None  # a migration's apps have none
    if stub:
        config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    if stub:
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=AUTHORS)
    group.permissions.set(Permission.objects.filter(content_type__app_label="scenarios"))


def remove_authors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=AUTHORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("scenarios", "0002_version_published_by_choice_may_lead_nowhere"),
    ]

    operations = [migrations.RunPython(add_authors_group, remove_authors_group)]
