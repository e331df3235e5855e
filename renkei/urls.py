"""URL configuration: each app mounts its own urls; the API lives under /api/v1/."""
from django.contrib import admin
from django.urls import include, path

from .api import api

# A database error raised while loading the session or the user answers 503, not 500.
handler500 = "renkei.core.unavailable.server_error"

urlpatterns = [
    # The API first: Django tries the patterns in order, and an API request is the most frequent request.
    path("api/v1/", api.urls),
    path("", include("renkei.core.urls")),
    path("network/", include("renkei.network.urls")),
    path("directory/", include("renkei.directory.urls")),
    path("sheets/", include("renkei.sheets.urls")),
    path("careplans/", include("renkei.careplans.urls")),
    path("records/", include("renkei.records.urls")),
    path("reports/", include("renkei.reports.urls")),
    path("programs/", include("renkei.programs.urls")),
    path("medication/", include("renkei.medication.urls")),
    path("admin/", admin.site.urls),
]
