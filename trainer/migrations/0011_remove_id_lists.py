"""The JSON lists of ids, replaced by MarkedMessage and DrawnItem rows (0010)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('trainer', '0010_id_lists_to_rows'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='modulerun',
            name='after_item_ids',
        ),
        migrations.RemoveField(
            model_name='modulerun',
            name='before_item_ids',
        ),
        migrations.RemoveField(
            model_name='stepanswer',
            name='marked_message_ids',
        ),
    ]
