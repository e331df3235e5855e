from django.db import migrations

# The six cities of the 北多摩南部 secondary medical area (全国地方公共団体コード without check digit).
KITATAMA_NANBU = [
    ("13203", "武蔵野市", "むさしのし"),
    ("13204", "三鷹市", "みたかし"),
    ("13206", "府中市", "ふちゅうし"),
    ("13208", "調布市", "ちょうふし"),
    ("13210", "小金井市", "こがねいし"),
    ("13219", "狛江市", "こまえし"),
]


def seed(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    for code, name, kana in KITATAMA_NANBU:
        Municipality.objects.update_or_create(code=code, defaults={"name": name, "name_kana": kana})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
