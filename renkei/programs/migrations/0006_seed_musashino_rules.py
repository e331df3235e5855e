"""Musashino's (13203) rules of its four programs as the first version of each, and existing decisions linked
to the version they were decided with.

The values are those renkei/programs/rules.py hard-coded until rules became dated data (the 2023 talk,
docs/domain.md "Municipal programs"); they are frozen here as literals so later code changes cannot alter
history. Effective date: neither the code nor the docs give the date each program started, so every
version takes effect on 2016-04-01 (the start of FY2016, before any record the talk reports; the restart
grant's own hiring limit, 2020-04-07, stays a rule inside the version, so an earlier hire is assessed and
found ineligible, as before, rather than refused for want of a rule).
"""
import datetime

from django.db import migrations

EFFECTIVE_FROM = datetime.date(2016, 4, 1)
SOURCE = ("笹井肇「武蔵野市の福祉施策の歴史と地域包括ケアシステムの特徴—在宅医療介護連携編—」"
          "（武蔵野地域包括ケア研究会、2023-02-14）。適用開始日は資料に記載がないため 2016-04-01 とした。")

MUSASHINO = {
    "rescue_helper": {
        "min_age": 65,
        "max_minutes_per_week": 240,
        "max_days": 14,
        "unit_minutes": 30,
        "fee_per_unit_yen": 250,
        "eligible_causes": ["own_sudden_illness", "own_injury", "covid_home_recovery", "carer_infected"],
    },
    "restart_grant": {
        "earliest_hire": "2020-04-07",
        "min_expected_months": 6,
        "min_months_away": 3,
        "amount_qualified_yen": 150000,
        "amount_unqualified_yen": 50000,
        # The talk's table (令和2年度): fourteen care services, five disability services.
        "care_facility_types": [
            "訪問介護", "訪問リハビリテーション", "訪問入浴介護", "訪問看護", "通所介護", "地域密着型通所介護",
            "認知症対応型通所介護", "通所リハビリテーション", "看護小規模多機能型居宅介護事業所",
            "認知症対応型共同生活介護", "介護老人福祉施設", "特定施設入居者生活介護", "介護老人保健施設",
            "介護療養型医療施設",
        ],
        "disability_facility_types": ["居宅介護", "就労系・生活介護", "共同生活援助", "施設入所支援", "障害児通所"],
        "qualifications": {
            "介護福祉士": None, "実務者研修修了者": None, "初任者研修修了者": None, "社会福祉士": None,
            "精神保健福祉士": None, "看護師": None, "准看護師": None, "保育士": "障害児通所", "児童指導員": "障害児通所",
        },
    },
    "linkage_fee": {"fee_24h_yen": 2000, "fee_standard_yen": 1000},
    "end_of_life": {},
}

# program → (model, the date that picks the version, statuses that mean "decided")
DECIDED = {
    "rescue_helper": ("RescueHelperApplication", "received_on", ["approved", "rejected"]),
    "restart_grant": ("RestartGrantApplication", "hired_on", ["assessed", "confirmed", "paid", "rejected"]),
    "linkage_fee": ("LinkageFeeClaim", "month", ["approved"]),
}


def seed(apps, schema_editor):
    Municipality = apps.get_model("core", "Municipality")
    ProgramRule = apps.get_model("programs", "ProgramRule")
    Decision = apps.get_model("programs", "Decision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    musashino = Municipality.objects.filter(code="13203").first()
    if musashino is None:
        return
    for program, parameters in MUSASHINO.items():
        rule, _ = ProgramRule.objects.get_or_create(
            municipality=musashino, program=program, effective_from=EFFECTIVE_FROM,
            defaults={"parameters": parameters, "note": SOURCE},
        )
        if program not in DECIDED:
            continue
        model_name, date_field, decided = DECIDED[program]
        model = apps.get_model("programs", model_name)
        subjects = model.objects.filter(municipality=musashino, status__in=decided, rule__isnull=True,
                                        **{f"{date_field}__gte": EFFECTIVE_FROM})
        ids = list(subjects.values_list("pk", flat=True))
        subjects.update(rule=rule)
        content_type = ContentType.objects.filter(app_label="programs", model=model_name.lower()).first()
        if content_type is not None and ids:
            Decision.objects.filter(content_type=content_type, object_id__in=ids, rule__isnull=True).update(rule=rule)


def unseed(apps, schema_editor):
    ProgramRule = apps.get_model("programs", "ProgramRule")
    Decision = apps.get_model("programs", "Decision")
    rules = ProgramRule.objects.filter(municipality__code="13203", effective_from=EFFECTIVE_FROM)
    Decision.objects.filter(rule__in=rules).update(rule=None)
    for model_name, _, _ in DECIDED.values():
        apps.get_model("programs", model_name).objects.filter(rule__in=rules).update(rule=None)
    rules.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_seed_municipalities"),
        ("programs", "0005_program_rules"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
