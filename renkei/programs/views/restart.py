"""Pages of the restart grant (介護職・看護職Reスタート支援金)."""
import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import render

from renkei.core.access import in_my_cities
from renkei.core.audit import Action, record
from renkei.core.downloads import file_response

from .. import forms, rules, selectors, services
from ..models import (
    GrantStatus,
    Program,
    RestartGrantApplication,
    RestartGrantDocument,
)
from .common import (
    action_view,
    staff_required,
)


@staff_required
def restart_detail(request, pk):
    application = selectors.restart_application(request.user, pk)
    record(action=Action.READ, request=request, obj=application, detail="Reスタート支援金 申請の閲覧")
    rule, assessment, rule_problems = None, None, []
    try:
        rule = selectors.rule_of(application, Program.RESTART_GRANT)
        assessment = rules.assess_restart_grant(application.facts(), rule.params)
    except services.ProgramError as error:  # no version in force on the hiring date, or facts it does not list
        rule_problems = error.problems
    return render(request, "programs/restart_detail.html", {
        "application": application,
        "rule": rule, "rule_problems": rule_problems, "rule_kept": application.rule_id is not None,
        "assessment": assessment,
        "decisions": selectors.decisions_of(application),
        "document_form": forms.DocumentForm(),
        "decision_form": forms.DecisionForm(auto_id="reject_%s"),
        "confirm_form": forms.ConfirmForm(auto_id="confirm_%s"),
        "earliest_confirmation": services.add_months(application.hired_on, rule.params.min_expected_months)
        if rule else None,
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
    document = in_my_cities(request.user, RestartGrantDocument).filter(pk=doc_pk, application_id=pk).first()
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except OSError:
        raise Http404  # the row outlived its file (e.g. a restored database without the media)
    record(action=Action.DOWNLOAD, request=request, obj=document, detail="Reスタート支援金 書類のダウンロード")
    return file_response(handle, content_type=document.content_type, original_name=document.original_name,
                         fallback=f"document-{document.pk}")
