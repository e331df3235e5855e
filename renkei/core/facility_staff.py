"""What a facility administrator (施設管理者) does with the facility's people: list them (and who has not
enrolled the second factor), register and withdraw them in bulk from a CSV file (a preview first, then
everything or nothing), and withdraw one member, whose places in care teams a colleague takes over.

New accounts are approved members of the facility at once (the administrator answers for them, as staff do
on approval) and get the project's set-password link (the password-reset link) by e-mail; they enrol the
second factor at their first login like everyone. A withdrawal is the network's withdrawal (退会:
`services.record_withdrawal`, which revokes the API tokens), and the account's sessions end.
The role never reaches patient data: it sees how many team places a member holds, never which patients.
"""
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, TypedDict

import jaconv
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Lower
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from renkei.network.models import CareTeamMember, MemberStatus

from . import credentials, services
from .access import facility_people
from .audit import Action, record
from .errors import AppError
from .forms import FACILITY_REGISTERED, KANA_ALLOWED
from .models import (
    Affiliation,
    Facility,
    FacilityAdministrator,
    FacilityAdminStatus,
    Profession,
    RegistrationStatus,
    User,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

REGISTER, WITHDRAW = "登録", "退職"
COLUMNS = ("氏名", "ふりがな", "職種", "メールアドレス", "操作")
SUCCESSOR_COLUMN = "後任メールアドレス"
MAX_BYTES = 1_000_000
MAX_LINES = 1000
# Professions a facility registers; municipal staff and coordinators are the city's to approve.
PROFESSIONS = {label: value for value, label in Profession.choices
               if value not in (Profession.MUNICIPAL, Profession.COORDINATOR)}
# Also accepted: the code, the label without its bracketed part (「看護師」 for 「看護師（訪問看護）」) and each
# profession of a combined label (「理学療法士」 for 「理学療法士・作業療法士・言語聴覚士」).
# Keys are NFKC-normalised as the cells are (「（」 reads as 「(」).
PROFESSION_WORDS = {unicodedata.normalize("NFKC", word): v for word, v in {
    **{part: v for label, v in PROFESSIONS.items() for part in label.split("（")[0].split("・")},
    **PROFESSIONS, **{v: v for v in PROFESSIONS.values()},
    **{label.split("（")[0]: v for label, v in PROFESSIONS.items()}}.items()}
WITHDRAWAL_REASON = "施設管理者による退職の処理"


# --- reads -----------------------------------------------------------------------------------------------

class PersonFacts(TypedDict):
    """What `people` adds to each account."""

    has_second_factor: bool
    places: int


ListedPerson: TypeAlias = "WithAnnotations[User, PersonFacts]"


def _active_places() -> Coalesce:
    places = (CareTeamMember.objects.filter(user=OuterRef("pk"), status=MemberStatus.ACTIVE)
              .order_by().values("user").annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(places, output_field=IntegerField()), 0)


def people(facility: Facility, *, second_factor: str = "", status: str = "", query: str = "") -> QuerySet[ListedPerson]:
    """The facility's people with `has_second_factor` (a confirmed authenticator) and `places` (active care-team
    places, a count only) in one query. `second_factor="missing"` keeps those without one; `status` one
    registration status (default: every status)."""
    qs = facility_people(facility).annotate(
        has_second_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        places=_active_places(),
    )
    if second_factor == "missing":
        qs = qs.filter(has_second_factor=False)
    if status in RegistrationStatus.values:
        qs = qs.filter(registration_status=status)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(name_kana__icontains=jaconv.hira2kata(query))
                       | Q(email__icontains=query))
    return qs.order_by("name_kana", "pk")


def colleagues(facility: Facility, *, leaving: User) -> QuerySet[User]:
    """Who may take over a leaver's places: approved, active professionals of the facility but the leaver."""
    return (facility_people(facility).filter(registration_status=RegistrationStatus.APPROVED, is_active=True)
            .exclude(pk=leaving.pk).exclude(profession=Profession.MUNICIPAL).order_by("name_kana", "pk"))


# --- the checks shared by the CSV and the one-member withdrawal -------------------------------------------

