"""Pages of the council and subcommittees (item イ): meetings, attachments, issues, countermeasures."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from renkei.core.access import get_in_my_cities_or_404
from renkei.core.audit import Action, record
from renkei.core.downloads import detect_type, file_response
from renkei.core.figures import ITEMS
from renkei.core.paging import paginate

from .. import forms, selectors, services
from ..models import Body, Countermeasure, Issue, IssueStatus, Meeting, MeetingAttachment
from .common import (
    PAGE_SIZE,
    city_filter,
    form_flow,
    form_page,
    record_form,
    save_form,
    staff_only,
    staff_or_coordinator,
)


@staff_or_coordinator
def body_list(request):
    city, city_context = city_filter(request)
    bodies = selectors.bodies_with_members(request.user, city)
    return render(request, "records/body_list.html", {"bodies": bodies, **city_context})


@staff_or_coordinator
def body_detail(request, pk):
    body = get_in_my_cities_or_404(request.user, Body.objects.select_related("municipality").prefetch_related("members"), pk)
    context = {
        "body": body,
        "meetings": selectors.meetings_list(request.user, body)[:100],
        "issues": selectors.issues_list(request.user, body=body)[:100],
    }
    return render(request, "records/body_detail.html", context)


@staff_only
def body_new(request):
    return record_form(request, forms.BodyForm, services.save_body, success="協議会・部会を登録しました。",
                       title="協議会・部会の登録", back=reverse("records:body_list"), done="records:body_detail")


@staff_only
def body_edit(request, pk):
    body = get_in_my_cities_or_404(request.user, Body.objects.select_related("municipality"), pk)
    return record_form(request, forms.BodyForm, services.save_body, instance=body, saved_as="body",
                       success="協議会・部会を更新しました。", title=f"{body.name}の編集",
                       back=reverse("records:body_detail", args=[pk]), done="records:body_detail")


@staff_only
def meeting_new(request):
    initial = {"body": request.GET.get("body")} if request.GET.get("body") else None
    return record_form(request, forms.MeetingForm, services.save_meeting, initial=initial, success="会議を記録しました。",
                       title="会議の記録", back=reverse("records:body_list"), done="records:meeting_detail")


@staff_only
def meeting_edit(request, pk):
    meeting = get_in_my_cities_or_404(request.user, Meeting.objects.select_related("body"), pk)
    return record_form(request, forms.MeetingForm, services.save_meeting, instance=meeting, saved_as="meeting",
                       success="会議の記録を更新しました。", title="会議の記録を編集",
                       back=reverse("records:meeting_detail", args=[pk]), done="records:meeting_detail")


@staff_or_coordinator
def meeting_detail(request, pk):
    meeting = get_in_my_cities_or_404(request.user, Meeting.objects.select_related("body__municipality"), pk)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not request.user.is_municipal_staff:
            raise Http404
        if form.is_valid():
            services.add_meeting_attachment(user=request.user, meeting=meeting, upload=form.cleaned_data["file"], request=request)
            messages.success(request, "資料を添付しました。")
            return redirect("records:meeting_detail", pk=pk)
    context = {"meeting": meeting, "attachments": meeting.attachments.all(), "issues": meeting.issues.all(), "form": form}
    return render(request, "records/meeting_detail.html", context)


@staff_or_coordinator
def attachment_download(request, pk):
    attachment = get_in_my_cities_or_404(request.user, MeetingAttachment, pk)
    record(action=Action.DOWNLOAD, request=request, obj=attachment)
    handle = attachment.file.open("rb")
    content_type = detect_type(handle.read(8192))
    handle.seek(0)
    return file_response(handle, content_type=content_type, original_name=attachment.name,
                         fallback=f"meeting-file-{attachment.pk}")


@staff_or_coordinator
def issue_list(request):
    item = request.GET.get("item", "")
    status = request.GET.get("status", "")
    city, city_context = city_filter(request)
    issues = selectors.issues_list(request.user, item=item if item in ITEMS else "", status=status, city=city)
    page = paginate(request, issues, PAGE_SIZE)
    return render(
        request,
        "records/issue_list.html",
        {"page": page, "items": forms.ITEM_FILTER, "item": item, "statuses": IssueStatus.choices, "status": status,
         **city_context},
    )


@staff_only
def issue_new(request):
    form = forms.IssueForm(request.POST or None, initial={"body": request.GET.get("body")}, user=request.user)
    return form_flow(
        request, form, lambda data: services.save_issue(user=request.user, data=data, request=request),
        success="課題を登録しました。", title="課題の登録", back=reverse("records:issue_list"), done="records:issue_detail",
    )


@staff_or_coordinator
def issue_detail(request, pk):
    issue = get_in_my_cities_or_404(request.user, Issue.objects.select_related("body__municipality", "meeting"), pk)
    form = forms.CountermeasureForm(request.POST or None, initial={"item": issue.item})
    obj = save_form(
        request, form, lambda data: services.save_countermeasure(user=request.user, data=data, issue=issue, request=request),
        "対応策を登録しました。",
        staff_writes=True,
    )
    if obj:
        return redirect("records:issue_detail", pk=pk)
    return render(request, "records/issue_detail.html", {"issue": issue, "countermeasures": issue.countermeasures.all(), "form": form})


@staff_only
def countermeasure_edit(request, pk):
    countermeasure = get_in_my_cities_or_404(request.user, Countermeasure.objects.select_related("issue__body"), pk)
    form = forms.CountermeasureForm(request.POST or None, instance=countermeasure)
    obj = save_form(
        request, form,
        lambda data: services.save_countermeasure(user=request.user, data=data, countermeasure=countermeasure, request=request),
        "対応策を更新しました。",
    )
    if obj:
        return redirect("records:issue_detail", pk=countermeasure.issue_id)
    return form_page(request, form, "対応策の更新", reverse("records:issue_detail", args=[countermeasure.issue_id]))
