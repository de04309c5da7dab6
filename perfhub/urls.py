"""PerfHub's root URLs."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

admin.site.site_header = f"{settings.COUNCIL_NAME} PerfHub: framework admin"
admin.site.site_title = f"PerfHub – {settings.COUNCIL_NAME}"
admin.site.index_title = "The performance framework"
handler500 = "reports.views.server_error"

urlpatterns = [
    path("", include("reports.urls")),
    path("", include("measures.urls")),
    path("risks/", include("risks.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
