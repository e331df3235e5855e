"""The home page's "today's work" panel: what waits for the signed-in user, by role.

Each app counts its own items in its selectors; this module only picks the sections for the user's
roles and links every count to the list that shows those items. A fixed number of queries whatever
the amount of data; program and record counts are cut to the cities the user acts for
(renkei.core.access.in_my_cities), registrations are area-wide.
"""
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from .access import Viewer, has_role, is_family_account, is_liaison, is_signed_in
from .models import Profession, User

UNREAD_PATIENTS_SHOWN = 5


@dataclass
class WorkItem:
    label: str
    count: int
    url: str


@dataclass
class WorkSection:
    title: str
    items: list[WorkItem] = field(default_factory=list)
    patients: list[WorkItem] = field(default_factory=list)  # professionals: the patients with most unread posts
    empty: str = "対応待ちの項目はありません。"
    link: WorkItem | None = None  # shown as a button whatever the count (the physician's list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _url(name: str, **params: str) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def staff_work(user: User) -> WorkSection:
    """Municipal staff: registrations (area-wide), applications, claims and follow-ups of their cities."""
    from renkei.programs import selectors as programs
    from renkei.records import selectors as records

    from . import selectors as core

    waiting = programs.awaiting_work(user)
    return WorkSection("市の事務（担当市の対応待ち）", [
        WorkItem("承認待ちの利用登録申請", core.pending_registration_count(), _url("core:registrations", status="pending")),
        WorkItem("利用決定待ちの緊急訪問介護の申請", waiting["rescue_received"],
                 _url("programs:rescue_list", status="received")),
        WorkItem("審査待ちのReスタート支援金の申請", waiting["restart_applied"],
                 _url("programs:restart_list", status="applied")),
        WorkItem("6か月継続勤務の確認待ちのReスタート支援金", waiting["restart_assessed"],
                 _url("programs:restart_list", status="assessed")),
        WorkItem("確認待ちの連携費の請求", waiting["linkage_draft"], _url("programs:linkage_list", status="draft")),
        WorkItem("フォローアップ対応中の相談", records.open_follow_up_count(user),
                 _url("records:consultation_list", follow_up="open")),
    ])


def coordinator_work(user: User) -> WorkSection:
    """Coordinators (not staff): the consultations of their cities still being followed up."""
    from renkei.records import selectors as records

    return WorkSection("連携支援室（担当市の対応待ち）", [
        WorkItem("フォローアップ対応中の相談", records.open_follow_up_count(user),
                 _url("records:consultation_list", follow_up="open")),
    ])


def professional_work(user: User) -> WorkSection:
    """Professionals: unread team posts (by patient), unopened sheets addressed to them, invitations,
    referral requests to their facilities waiting for an answer."""
    from renkei.directory import referrals
    from renkei.network import selectors as network
    from renkei.sheets import selectors as sheets

    rows, totals = network.unread_by_patient(user, limit=UNREAD_PATIENTS_SHOWN)
    return WorkSection("ケアチーム", [
        WorkItem(f"未読の投稿がある患者（未読 {totals['posts']} 件）", totals["patients"],
                 _url("network:patient_list", unread="1")),
        WorkItem("自分宛てで未開封の連携シート", sheets.unopened_addressed_sheets(user).count(),
                 _url("sheets:index", unopened="1")),
        WorkItem("返事を待っている招待", network.pending_invitation_count(user),
                 _url("network:patient_list")),
        WorkItem("回答待ちの受け入れ依頼（自分の事業所あて）", referrals.pending_count(user), _url("directory:referrals")),
    ], patients=[
        WorkItem(f"{row.patient.name} さん", row.unread_count, reverse("network:timeline", args=[row.patient_id]))
        for row in rows
    ])


def physician_work(user: User) -> WorkSection:
    """Physicians: the one list of what needs them (renkei/network/inbox.py), as a button on top."""
    from renkei.network import inbox

    count = inbox.inbox_count(user)
    return WorkSection("医師の確認", [
        WorkItem("確認が必要なもの（重要・メンション・未回答の質問・自分宛てのシート）", count, _url("network:doctor")),
    ], link=WorkItem("確認が必要なものを開く", count, _url("network:doctor")),
        empty="確認が必要なものはありません。")


def liaison_work(user: User) -> WorkSection:
    """A hospital liaison office: finalised sheets delivered to it whose receipt is not confirmed."""
    from renkei.sheets import selectors as sheets

    return WorkSection("医療連携室", [
        WorkItem("受領確認待ちの連携シート", sheets.unconfirmed_received_sheets(user).count(),
                 _url("sheets:index", unconfirmed="1")),
    ])


def todays_work(user: Viewer) -> list[WorkSection]:
    """The sections of the panel for the user's roles (empty for anyone not signed in and approved).

    The home page asks only for a user past the second factor (see core.views.accounts.home)."""
    if not is_signed_in(user):
        return []
    sections: list[WorkSection] = []
    if has_role(user, "staff"):
        sections.append(staff_work(user))
    elif has_role(user, "coordinator"):
        sections.append(coordinator_work(user))
    if is_liaison(user):
        sections.append(liaison_work(user))
    if user.is_professional and not is_family_account(user):
        if user.profession == Profession.PHYSICIAN:
            sections.insert(0, physician_work(user))
        sections.append(professional_work(user))
    return sections
