"""Row generators of the benchmark data set, one function per part of Renkei.

Each function streams rows with COPY (bench.generate.copy_rows) and returns what later parts
and the load generator need. Every column the function does not set takes the model field's
default, so the generator follows schema changes without edits.
"""
import datetime
import json

from django.db import connection
from django.db.models import NOT_PROVIDED
from django.utils import timezone

from bench.generate import copy_rows, fictional_name, next_id, reset_sequence

# Points in the six cities for distance searches (lat, lon).
POINTS = [
    (35.7033, 139.5797),  # 吉祥寺
    (35.7022, 139.5436),  # 武蔵境
    (35.6833, 139.5597),  # 三鷹
    (35.6719, 139.4799),  # 府中
    (35.6518, 139.5442),  # 調布
    (35.7010, 139.5030),  # 小金井
    (35.6350, 139.5786),  # 狛江
]
MAP_DATA_PATH = "/directory/map/data.json?municipality={municipality}"
NOW = timezone.now()


def _fill(model, values):
    """A full row for COPY: the given values, the field defaults for the rest."""
    fields, row = [], []
    for field in model._meta.concrete_fields:
        if field.attname in values:
            value = values[field.attname]
        elif field.primary_key:
            continue
        elif field.default is not NOT_PROVIDED:
            value = field.default() if callable(field.default) else field.default
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = NOW
        elif field.null:
            value = None
        elif field.blank or field.get_internal_type() in {"CharField", "TextField"}:
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{field.name} needs a value")
        if field.get_internal_type() == "JSONField" and value is not None:
            value = json.dumps(value, ensure_ascii=False)
        fields.append(field.attname)
        row.append(value)
    return fields, tuple(row)


def copy_model(model, dicts):
    """COPY rows given as dicts of attnames (missing ones defaulted)."""
    iterator = iter(dicts)
    first = next(iterator, None)
    if first is None:
        return 0
    fields, row = _fill(model, first)

    def rows():
        yield row
        for values in iterator:
            yield _fill(model, values)[1]

    count = copy_rows(model, fields, rows())
    reset_sequence(model)
    return count


def facilities(count):
    """Facilities of the six cities, created through the directory's own importer of ministry files."""
    from bench.import_timing import kaigo_file
    from renkei.core.models import Facility
    from renkei.directory.importing import import_kaigo_file

    # Service codes and their share of the providers (home help and care management are the largest).
    codes = [("110", "訪問介護", 5), ("430", "居宅介護支援", 5), ("130", "訪問看護", 3), ("150", "通所介護", 3),
             ("160", "通所リハビリテーション", 1), ("140", "訪問リハビリテーション", 1), ("510", "介護老人福祉施設", 1),
             ("520", "介護老人保健施設", 1)]
    total_weight = sum(w for _, _, w in codes)
    for index, (code, name, weight) in enumerate(codes):
        rows = max(1, count * weight // total_weight)
        import_kaigo_file(kaigo_file(rows, service_code=code, service_name=name, id_prefix=f"7{index}"),
                          file_name=f"jigyosho_{code}.csv")
    ids = list(Facility.objects.filter(official_id__startswith="7").values_list("id", flat=True))
    return len(ids), ids


def professionals(count, facility_ids):
    """Approved professionals with their affiliations, and one municipal staff account."""
    from renkei.core.models import Affiliation, Profession, RegistrationStatus, User

    professions = [
        Profession.PHYSICIAN, Profession.NURSE, Profession.CARE_MANAGER, Profession.HOME_HELPER,
        Profession.PHARMACIST, Profession.THERAPIST, Profession.DENTIST, Profession.HOSPITAL_LIAISON,
    ]
    start = next_id(User)
    password = "!"  # unusable: the benchmark signs in with API tokens

    def users():
        for i in range(count):
            yield {
                "id": start + i,
                "username": f"bench{start + i}",
                "password": password,
                "name": fictional_name(i),
                "name_kana": f"ベンチ {i}",
                "profession": professions[i % len(professions)],
                "registration_status": RegistrationStatus.APPROVED,
                "approved_on": datetime.date(2020, 4, 1) + datetime.timedelta(days=i % 2000),
                "is_active": True,
                "date_joined": NOW,
                "applied_at": NOW,
            }
        yield {
            "id": start + count,
            "username": f"benchstaff{start}",
            "password": password,
            "name": "ベンチ 市職員",
            "profession": Profession.MUNICIPAL,
            "registration_status": RegistrationStatus.APPROVED,
            "approved_on": datetime.date(2020, 4, 1),
            "is_municipal_staff": True,
            "is_active": True,
            "date_joined": NOW,
            "applied_at": NOW,
        }

    copy_model(User, users())
    copy_model(
        Affiliation,
        ({"user_id": start + i, "facility_id": facility_ids[i % len(facility_ids)], "is_admin": i % 10 == 0} for i in range(count)),
    )
    return count, list(range(start, start + count)), start + count


def patients_and_teams(count, user_ids, municipalities, team_size, rng):
    """Patients with consent and an active care team each; returns {patient_id: [user ids]}."""
    from renkei.network.models import CareTeamMember, Consent, Patient
    from renkei.network.search import search_key

    start = next_id(Patient)
    teams = {}

    def patients():
        for i in range(count):
            name, kana = fictional_name(i), f"べんち {i}"
            yield {
                "id": start + i,
                "name": name,
                "name_kana": kana,
                "search_key": search_key(name, kana),
                "birth_date": datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 30)),
                "sex": "female" if i % 2 else "male",
                "municipality_id": municipalities[i % len(municipalities)][0],
                "care_level": "care2",
                "is_fictional": True,
                "created_at": NOW - datetime.timedelta(days=rng.randrange(0, 5 * 365)),
            }

    copy_model(Patient, patients())
    members = []
    for i in range(count):
        team = rng.sample(user_ids, min(team_size, len(user_ids)))
        teams[start + i] = team
        for position, user_id in enumerate(team):
            members.append(
                {
                    "patient_id": start + i,
                    "user_id": user_id,
                    "role": "physician" if position == 0 else "visiting_nurse" if position == 1 else "care_manager",
                    "is_manager": position == 0,
                    "status": "active",
                    "invited_at": NOW,
                    "responded_at": NOW,
                }
            )
    copy_model(CareTeamMember, members)
    copy_model(
        Consent,
        ({"patient_id": start + i, "obtained_on": datetime.date(2022, 4, 1), "method": "written", "obtained_by_id": teams[start + i][0]} for i in range(count)),
    )
    return count, teams


