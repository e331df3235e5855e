"""Facility search keys are now made by renkei.core.text.normalise (shared with patients): recompute them."""
from django.db import migrations


def recompute(apps, schema_editor):
    from renkei.core.text import normalise

    FacilityProfile = apps.get_model("directory", "FacilityProfile")
    changed = []
    profiles = FacilityProfile.objects.select_related("facility").only(
        "id", "search_key", "facility__name", "facility__name_kana", "facility__address")
    for profile in profiles.iterator():
        f = profile.facility
        key = normalise(" ".join([f.name or "", f.name_kana or "", f.address or ""]))
        if key != profile.search_key:
            profile.search_key = key
            changed.append(profile)
    FacilityProfile.objects.bulk_update(changed, ["search_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_organization"), ("core", "0002_seed_municipalities")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
