"""Pages of the restart grant (介護職・看護職Reスタート支援金)."""
import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from renkei.core.audit import Action, record
from renkei.core.downloads import file_response
from renkei.core.paging import paginate

from .. import forms, rules, selectors, services
from ..models import (
    GrantStatus,
    RestartGrantApplication,
    RestartGrantDocument,
)
from .common import (
    PAGE_SIZE,
    action_view,
    application_form,
    staff_required,
)


@staff_required
def restart_list(request):
    status = request.GET.get("status", "")
    page = paginate(request, selectors.restart_applications(status if status in GrantStatus.values else ""), PAGE_SIZE)
    return render(request, "programs/restart_list.html",
                  {"page": page, "status": status, "statuses": GrantStatus.choices})


@staff_required
def restart_new(request):
    return application_form(request, "restart")


@staff_required
def restart_edit(request, pk):
    return application_form(request, "restart", get_object_or_404(RestartGrantApplication, pk=pk))


@staff_required
def restart_detail(request, pk):
    try:
        application = selectors.restart_application(pk)
    except RestartGrantApplication.DoesNotExist:
        raise Http404
    record(action=Action.READ, request=request, obj=application, detail="Reスタート支援金 申請の閲覧")
    return render(request, "programs/restart_detail.html", {
        "application": application,
        "assessment": rules.assess_restart_grant(application.facts()),
        "decisions": selectors.decisions_of(application),
        "document_form": forms.DocumentForm(),
        "decision_form": forms.DecisionForm(auto_id="reject_%s"),
        "confirm_form": forms.ConfirmForm(auto_id="confirm_%s"),
        "earliest_confirmation": services.add_months(application.hired_on, rules.RESTART_MIN_EXPECTED_MONTHS),
        "GrantStatus": GrantStatus,
    })


restart_action = functools.partial(action_view, model=RestartGrantApplication, detail="programs:restart_detail")


@restart_action()
def restart_assess(request, application, data):
    result = services.assess_restart_application(application=application, note=request.POST.get("reason", ""),
                                                 actor=request.user, request=request)
    if result.eligible:
        return f"審査の結果、支給対象です（{result.amount_yen:,}円）。6か月継続勤務の確認後に支給します。"
    messages.warning(request, "審査の結果、要件を満たさないため不支給としました。")
    return None


@restart_action(form=lambda request: forms.ConfirmForm(request.POST))
def restart_confirm(request, application, data):
    services.confirm_six_months(application=application, confirmed_on=data["on"], reason=data["reason"],
                                actor=request.user, request=request)
    return "6か月継続勤務を確認しました。"


@restart_action(form=lambda request: forms.ConfirmForm(request.POST))
def restart_pay(request, application, data):
    services.pay_restart_grant(application=application, paid_on=data["on"], reason=data["reason"],
                               actor=request.user, request=request)
    return "支給を記録しました。"


@restart_action(form=lambda request: forms.DecisionForm(request.POST))
def restart_reject(request, application, data):
    services.reject_restart_application(application=application, reason=data["reason"], actor=request.user,
                                        request=request)
    return "不支給を記録しました。"


@restart_action(form=lambda request: forms.DocumentForm(request.POST, request.FILES))
def restart_upload(request, application, data):
    services.upload_restart_document(application=application, kind=data["kind"], uploaded_file=data["file"],
                                     actor=request.user, request=request)
    return "書類を添付しました。"


@staff_required
def restart_document(request, pk, doc_pk):
    document = get_object_or_404(RestartGrantDocument, pk=doc_pk, application_id=pk)
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404  # the row outlived its file (e.g. a restored database without the media)
    record(action=Action.DOWNLOAD, request=request, obj=document, detail="Reスタート支援金 書類のダウンロード")
    return file_response(handle, content_type=document.content_type, original_name=document.original_name,
                         fallback=f"document-{document.pk}")
