from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """django.contrib.admin, with PerfHub's admin site (perfhub.admin_site)."""

    default_site = "perfhub.admin_site.AdminSite"
