from django.urls import path

from huhang.registry import transfer_views, views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("imports/<uuid:pk>/", transfer_views.import_job, name="import-job"),
    path("imports/<uuid:pk>/progress/", transfer_views.import_job_progress, name="import-job-progress"),
    path("imports/<uuid:pk>/problems.xlsx", transfer_views.import_job_report, name="import-job-report"),
    path("<slug:resource>/", views.record_list, name="list"),
    path("<slug:resource>/new/", views.record_edit, name="create"),
    path("<slug:resource>/export/", transfer_views.record_export, name="export"),
    path("<slug:resource>/import/", transfer_views.record_import, name="import"),
    path("<slug:resource>/<int:pk>/", views.record_detail, name="detail"),
    path("<slug:resource>/<int:pk>/edit/", views.record_edit, name="edit"),
]
