from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.annual, name="annual"),
    path("annual.xlsx", views.annual_xlsx, name="annual_xlsx"),
    path("annual.pdf", views.annual_pdf, name="annual_pdf"),
    path("lines/", views.lines_current, name="lines_current"),
    path("lines/<int:fy>/", views.lines, name="lines"),
    path("lines/item/<int:pk>/", views.line_action, name="line_action"),
    path("historical/", views.historical, name="historical"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("area/", views.area, name="area"),
]
