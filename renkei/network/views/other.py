"""Attachments download, notifications (the bell), groups and the family home page."""
from collections.abc import Callable
from typing import cast

from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from renkei.core.audit import Action, record
from renkei.core.auth import verified_required
from renkei.core.downloads import file_response
from renkei.core.errors import attempt, show_error
from renkei.core.models import User

from .. import attachments, selectors, services
from ..forms import GroupForm
from ..models import GroupKind, GroupMember, MemberStatus
from ..requests import SignedInRequest
from .common import answer_invitation, denied, visible_group

Download = Callable[[SignedInRequest, int], FileResponse]
# renkei.core.auth types a view as answering an HttpResponse; a download answers a FileResponse (streamed).
_verified_download = cast("Callable[[Download], Download]", verified_required)


def _serve(request: SignedInRequest, attachment_id: int, *, thumbnail: bool) -> FileResponse:
    try:
        attachment = selectors.get_visible_attachment_or_404(request.user, attachment_id)
    except Http404:
        denied(request, f"attachment {attachment_id}")
        raise
    try:
        handle = attachments.open_file(attachment, thumbnail=thumbnail)
    except FileNotFoundError:
        raise Http404("見つかりません。")
    record(action=Action.DOWNLOAD, request=request, obj=attachment, patient=attachment.patient_id,
           detail="thumbnail" if thumbnail else attachment.original_name)
    # Only images are shown inline; a PDF is always downloaded (browsers' PDF viewers do not run under the
    # sandbox CSP), under a name whose extension is that of the checked type, never the uploaded one.
    response = file_response(handle, content_type="image/jpeg" if thumbnail else attachment.content_type,
                             original_name=attachment.original_name, fallback=f"attachment-{attachment.pk}",
                             inline=request.GET.get("download") != "1")
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@_verified_download
@require_GET
def attachment_download(request: SignedInRequest, attachment_id: int) -> FileResponse:
    """A file, after the access rule, with an audit row; anything not reachable is 404."""
    return _serve(request, attachment_id, thumbnail=False)


@_verified_download
@require_GET
def attachment_thumbnail(request: SignedInRequest, attachment_id: int) -> FileResponse:
    return _serve(request, attachment_id, thumbnail=True)


@verified_required
def notifications(request: SignedInRequest) -> HttpResponse:
    """The bell's list; opening it marks the notifications read."""
    items = list(selectors.notifications_for(request.user))
    if request.method == "POST":
        services.mark_notifications_read(user=request.user)
        return redirect("network:notifications")
    record(action=Action.READ, request=request, object_type="network.notification", detail="notifications")
    return render(request, "network/notifications.html", {"items": items})


@verified_required
@require_GET
def notification_badge(request: SignedInRequest) -> HttpResponse:
    """The bell with its unread count (polled by htmx)."""
    return render(request, "network/_bell.html", {"bell_count": selectors.unread_notification_count(request.user)})


@verified_required
def groups(request: SignedInRequest) -> HttpResponse:
    """My facility groups and free groups; create a free group."""
    for affiliation in request.user.affiliations.select_related("facility"):
        services.ensure_facility_group(facility=affiliation.facility)
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(by=request.user, request=request, **form.cleaned_data)
        except services.Refused as refused:
            show_error(request, refused, form)
        else:
            messages.success(request, "グループを作成しました。メンバーを招待してください。")
            return redirect("network:group_members", pk=group.pk)
    context = {"groups": selectors.groups_visible_to(request.user).order_by("kind", "name"), "form": form,
               "invitations": selectors.group_invitations_for(request.user)}
    return render(request, "network/groups.html", context, status=400 if form.errors else 200)


@verified_required
def group_members(request: SignedInRequest, pk: int) -> HttpResponse:
    """Members of a group; a free group's manager searches and invites professionals."""
    group = visible_group(request, pk)
    members = list(selectors.group_members(group))
    is_manager = group.kind == GroupKind.FREE and GroupMember.objects.filter(
        group=group, user=request.user, is_manager=True, status=MemberStatus.ACTIVE).exists()
    query = request.GET.get("q", "").strip()
    candidates: QuerySet[User] | list[User] = []
    if query and is_manager:
        taken = GroupMember.objects.filter(group=group).values_list("user_id", flat=True)
        candidates = selectors.professional_candidates(query, exclude_ids=list(taken))
    context = {"group": group, "members": members, "is_manager": is_manager, "query": query, "candidates": candidates}
    return render(request, "network/group_members.html", context)


@verified_required
@require_POST
def group_invite(request: SignedInRequest, pk: int) -> HttpResponse:
    group = visible_group(request, pk)
    invitee = User.objects.filter(pk=request.POST.get("user") or 0).first() if str(
        request.POST.get("user", "")).isdigit() else None
    if invitee is None:
        messages.error(request, "招待する相手を検索して選んでください。")
        return redirect("network:group_members", pk=group.pk)
    attempt(request, lambda: services.invite_group_member(group=group, by=request.user, user=invitee, request=request),
            f"{invitee} さんを招待しました。")
    return redirect("network:group_members", pk=group.pk)


@verified_required
@require_POST
def group_invitation_respond(request: SignedInRequest, member_id: int) -> HttpResponse:
    member, accept = answer_invitation(request, GroupMember.objects.filter(pk=member_id),
                                       services.respond_group_invitation, f"group invitation {member_id}")
    if accept:
        return redirect("network:group_timeline", pk=member.group_id)
    return redirect("network:groups")


@verified_required
@require_GET
def family_home(request: SignedInRequest) -> HttpResponse:
    """A family account's start page: the family timelines it may use, nothing else."""
    patients = list(selectors.family_patients(request.user))
    if len(patients) == 1:
        return redirect("network:family_timeline", pk=patients[0].pk)
    return render(request, "network/family_home.html", {"patients": patients})
