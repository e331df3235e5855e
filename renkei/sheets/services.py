"""Writes of coordination sheets: each validates, saves atomically, audits and posts what follows.

Errors are `AppError` (renkei.core.errors) with a Japanese message, never a half-saved sheet.
"""
from django.db import IntegrityError, transaction
from django.utils import timezone

from renkei.core.audit import Action, record
from renkei.core.errors import AppError
from renkei.core.models import FacilityKind, User
from renkei.network.models import FamilyContact, MemberStatus, Notification, NotificationKind
from renkei.network.services import Refused, _notify, post_notice
from renkei.programs.services import SheetProvision, add_provisions_from_sheets

from . import prefill as known
from . import rules, safety, selectors
from .models import Sheet, SheetDelivery, SheetKind, SheetRead, SheetStage, SheetStatus
from .schemas import CONTENT_FORMS, ROUTES, STAGE_FORMS

FINALISED_IS_READ_ONLY = "確定済みのシートは直接編集できません。訂正する場合は「訂正版を作成」で新しい版を作ってください。"


def Conflict(message, *, field=None):  # noqa: N802  (reads as the exception it raises)
    """The write clashes with the document's state (finalised, answered, received already): 409."""
    return AppError(message, status=409, field=field)


def InvalidContent(form):  # noqa: N802
    """The content did not validate: 422, each message next to its field."""
    return AppError({field: [str(e) for e in errs] for field, errs in form.errors.items()}, status=422,
                    summary="入力内容を確認してください：")


def validate_content(kind, content, *, finalising=False):
    """A bound, valid content form for the kind, or InvalidContent.

    A draft may be incomplete where the kind allows it (DASC-21 items); `finalising` checks completeness too.
    """
    if kind not in CONTENT_FORMS:
        raise Refused("シートの種類が正しくありません。", field="kind")
    form_class = CONTENT_FORMS[kind]
    form = form_class(data=_as_form_data(form_class.as_fields(content or {})), finalising=finalising)
    if not form.is_valid():
        raise InvalidContent(form)
    return form


def _as_form_data(content):
    """Form data from JSON content: booleans stay booleans, lists stay lists, None becomes blank."""
    from django.utils.datastructures import MultiValueDict

    data = MultiValueDict()
    for key, value in (content or {}).items():
        if isinstance(value, list):
            data.setlist(key, [str(v) for v in value])
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        elif value is not None:
            data[key] = str(value)
    return data


def _author_facility(user):
    affiliation = user.affiliations.select_related("facility").first()
    return affiliation.facility if affiliation else None


def _require_team(user, patient):
    if not selectors.is_team_member(user, patient):
        raise Refused("この患者のケアチームのメンバーだけが連携シートを作成・編集できます。")


def prefill(*, patient, kind, author):
    """Initial content for a new sheet: the previous sheet of the same kind, then the patient record."""
    previous = selectors.previous_sheet(patient, kind)
    content = dict(previous.content) if previous else {}
    for name in ("scores", *CONTENT_FORMS[kind].fresh_fields):
        content.pop(name, None)
    facility = _author_facility(author)
    content |= {
        "patient_name": patient.name,
        "patient_kana": patient.name_kana,
        "patient_birth_date": patient.birth_date.isoformat(),
        "patient_sex": patient.get_sex_display(),
        "patient_address": patient.address,
        "patient_phone": patient.phone,
    }
    today = timezone.localdate()
    if kind == SheetKind.ADMISSION:
        key = FamilyContact.objects.filter(patient=patient, is_key_person=True).first()
        content |= {
            "provided_on": today.isoformat(),
            "care_level": patient.get_care_level_display(),
            "care_manager_name": author.name,
            "care_manager_phone": author.phone or content.get("care_manager_phone", ""),
            "office_name": facility.name if facility else content.get("office_name", ""),
        }
        if key:
            content |= {"key_person": f"{key.name}（{key.relationship}）", "key_person_phone": key.phone}
        content = known.admission(patient, content, previous=previous, author=author)
    elif kind == SheetKind.DISCHARGE:
        content = known.discharge(patient, content, previous=previous, author=author, facility=facility)
    elif kind == SheetKind.NURSING_INFO:
        content |= {
            "month": today.strftime("%Y-%m"),
            "provided_on": today.isoformat(),
            "nurse_name": author.name,
            "station_name": facility.name if facility else content.get("station_name", ""),
        }
    elif kind == SheetKind.ACP:
        content |= {"discussed_on": today.isoformat()}
    elif kind == SheetKind.DEMENTIA:
        content |= {"consulted_on": today.isoformat(), "staff_name": author.name}
    return content | safety.prefill(kind, patient)


