"""API tokens in the browser: a user lists, creates and revokes their own; staff revoke anyone's."""
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import selectors, tokens
from ..access import has_role
from ..auth import SignedInRequest, professional_required, verified_required
from ..errors import audit_refusal
from ..models import ApiToken


@professional_required
def token_list(request: SignedInRequest) -> HttpResponse:
    """The caller's own tokens; POST issues a new one, shown once."""
    new_key = None
    if request.method == "POST":
        new_key, _ = tokens.create_token(request=request, user=request.user, detail="web")
    return render(request, "core/tokens.html", {"tokens": selectors.tokens_of(request.user), "new_key": new_key})


@require_POST
@verified_required
def token_revoke(request: SignedInRequest, pk: int) -> HttpResponse:
    """Revoke one token: its owner, or municipal staff for any user. Others get 404."""
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if token.user_id != request.user.pk and not has_role(request.user, "staff"):
        audit_refusal(request, obj=token, reason="token revoke")
        raise Http404
    tokens.revoke(token=token, by=request.user, request=request)
    messages.success(request, f"トークン {token.prefix}… を無効にしました。")
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(reverse("core:tokens"))
