"""renkei.core.csp_header: the Content-Security-Policy built once is the header django-csp builds, and every
answer that django-csp would treat differently (a nonce, a per-view policy, an exemption) still is."""
import pytest
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from renkei.core import csp_header
from renkei.core.csp_header import CSPMiddleware

HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def _answer(view, middleware_class, path="/api/v1/health"):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    return request, middleware(request)


def _plain(request):
    return HttpResponse("ok")


def _with_nonce(request):
    return HttpResponse(f"nonce {request.csp_nonce}")


@csp_update({"img-src": ["https://tiles.example.org"]})
def _updated(request):
    return HttpResponse("ok")


@csp_exempt()
def _exempt(request):
    return HttpResponse("ok")


def test_the_policy_is_the_one_django_csp_builds():
    _, ours = _answer(_plain, CSPMiddleware)
    _, theirs = _answer(_plain, DjangoCSPMiddleware)
    assert ours[HEADER] == theirs[HEADER]
    assert "default-src 'self'" in ours[HEADER] and "frame-ancestors 'none'" in ours[HEADER]
    assert REPORT_ONLY not in ours and REPORT_ONLY not in theirs


def test_the_policy_follows_a_changed_setting(settings):
    _answer(_plain, CSPMiddleware)  # built once with the project's policy
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    _, ours = _answer(_plain, CSPMiddleware)
    assert ours[HEADER] == "default-src 'none'"
    assert ours[REPORT_ONLY] == "default-src 'self'"


def test_excluded_prefixes_get_no_header(settings):
    settings.CONTENT_SECURITY_POLICY = {**settings.CONTENT_SECURITY_POLICY, "EXCLUDE_URL_PREFIXES": ["/api/"]}
    _, ours = _answer(_plain, CSPMiddleware)
    assert HEADER not in ours
    _, page = _answer(_plain, CSPMiddleware, path="/directory/")
    assert HEADER in page


def test_a_nonce_still_reaches_the_header(settings):
    from csp.constants import NONCE

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    request, ours = _answer(_with_nonce, CSPMiddleware)
    nonce = request._csp_nonce
    assert f"'nonce-{nonce}'" in ours[HEADER]
    assert ours.content.decode() == f"nonce {nonce}"


def test_a_per_view_policy_still_applies():
    _, ours = _answer(_updated, CSPMiddleware)
    _, theirs = _answer(_updated, DjangoCSPMiddleware)
    assert "https://tiles.example.org" in ours[HEADER]
    assert ours[HEADER] == theirs[HEADER]


def test_an_exempt_view_gets_no_header():
    _, ours = _answer(_exempt, CSPMiddleware)
    assert HEADER not in ours


def test_a_header_the_view_set_is_kept():
    def own(request):
        response = HttpResponse("ok")
        response[HEADER] = "default-src 'none'"
        return response

    _, ours = _answer(own, CSPMiddleware)
    assert ours[HEADER] == "default-src 'none'"


def test_a_nonce_asked_after_the_header_was_written_is_an_error():
    from csp.exceptions import CSPNonceError

    request, _ = _answer(_plain, CSPMiddleware)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


@pytest.fixture
def fresh_policy():
    csp_header._policy.cache_clear()
    yield
    csp_header._policy.cache_clear()


def test_the_policy_is_built_once(monkeypatch, fresh_policy):
    built = []
    monkeypatch.setattr(csp_header, "build_policy", lambda **kw: built.append(kw) or "default-src 'self'")
    for _ in range(3):
        _answer(_plain, CSPMiddleware)
    assert built == [{"report_only": False}, {"report_only": True}]


def test_the_project_uses_this_middleware(settings):
    assert "renkei.core.csp_header.CSPMiddleware" in settings.MIDDLEWARE
    assert "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE
