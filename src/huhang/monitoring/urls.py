from django.urls import path

from huhang.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("indicators.xlsx", views.export_xlsx, name="export"),
    path("report.pdf", views.report_pdf, name="report"),
    path("statistics/", views.statistics, name="statistics"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/trend.json", views.trend, name="trend"),
    path("<str:code>/target/", views.target_revise, name="target"),
]