def create_sheet(*, patient, author, kind, content, request=None):
    """Create a draft sheet (version 1 of a new series) after validating its content."""
    _require_team(author, patient)
    form = validate_content(kind, content)
    if kind == SheetKind.NURSING_INFO:
        _one_unified_form_a_month(patient, author, form.cleaned_data["month"])
    with transaction.atomic():
        sheet = Sheet.objects.create(
            patient=patient, kind=kind, author=author, author_facility=_author_facility(author),
            content=form.to_content(), document_date=form.document_date() or timezone.localdate(),
        )
        record(action=Action.CREATE, request=request, actor=author, obj=sheet, patient=patient, detail=kind)
    return sheet


def _one_unified_form_a_month(patient, author, month):
    """The unified form is monthly: a second one for the same patient and month is a correction, not a new sheet."""
    facility = _author_facility(author)
    if Sheet.objects.filter(patient=patient, kind=SheetKind.NURSING_INFO, author_facility=facility,
                            content__month=month).exists():
        raise Conflict(f"{month} の医療情報提供書（統一様式）は既にあります。直す場合は、そのシートの下書きを編集するか"
                       "「訂正版を作成」を使ってください。", field="month")


def update_draft(*, sheet, user, content, request=None):
    """Replace a draft's content. A finalised sheet is never edited in place."""
    if sheet.is_finalised:
        raise Conflict(FINALISED_IS_READ_ONLY)
    if sheet.author_id != user.pk:
        raise Refused("下書きを編集できるのは作成者だけです。")
    _require_team(user, sheet.patient)
    form = validate_content(sheet.kind, content)
    with transaction.atomic():
        locked = Sheet.objects.select_for_update().get(pk=sheet.pk)
        if locked.is_finalised:  # finalised by another request meanwhile
            raise Conflict(FINALISED_IS_READ_ONLY)
        locked.content = form.to_content()
        locked.document_date = form.document_date() or locked.document_date
        locked.save(update_fields=["content", "document_date", "updated_at"])
        record(action=Action.UPDATE, request=request, actor=user, obj=locked, patient=sheet.patient, detail="draft")
    return locked


def discard_draft(*, sheet, user, request=None):
    """Throw away a draft that was never finalised (its author only); finalised versions are kept for good."""
    if sheet.is_finalised:
        raise Conflict("確定済みのシートは削除できません。訂正する場合は「訂正版を作成」を使ってください。")
    if sheet.author_id != user.pk:
        raise Refused("下書きを削除できるのは作成者だけです。")
    with transaction.atomic():
        deleted, _ = Sheet.objects.filter(pk=sheet.pk, status=SheetStatus.DRAFT).delete()
        if not deleted:
            raise Conflict("このシートは既に確定しています。")
        record(action=Action.DELETE, request=request, actor=user, object_type="sheets.sheet", object_id=sheet.pk,
               patient=sheet.patient_id, detail=f"draft {sheet.kind} v{sheet.version}")


def finalise(*, sheet, user, request=None):
    """Finalise a draft (確定): from now on it is read-only."""
    if sheet.is_finalised:
        raise Conflict("このシートは既に確定しています。")
    if sheet.author_id != user.pk:
        raise Refused("確定できるのは作成者だけです。")
    _require_team(user, sheet.patient)
    # Complete, and valid under today's rules (a draft may have been saved incomplete or under older rules).
    validate_content(sheet.kind, sheet.content, finalising=True)
    with transaction.atomic():
        updated = Sheet.objects.filter(pk=sheet.pk, status=SheetStatus.DRAFT).update(
            status=SheetStatus.FINALISED, finalised_at=timezone.now()
        )
        if not updated:
            raise Conflict("このシートは既に確定しています。")
        record(action=Action.UPDATE, request=request, actor=user, obj=sheet, patient=sheet.patient, detail="finalised")
        safety.store_from_sheet(sheet=sheet, user=user, request=request)
    sheet.refresh_from_db()
    return sheet


