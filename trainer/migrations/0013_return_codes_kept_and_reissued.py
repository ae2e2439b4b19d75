"""A return code stays on the player's pages until they say they wrote it down (a code
shown once under the old rule counts as written down), and a facilitator can reissue it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trainer", "0012_learning_records"),
    ]

    operations = [
        migrations.RenameField(
            model_name="sessionplayer",
            old_name="return_code_shown_at",
            new_name="return_code_kept_at",
        ),
        migrations.AlterField(
            model_name="sessionplayer",
            name="return_code_kept_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="return code written down at"
            ),
        ),
        migrations.AddField(
            model_name="sessionplayer",
            name="return_code_round",
            field=models.PositiveSmallIntegerField(default=0),
        ),
    ]
