"""The default scoring: likelihood and impact 1-5 each, and the levels' score ranges.

The register's levels are Low 1-6, Medium 8-12 and High 15-25. No score of 7, 13 or 14 can
come from a 5 x 5 grid; the ranges are stored contiguous (Low 1-7, Medium 8-14) so that any
score maps to a level even when the BI team widens a scale.
"""

from django.db import migrations

DEFAULT_THRESHOLDS = [("LOW", 1, 7), ("MEDIUM", 8, 14), ("HIGH", 15, 25)]


def add_defaults(apps, schema_editor):
    RiskScale = apps.get_model("risks", "RiskScale")
    RiskLevelThreshold = apps.get_model("risks", "RiskLevelThreshold")
    if not RiskScale.objects.exists():
        RiskScale.objects.create(likelihood_min=1, likelihood_max=5, impact_min=1, impact_max=5)
    for level, low, high in DEFAULT_THRESHOLDS:
        RiskLevelThreshold.objects.get_or_create(
            level=level, defaults={"min_score": low, "max_score": high}
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("risks", "RiskScale").objects.all().delete()
    apps.get_model("risks", "RiskLevelThreshold").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
