"""PerfHub's root URLs."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("measures.urls")),
    path("risks/", include("risks.urls")),
    path("accounts/", include("accounts.urls")),
    path("imports/", include("imports.urls")),
    path("api/v1/", include("api.urls")),
    path("public/", include("reports.public_urls")),
    path("admin/", admin.site.urls),
]
