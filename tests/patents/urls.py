"""The site's URLs with patent analytics mounted as the site will mount it (pages at /patents/, the API at
/api/v1/patents/ before the registry's API), for the tests until the site's urls.py includes them."""

from django.urls import include, path

from huhang.patents import api as patents_api
from huhang.site import urls as site_urls

_mounted = any(getattr(p, "namespace", None) == "patents" for p in site_urls.urlpatterns)

urlpatterns = (
    list(site_urls.urlpatterns)
    if _mounted
    else [
        path("patents/", include("huhang.patents.urls")),
        path("api/v1/patents/", include(patents_api.urlpatterns)),
        *site_urls.urlpatterns,
    ]
)
