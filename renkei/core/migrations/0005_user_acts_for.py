from django.conf import settings
from django.db import migrations, models


def home_city_for_staff(apps, schema_editor):
    """Staff and coordinators of the single-city installation act for the home city (the first area code)."""
    Municipality = apps.get_model("core", "Municipality")
    User = apps.get_model("core", "User")
    home = Municipality.objects.filter(code=settings.RENKEI_AREA_MUNICIPALITY_CODES[0]).first()
    if home is None:
        return
    for user in User.objects.filter(models.Q(is_municipal_staff=True) | models.Q(is_coordinator=True)):
        user.acts_for.add(home)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_idempotency_key")]
    operations = [
        migrations.AddField(
            model_name="user",
            name="acts_for",
            field=models.ManyToManyField(
                blank=True,
                help_text="市職員・コーディネーターが事業記録・市の事業・報告を扱う市区町村",
                related_name="staff_members",
                to="core.municipality",
                verbose_name="担当する市区町村",
            ),
        ),
        migrations.RunPython(home_city_for_staff, migrations.RunPython.noop),
    ]
