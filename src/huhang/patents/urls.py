from django.urls import path

from huhang.patents import views

app_name = "patents"

urlpatterns = [
    path("", views.search, name="search"),
    path("navigation/", views.navigation, name="navigation"),
    path("navigation.xlsx", views.navigation_xlsx, name="navigation-xlsx"),
    path("navigation.pdf", views.navigation_pdf, name="navigation-pdf"),
    path("risk/", views.risk, name="risk"),
    path("risk.pdf", views.risk_pdf, name="risk-pdf"),
    path("p/<path:patent_id>/", views.detail, name="detail"),
]
