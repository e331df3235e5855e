"""The Content-Security-Policy header (settings.CONTENT_SECURITY_POLICY) of every answer, built once.

django-csp's middleware builds the header string anew for every response (a dataclass copy and a join of
every directive, twice: policy and report-only), although Renkei's policy is the same for every answer: no
template uses a nonce and no view changes the policy. Building it cost about 4 % of an API request's CPU
(docs/benchmark.md, "Where the time goes"). This middleware gives such a response the header built once per
process (rebuilt when a test changes the setting); a response that does carry a nonce or a per-view policy
(django-csp's decorators) goes through django-csp's own code, unchanged.
"""
import functools
from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

# What django-csp's decorators set on a response to change its policy.
PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
# (header, report only, the decorator's exemption attribute, the setting)
HEADERS = (
    (HEADER, False, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
    (HEADER_REPORT_ONLY, True, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
)
DEBUG_EXEMPT = (404, 500)  # django-csp leaves Django's debug pages alone


@functools.cache
def _policy(report_only: bool) -> str:
    """The header's value from the settings alone (no nonce, no per-view change)."""
    return str(build_policy(report_only=report_only))


@functools.cache
def _excluded(setting: str) -> tuple[str, ...]:
    return tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ())


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _policy.cache_clear()
        _excluded.cache_clear()


setting_changed.connect(_forget, dispatch_uid="renkei-csp-header")


class CSPMiddleware(DjangoCSPMiddleware):
    """django-csp's middleware, with the header of an answer without nonce or per-view policy built once."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None or any(
                getattr(response, name, None) is not None for name in PER_RESPONSE):
            return super().process_response(request, response)
        if response.status_code in DEBUG_EXEMPT and settings.DEBUG:
            return response
        for header, report_only, exempt, setting in HEADERS:
            policy = _policy(report_only)
            if (policy and header not in response and getattr(response, exempt, False) is False
                    and not request.path_info.startswith(_excluded(setting))):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header was written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
