"""PerfHub's root URLs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from measures.admin import view_on_site

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
    # Before the admin's own /admin/r/, which would redirect for objects the person may not see.
    path("admin/r/<int:content_type_id>/<path:object_id>/", admin.site.admin_view(view_on_site)),
    path("admin/", admin.site.urls),
]
