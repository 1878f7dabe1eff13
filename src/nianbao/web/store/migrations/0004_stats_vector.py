"""StatsVector: the cells ``nianbao stats`` reads, one row per report; filled for stored reports."""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def fill(apps: Any, schema_editor: Any) -> None:
    """A vector for every stored report, from its cells in the long table."""
    # imported here: every command loads the migrations to see whether one is pending
    from nianbao.web.store.services.cells import fill_stats_vectors

    report_ids = list(apps.get_model("store", "Report").objects.order_by("pk").values_list("pk", flat=True))
    report, cell, vector = (apps.get_model("store", name) for name in ("Report", "Cell", "StatsVector"))
    fill_stats_vectors(report, cell, vector, report_ids)


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0003_report_needs_check"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatsVector",
            fields=[
                (
                    "report",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="stats_vector",
                        serialize=False,
                        to="store.report",
                    ),
                ),
                ("cells", models.CharField(max_length=16)),
                ("vector", models.JSONField()),
            ],
            options={
                "verbose_name": "统计向量",
                "verbose_name_plural": "统计向量",
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
