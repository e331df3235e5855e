"""Generate the benchmark data set into PostgreSQL with COPY, or reuse it when it is already there.

    python -m bench.generate --scale city --fixture var/bench/fixture_city.json

Rows are produced by plain generators and streamed with PostgreSQL's COPY (tens of thousands of
rows a second and more); column lists come from the Django models, so the data always fits the
current schema. All people and patients are fictional (ベンチ 患者 123).
"""
import argparse
import datetime
import json
import random
import secrets
import time

import django

django.setup()

from django.db import connection, models  # noqa: E402
from django.utils import timezone  # noqa: E402

from renkei.core.models import ApiToken, Municipality  # noqa: E402

SCALES = {
    "smoke": {"patients": 40, "professionals": 30, "facilities": 60, "posts": 800, "sheets": 40, "consultations": 100},
    "city": {"patients": 5_000, "professionals": 700, "facilities": 400, "posts": 500_000, "sheets": 15_000, "consultations": 8_000},
    "region": {
        "patients": 30_000,
        "professionals": 6_000,
        "facilities": 20_000,
        "posts": 3_000_000,
        "sheets": 100_000,
        "consultations": 50_000,
    },
}
MARKER = "bench.generated"
TEAM_SIZE = 5
READERS_PER_POST = 3
BENCH_ACCOUNTS = 50
RNG = random.Random(20261123)

SURNAMES = ["ベンチ", "試験", "計測", "負荷", "模擬"]
GIVEN = ["太郎", "花子", "一郎", "桜", "健", "恵", "翔", "陽子"]
POST_BODIES = [
    "本日訪問しました。バイタル安定、食事量は普段の8割程度です。",
    "夜間に一度トイレ介助あり。ご家族の疲労がみられます。",
    "処方変更がありました。次回訪問時に服薬状況の確認をお願いします。",
    "デイサービスでの入浴は問題なく実施できました。",
    "褥瘡は改善傾向です。引き続き体位変換をお願いします。",
    "ケアプランを更新しました。ご確認ください。",
]


def copy_rows(model, fields, rows):
    """Stream rows (tuples in the order of `fields`, model attnames) into the model's table with COPY."""
    columns = [model._meta.get_field(f).column for f in fields]
    table = model._meta.db_table
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor
        with raw.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def reset_sequence(model):
    """After COPY with explicit ids, move the id sequence past them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), COALESCE(MAX(id), 1)) FROM \"{table}\""
        )


def next_id(model):
    return (model.objects.aggregate(m=models.Max("id"))["m"] or 0) + 1


def fictional_name(i):
    return f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[(i // len(SURNAMES)) % len(GIVEN)]}{i}"


def already_generated():
    from renkei.core.models import AuditEvent

    return AuditEvent.objects.filter(action=MARKER).order_by("-id").values_list("detail", flat=True).first()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(SCALES), default="city")
    parser.add_argument("--fixture", required=True)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark generates into PostgreSQL (set DATABASE_URL).")

    done = already_generated()
    if done:
        info = json.loads(done) | {"reused": True}
        print(f"data set already present (generated in {info['generation_s']} s); reusing it")
    else:
        started = time.perf_counter()
        info = generate(SCALES[args.scale])
        with connection.cursor() as cursor:
            # Fresh statistics and visibility maps, as a database that has been running would have.
            cursor.execute("VACUUM ANALYZE")
        info["generation_s"] = round(time.perf_counter() - started, 1)
        from renkei.core.audit import record

        record(action=MARKER, detail=json.dumps(info, ensure_ascii=False))
        print(f"generated in {info['generation_s']} s: {info['counts']}")
    info |= load_facts(info)
    with open(args.fixture, "w", encoding="utf-8") as out:
        json.dump(info | fixture_tokens(info), out, ensure_ascii=False)


def fixture_tokens(info):
    """Fresh API tokens for the load generator (the keys are never stored, only their hashes)."""
    expires = timezone.now() + datetime.timedelta(days=2)
    accounts = []
    for entry in info["accounts"]:
        key = secrets.token_urlsafe(32)
        ApiToken.objects.create(user_id=entry["user_id"], key_hash=ApiToken.hash_key(key), prefix=key[:8], expires_at=expires)
        accounts.append({"token": key, "patients": entry["patients"]})
    staff_key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user_id=info["staff_id"], key_hash=ApiToken.hash_key(staff_key), prefix=staff_key[:8], expires_at=expires)
    return {"accounts": accounts, "staff_token": staff_key}


def generate(scale):
    """Generate every part's data; returns the fixture facts the load generator needs."""
    from bench import parts

    municipalities = list(Municipality.objects.order_by("code").values_list("id", "code"))
    counts = {}
    counts["facilities"], facility_ids = parts.facilities(scale["facilities"])
    counts["professionals"], user_ids, staff_id = parts.professionals(scale["professionals"], facility_ids)
    counts["patients"], teams = parts.patients_and_teams(scale["patients"], user_ids, municipalities, TEAM_SIZE, RNG)
    counts["posts"], counts["read_receipts"] = parts.posts(scale["posts"], teams, READERS_PER_POST, POST_BODIES)
    counts.update(parts.records(scale["consultations"], staff_id))
    counts.update(parts.sheets(scale["sheets"], teams))
    return {"counts": counts, "staff_id": staff_id, "first_user_id": user_ids[0]}


def load_facts(info):
    """What the load generator needs, read back from the data set (so a reused one works the same)."""
    from bench import parts
    from renkei.network.models import CareTeamMember

    municipalities = Municipality.objects.order_by("code").values_list("code", flat=True)
    by_user = {}
    members = (
        CareTeamMember.objects.filter(status="active", user_id__gte=info["first_user_id"], user_id__lt=info["staff_id"])
        .order_by("user_id", "patient_id")
        .values_list("user_id", "patient_id")[: BENCH_ACCOUNTS * 40]
    )
    for user_id, patient_id in members:
        by_user.setdefault(user_id, []).append(patient_id)
    current_fy = timezone.localdate().year if timezone.localdate().month >= 4 else timezone.localdate().year - 1
    return {
        "accounts": [{"user_id": u, "patients": p} for u, p in list(by_user.items())[:BENCH_ACCOUNTS]],
        "post_bodies": POST_BODIES,
        "search_words": ["病院", "訪問看護", "クリニック", "薬局", "ケア", "吉祥寺", "デイサービス", "ほうもん"],
        "points": parts.POINTS,
        "municipalities": list(municipalities),
        "map_data_path": parts.MAP_DATA_PATH,
        "annual_report_path": f"/api/v1/reports/annual?from_fy={current_fy}&to_fy={current_fy}",
        "annual_report_5y_path": f"/api/v1/reports/annual?from_fy={current_fy - 4}&to_fy={current_fy}",
    }


if __name__ == "__main__":
    main()
