"""Give every facility that existed before the directory a profile, so that it can be found."""
from django.db import migrations


def create_profiles(apps, schema_editor):
    from renkei.directory.geo import normalise, town_from_address

    Facility = apps.get_model("core", "Facility")
    FacilityProfile = apps.get_model("directory", "FacilityProfile")
    missing = Facility.objects.filter(profile__isnull=True).select_related("municipality")
    FacilityProfile.objects.bulk_create([
        FacilityProfile(
            facility=f, source="demo" if f.is_fictional else "",
            search_key=normalise(" ".join([f.name, f.name_kana, f.address])),
            town=town_from_address(f.address, f.municipality.name),
            coord_source="source" if f.lat is not None else "none",
        )
        for f in missing.iterator()
    ], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial"), ("core", "0002_seed_municipalities")]
    operations = [migrations.RunPython(create_profiles, migrations.RunPython.noop)]
