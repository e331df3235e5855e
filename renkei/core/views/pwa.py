"""The service worker of the installable app (PWA), served from the site's root so that its scope is the site."""
import hashlib

from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

# The static files a phone keeps for the app shell (never a page: pages are personal and `no-store`).
SHELL = ["core/renkei.css", "core/renkei.js", "core/pwa.js", "core/icon-192.png", "django_htmx/htmx-2.min.js"]


@require_GET
def service_worker(request):
    """/sw.js: shows the (generic) push notifications and keeps copies of the static files only.

    Rendered so that it names the static files by their deployed (hashed) addresses, and names its cache
    after them: a deployment that changes one starts a fresh cache and drops the old one.
    """
    shell = [static(name) for name in SHELL]
    context = {"shell": shell, "cache_name": "renkei-static-" + hashlib.sha256("\n".join(shell).encode()).hexdigest()[:12]}
    response = render(request, "core/sw.js", context, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