def revise(*, sheet, user, request=None):
    """Start a correction: a new draft version with the finalised content (and route answers) copied."""
    _require_team(user, sheet.patient)
    if not sheet.is_finalised:
        raise Refused("下書きはそのまま編集できます。訂正版は確定済みのシートから作成します。")
    with transaction.atomic():
        latest = Sheet.objects.select_for_update().filter(series=sheet.series).order_by("-version").first()
        if latest.pk != sheet.pk:
            raise Conflict(f"この版より新しい版（第{latest.version}版）があります。最新の版から訂正してください。")
        new = Sheet.objects.create(
            series=sheet.series, version=sheet.version + 1, patient=sheet.patient, kind=sheet.kind, author=user,
            author_facility=_author_facility(user), content=dict(sheet.content), document_date=sheet.document_date,
        )
        SheetStage.objects.bulk_create([
            SheetStage(sheet=new, position=s.position, stage=s.stage, facility=s.facility, content=s.content,
                       answered_by=s.answered_by, answered_at=s.answered_at)
            for s in sheet.stages.all()
        ])
        record(action=Action.CREATE, request=request, actor=user, obj=new, patient=sheet.patient,
               detail=f"revision of {sheet.pk}")
    return new


def _deliver(*, sheet, user, facility):
    if not selectors.facilities_with_liaison().filter(pk=facility.pk).exists():
        raise Refused(
            f"{facility.name} には医療連携室のアカウントが登録されていないため、送付できません。"
            "FAX など別の方法で届け、連携支援室に医療連携室アカウントの登録を依頼してください。",
            field="facility",
        )
    try:
        with transaction.atomic():
            return SheetDelivery.objects.create(sheet=sheet, facility=facility, sent_by=user)
    except IntegrityError:
        raise Conflict(f"このシートは既に {facility.name} に送付済みです。", field="facility")


def send(*, sheet, user, addressees=(), facility=None, request=None):
    """Send a finalised sheet to team members and/or a receiving facility; a notice goes on the timeline."""
    _require_team(user, sheet.patient)
    if not sheet.is_finalised:
        raise Refused("下書きは送付できません。内容を確定してから送付してください。")
    addressees = list(addressees)
    if not addressees and facility is None:
        raise Refused("宛先（チームメンバーまたは送付先の医療機関）を選んでください。")
    if any(u.pk == user.pk for u in addressees):
        raise Refused("ご自身を宛先に選ぶことはできません。", field="addressees")
    members = set(
        sheet.patient.team_members.filter(status=MemberStatus.ACTIVE, user__in=addressees).values_list("user_id", flat=True)
    )
    strangers = [u for u in addressees if u.pk not in members]
    if strangers:
        raise Refused("宛先にケアチームのメンバーではない人が含まれています：" + "、".join(str(u) for u in strangers),
                      field="addressees")
    with transaction.atomic():
        if facility is not None:
            _deliver(sheet=sheet, user=user, facility=facility)
        now = timezone.now()
        if addressees:
            sheet.addressees.add(*addressees)
            # The unread mark of each addressee (a re-send keeps the earlier mark) and a bell notification.
            SheetRead.objects.bulk_create([SheetRead(sheet=sheet, user=u, sent_at=now) for u in addressees],
                                          ignore_conflicts=True)
            _notify([u.pk for u in addressees], kind=NotificationKind.SHEET, actor=user, patient=sheet.patient,
                    sheet=sheet)
        Sheet.objects.filter(pk=sheet.pk, sent_at__isnull=True).update(sent_at=now, sent_by=user)
        if sheet.kind == SheetKind.NURSING_INFO:
            _hand_to_linkage_fee(sheet, user)
        names = [str(u) for u in addressees] + ([facility.name] if facility else [])
        post_notice(
            patient=sheet.patient, author=user, request=request,
            body=f"{sheet.get_kind_display()}（第{sheet.version}版）を {'、'.join(names)} に送付しました。",
        )
        record(action=Action.UPDATE, request=request, actor=user, obj=sheet, patient=sheet.patient,
               detail="sent to " + ", ".join(names))
    sheet.refresh_from_db()
    return sheet


def _hand_to_linkage_fee(sheet, user):
    """A sent unified form is a provision of the linkage-fee program (訪問看護と介護の連携強化事業).

    Keyed by the sheet's series, so a corrected version updates the provision instead of adding one.
    """
    station = sheet.author_facility
    if station is None or station.kind != FacilityKind.VISITING_NURSING:
        return
    add_provisions_from_sheets([SheetProvision(
        station_id=station.pk, patient_ref=str(sheet.patient_id), provided_on=sheet.document_date,
        unified_form=True, twenty_four_hour=bool(sheet.content.get("twenty_four_hour")), source_ref=str(sheet.series),
        municipality_id=sheet.patient.municipality_id,  # the claim goes to the patient's city
    )], actor=user)