def withdrawal_problems(*, facility: Facility, person: User, successor: User | None, by: User,
                        places: int, others: int) -> list[str]:
    """Why `person` cannot leave `facility` now (empty when they can). `places`: their active care-team
    places; `others`: their affiliations with other facilities; `successor` must be a colleague."""
    problems = []
    if person.pk == by.pk:
        problems.append("ご自身を退職にすることはできません。別の施設管理者か市の担当者に依頼してください。")
    elif person.registration_status != RegistrationStatus.APPROVED:
        problems.append(f"{person} さんはすでに退会済みか、登録が承認されていません。")
    elif others:
        problems.append(f"{person} さんはほかの事業所にも所属しているため、退職の処理は市の担当者に依頼してください。")
    if successor is not None and successor.pk == person.pk:
        problems.append("後任には退職する方以外の職員を選んでください。")
    elif successor is None and places:
        problems.append(f"ケアチームの担当が{places}件あります。引き継ぐ後任（同じ事業所の職員）を指定してください。")
    return problems


# --- the CSV file ---------------------------------------------------------------------------------------------

def decode(data: bytes) -> str:
    """The text of an uploaded CSV file: UTF-8 (with or without BOM) or CP932 (Shift_JIS as Excel saves it)."""
    if len(data) > MAX_BYTES:
        raise AppError(f"ファイルが大きすぎます（{MAX_BYTES // 1_000_000}MBまで）。", field="file")
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AppError("ファイルの文字コードを読み取れません。UTF-8 または Shift_JIS（CP932）のCSVで保存してください。",
                   field="file")


@dataclass
class Line:
    """One line of the file and what it will do."""

    number: int
    operation: str
    name: str = ""
    name_kana: str = ""
    profession: str = ""
    email: str = ""
    successor_email: str = ""
    person: User | None = None
    successor: User | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """What applying the line does, in Japanese (for the preview)."""
        if self.errors:
            return "エラー：" + " ".join(self.errors)
        if self.operation == REGISTER:
            return (f"{self.name} さん（{Profession(self.profession).label}）を登録し、"
                    f"{self.email} にパスワード設定の案内を送ります。")
        places = getattr(self.person, "places", 0)
        handover = f"ケアチームの担当{places}件を {self.successor} さんに引き継ぎ、" if places else ""
        return f"{self.person} さんを退職（退会）にします。{handover}ログインとAPIトークンを無効にします。"


@dataclass
class Plan:
    """The preview of one file: its lines, or the problem that stops the whole file (line 1: the header)."""

    facility: Facility
    lines: list[Line] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not any(line.errors for line in self.lines) and bool(self.lines)

    @property
    def problems(self) -> list[tuple[int, str]]:
        """(line number, message) of every problem, in file order."""
        found = [(1, message) for message in self.file_errors]
        found += [(line.number, message) for line in self.lines for message in line.errors]
        if not self.lines and not self.file_errors:
            found.append((1, "登録・退職する行がありません。"))
        return found

    def count(self, operation: str) -> int:
        return sum(1 for line in self.lines if line.operation == operation)


