from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from huhang.evidence import api as evidence_api
from huhang.patents import api as patents_api
from huhang.registry.api import router as registry_api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="registry:home", permanent=False)),
    path("accounts/", include("huhang.accounts.urls")),
    path("registry/", include("huhang.registry.urls")),
    path("cases/", include("huhang.cases.urls")),
    path("monitoring/", include("huhang.monitoring.urls")),
    path("supervision/", include("huhang.supervision.urls")),
    path("surveys/", include("huhang.surveys.urls")),
    path("patents/", include("huhang.patents.urls")),
    path("", include("huhang.evidence.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/evidence/", include(evidence_api.urlpatterns)),
    path("api/v1/patents/", include(patents_api.urlpatterns)),
    path("api/v1/", include(registry_api.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
]
