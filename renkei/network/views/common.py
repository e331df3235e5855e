"""What every network page shares: the 404-with-audit wrapper and the timeline "place"."""
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse

from renkei.core.errors import audit_refusal
from renkei.core.models import User

from .. import selectors
from ..models import Channel, Group, MemberStatus, Patient
from ..requests import SignedInRequest
from ..services import consent_state

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def denied(request: HttpRequest, detail: str = "") -> None:
    """Write the audit row of a refused access; the caller then answers 404."""
    audit_refusal(request, reason=detail)


def audited_access(find: Callable[[User, object], T], detail: str) -> Callable[[SignedInRequest, object], T]:
    """A page's lookup (request, pk) -> find(user, pk), an access rule whose 404 is audited as a refused
    access (`detail`) before it is answered, like a missing object."""

    def lookup(request: SignedInRequest, pk: object) -> T:
        try:
            return find(request.user, pk)
        except Http404:
            denied(request, detail)
            raise

    return lookup


def first_or_denied(request: SignedInRequest, queryset: QuerySet[M], detail: str) -> M:
    """The first object of `queryset` (already narrowed to what the user may touch); none is audited as a
    refused access (`detail`) and answered 404 like a missing object."""
    found = queryset.first()
    if found is None:
        denied(request, detail)
        raise Http404("見つかりません。")
    return found


def answer_invitation(request: SignedInRequest, invitations: QuerySet[M], respond: Callable[..., object],
                      detail: str) -> tuple[M, bool]:
    """The invitee answers (POST answer=accept) one of `invitations` that is theirs and still open (else an
    audited 404) through respond(member=, user=, accept=, request=); returns (member, accepted)."""
    member = first_or_denied(request, invitations.filter(user=request.user, status=MemberStatus.INVITED), detail)
    accept = request.POST.get("answer") == "accept"
    respond(member=member, user=request.user, accept=accept, request=request)
    return member, accept


# The patient via the one access rule; a denial is audited and answered 404 like a missing patient.
visible_patient = audited_access(selectors.get_visible_patient_or_404, "patient")
visible_group = audited_access(selectors.get_visible_group_or_404, "group")
family_patient = audited_access(selectors.get_family_timeline_patient_or_404, "family timeline")


@dataclass
class Place:
    """A timeline: a patient's team or family channel, or a group."""

    patient: Patient | None = None
    group: Group | None = None
    channel: str = Channel.TEAM
    can_post: bool = True
    closed_reason: str = ""
    only_notices: bool = False
    members: list[User] = field(default_factory=list)

    @property
    def kind(self) -> str:
        if self.group is not None:
            return "group"
        return "family" if self.channel == Channel.FAMILY else "team"

    def url(self, name: str) -> str:
        if self.group is not None:  # kind "group"
            return reverse(f"network:group_{name}", args=[self.group.pk])
        assert self.patient is not None  # a team or family timeline
        prefix = "family_" if self.kind == "family" else ""
        return reverse(f"network:{prefix}{name}", args=[self.patient.pk])

    @property
    def timeline_url(self) -> str:
        return self.url("timeline")

    @property
    def poll_url(self) -> str:
        return self.url("poll")

    @property
    def post_url(self) -> str:
        return self.url("post_create")

    @property
    def title(self) -> str:
        if self.group is not None:
            return self.group.name
        assert self.patient is not None  # a team or family timeline
        suffix = "（本人・家族タイムライン）" if self.channel == Channel.FAMILY else ""
        return f"{self.patient.name} さん{suffix}"


def team_place(patient: Patient) -> Place:
    """The professionals' timeline of a patient, gated by consent."""
    state = consent_state(patient)
    members = [m.user for m in selectors.team_of(patient) if m.status == MemberStatus.ACTIVE]
    if state == "none":
        return Place(patient=patient, can_post=False, only_notices=True, members=members,
                     closed_reason="情報共有の同意が記録されていないため、医療・介護の情報は共有できません。"
                                   "チームの編成はできます。同意を取得したら「同意」から記録してください。")
    if state == "withdrawn":
        return Place(patient=patient, can_post=False, members=members,
                     closed_reason="情報共有の同意が撤回されたため、新しい投稿はできません（これまでの記録は閲覧できます）。")
    if patient.is_ended:
        return Place(patient=patient, members=members,
                     closed_reason=f"この患者の支援は終了しています（{patient.get_end_reason_display()}）。")
    return Place(patient=patient, members=members)


def family_place(patient: Patient, user: User) -> Place:
    members = [m.user for m in selectors.team_of(patient) if m.status == MemberStatus.ACTIVE]
    members += [a.user for a in selectors.family_accesses_of(patient) if a.status == "active"]
    if patient.is_ended:
        return Place(patient=patient, channel=Channel.FAMILY, can_post=False, members=members,
                     closed_reason="この患者の支援は終了しているため、新しい投稿はできません。")
    return Place(patient=patient, channel=Channel.FAMILY, members=members)


def group_place(group: Group) -> Place:
    return Place(group=group, members=list(selectors.group_members(group)))
