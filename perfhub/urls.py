"""PerfHub's root URLs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.COUNCIL_NAME} PerfHub: framework admin"
admin.site.site_title = f"PerfHub – {settings.COUNCIL_NAME}"
admin.site.index_title = "The performance framework"
handler500 = "reports.views.server_error"

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
