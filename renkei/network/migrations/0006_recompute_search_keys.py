"""Patients' search keys are now made by renkei.core.text.normalise (shared with the directory): recompute them."""
from django.db import migrations


def recompute(apps, schema_editor):
    from renkei.network.search import search_key

    Patient = apps.get_model("network", "Patient")
    changed = []
    for patient in Patient.objects.only("id", "name", "name_kana", "search_key").iterator():
        key = search_key(patient.name, patient.name_kana)
        if key != patient.search_key:
            patient.search_key = key
            changed.append(patient)
    Patient.objects.bulk_update(changed, ["search_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("network", "0005_post_timeline_indexes")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