def posts(count, teams, readers_per_post, bodies):
    """Timeline posts spread over five years, each read by some of the team."""
    from renkei.network.models import Post, PostRead

    start = next_id(Post)
    patient_ids = list(teams)
    span = 5 * 365 * 24 * 3600
    authors = {}

    def post_rows():
        for i in range(count):
            patient_id = patient_ids[i % len(patient_ids)]
            author = teams[patient_id][i % len(teams[patient_id])]
            authors[start + i] = (patient_id, author)
            yield {
                "id": start + i,
                "patient_id": patient_id,
                "channel": "team",
                "author_id": author,
                "kind": "text",
                "body": bodies[i % len(bodies)],
                "important": i % 25 == 0,
                "created_at": NOW - datetime.timedelta(seconds=span * (count - i) / count),
            }

    # The post tally's trigger would upsert once per copied row; off for the COPY, then one recount.
    from renkei.network import tally

    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE network_post DISABLE TRIGGER network_post_tally")
        try:
            copy_model(Post, post_rows())
        finally:
            cursor.execute("ALTER TABLE network_post ENABLE TRIGGER network_post_tally")
    tally.recount()

    def read_rows():
        for post_id, (patient_id, author) in authors.items():
            readers = [u for u in teams[patient_id] if u != author][:readers_per_post]
            for user_id in readers:
                yield {"post_id": post_id, "user_id": user_id, "read_at": NOW}

    reads = copy_model(PostRead, read_rows())
    # COPY bypasses the writes that keep the members' unread counters: recompute them in one UPDATE.
    from renkei.network import unread

    unread.recount_all()
    return count, reads


def records(consultations, staff_id):
    """Consultations of the desk (item オ) of the home city, spread evenly over the last five fiscal years;
    the benchmark's staff member acts for that city."""
    from renkei.core.access import home_municipality
    from renkei.core.models import User
    from renkei.records.models import AskerProfession, Category, Channel, Consultation

    home = home_municipality()
    User.objects.get(pk=staff_id).acts_for.add(home)

    today = timezone.localdate()
    first = datetime.date(today.year - 5 if today.month >= 4 else today.year - 6, 4, 1)
    days = (today - first).days
    channels, askers, categories = Channel.values, AskerProfession.values, Category.values

    def rows():
        for i in range(consultations):
            yield {
                "received_on": first + datetime.timedelta(days=i * days // consultations),
                "channel": channels[i % len(channels)],
                "asker_profession": askers[i % len(askers)],
                "category": categories[(i * 7) % len(categories)],
                "summary": "退院後の在宅医療の調整について相談（ベンチマーク用の架空の記録）",
                "minutes_spent": 10 + i % 50,
                "recorded_by_id": staff_id,
                "municipality_id": home.pk,
                "created_at": NOW,
                "updated_at": NOW,
            }

    return {"consultations": copy_model(Consultation, rows())}


def sheets(count, teams):
    """Finalised coordination sheets of every kind for the patients (items ウ/エ), over five years."""
    from renkei.sheets.models import Sheet, SheetKind, SheetStatus

    patient_ids = list(teams)
    kinds = SheetKind.values
    today = timezone.localdate()

    def rows():
        for i in range(count):
            patient_id = patient_ids[i % len(patient_ids)]
            when = today - datetime.timedelta(days=(i * 5 * 365) // max(count, 1))
            at = timezone.make_aware(datetime.datetime.combine(when, datetime.time(10)))
            yield {
                "patient_id": patient_id,
                "kind": kinds[i % len(kinds)],
                "status": SheetStatus.FINALISED,
                "author_id": teams[patient_id][i % len(teams[patient_id])],
                "content": {"note": "ベンチマーク用の架空のシート"},
                "document_date": when,
                "created_at": at,
                "updated_at": at,
                "finalised_at": at,
                "sent_at": at,
            }

    return {"sheets": copy_model(Sheet, rows())}
