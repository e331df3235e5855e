"""The HTTP API (django-ninja) under /api/v1/: each app contributes a router."""
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .careplans.api import router as careplans_router
from .core.api import router as auth_router
from .core.api import token_auth
from .core.apibase import RenkeiAPI
from .core.errors import AppError, audit_refusal
from .core.health import readiness_problem
from .core.unavailable import RETRY_AFTER_SECONDS, unavailable_response
from .directory.api import router as directory_router
from .network.api import notifications_router
from .network.api import router as network_router
from .programs.api import router as programs_router
from .sheets.api import router as sheets_router
from .sheets.conference_api import router as conferences_router
from .sheets.document_api import router as documents_router

api = RenkeiAPI(
    title="Renkei API",
    version="1",
    description="在宅医療・介護連携 Renkei の API。認証は POST /api/v1/auth/token で得た Bearer トークン。",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=token_auth,
)


# --- errors: the one translation of refusals to JSON {"detail": ...}; each refusal of a signed-in
# caller is audited here (renkei.core.errors.audit_refusal), so no endpoint has to remember it.

@api.exception_handler(AppError)
def app_error(request, exc):
    audit_refusal(request, status=exc.status, reason=exc.message)
    return api.create_response(request, {"detail": exc.detail}, status=exc.status)


@api.exception_handler(Http404)
def not_found(request, exc):
    audit_refusal(request, status=404, reason="not found")
    return api.create_response(request, {"detail": "見つかりません。"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    audit_refusal(request, status=403, reason=str(exc))
    return api.create_response(request, {"detail": str(exc) or "この操作の権限がありません。"}, status=403)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "認証が必要です（有効なトークンを送ってください）。"}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    if exc.status_code in (403, 404):
        audit_refusal(request, status=exc.status_code, reason=exc.message)
    return api.create_response(request, {"detail": exc.message}, status=exc.status_code)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request, exc):
    """503 + Retry-After, whatever other handler (or DEBUG) would make of it (see core/unavailable.py)."""
    return unavailable_response(request, exc)


api.add_router("/auth", auth_router)
api.add_router("/patients", network_router)
api.add_router("/", "renkei.records.api.router")
api.add_router("/reports", "renkei.reports.api.router")
api.add_router("/programs", programs_router)
api.add_router("/", directory_router)
api.add_router("/", "renkei.directory.referral_api.router")
api.add_router("/", notifications_router)  # /notifications, /push/subscriptions
api.add_router("/", "renkei.network.doctor_api.router")  # /doctor/inbox, /posts/{id}/acknowledge, /doctor/templates
api.add_router("/", sheets_router)  # full paths: /patients/{id}/sheets, /sheets/{id}/pdf, ...
api.add_router("/", conferences_router)  # /patients/{id}/conferences, /conferences/{id}
api.add_router("/", documents_router)  # /patients/{id}/documents, /documents/{id}
api.add_router("/", "renkei.core.facility_api.router")  # /facility/members…
api.add_router("/", "renkei.medication.api.router")  # /patients/{id}/medications, …/medications/jahis
api.add_router("/", careplans_router)  # /patients/{id}/careplan, /patients/{id}/careplan/csv


@api.get("/health", auth=None, tags=["health"], summary="Liveness check (no database work)")
def health(request):
    """The benchmark's baseline: answers without touching the database."""
    return {"status": "ok"}


@api.get("/health/ready", auth=None, tags=["health"], summary="Readiness check (database, and Redis when configured)")
def health_ready(request):
    """200 when the database (and Redis, if configured) answers; else 503 with the reason."""
    problem = readiness_problem()
    if problem is None:
        return {"status": "ok"}
    response = api.create_response(request, {"detail": problem}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
