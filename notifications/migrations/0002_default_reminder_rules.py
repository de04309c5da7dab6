"""A fresh install reminds before the deadline, on it, and escalates after it (issue 20): the
default reminder rules, added once; the BI team edits them in the admin."""

from django.db import migrations


def add_default_rules(apps, schema_editor):
    from notifications.reminders import add_default_rules

    add_default_rules(apps.get_model("notifications", "ReminderRule"))


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_default_rules, migrations.RunPython.noop),
    ]
