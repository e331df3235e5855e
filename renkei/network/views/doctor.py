"""The physician's view: what needs them across their patients, 「確認しました」, and their reply templates."""
from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from renkei.core.access import get_visible_sheet_or_404, get_visible_team_post_or_404
from renkei.core.audit import Action, record
from renkei.core.auth import professional_required
from renkei.core.errors import AppError, show_error

from .. import inbox, selectors, services
from ..forms import ReplyTemplateForm
from ..models import Post, ReplyTemplate
from ..requests import SignedInRequest
from .common import audited_access, denied

_visible_post = audited_access(get_visible_team_post_or_404, "acknowledge post")
_visible_sheet = audited_access(get_visible_sheet_or_404, "acknowledge sheet")


@professional_required
@require_GET
def doctor_inbox(request: SignedInRequest) -> HttpResponse:
    """The list: important posts, mentions, unanswered questions, unopened sheets addressed to the user."""
    items = inbox.inbox_items(request.user)
    total = len(items) if len(items) < inbox.SHOWN else inbox.inbox_count(request.user)
    record(action=Action.READ, request=request, object_type="network.doctor_inbox",
           detail=f"physician's list ({total} items)")
    return render(request, "network/doctor.html", {
        "items": items, "total": total, "templates": list(selectors.reply_templates(request.user)),
        "inbox_days": inbox.INBOX_DAYS,
    })


@professional_required
@require_POST
def acknowledge_post(request: SignedInRequest, post_id: int) -> HttpResponse:
    """「確認しました」 on a post: stored once, shown under the post to the team; the item leaves the list."""
    post = _visible_post(request, post_id)
    services.acknowledge_post(user=request.user, post=post, request=request)
    patient = post.patient
    assert patient is not None  # get_visible_team_post_or_404 finds patients' team posts only
    messages.success(request, f"{patient.name} さんの投稿を確認済みにしました。")
    if request.POST.get("next") == "timeline":
        return redirect(post_timeline_url(post))
    return redirect("network:doctor")


def post_timeline_url(post: Post) -> str:
    """Where a post is on its patient's team timeline."""
    return reverse("network:timeline", args=[post.patient_id]) + f"#post-{post.pk}"


@professional_required
@require_POST
def acknowledge_sheet(request: SignedInRequest, sheet_id: int) -> HttpResponse:
    """「確認しました」 on a sheet addressed to the user: it counts as opened."""
    sheet = _visible_sheet(request, sheet_id)
    services.acknowledge_sheet(user=request.user, sheet=sheet, request=request)
    messages.success(request, f"{sheet.patient.name} さんの連携シートを確認済みにしました。")
    return redirect("network:doctor")


def _save_template(request: SignedInRequest, form: ReplyTemplateForm, save: Callable[[str], object],
                   done: str) -> tuple[HttpResponse | None, int]:
    """A POSTed template form: `save(body)` when valid, then (the redirect to the list, showing `done`, 200);
    otherwise (None, the page's status: 200 for a GET, 400 for an invalid form, the refusal's own)."""
    if request.method != "POST":
        return None, 200
    if not form.is_valid():
        return None, 400
    try:
        save(form.cleaned_data["body"])
    except AppError as error:
        show_error(request, error, form)
        return None, error.status
    messages.success(request, done)
    return redirect("network:reply_templates"), 200


@professional_required
def reply_templates(request: SignedInRequest) -> HttpResponse:
    """The user's reply templates: list and add."""
    form = ReplyTemplateForm(request.POST or None)
    saved, status = _save_template(
        request, form, lambda body: services.create_reply_template(user=request.user, body=body, request=request),
        "定型文を追加しました。")
    if saved:
        return saved
    return render(request, "network/reply_templates.html",
                  {"form": form, "templates": list(selectors.reply_templates(request.user))}, status=status)


def _own_template(request: SignedInRequest, template_id: int) -> ReplyTemplate:
    try:
        return selectors.own_reply_template_or_404(request.user, template_id)
    except Http404:
        denied(request, "reply template")
        raise


@professional_required
def reply_template_edit(request: SignedInRequest, template_id: int) -> HttpResponse:
    """Change one of the user's templates."""
    template = _own_template(request, template_id)
    form = ReplyTemplateForm(request.POST or None, initial={"body": template.body})
    saved, status = _save_template(
        request, form, lambda body: services.update_reply_template(template=template, body=body, request=request),
        "定型文を変更しました。")
    if saved:
        return saved
    return render(request, "network/reply_template_edit.html", {"form": form, "template": template}, status=status)


@professional_required
@require_POST
def reply_template_delete(request: SignedInRequest, template_id: int) -> HttpResponse:
    services.delete_reply_template(template=_own_template(request, template_id), request=request)
    messages.success(request, "定型文を削除しました。")
    return redirect("network:reply_templates")