def confirm_receipt(*, sheet, user, request=None):
    """The receiving liaison office confirms receipt (受領確認); the sender sees when."""
    delivery = SheetDelivery.objects.filter(sheet=sheet, facility_id__in=selectors.liaison_facility_ids(user)).first()
    if delivery is None:
        raise Refused("このシートはあなたの医療機関宛てに送付されていません。")
    with transaction.atomic():
        updated = SheetDelivery.objects.filter(pk=delivery.pk, received_at__isnull=True).update(
            received_at=timezone.now(), received_by=user
        )
        if not updated:
            raise Conflict("このシートは既に受領確認済みです。")
        post_notice(patient=sheet.patient, author=user, request=request,
                    body=f"{delivery.facility.name} が {sheet.get_kind_display()}（第{sheet.version}版）の受領を確認しました。")
        _notify([delivery.sent_by_id], kind=NotificationKind.RECEIPT, actor=user, patient=sheet.patient, sheet=sheet)
        record(action=Action.UPDATE, request=request, actor=user, obj=sheet, patient=sheet.patient, detail="received")
    delivery.refresh_from_db()
    return delivery


def next_stage(sheet):
    """The next stage of a route sheet (rules.RouteStep)."""
    answered = list(sheet.stages.order_by("position").values_list("stage", flat=True))
    return rules.route_step(ROUTES[sheet.kind], answered)


def may_answer_stage(user, sheet):
    return selectors.is_team_member(user, sheet.patient) or sheet.deliveries.filter(
        facility_id__in=selectors.liaison_facility_ids(user)).exists()


def answer_stage(*, sheet, user, content, next_facility=None, request=None):
    """Answer the next stage of a stroke pathway or dementia sheet, optionally passing it on to a facility."""
    if sheet.kind not in ROUTES:
        raise Refused("このシートには連携の段階がありません。")
    if not sheet.is_finalised:
        raise Refused("下書きの段階では回答できません。シートを確定して送付してください。")
    if not may_answer_stage(user, sheet):
        raise Refused("この段階に回答できるのは、ケアチームのメンバーか送付先の医療連携室です。")
    if selectors.with_latest_flag(Sheet.objects.filter(pk=sheet.pk)).get().is_superseded:
        raise Conflict("このシートには新しい版があります。最新の版に回答してください。")
    step = next_stage(sheet)
    if step.complete:
        raise Conflict("この連携はすべての段階の回答が済んでいます。")
    form = STAGE_FORMS[step.next_stage](data=_as_form_data(content))
    if not form.is_valid():
        raise InvalidContent(form)
    with transaction.atomic():
        Sheet.objects.select_for_update().get(pk=sheet.pk)
        if next_stage(sheet).position != step.position:
            raise Conflict("他の方が同じ段階に回答しました。画面を更新してください。")
        stage = SheetStage.objects.create(
            sheet=sheet, position=step.position, stage=step.next_stage, content=form.to_content(),
            facility=_author_facility(user), answered_by=user,
        )
        if next_facility is not None:
            _deliver(sheet=sheet, user=user, facility=next_facility)
        body = f"{sheet.get_kind_display()}：「{step.next_label}」の記録が入力されました。"
        if next_facility is not None:
            body += f" 次の段階として {next_facility.name} に送付しました。"
        post_notice(patient=sheet.patient, author=user, request=request, body=body)
        record(action=Action.CREATE, request=request, actor=user, obj=stage, patient=sheet.patient,
               detail=step.next_stage)
    return stage


def review_due(sheet, *, latest, today):
    """An ACP record whose planned review date has passed (on its latest version): time to revisit it."""
    review_on = sheet.content.get("review_on") if sheet.kind == SheetKind.ACP else None
    return bool(latest and sheet.is_finalised and review_on and review_on < today.isoformat())


def mark_read(*, sheet: Sheet, user: User) -> bool:
    """An addressee opened the sheet: its unread mark and its bell notifications become read.

    Two UPDATEs whatever the state (no read first), so the sheet page keeps a fixed number of queries.
    The page view itself is audited by record_read.
    """
    now = timezone.now()
    marked = SheetRead.objects.filter(sheet=sheet, user=user, read_at__isnull=True).update(read_at=now)
    Notification.objects.filter(recipient=user, sheet=sheet, kind=NotificationKind.SHEET,
                                read_at__isnull=True).update(read_at=now)
    return bool(marked)


def record_read(*, request, sheet, detail="read"):
    """Audit a read of a sheet (page view, JSON)."""
    record(action=Action.READ, request=request, obj=sheet, patient=sheet.patient_id, detail=detail)