def _cell(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def _read_lines(facility: Facility, text: str) -> Plan:
    plan = Plan(facility=facility)
    reader = csv.reader(io.StringIO(text))
    try:
        header = [_cell(h) for h in next(reader, [])]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            plan.file_errors.append("1行目（見出し）に次の列がありません：" + "、".join(missing)
                                    + "。見出しは「" + ",".join(COLUMNS) + "」としてください。")
            return plan
        where = {name: header.index(name) for name in (*COLUMNS, SUCCESSOR_COLUMN) if name in header}
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            if len(plan.lines) >= MAX_LINES:
                plan.file_errors.append(f"一度に取り込めるのは{MAX_LINES}行までです。ファイルを分けてください。")
                return plan
            value = {name: _cell(row[i]) if i < len(row) else "" for name, i in where.items()}
            plan.lines.append(Line(number=reader.line_num, operation=value["操作"], name=value["氏名"],
                                   name_kana=value["ふりがな"], profession=value["職種"],
                                   email=value["メールアドレス"], successor_email=value.get(SUCCESSOR_COLUMN, "")))
    except csv.Error as error:
        plan.file_errors.append(f"{reader.line_num}行目をCSVとして読み取れません（{error}）。")
    return plan


def _check_fields(line: Line) -> None:
    if line.operation not in (REGISTER, WITHDRAW):
        line.errors.append(f"操作は「{REGISTER}」か「{WITHDRAW}」にしてください（「{line.operation}」は使えません）。")
    if not line.email:
        line.errors.append("メールアドレスを入力してください。")
    else:
        try:
            validate_email(line.email)
        except ValidationError:
            line.errors.append(f"メールアドレス「{line.email}」の形式が正しくありません。")
    if line.operation != REGISTER:
        return
    if not line.name:
        line.errors.append("氏名を入力してください。")
    elif len(line.name) > 100:
        line.errors.append("氏名は100文字以内で入力してください。")
    line.name_kana = jaconv.hira2kata(line.name_kana)
    if not line.name_kana:
        line.errors.append("ふりがなを入力してください。")
    elif len(line.name_kana) > 200 or not KANA_ALLOWED.match(line.name_kana):
        line.errors.append("ふりがなはひらがなかカタカナで入力してください（200文字以内）。")
    profession = PROFESSION_WORDS.get(line.profession)
    if profession is None:
        line.errors.append(f"職種「{line.profession}」は登録できません。次のいずれかを入力してください："
                           + "、".join(PROFESSIONS) + "。")
    else:
        line.profession = profession


def plan_file(*, facility: Facility, text: str, by: User) -> Plan:
    """Read the file and say, line by line, what applying it would do or why it cannot (nothing is written).
    A fixed number of queries whatever the number of lines."""
    plan = _read_lines(facility, text)
    if plan.file_errors:
        return plan
    first_line: dict[str, int] = {}
    for line in plan.lines:
        _check_fields(line)
        key = line.email.lower()
        if key and key in first_line:
            line.errors.append(f"メールアドレス「{line.email}」が{first_line[key]}行目と重複しています。")
        first_line.setdefault(key, line.number)
    addresses = {line.email.lower() for line in plan.lines} | {line.successor_email.lower() for line in plan.lines}
    addresses.discard("")
    here = Affiliation.objects.filter(user=OuterRef("pk"), facility=facility)
    known = {u.email_key: u for u in User.objects.annotate(
        email_key=Lower("email"), here=Exists(here),
        others=Count("affiliations", filter=~Q(affiliations__facility=facility), distinct=True),
        places=_active_places(),
    ).filter(email_key__in=addresses).exclude(registration_status=RegistrationStatus.REJECTED)}
    usernames = set(User.objects.annotate(key=Lower("username")).filter(key__in=addresses)
                    .values_list("key", flat=True))
    leaving = {line.email.lower() for line in plan.lines if line.operation == WITHDRAW}
    for line in plan.lines:
        if line.errors:
            continue
        key = line.email.lower()
        person = known.get(key)
        if line.operation == REGISTER:
            if person is not None and person.here:
                line.errors.append("この方はすでにこの事業所の職員として登録されています。")
            elif person is not None or key in usernames:
                line.errors.append("このメールアドレスはすでに別のアカウントで使われています。市の担当者に連絡してください。")
            if line.successor_email:
                line.errors.append("後任メールアドレスは退職の行にだけ書いてください。")
            continue
        if person is None or not person.here or person.is_superuser or person.is_municipal_staff \
                or person.is_coordinator:
            line.errors.append("この事業所の職員に、このメールアドレスの方はいません。")
            continue
        line.person = person
        if line.successor_email:
            successor = known.get(line.successor_email.lower())
            if (successor is None or not successor.here or successor.registration_status != RegistrationStatus.APPROVED
                    or not successor.is_active or successor.is_municipal_staff or successor.is_coordinator
                    or successor.is_superuser):
                line.errors.append(f"後任「{line.successor_email}」はこの事業所の登録済みの職員ではありません。")
                continue
            if line.successor_email.lower() in leaving:
                line.errors.append(f"後任「{line.successor_email}」もこのファイルで退職になっています。")
                continue
            line.successor = successor
        line.errors += withdrawal_problems(facility=facility, person=person, successor=line.successor, by=by,
                                           places=person.places, others=person.others)
    return plan


class PlanRefused(AppError):
    """A file with problems, refused whole: one message per problem, each with its line number (422)."""

    def __init__(self, plan: Plan) -> None:
        super().__init__([f"{number}行目：{message}" for number, message in plan.problems], status=422)
        self.plan = plan


# --- writes ----------------------------------------------------------------------------------------------

def _invite(request: HttpRequest | None, user: User, facility: Facility) -> None:
    """The set-password link (the project's password-reset link) by e-mail, after the commit."""
    path = reverse("core:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    link = request.build_absolute_uri(path) if request is not None else path
    services._mail_later(request, user.email, "【Renkei】アカウントが登録されました（パスワードの設定）",
                         "core/email/facility_staff_invitation.txt",
                         {"user": user, "facility": facility, "set_password_url": link})


def register_person(*, request: HttpRequest | None, facility: Facility, by: User, name: str, name_kana: str,
                    profession: str, email: str) -> User:
    """A new approved member of `facility` registered by its administrator; invited to set a password."""
    user = User(username=email.lower(), email=email, name=name, name_kana=name_kana, profession=profession,
                registration_status=RegistrationStatus.APPROVED, applied_at=timezone.now(),
                decided_at=timezone.now(), decided_by=by, approved_on=timezone.localdate(),
                decision_reason=FACILITY_REGISTERED)
    user.set_unusable_password()
    user.save()
    Affiliation.objects.create(user=user, facility=facility)
    record(action=Action.FACILITY_STAFF_REGISTERED, request=request, actor=by, obj=user,
           detail=f"facility={facility.pk} invited")
    _invite(request, user, facility)
    return user


def withdraw_person(*, request: HttpRequest | None, facility: Facility, person: User, successor: User | None,
                    by: User) -> dict[str, int]:
    """`person` leaves the facility and the network: `successor` takes over their care-team places (through
    the network's team service), their facility-administrator role ends, their API tokens are revoked and
    their sessions end. Returns the hand-over counts."""
    from renkei.network import services as network

    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        places = CareTeamMember.objects.filter(user=person, status=MemberStatus.ACTIVE).count()
        others = Affiliation.objects.filter(user=person).exclude(facility=facility).count()
        if successor is not None and not colleagues(facility, leaving=person).filter(pk=successor.pk).exists():
            raise AppError("後任にはこの事業所の登録済みの職員を選んでください。", field="successor", status=422)
        problems = withdrawal_problems(facility=facility, person=person, successor=successor, by=by,
                                       places=places, others=others)
        if problems:
            raise AppError(problems, status=409)
        counts = {"moved": 0, "kept": 0, "vacated": 0, "cancelled": 0}
        if successor is not None:
            counts = network.hand_over_places(leaver=person, successor=successor, by=by, request=request)
        else:
            counts = network.cancel_invitations(user=person, by=by, request=request)
        services.record_withdrawal(request=request, user=person, by=by, reason=WITHDRAWAL_REASON)
        for role in FacilityAdministrator.objects.filter(
                user=person, status__in=[FacilityAdminStatus.PENDING, FacilityAdminStatus.APPROVED]):
            role.status, role.decided_by, role.decided_at = FacilityAdminStatus.REVOKED, by, timezone.now()
            role.decision_reason = WITHDRAWAL_REASON
            role.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
            record(action=Action.FACILITY_ADMIN_REVOKED, request=request, actor=by, obj=role,
                   detail=f"facility={role.facility_id} user={person.pk}")
        ended = credentials.end_sessions(user=person)
        record(action=Action.FACILITY_STAFF_WITHDRAWN, request=request, actor=by, obj=person,
               detail=(f"facility={facility.pk} successor={successor.pk if successor else '-'} moved={counts['moved']} "
                       f"kept={counts['kept']} vacated={counts['vacated']} cancelled={counts['cancelled']} "
                       f"sessions ended={ended}"))
    return counts


def apply_file(*, request: HttpRequest | None, facility: Facility, text: str, by: User) -> Plan:
    """Apply a file all at once: every line, or (when any line has a problem) nothing, refused with the
    problems of every line (AppError 422). The file is read again here, so what is applied is checked now."""
    with transaction.atomic():
        plan = plan_file(facility=facility, text=text, by=by)
        if not plan.ok:
            raise PlanRefused(plan)
        for line in plan.lines:
            if line.operation == REGISTER:
                line.person = register_person(request=request, facility=facility, by=by, name=line.name,
                                              name_kana=line.name_kana, profession=line.profession, email=line.email)
            else:
                assert line.person is not None  # set by plan_file for every withdrawal without errors
                withdraw_person(request=request, facility=facility, person=line.person, successor=line.successor,
                                by=by)
        record(action=Action.FACILITY_STAFF_IMPORTED, request=request, actor=by, obj=facility,
               detail=f"facility={facility.pk} registered={plan.count(REGISTER)} withdrawn={plan.count(WITHDRAW)}")
    return plan
