"""Timelines: a patient's team and family channels, and groups — page, poll, post, vitals, edit, retract."""
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from renkei.core.access import is_family_only
from renkei.core.audit import Action, record
from renkei.core.auth import View, verified_required
from renkei.core.errors import audit_refusal, show_error
from renkei.core.idempotency import once_per_submission as _once_per_submission
from renkei.core.idempotency import submission_tag as _submission_tag

from .. import selectors, services
from ..charts import trend_panels
from ..forms import EditPostForm, PostForm, VitalsForm
from ..models import Channel, Post
from ..requests import SignedInRequest
from .common import (
    Place,
    denied,
    family_patient,
    family_place,
    group_place,
    team_place,
    visible_group,
    visible_patient,
)

# renkei.core.idempotency is not annotated yet (issue 17, the core half): the signatures used here.
_View = TypeVar("_View", bound=Callable[..., HttpResponse])
once_per_submission = cast("Callable[[_View], _View]", _once_per_submission)
submission_tag = cast("Callable[[HttpRequest], str]", _submission_tag)


def poll_seconds() -> int:  # noqa: N802 - read at request time so tests and deployments can change it
    """Seconds between htmx polls for new posts (setting NETWORK_POLL_SECONDS, default 10)."""
    return int(getattr(settings, "NETWORK_POLL_SECONDS", 10))


def _cursor(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name)
    try:
        return int(value) if value else None  # neither missing nor empty
    except ValueError:
        return None


# Ten posts a page: about two phone screens with the notices folded, so a page loads and scrolls quickly.
TIMELINE_PAGE_SIZE = 10
# The views of a team timeline (`?show=`): every post with the notices folded, the clinical posts alone,
# or the vitals charts and their form.
VIEWS = ("all", "clinical", "vitals")


def _view(request: HttpRequest, place: Place, default: str = "all") -> str:
    """The view asked for by `?show=`; only a team timeline with shared posts has more than one."""
    if place.kind != "team" or place.only_notices:
        return "all"
    show = request.GET.get("show")
    return show if show in VIEWS else default


def _audit_read(request: SignedInRequest, place: Place, detail: str) -> None:
    record(action=Action.READ, request=request, obj=place.group or place.patient, patient=place.patient,
           detail=f"{place.kind} {detail}")


def render_timeline(request: SignedInRequest, place: Place, *, form: PostForm | None = None,
                    vitals_form: VitalsForm | None = None, status: int = 200) -> HttpResponse:
    """A page of a timeline (cursor `before`) or its vitals view, marking the shown posts read and auditing
    the view."""
    view = _view(request, place, default="vitals" if vitals_form is not None else "all")
    context: dict[str, Any] = {
        "place": place,
        "patient": place.patient,
        "group": place.group,
        "view": view,
        "posts": [],
        "form": form or PostForm(members=place.members, may_mark_important=not is_family_only(request.user)),
        "poll_seconds": poll_seconds(),
    }
    if view == "vitals":
        assert place.patient is not None  # only a team timeline has the vitals view
        context["charts"] = trend_panels(selectors.vitals_series(place.patient))
        context["vitals_form"] = vitals_form or VitalsForm()
        _audit_read(request, place, "vitals")
    else:
        before = _cursor(request, "before")
        posts, next_cursor = selectors.timeline_page(
            patient=place.patient, group=place.group, channel=place.channel, before=before,
            only_notices=place.only_notices, without_notices=view == "clinical", size=TIMELINE_PAGE_SIZE,
        )
        selectors.prepare_for_display(posts, request.user)
        services.mark_read(posts=selectors.all_shown(posts), user=request.user)
        _audit_read(request, place, f"timeline page before={before or ''}" + (" clinical" if view == "clinical" else ""))
        context.update(posts=posts, next_cursor=next_cursor, before=before, newest_id=selectors.newest_post_id(
            patient=place.patient, group=place.group, channel=place.channel))
    if place.patient is not None:
        context["membership"] = selectors.my_role(request.user, place.patient)
    return render(request, "network/timeline.html", context, status=status)


def poll(request: SignedInRequest, place: Place) -> HttpResponse:
    """New posts and new replies since `after` (htmx polling); shown posts become read."""
    after = _cursor(request, "after") or 0
    view = _view(request, place)
    threads = selectors.updated_threads(
        patient=place.patient, group=place.group, channel=place.channel, after=after,
        only_notices=place.only_notices, without_notices=view == "clinical",
    )
    selectors.prepare_for_display(threads, request.user)
    if threads:
        services.mark_read(posts=selectors.all_shown(threads), user=request.user)
        _audit_read(request, place, f"poll after={after}")
    newest = selectors.newest_post_id(patient=place.patient, group=place.group, channel=place.channel)
    polls = (_cursor(request, "n") or 0) + 1
    # Polling must not keep an unattended session alive past the idle timeout: stop after that long.
    idle_limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 // max(poll_seconds(), 1)
    context = {
        "polls": polls,
        "bell_count": selectors.unread_notification_count(request.user),
        "polling_stopped": polls >= idle_limit,
        "place": place,
        "view": view,
        "new_posts": [t for t in threads if t.pk > after],
        "updated_posts": [t for t in threads if t.pk <= after],
        "newest_id": max(newest, after),
        "poll_seconds": poll_seconds(),
    }
    return render(request, "network/_poll.html", context)


def _parent(request: SignedInRequest, place: Place) -> Post | None:
    parent_id = request.POST.get("parent")
    if not parent_id:
        return None
    try:
        parent = selectors.get_post_or_404(request.user, parent_id, patient=place.patient, group=place.group)
        if parent.channel != place.channel:
            raise Http404("見つかりません。")
    except Http404:
        denied(request, f"reply to post {parent_id}")
        raise
    return parent


