"""A certificate keeps the organisation that ran its session and the pass mark it met, and
outlives its run and session (their deletion leaves it verifiable)."""

import django.db.models.deletion
from django.db import migrations, models


def organisations_named(apps, schema_editor):
    """Certificates issued in a session, while their run is still there, name its
    organisation."""
    Certificate = apps.get_model("trainer", "Certificate")
    issued = Certificate.objects.filter(run__session__isnull=False).select_related(
        "run__session__organisation"
    )
    for certificate in issued:
        certificate.organisation_name = certificate.run.session.organisation.name
        certificate.save(update_fields=["organisation_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("trainer", "0013_return_codes_kept_and_reissued"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="organisation_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="organisation"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="pass_mark",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="pass mark"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="run",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="certificate",
                to="trainer.modulerun",
            ),
        ),
        migrations.RunPython(organisations_named, migrations.RunPython.noop),
    ]