def create_post(request: SignedInRequest, place: Place) -> HttpResponse:
    """Post text, files, a reply, mentions and the important flag; errors come back on the page."""
    form = PostForm(request.POST, request.FILES, members=place.members,
                    may_mark_important=not is_family_only(request.user))
    parent = _parent(request, place)
    if form.is_valid():
        data = form.cleaned_data
        try:
            post = services.create_post(
                author=request.user, body=data["body"], patient=place.patient, group=place.group,
                channel=place.channel, parent=parent, important=data.get("important", False),
                mentions=[int(i) for i in data["mentions"]], files=data["files"], request=request,
            )
        except services.Refused as refused:
            if refused.status == 404:
                denied(request, refused.message)
                raise Http404("見つかりません。")
            show_error(request, refused, form, patient=place.patient)
            return render_timeline(request, place, form=form, status=refused.status)
        messages.success(request, "投稿しました。", extra_tags=submission_tag(request))
        return redirect(f"{place.url('timeline')}#post-{(parent or post).pk}")
    audit_refusal(request, patient=place.patient, reason="post form invalid")
    return render_timeline(request, place, form=form, status=400)


# --- patient team timeline ----------------------------------------------------------------------

def _timeline_views(place_of: Callable[[SignedInRequest, int], Place]) -> tuple[View, View, View]:
    """The page, poll and post views of one kind of timeline; place_of(request, pk) is its place, found
    through the access rule (a denial audited and answered 404)."""

    @verified_required
    @require_GET
    def page(request: SignedInRequest, pk: int) -> HttpResponse:
        return render_timeline(request, place_of(request, pk))

    @verified_required
    @require_GET
    def poll_view(request: SignedInRequest, pk: int) -> HttpResponse:
        return poll(request, place_of(request, pk))

    @verified_required
    @require_POST
    @once_per_submission
    def post_view(request: SignedInRequest, pk: int) -> HttpResponse:
        return create_post(request, place_of(request, pk))

    return page, poll_view, post_view


timeline, timeline_poll, post_create = _timeline_views(lambda request, pk: team_place(visible_patient(request, pk)))


@verified_required
@require_POST
@once_per_submission
def vitals_create(request: SignedInRequest, pk: int) -> HttpResponse:
    """A structured vital-signs post; refused values come back next to their fields."""
    place = team_place(visible_patient(request, pk))
    form = VitalsForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        body = data.pop("body")
        try:
            services.create_post(author=request.user, body=body, patient=place.patient, vitals=data, request=request)
        except services.Refused as refused:
            show_error(request, refused, form, patient=place.patient)
            return render_timeline(request, place, vitals_form=form, status=refused.status)
        messages.success(request, "バイタルを記録しました。")
        return redirect(place.url("timeline") + "?show=vitals")
    return render_timeline(request, place, vitals_form=form, status=400)


# --- family timeline ----------------------------------------------------------------------------

family_timeline, family_poll, family_post_create = _timeline_views(
    lambda request, pk: family_place(family_patient(request, pk), request.user))


# --- group timeline -----------------------------------------------------------------------------

group_timeline, group_poll, group_post_create = _timeline_views(
    lambda request, pk: group_place(visible_group(request, pk)))


# --- one post: edit, retract, history ---------------------------------------------------------------

def _reachable_post(request: SignedInRequest, post_id: int) -> tuple[Post, Place]:
    """A post on a timeline the caller reads, with its place; 404 (audited) for anything else."""
    try:
        post = Post.objects.select_related("patient", "group").get(pk=int(post_id))
    except (Post.DoesNotExist, ValueError):
        denied(request, f"post {post_id}")
        raise Http404("見つかりません。")
    if post.group_id:
        return post, group_place(visible_group(request, post.group_id))
    if post.channel == Channel.FAMILY:
        return post, family_place(family_patient(request, post.patient_id), request.user)
    return post, team_place(visible_patient(request, post.patient_id))


@verified_required
def post_edit(request: SignedInRequest, post_id: int) -> HttpResponse:
    post, place = _reachable_post(request, post_id)
    form = EditPostForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_post(post=post, by=request.user, body=form.cleaned_data["body"], request=request)
        except services.Refused as refused:
            show_error(request, refused, form, obj=post, patient=place.patient)
        else:
            messages.success(request, "投稿を編集しました（編集前の内容は履歴に残ります）。")
            return redirect(f"{place.url('timeline')}#post-{post.parent_id or post.pk}")
    return render(request, "network/post_edit.html", {"post": post, "place": place, "form": form},
                  status=400 if form.errors else 200)


@verified_required
@require_POST
def post_retract(request: SignedInRequest, post_id: int) -> HttpResponse:
    post, place = _reachable_post(request, post_id)
    try:
        services.retract_post(post=post, by=request.user, request=request)
    except services.Refused as refused:
        show_error(request, refused, obj=post, patient=place.patient)
    else:
        messages.success(request, "投稿を取り消しました。")
    return redirect(f"{place.url('timeline')}#post-{post.parent_id or post.pk}")


@verified_required
@require_GET
def post_history(request: SignedInRequest, post_id: int) -> HttpResponse:
    post, place = _reachable_post(request, post_id)
    record(action=Action.READ, request=request, obj=post, patient=place.patient, detail="history")
    # A retracted text stays in the database for the record but is not shown again.
    revisions = [] if post.is_retracted else post.revisions.select_related("replaced_by")
    return render(request, "network/post_history.html", {"post": post, "place": place, "revisions": revisions})
